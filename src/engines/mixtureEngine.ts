/**
 * The E-step engine: data bound once per fit, then per EM iteration the
 * statistics of each chunk of rows (see `chunkRows`) under the current parameters.
 * Chunks are merged in chunk order, whichever kernels and however many
 * threads computed them, so the fit is bit-identical for any thread count.
 *
 * @module
 */
import type { Matrix } from '../matrix/matrix.js';
import { acquireKernels } from '../kernels/loader.js';
import type { CovarianceStrategy } from '../mixture/covariance/index.js';
import { chunkRows } from '../matrix/chunks.js';
import { noiseLogDensity, type MixtureParameters } from '../mixture/parameters.js';
import { createStatistics, mergeStatistics, statisticsLength, type SufficientStatistics } from '../mixture/statistics.js';
import { TypeScriptEngine } from './typescriptEngine.js';
import { WasmEngine } from './wasmEngine.js';

/** Computes the sufficient statistics of chunks of bound rows. */
export interface EStepEngine {
  /** Number of chunks of the bound rows. */
  readonly chunks: number;
  /** Which kernels run. */
  readonly backend: 'wasm' | 'typescript';
  /**
   * Sets the parameters for the following {@link EStepEngine.chunk} calls.
   *
   * @param parameters - Mixture parameters.
   * @param centers - Centers of the statistics (`strategy.statisticsCenters`).
   */
  setParameters(parameters: MixtureParameters, centers: Float64Array): void;
  /**
   * Statistics of chunk `c` of the bound rows, valid until the next call.
   *
   * @throws {@link NumericalError} naming the row whose log-density is not finite.
   */
  chunk(c: number): SufficientStatistics;
  /**
   * Tells the engine each row's likely best component (e.g. the k-means label
   * it was initialized from). Only the order of the work may change, never a
   * result; engines may ignore it.
   *
   * @param labels - One component index per bound row.
   */
  hint(labels: Int32Array): void;
  /**
   * The weighted log-densities log πⱼ + log N(xᵢ | μⱼ, Σⱼ) of chunk c's rows
   * under the parameters (rows × k), valid until the next call; every
   * component in full, row weights ignored. Only engines created with
   * `evaluation` (see {@link forEachLogProbChunk}).
   */
  logProb(c: number): Float64Array;
  /** Frees the engine's memory. */
  release(): void;
}

/**
 * Rows per chunk of a mixture's statistics (see `chunkRows`): the same on
 * every thread count, so every fit path chunks alike.
 *
 * @param strategy - Covariance strategy.
 * @param n - Rows of the whole data.
 * @param k - Components.
 * @param d - Features.
 * @returns Rows per chunk.
 */
export function mixtureChunkRows(strategy: CovarianceStrategy, n: number, k: number, d: number): number {
  return chunkRows(n, statisticsLength(k, d, strategy.secondMomentLength(k, d)), d);
}

/**
 * Binds rows to an engine: WebAssembly kernels where available (see
 * `setBackend`), TypeScript otherwise.
 *
 * @param strategy - Covariance strategy.
 * @param X - The rows.
 * @param weights - Row weights or null.
 * @param k - Components.
 * @param rowOffset - Index of X's first row in the whole data (for error messages).
 * @param backend - `'auto'` follows `setBackend`; workers are told which one the main thread uses.
 * @param rowsPerChunk - Chunk size, from the whole data's size (see `chunkRows`).
 * @param evaluation - Also able to return log-densities (`logProb`).
 * @param single - `dtype: 'float32'`: the f32 kernels where the strategy has them (WebAssembly, d > SMALL_D), on
 *   rows already rounded to f32; the f64 kernels elsewhere.
 * @returns The engine.
 */
export function createEngine(
  strategy: CovarianceStrategy,
  X: Matrix,
  weights: Float64Array | null,
  k: number,
  rowOffset = 0,
  backend: 'wasm' | 'typescript' | 'auto' = 'auto',
  rowsPerChunk = mixtureChunkRows(strategy, X.rows, k, X.cols),
  evaluation = false,
  single = false,
): EStepEngine {
  const instance = backend === 'typescript' ? null : acquireKernels();
  if (instance === null) {
    if (backend === 'wasm') throw new Error('the WebAssembly kernels are not available in this worker');
    return new TypeScriptEngine(strategy, X, weights, rowOffset, rowsPerChunk);
  }
  return new WasmEngine(instance, strategy, X, weights, k, rowOffset, rowsPerChunk, evaluation, single);
}

/**
 * Calls `consume` with the weighted log-densities log πⱼ + log N(xᵢ | μⱼ, Σⱼ)
 * of every row of X, chunk by chunk: what a fitted model's predict, score and
 * criteria are made of. On the WebAssembly kernels where available. A noise
 * component (`parameters.noise`) adds a last column, its log π₀ + log V⁻¹.
 *
 * @param strategy - Covariance strategy.
 * @param parameters - The mixture.
 * @param X - Data.
 * @param consume - Receives a chunk's values (rows × k, or rows × (k + 1) with a noise component; reused between
 *   calls), its first row and end row.
 */
export function forEachLogProbChunk(
  strategy: CovarianceStrategy,
  parameters: MixtureParameters,
  X: Matrix,
  consume: (block: Float64Array, start: number, end: number) => void,
): void {
  if (X.rows === 0) return;
  const rowsPerChunk = chunkRows(X.rows);
  const engine = createEngine(strategy, X, null, parameters.nComponents, 0, 'auto', rowsPerChunk, true);
  try {
    engine.setParameters(parameters, parameters.means);
    const k = parameters.nComponents;
    const noise = noiseLogDensity(parameters);
    const widened = parameters.noise ? new Float64Array(rowsPerChunk * (k + 1)) : undefined;
    for (let c = 0; c < engine.chunks; c++) {
      const start = c * rowsPerChunk;
      const end = Math.min(start + rowsPerChunk, X.rows);
      const block = engine.logProb(c);
      if (widened === undefined) {
        consume(block, start, end);
        continue;
      }
      for (let i = 0; i < end - start; i++) {
        widened.set(block.subarray(i * k, (i + 1) * k), i * (k + 1));
        widened[i * (k + 1) + k] = noise;
      }
      consume(widened.subarray(0, (end - start) * (k + 1)), start, end);
    }
  } finally {
    engine.release();
  }
}

/**
 * One E-step: the merged statistics of every chunk, in chunk order.
 *
 * @param engine - Bound engine.
 * @param strategy - Covariance strategy.
 * @param parameters - Current parameters.
 * @param centers - Centers of the statistics.
 * @returns The statistics of all rows.
 */
export function expectation(
  engine: EStepEngine,
  strategy: CovarianceStrategy,
  parameters: MixtureParameters,
  centers: Float64Array,
): SufficientStatistics {
  const { nComponents: k, nFeatures: d } = parameters;
  const total = createStatistics(strategy.type, k, d, centers, strategy.secondMomentLength(k, d));
  engine.setParameters(parameters, centers);
  for (let c = 0; c < engine.chunks; c++) mergeStatistics(total, engine.chunk(c));
  return total;
}
