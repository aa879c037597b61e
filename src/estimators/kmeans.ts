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
import { isDataSource, type DataSource } from '../data/source.js';
import { StreamKMeansRows } from '../fit/streamKMeansRows.js';
import type { PassProgress } from '../fit/streamRows.js';
import { survey } from '../fit/survey.js';
import { sourceScaler, standardizedSource } from '../fit/sourceScaler.js';

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

/** Options of `KMeans.fitAsync(source)`: an abort signal, the seeding's sample, progress per block of rows. */
export interface KMeansSourceOptions {
  /** Aborts the fit between blocks of rows (the pass under way closes the source's iterator). */
  signal?: AbortSignal;
  /** Rows of the seeded sample k-means++ (or `'random'`) draws the initial centers from (default 100,000). */
  sampleSize?: number;
  /** Called after every block of rows of every pass. */
  onProgress?: (progress: PassProgress) => void;
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
  fitAsync(X: MatrixLike, options?: KMeansFitAsyncOptions): Promise<KMeansModel>;
  /**
   * Clusters the rows of a {@link DataSource}, data that need not fit in
   * memory: a first pass validates the rows and draws a seeded sample of
   * `sampleSize` rows, the initial centers are drawn from the sample
   * (k-means++ on it, or random rows of it), and every Lloyd iteration is one
   * pass over the source, cut into the chunks an in-memory fit uses and
   * merged in the same order. For a source of at most `sampleSize` rows the
   * clustering is the in-memory `fit`'s: the same labels and iterations, the
   * same centers and inertia bit for bit on the TypeScript kernels and to
   * rounding (1e-10) on the WebAssembly ones, whose in-memory assignment
   * moves rows between the last one's sums instead of summing anew. One
   * label per row is kept (the model's `labels`, 4 bytes a row); the data is
   * not.
   *
   * @param source - The rows.
   * @param options - Abort signal, sample size, progress.
   * @returns A promise of the fitted model.
   * @throws {@link InvalidParameterError} for a bad `sampleSize`.
   * @throws {@link InvalidDataError} naming the row and column of a bad value, or for fewer rows than clusters.
   * @example
   * ```ts
   * const model = await new KMeans({ nClusters: 8 }).fitAsync(await fileSource('big.csv'));
   * ```
   */
  fitAsync(source: DataSource, options?: KMeansSourceOptions): Promise<KMeansModel>;
  async fitAsync(X: MatrixLike | DataSource, options: KMeansFitAsyncOptions | KMeansSourceOptions = {}): Promise<KMeansModel> {
    if (isDataSource(X)) return this.fitSource(X, options as KMeansSourceOptions);
    return this.fitPooled(X, options as KMeansFitAsyncOptions);
  }

  /** k-means over a source (see {@link KMeans.fitAsync}). */
  private async fitSource(source: DataSource, options: KMeansSourceOptions): Promise<KMeansModel> {
    checkOptionNames(options, ['signal', 'sampleSize', 'onProgress'], 'KMeans.fitAsync(source)');
    const sampleSize = integerAtLeast('sampleSize', options.sampleSize ?? 100_000, 2);
    const { signal } = options;
    signal?.throwIfAborted();
    if (isMatrix(this.init) && this.init.cols !== source.cols)
      throw new DimensionMismatchError('source', this.init.cols, source.cols, 'init');
    // Standardized columns: two more passes for the scaler, then the rows standardized as they are read.
    const scaler = this.standardize ? await sourceScaler(source, signal) : undefined;
    const units = scaler ? standardizedSource(source, scaler) : source;
    const summary = await survey(units, { sampleSize, seed: this.seed, signal });
    if (summary.positive < this.nClusters) {
      throw new InvalidDataError(
        'source',
        `the source has ${summary.positive} rows of positive weight but nClusters is ${this.nClusters}`,
      );
    }
    const rows = new StreamKMeansRows(units, summary, { signal, onProgress: options.onProgress });
    try {
      const scale = summary.plainVariance.reduce((s, v) => s + v, 0) / summary.cols;
      const steps = kmeansRuns(summary.sample.X, this.settings(scaler), new Random(this.seed), scale);
      return new KMeansModel(summary.cols, unscaled(await driveAsync(steps, rows, signal), summary.exponent), scaler);
    } finally {
      rows.release();
    }
  }

  /** k-means on a worker pool (see {@link KMeans.fitAsync}). */
  private async fitPooled(X: MatrixLike, options: KMeansFitAsyncOptions): Promise<KMeansModel> {
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
