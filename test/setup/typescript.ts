import { setBackend } from '../../src/index.js';

// Every test in this project runs on the TypeScript kernels: the fallback where WebAssembly SIMD is missing.
setBackend('typescript');
