import { setBackend } from '../../src/index.js';

// Every test in this project runs on the WebAssembly kernels (an error if they cannot load).
setBackend('wasm');
