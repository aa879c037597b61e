/**
 * How a covariance type's parameters sit in the WebAssembly kernels' memory
 * and which kernel runs a chunk: the interface each strategy implements
 * (its `wasm` member), and the padding helper they share. The engine
 * (`engines/wasmEngine.ts`) owns the rows and the statistics; a strategy's
 * binding owns its parameter buffers, its scratch and its kernel call.
 *
 * @module
 */
import type { KernelInstance } from '../../kernels/loader.js';
import type { MixtureParameters } from '../parameters.js';
import type { PreparedMixture } from './strategy.js';

/** A chunk of rows for a kernel: byte addresses in the kernels' memory, and its rows. */
export interface WasmChunk {
  /** The rows, n × dx (d padded to an even width with zeros). */
  readonly x: number;
  /** Row weights, or 0 (all ones; always 0 when scoring). */
  readonly w: number;
  /** Rows [start, end). */
  readonly start: number;
  readonly end: number;
  /** Where the chunk's statistics go (their flat form). */
  readonly out: number;
  /** Scoring: where rows × k log-densities go instead of statistics (0: statistics). */
  readonly logOut: number;
  /** The noise component's log π₀ + log V⁻¹, or −∞ without one. */
  readonly noise: number;
}

/** One type's parameters bound in a kernel instance: written once per parameter set, run per chunk. */
export interface WasmBinding {
  /** Writes the parameters (and what `prepare` precomputed) in the kernel's layout. */
  write(parameters: MixtureParameters, prepared: PreparedMixture, centers: Float64Array): void;
  /** Runs the kernel on a chunk: 0, or 1 + the index of the first row whose density is not finite. */
  run(chunk: WasmChunk): number;
  /** Each row's likely component, if the kernel orders its work by it (else ignored). */
  hint(labels: Int32Array): void;
}

/** A covariance type's place in the WebAssembly kernels. */
export interface WasmLayout {
  /**
   * The type's number in `wasm/small.ts`: for d ≤ SMALL_D one kernel serves
   * every type, with the parameters in component lanes.
   */
  readonly smallCode: number;
  /**
   * Writes component j's precision factor in the lane layout: value t of
   * the factor at `lanes[t * kp + j]` (kp: k rounded up to even).
   */
  laneFactor(precisionsCholesky: Float64Array, j: number, d: number, kp: number, lanes: Float64Array): void;
  /**
   * Allocates the type's buffers for n rows, k components and d features
   * (before the engine takes views: allocation may grow memory).
   */
  bind(instance: KernelInstance, n: number, k: number, d: number, single?: boolean): WasmBinding;
  /**
   * Whether the type has f32 kernels for d > SMALL_D: then `bind(…, true)`
   * runs them, on rows the engine writes in f32 with {@link singleWidth}.
   */
  readonly single?: boolean;
}

/** d rounded up to even: the width of rows and means in the kernels' memory. */
export function evenWidth(d: number): number {
  return (d + 1) & ~1;
}

/** d rounded up to a multiple of 4: the width of factor rows in the kernels' memory. */
export function quadWidth(d: number): number {
  return (d + 3) & ~3;
}

/** d rounded up to a multiple of 4: the width of f32 rows and means in the kernels' memory (one vector). */
export function singleWidth(d: number): number {
  return (d + 3) & ~3;
}

/** d rounded up to a multiple of 8: the width of f32 factor rows in the kernels' memory (a tile of two vectors). */
export function singleTileWidth(d: number): number {
  return (d + 7) & ~7;
}

/**
 * Copies `rows` rows of `cols` values into rows of `stride` values, zero-padded.
 *
 * @param target - rows × stride values (overwritten).
 * @param source - rows × cols values.
 * @param rows - Rows.
 * @param cols - Values per source row.
 * @param stride - Values per target row (≥ cols).
 */
export function writePadded(
  target: Float64Array | Float32Array,
  source: Float64Array,
  rows: number,
  cols: number,
  stride: number,
): void {
  target.fill(0);
  for (let i = 0; i < rows; i++) for (let a = 0; a < cols; a++) target[i * stride + a] = source[i * cols + a];
}
