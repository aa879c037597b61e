import { DimensionMismatchError, InvalidDataError, InvalidParameterError } from '../errors.js';
import { asMatrix, isMatrix, type Matrix, type MatrixLike } from '../matrix/matrix.js';
import { Random } from '../random/random.js';
import {
  booleanValue,
  checkOptionNames,
  integerAtLeast,
  nonNegativeNumber,
  oneOf,
  sampleWeightValue,
  scaleByPowerOfTwo,
  seedValue,
  fitWeights,
} from '../validate.js';
import type { LloydResult } from '../fit/lloyd.js';

/** The run's inertia in the caller's weights (the run had them times 2^−exponent). */
function unscaled(result: LloydResult, exponent: number): LloydResult {
  if (exponent === 0) return result;
  const inertia = Float64Array.of(result.inertia);
  scaleByPowerOfTwo(inertia, exponent);
  return { ...result, inertia: inertia[0]! };
}
import { fitScaler, standardizeRows, type Scaler } from '../matrix/standardize.js';
import { kmeansRuns, type KMeansInit, type KMeansSettings } from '../fit/kmeansRuns.js';
import { LocalRows } from '../fit/localRows.js';
import { driveAsync, driveSync } from '../fit/rows.js';
import { PooledRows } from '../parallel/pooledRows.js';
import { threadCount } from '../parallel/workers.js';
import { KMeansModel } from './kmeansModel.js';

export type { KMeansInit } from '../fit/kmeansRuns.js';

/**
 * Options of {@link KMeans}. Defaults are scikit-learn's (`KMeans` ≥ 1.4).
 */
export interface KMeansOptions {
  /** Number of clusters k. Default 8. */
  nClusters?: number;
  /**
   * Initial centers: `'k-means++'` (greedy, as scikit-learn; default),
   * `'random'` (k distinct rows chosen uniformly), or the centers themselves
   * (k × d, as `number[][]` or a {@link Matrix}).
   */
  init?: KMeansInit | MatrixLike;
  /**
   * Number of runs from different initial centers; the one with the lowest
   * inertia wins. Default `'auto'`: 1 for `'k-means++'` or given centers, 10
   * for `'random'`. Given centers always run once.
   */
  nInit?: number | 'auto';
  /** Maximum Lloyd iterations per run. Default 300. */
  maxIter?: number;
  /**
   * Convergence tolerance, relative: a run stops when the squared movement of
   * the centers, summed, is ≤ `tol` × (mean of the features' variances).
   * Default 1e-4. A run also stops when the labels stop changing.
   */
  tol?: number;
  /** Seed of the random generator ({@link Random}). Default 0. */
  seed?: number;
  /**
   * Cluster standardized columns (centered, divided by their standard deviation, as scikit-learn's
   * `StandardScaler`), so that distances weigh every feature alike rather than the one in the largest units.
   * The model keeps the scaler: `predict` takes the data's units, `centers` are in the data's units, and
   * `inertia` is in standardized units (what was minimized). Given `init` centers are in the data's units.
   * Default false.
   */
  standardize?: boolean;
}

/** Options of {@link KMeans.fit}. */
export interface KMeansFitOptions {
  /** One non-negative weight per row: weighted means and inertia. Default: all 1. */
  sampleWeight?: ArrayLike<number>;
}

/** Options of {@link KMeans.fitAsync}: those of `fit`, threads and an abort signal. */
export interface KMeansFitAsyncOptions extends KMeansFitOptions {
  /** Number of worker threads. Default: the machine's cores. */
  threads?: number;
  /** Aborts the fit: the promise rejects with the signal's reason and the workers stop. */
  signal?: AbortSignal;
}

const OPTION_NAMES = ['nClusters', 'init', 'nInit', 'maxIter', 'tol', 'seed', 'standardize'] as const;

/**
 * k-means clustering by Lloyd's algorithm: hard assignments, one center per
 * cluster, circular (Voronoi) boundaries. The classic baseline a Gaussian
 * mixture generalizes, and the default initializer of {@link GaussianMixture}.
 *
 * @example
 * ```ts
 * import { KMeans } from 'gmm';
 * const km = new KMeans({ nClusters: 3, seed: 0 }).fit([[0, 0], [0, 1], [5, 5], [5, 6], [9, 0], [9, 1]]);
 * km.labels;   // Int32Array of 6 cluster indices
 * km.inertia;  // sum of squared distances to the centers
 * km.predict([[5, 5.5]]);
 * ```
 */
export class KMeans {
  /** Number of clusters. */
  readonly nClusters: number;
  /** The initialization method, or the given initial centers. */
  readonly init: KMeansInit | Matrix;
  /** Runs from different initial centers (resolved from `'auto'`). */
  readonly nInit: number;
  /** Maximum iterations per run. */
  readonly maxIter: number;
  /** Relative convergence tolerance. */
  readonly tol: number;
  /** Seed of the random generator. */
  readonly seed: number;
  /** Whether the columns are standardized before clustering. */
  readonly standardize: boolean;

  /**
   * @param options - See {@link KMeansOptions}.
   * @throws {@link InvalidParameterError} for an unknown option or a value out of range.
   */
  constructor(options: KMeansOptions = {}) {
    checkOptionNames(options, OPTION_NAMES, 'KMeans');
    this.nClusters = integerAtLeast('nClusters', options.nClusters ?? 8);
    const init = options.init ?? 'k-means++';
    if (typeof init === 'string') {
      this.init = oneOf('init', init, ['k-means++', 'random']);
    } else {
      let centers: Matrix;
      try {
        centers = asMatrix(init, 'init');
      } catch (e) {
        throw new InvalidParameterError(
          'init',
          init,
          `"k-means++", "random" or ${this.nClusters} initial centers`,
          (e as Error).message,
        );
      }
      if (centers.rows !== this.nClusters) {
        throw new InvalidParameterError('init', init, `${this.nClusters} centers (one per cluster); got ${centers.rows}`);
      }
      this.init = centers;
    }
    const nInit = options.nInit ?? 'auto';
    if (nInit === 'auto') this.nInit = this.init === 'random' ? 10 : 1;
    else {
      const runs = integerAtLeast('nInit', nInit);
      this.nInit = typeof this.init === 'string' ? runs : 1; // given centers: every run would be the same
    }
    this.maxIter = integerAtLeast('maxIter', options.maxIter ?? 300);
    this.tol = nonNegativeNumber('tol', options.tol ?? 1e-4);
    this.seed = seedValue('seed', options.seed ?? 0);
    this.standardize = booleanValue('standardize', options.standardize ?? false);
  }

  /**
   * Clusters the rows of X.
   *
   * @param X - Data, n × d (n ≥ nClusters).
   * @param options - Optional `sampleWeight`.
   * @returns The fitted {@link KMeansModel}.
   * @throws {@link InvalidDataError} for bad data or fewer rows than clusters;
   *   {@link DimensionMismatchError} if given initial centers have another width;
   *   {@link InvalidParameterError} for bad sample weights.
   */
  fit(X: MatrixLike, options: KMeansFitOptions = {}): KMeansModel {
    checkOptionNames(options, ['sampleWeight'], 'KMeans.fit');
    const { data, weights, scaler, exponent } = this.plan(X, options);
    const rows = new LocalRows(data, weights);
    try {
      const steps = kmeansRuns(data, this.settings(scaler), new Random(this.seed));
      return new KMeansModel(data.cols, unscaled(driveSync(steps, rows), exponent), scaler);
    } finally {
      rows.release();
    }
  }

  /**
   * Clusters like {@link KMeans.fit}, with the assignment steps on a pool of
   * worker threads (Node's worker_threads, Web Workers in browsers), started
   * once for every run; the calling thread seeds (k-means++) and moves the
   * centers between assignments. Each worker owns a fixed range of rows and the
   * partial sums are merged in a fixed order: the clustering is bit-identical
   * for any number of threads, and equal to `fit`'s.
   *
   * @param X - Data, n × d (n ≥ nClusters).
   * @param options - `sampleWeight`, `threads` (default: the machine's cores), an abort `signal`.
   * @returns A promise of the fitted {@link KMeansModel}; rejected with the signal's reason if aborted.
   * @throws As {@link KMeans.fit}, as a rejection of the promise.
   * @example
   * ```ts
   * const model = await new KMeans({ nClusters: 4 }).fitAsync(X, { threads: 2 });
   * ```
   */
  async fitAsync(X: MatrixLike, options: KMeansFitAsyncOptions = {}): Promise<KMeansModel> {
    checkOptionNames(options, ['sampleWeight', 'threads', 'signal'], 'KMeans.fitAsync');
    const threads = threadCount(options.threads);
    const { data, weights, scaler, exponent } = this.plan(X, options);
    const { signal } = options;
    signal?.throwIfAborted();
    const rows = new PooledRows(data, weights, { threads, signal });
    try {
      const steps = kmeansRuns(data, this.settings(scaler), new Random(this.seed));
      return new KMeansModel(data.cols, unscaled(await driveAsync(steps, rows, signal), exponent), scaler);
    } finally {
      rows.release();
    }
  }

  /** The validated settings, for the fit's steps; given centers in the units the data is clustered in. */
  private settings(scaler: Scaler | undefined): KMeansSettings {
    const init = scaler && isMatrix(this.init) ? standardizeRows(scaler, this.init) : this.init;
    return { k: this.nClusters, init, nInit: this.nInit, maxIter: this.maxIter, tol: this.tol };
  }

  /** Validates a fit's data and weights; standardizes the data if asked. */
  private plan(
    X: MatrixLike,
    options: KMeansFitOptions,
  ): { data: Matrix; weights: Float64Array | null; scaler: Scaler | undefined; exponent: number } {
    const data = asMatrix(X);
    if (data.rows < this.nClusters) {
      throw new InvalidDataError(
        'X',
        `X has ${data.rows} row${data.rows === 1 ? '' : 's'} but nClusters is ${this.nClusters}; need at least as many rows as clusters`,
      );
    }
    if (isMatrix(this.init) && this.init.cols !== data.cols)
      throw new DimensionMismatchError('X', this.init.cols, data.cols, 'init');
    // Rescaled by a power of two (exact; only ratios matter to the clustering), the inertia scaled back.
    const { weights, exponent } = fitWeights(sampleWeightValue(options.sampleWeight, data.rows, this.nClusters, false));
    if (!this.standardize) return { data, weights, scaler: undefined, exponent };
    const scaler = fitScaler(data, weights);
    return { data: standardizeRows(scaler, data), weights, scaler, exponent };
  }
}
