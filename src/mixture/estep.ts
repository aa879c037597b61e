/**
 * The E-step: log-densities, log-sum-exp and responsibilities, block by
 * block, fused with the accumulation of sufficient statistics. No n×k or n×d
 * temporaries: one block of (rows × k) log-densities is reused throughout.
 *
 * @module
 */
import { NumericalError } from '../errors.js';
import { logSumExp } from '../matrix/logSumExp.js';
import type { Matrix } from '../matrix/matrix.js';
import type { CovarianceStrategy, PreparedMixture } from './covariance/index.js';
import type { SufficientStatistics } from './statistics.js';

/**
 * In the E-step, exponentials exp(lp − max) below TINY = 2^-600 count as
 * exactly 0 (as in the WebAssembly kernels): added to a sum ≥ 1 they are far
 * below half an ulp, against a component's count far below its 10·eps floor,
 * and they would otherwise feed subnormal products to the M-step, which CPUs
 * execute a hundred times slower.
 */
export const TINY = 2 ** -600;

/** Rows per block of log-densities (keeps the block in L1/L2 cache). */
export const BLOCK_ROWS = 128;

/**
 * Log-likelihood of row `row` from its block of weighted log-densities, with
 * a clear error instead of a NaN or -Infinity.
 *
 * @throws {@link NumericalError} if it is not finite.
 */
export function rowLogLikelihood(block: Float64Array, offset: number, k: number, row: number): number {
  const value = logSumExp(block, offset, k);
  if (!Number.isFinite(value)) throw nonFiniteRow(row, value);
  return value;
}

/**
 * The error for a row whose log-density is not finite.
 *
 * @param row - Row index in the whole data.
 * @param value - The log-density (-Infinity unless the input overflowed).
 * @returns The error to throw.
 */
export function nonFiniteRow(row: number, value = -Infinity): NumericalError {
  return new NumericalError(
    `the log-density of row ${row} is ${value}: the row is too far from every component for float64 ` +
      `(or the data's scale is extreme). Scale the data, e.g. standardize each column.`,
  );
}

/**
 * E-step over rows [start, end) fused with the accumulation of their
 * sufficient statistics into `stats` (which must be about the centers the
 * strategy chose for these parameters).
 *
 * @param strategy - Covariance strategy.
 * @param prepared - Prepared parameters.
 * @param X - Data.
 * @param weights - Row weights, or null for all ones. Zero-weight rows are skipped entirely.
 * @param start - First row.
 * @param end - One past the last row.
 * @param stats - Accumulator.
 * @param block - Scratch of at least BLOCK_ROWS × k values.
 * @param scratch - Scratch of at least d values.
 * @param rowOffset - Index of X's first row in the whole data, for error messages.
 * @param noise - The noise component's log π₀ + log V⁻¹ (−∞ without one): a
 *   constant log-density beside the k components', whose responsibilities go
 *   to `stats.noiseWeight`.
 */
export function accumulateRows(
  strategy: CovarianceStrategy,
  prepared: PreparedMixture,
  X: Matrix,
  weights: Float64Array | null,
  start: number,
  end: number,
  stats: SufficientStatistics,
  block: Float64Array,
  scratch: Float64Array,
  rowOffset = 0,
  noise = -Infinity,
): void {
  const k = prepared.k;
  const noisy = noise > -Infinity;
  for (let bs = start; bs < end; bs += BLOCK_ROWS) {
    const be = Math.min(bs + BLOCK_ROWS, end);
    strategy.logProb(X.data, X.cols, bs, be, prepared, block);
    for (let i = bs; i < be; i++) {
      const o = (i - bs) * k;
      const w = weights === null ? 1 : weights[i];
      if (w === 0) {
        block.fill(0, o, o + k);
        continue;
      }
      let max = noise;
      for (let j = 0; j < k; j++) if (block[o + j] > max) max = block[o + j];
      if (!Number.isFinite(max)) rowLogLikelihood(block, o, k, i + rowOffset); // throws the NumericalError
      let sum = 0;
      let spread = 0; // Σ e·(lp − max), for the entropy
      let e0 = 0; // the noise's exp(lp − max)
      if (noisy) {
        const v = noise - max;
        e0 = Math.exp(v);
        if (e0 < TINY) e0 = 0;
        else {
          sum += e0;
          spread += e0 * v;
        }
      }
      for (let j = 0; j < k; j++) {
        const v = block[o + j] - max;
        const e = Math.exp(v);
        if (e < TINY) {
          block[o + j] = 0;
          continue;
        }
        block[o + j] = e;
        sum += e;
        spread += e * v;
      }
      const logSum = Math.log(sum);
      stats.logLikelihood += w * (max + logSum);
      stats.totalWeight += w;
      // −Σ r log r with r = e/Σe and log r = (lp − max) − log Σe.
      stats.entropy += w * (logSum - spread / sum);
      const scale = w / sum;
      for (let j = 0; j < k; j++) block[o + j] *= scale;
      stats.noiseWeight += e0 * scale;
    }
    strategy.accumulate(X.data, X.cols, bs, be, block, stats, scratch);
  }
}
