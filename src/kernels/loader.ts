/**
 * Loading the WebAssembly kernels: decode the embedded binary, pick the
 * relaxed-SIMD build if this engine validates it (fused multiply-add) or else
 * the plain SIMD build, compile once, and hand out instances with a simple
 * arena over their linear memory. Returns null where WebAssembly SIMD is
 * missing: callers then use the TypeScript kernels, which give the same
 * results to rounding.
 *
 * @module
 */
import { KERNELS_RELAXED_SIMD, KERNELS_SIMD } from './kernels.generated.js';

/** The functions the kernel module exports (pointers are byte offsets into its memory). */
export interface KernelExports {
  readonly memory: WebAssembly.Memory;
  fullChunk(
    x: number,
    w: number,
    start: number,
    end: number,
    d: number,
    k: number,
    means: number,
    factors: number,
    consts: number,
    guide: number,
    previous: number,
    out: number,
    scratch: number,
    logOut: number,
    noise: number,
  ): number;
  fullScratchBytes(d: number, k: number): number;
  /** `fullChunk` with x, means and factors in f32 (rows padded to a multiple of 4, factor rows to 8). */
  fullChunk32: KernelExports['fullChunk'];
  fullScratchBytes32(d: number, k: number): number;
  tiedChunk(
    x: number,
    w: number,
    start: number,
    end: number,
    d: number,
    k: number,
    factor: number,
    consts: number,
    c: number,
    nu: number,
    center: number,
    out: number,
    scratch: number,
    logOut: number,
    noise: number,
  ): number;
  tiedScratchBytes(d: number, k: number): number;
  diagChunk(
    x: number,
    w: number,
    start: number,
    end: number,
    d: number,
    k: number,
    means: number,
    factors: number,
    consts: number,
    spherical: number,
    out: number,
    scratch: number,
    logOut: number,
    noise: number,
  ): number;
  diagScratchBytes(d: number, k: number): number;
  smallChunk(
    x: number,
    w: number,
    start: number,
    end: number,
    d: number,
    k: number,
    type: number,
    means: number,
    factors: number,
    consts: number,
    centers: number,
    out: number,
    scratch: number,
    logOut: number,
    noise: number,
  ): number;
  smallScratchBytes(type: number, d: number, k: number): number;
  readonly SMALL_D: WebAssembly.Global;
  expNegArray(src: number, dst: number, n: number): void;
  logArray(src: number, dst: number, n: number): void;
  peakMultiplyAdd(iterations: number, seed: number): number;
  seedDistances(
    x: number,
    w: number,
    n: number,
    dx: number,
    candidates: number,
    t: number,
    closest: number,
    outs: number,
    potentials: number,
  ): void;
  kmeansDistances(x: number, n: number, dx: number, centers: number, labels: number, distances: number): void;
  kmeansAssign(
    x: number,
    w: number,
    n: number,
    dx: number,
    k: number,
    centers: number,
    lanes: number,
    norms: number,
    scores: number,
    labels: number,
    upper: number,
    lower: number,
    xnorms: number,
    moves: number,
    pending: number,
    sums: number,
    counts: number,
    members: number,
    full: number,
  ): number;
}

/** Which kernels run: WebAssembly where available (`'auto'`), or one forced. */
export type Backend = 'auto' | 'wasm' | 'typescript';

/** The build in use: `'relaxed-simd'` (with fused multiply-add), `'simd'`, or none. */
export type WasmBuild = 'relaxed-simd' | 'simd' | 'none';

let compiled: { module: WebAssembly.Module; build: WasmBuild } | null | undefined;
let backend: Backend = 'auto';
const idle: KernelInstance[] = [];

function decode(base64: string): Uint8Array<ArrayBuffer> {
  const text = atob(base64);
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return bytes;
}

function compile(): { module: WebAssembly.Module; build: WasmBuild } | null {
  if (compiled !== undefined) return compiled;
  compiled = null;
  if (typeof WebAssembly !== 'object') return null;
  for (const [build, source] of [
    ['relaxed-simd', KERNELS_RELAXED_SIMD],
    ['simd', KERNELS_SIMD],
  ] as const) {
    const bytes = decode(source);
    if (!WebAssembly.validate(bytes)) continue;
    try {
      compiled = { module: new WebAssembly.Module(bytes), build };
      break;
    } catch {
      // Synchronous compilation refused (some browsers cap it on the main thread): keep looking, then fall back.
    }
  }
  return compiled;
}

/**
 * Chooses the kernels: `'auto'` (default) uses WebAssembly SIMD where the
 * engine supports it and TypeScript otherwise; `'wasm'` requires
 * WebAssembly (an error if missing); `'typescript'` never uses it. Both
 * kernels give the same results to rounding (about 1e-12 relative).
 *
 * @param choice - The backend.
 * @throws Error if `'wasm'` is forced where WebAssembly SIMD is unavailable.
 * @example
 * ```ts
 * setBackend('typescript'); // e.g. to compare, or where WebAssembly is disallowed
 * ```
 */
export function setBackend(choice: Backend): void {
  if (choice === 'wasm' && compile() === null) throw new Error('WebAssembly SIMD is not available in this JavaScript engine');
  backend = choice;
}

/**
 * The kernels that will run now: `'wasm'` or `'typescript'`.
 *
 * @returns The active backend.
 * @example
 * ```ts
 * activeBackend(); // 'wasm' in Node ≥ 20 and current browsers
 * ```
 */
export function activeBackend(): 'wasm' | 'typescript' {
  return backend !== 'typescript' && compile() !== null ? 'wasm' : 'typescript';
}

/**
 * Which WebAssembly build is loaded: `'relaxed-simd'` (fused multiply-add;
 * Node ≥ 22, current browsers), `'simd'`, or `'none'`.
 *
 * @returns The build.
 * @example
 * ```ts
 * wasmBuild(); // 'simd' on Node 20
 * ```
 */
export function wasmBuild(): WasmBuild {
  return compile()?.build ?? 'none';
}

/** An instance of the kernel module with a bump allocator over its memory. */
export class KernelInstance {
  readonly exports: KernelExports;
  private top = 0;
  private readonly base: number;

  constructor(module: WebAssembly.Module) {
    const instance = new WebAssembly.Instance(module, {
      env: {
        abort: () => {
          throw new Error('WebAssembly kernel aborted');
        },
      },
    });
    this.exports = instance.exports as unknown as KernelExports;
    // Static data (the exp constants) sits at the start; allocations begin at the first free page.
    this.base = this.exports.memory.buffer.byteLength;
    this.top = this.base;
  }

  /**
   * Reserves `bytes` (16-byte aligned), growing memory as needed. Growing
   * detaches earlier views: take views only after the last allocation.
   */
  alloc(bytes: number): number {
    const at = (this.top + 15) & ~15;
    this.top = at + bytes;
    const memory = this.exports.memory;
    const missing = this.top - memory.buffer.byteLength;
    if (missing > 0) memory.grow(Math.ceil(missing / 65536));
    return at;
  }

  /** A Float64Array view of `length` values at byte offset `at`. */
  f64(at: number, length: number): Float64Array<ArrayBuffer> {
    return new Float64Array(this.exports.memory.buffer as ArrayBuffer, at, length);
  }

  /** A Float32Array view of `length` values at byte offset `at`. */
  f32(at: number, length: number): Float32Array<ArrayBuffer> {
    return new Float32Array(this.exports.memory.buffer as ArrayBuffer, at, length);
  }

  /** Frees every allocation. */
  reset(): void {
    this.top = this.base;
  }
}

/**
 * An idle kernel instance (or a new one), or null when WebAssembly is not
 * to be used. Give it back with {@link releaseKernels}.
 *
 * @returns An instance, or null.
 */
export function acquireKernels(): KernelInstance | null {
  if (activeBackend() !== 'wasm') return null;
  return idle.pop() ?? new KernelInstance(compile()!.module);
}

/**
 * A new kernel instance with the smallest memory, never from the idle pool:
 * tests use it so that a kernel reading or writing past its regions faults
 * instead of touching memory left over from earlier fits.
 *
 * @returns A new instance, or null when WebAssembly is not to be used.
 */
export function freshKernels(): KernelInstance | null {
  return activeBackend() === 'wasm' ? new KernelInstance(compile()!.module) : null;
}

/**
 * Returns an instance to the idle pool (its allocations are freed).
 *
 * @param instance - From {@link acquireKernels}.
 */
export function releaseKernels(instance: KernelInstance): void {
  instance.reset();
  // Memory never shrinks: keep only a few small instances for reuse.
  if (idle.length < 4 && instance.exports.memory.buffer.byteLength <= 64 * 1024 * 1024) idle.push(instance);
}
