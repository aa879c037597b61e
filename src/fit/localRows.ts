/**
 * Rows on this thread: the answers of `fit`, `iterate`, `KMeans.fit` and
 * `selectModel`, from the engines of `engines/` (WebAssembly kernels where
 * available).
 *
 * @module
 */
import { createAssignStep, type AssignStep } from '../engines/assign.js';
import { kmeansPlusPlus } from '../engines/kmeansPlusPlus.js';
import { createEngine, expectation, type EStepEngine } from '../engines/mixtureEngine.js';
import type { Matrix } from '../matrix/matrix.js';
import type { CovarianceStrategy } from '../mixture/covariance/index.js';
import type { MixtureParameters } from '../mixture/parameters.js';
import type { SufficientStatistics } from '../mixture/statistics.js';
import type { Random } from '../random/random.js';
import { farthestRows, weightedSum } from './lloyd.js';
import type { Assignment, FarRows, Rows, Seeding } from './rows.js';

/**
 * The rows of X answered on this thread. Keeps one mixture engine (for the
 * last strategy and k asked for) and one assignment step (for the last k):
 * restarts and a selection's cells of the same shape reuse them.
 */
export class LocalRows implements Rows {
  private mixture: { type: string; k: number; engine: EStepEngine } | undefined;
  private step: { k: number; step: AssignStep } | undefined;

  /**
   * @param X - Data, n × d.
   * @param weights - Row weights, or null for all ones.
   * @param single - `dtype: 'float32'`: X holds f32 values, and the mixture engines run f32 kernels where they
   *   have them (see `createEngine`).
   */
  constructor(
    readonly X: Matrix,
    readonly weights: Float64Array | null,
    readonly single = false,
  ) {}

  expectation(strategy: CovarianceStrategy, parameters: MixtureParameters, centers: Float64Array): SufficientStatistics {
    return expectation(this.engine(strategy, parameters.nComponents), strategy, parameters, centers);
  }

  hint(strategy: CovarianceStrategy, k: number, labels: Int32Array): void {
    this.engine(strategy, k).hint(labels);
  }

  seed(k: number, rng: Random): Seeding {
    return kmeansPlusPlus(this.X, k, rng, this.weights, this.assignStep(k));
  }

  assign(k: number, centers: Float64Array, fresh: boolean): Assignment {
    const step = this.assignStep(k);
    step.assign(centers, fresh);
    return { sums: step.sums, counts: step.counts, changed: step.changed };
  }

  labels(k: number): Int32Array {
    return this.assignStep(k).labels;
  }

  /** Each row's squared distance to `centers[label]` (n; valid until the next request). */
  distances(k: number, centers: Float64Array): Float64Array {
    const step = this.assignStep(k);
    step.computeDistances(centers);
    return step.distances;
  }

  farthest(k: number, centers: Float64Array, count: number): FarRows {
    const step = this.assignStep(k);
    step.computeDistances(centers);
    return farthestRows(this.X, this.weights, step.labels, step.distances, count);
  }

  inertia(k: number, centers: Float64Array): number {
    return weightedSum(this.weights, this.distances(k, centers));
  }

  release(): void {
    this.mixture?.engine.release();
    this.mixture = undefined;
    this.step?.step.release();
    this.step = undefined;
  }

  private engine(strategy: CovarianceStrategy, k: number): EStepEngine {
    if (this.mixture?.type !== strategy.type || this.mixture.k !== k) {
      this.mixture?.engine.release();
      this.mixture = undefined;
      this.mixture = {
        type: strategy.type,
        k,
        engine: createEngine(strategy, this.X, this.weights, k, 0, 'auto', undefined, false, this.single),
      };
    }
    return this.mixture.engine;
  }

  private assignStep(k: number): AssignStep {
    if (this.step?.k !== k) {
      this.step?.step.release();
      this.step = undefined;
      this.step = { k, step: createAssignStep(this.X, this.weights, k) };
    }
    return this.step.step;
  }
}
