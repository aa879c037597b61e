/**
 * Rows with missing cells (`missing: 'marginalize'`), answered on this thread.
 * E-steps: the complete rows on the usual engines (WebAssembly where
 * available), the incomplete ones by marginalizing their missing cells
 * (`mixture/missing.ts`, TypeScript), merged in that order. k-means requests
 * (the initialization's seeding and assignments) are answered on the data
 * with each missing cell filled by its column's weighted mean: a start, which
 * EM then corrects.
 *
 * @module
 */
import { matrix, type Matrix } from '../matrix/matrix.js';
import type { CovarianceStrategy } from '../mixture/covariance/index.js';
import { accumulateMissing, type MissingLayout } from '../mixture/missing.js';
import type { MixtureParameters } from '../mixture/parameters.js';
import { createStatistics, mergeStatistics, type SufficientStatistics } from '../mixture/statistics.js';
import type { Random } from '../random/random.js';
import { LocalRows } from './localRows.js';
import type { Assignment, FarRows, Rows, Seeding } from './rows.js';

/** Rows of data with NaN cells. */
export class MissingRows implements Rows {
  private readonly filled: LocalRows;
  private readonly complete: LocalRows | undefined;

  /**
   * @param X - Data with NaN for missing cells, n × d.
   * @param filledX - The same data with every NaN replaced by its column's mean (for k-means requests).
   * @param weights - Row weights, or null for all ones.
   * @param layout - X's complete rows and patterns (`missingLayout`).
   */
  constructor(
    readonly X: Matrix,
    filledX: Matrix,
    readonly weights: Float64Array | null,
    readonly layout: MissingLayout,
  ) {
    this.filled = new LocalRows(filledX, weights);
    const { complete } = layout;
    if (complete.length > 0) {
      const d = X.cols;
      const rows = new Float64Array(complete.length * d);
      complete.forEach((i, t) => rows.set(X.data.subarray(i * d, (i + 1) * d), t * d));
      const w = weights === null ? null : Float64Array.from(complete, (i) => weights[i]!);
      this.complete = new LocalRows(matrix(complete.length, d, rows), w);
    }
  }

  expectation(strategy: CovarianceStrategy, parameters: MixtureParameters, centers: Float64Array): SufficientStatistics {
    const { nComponents: k, nFeatures: d } = parameters;
    const stats = createStatistics(strategy.type, k, d, centers, strategy.secondMomentLength(k, d));
    if (this.complete) mergeStatistics(stats, this.complete.expectation(strategy, parameters, centers));
    accumulateMissing(strategy, parameters, this.X, this.weights, this.layout.patterns, stats);
    return stats;
  }

  /** Hints order an engine's work over the complete rows only; not worth the mapping of row numbers. */
  hint(): void {}

  seed(k: number, rng: Random): Seeding {
    return this.filled.seed(k, rng);
  }

  assign(k: number, centers: Float64Array, fresh: boolean): Assignment {
    return this.filled.assign(k, centers, fresh);
  }

  labels(k: number): Int32Array {
    return this.filled.labels(k);
  }

  farthest(k: number, centers: Float64Array, count: number): FarRows {
    return this.filled.farthest(k, centers, count);
  }

  inertia(k: number, centers: Float64Array): number {
    return this.filled.inertia(k, centers);
  }

  release(): void {
    this.filled.release();
    this.complete?.release();
  }
}
