/**
 * The WebAssembly kernels of gmm (AssemblyScript, 128-bit SIMD). Memory is
 * laid out by the caller (src/kernels/loader.ts, src/engines/): every kernel takes pointers and sizes
 * and allocates nothing.
 */
export { expNegArray, logArray } from './exp';
export { fullChunk, fullChunk32, fullScratchBytes, fullScratchBytes32 } from './full';
export { tiedChunk, tiedScratchBytes } from './tied';
export { diagChunk, diagScratchBytes } from './diag';
export { peakMultiplyAdd } from './peak';
export { kmeansAssign, kmeansDistances, seedDistances } from './kmeans';
export { SMALL_D, smallChunk, smallScratchBytes } from './small';
