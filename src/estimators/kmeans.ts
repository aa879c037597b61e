import { DimensionMismatchError, InvalidDataError, InvalidParameterError, NumericalError } from '../errors.js';
import { asMatrix, isMatrix, type Matrix, type MatrixLike } from '../matrix/matrix.js';
import { Random } from '../random/random.js';
import { checkOptionNames, integerAtLeast, nonNegativeNumber, oneOf, sampleWeightValue, seedValue } from '../validate.js';
import { chunkRows } from '../matrix/chunks.js';
import { KMeansPool } from '../parallel/kmeansPool.js';
import { defaultThreadCount } from '../parallel/workers.js';
import { activeBackend } from '../kernels/loader.js';
import { columnMeans, createAssignStep, type AssignStep } from '../engines/assign.js';
import { kmeansPlusPlus } from '../engines/kmeansPlusPlus.js';
import { lloyd, lloydRun, type LloydResult } from '../fit/lloyd.js';
import { KMeansModel } from './kmeansModel.js';

/** How k-means chooses its initial centers. */
export type KMeansInit = 'k-means++' | 'random';

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

const OPTION_NAMES = ['nClusters', 'init', 'nInit', 'maxIter', 'tol', 'seed'] as const;

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
    const { data, weights } = this.plan(X, options);
    const rng = new Random(this.seed);
    const result = runKMeans(data, weights, this.nClusters, this.init, this.nInit, this.maxIter, this.tol, rng);
    return new KMeansModel(data.cols, result);
  }

  /**
   * Clusters like {@link KMeans.fit}, with the assignment steps on a pool of
   * worker threads (Node's worker_threads, Web Workers in browsers), so the
   * calling thread stays free. Each worker owns a fixed range of rows and the
   * partial sums are merged in a fixed order: the clustering is bit-identical
   * for any number of threads, and equal to `fit`'s. (k-means++ seeding runs
   * on the calling thread.)
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
    const threads = options.threads === undefined ? defaultThreadCount() : integerAtLeast('threads', options.threads);
    const { data, weights } = this.plan(X, options);
    options.signal?.throwIfAborted();
    const rng = new Random(this.seed);
    const result = await runKMeansAsync(
      data,
      weights,
      this.nClusters,
      this.init,
      this.nInit,
      this.maxIter,
      this.tol,
      rng,
      threads,
      options.signal,
    );
    return new KMeansModel(data.cols, result);
  }

  /** Validates a fit's data and weights. */
  private plan(X: MatrixLike, options: KMeansFitOptions): { data: Matrix; weights: Float64Array | null } {
    const data = asMatrix(X);
    if (data.rows < this.nClusters) {
      throw new InvalidDataError(
        'X',
        `X has ${data.rows} row${data.rows === 1 ? '' : 's'} but nClusters is ${this.nClusters}; need at least as many rows as clusters`,
      );
    }
    if (isMatrix(this.init) && this.init.cols !== data.cols)
      throw new DimensionMismatchError('X', this.init.cols, data.cols, 'init');
    return { data, weights: sampleWeightValue(options.sampleWeight, data.rows, this.nClusters) };
  }
}

/**
 * `nInit` runs of Lloyd from `init`, on this thread; the run with the lowest
 * inertia.
 *
 * @param X - Data, n × d.
 * @param weights - Row weights or null.
 * @param k - Clusters.
 * @param init - Initialization method or initial centers.
 * @param nInit - Runs.
 * @param maxIter - Iterations per run.
 * @param tol - Relative tolerance.
 * @param rng - Random source (k-means++, random rows).
 * @returns The best run.
 * @throws {@link NumericalError} if distances overflow.
 */
export function runKMeans(
  X: Matrix,
  weights: Float64Array | null,
  k: number,
  init: KMeansInit | Matrix,
  nInit: number,
  maxIter: number,
  tol: number,
  rng: Random,
): LloydResult {
  const tolAbs = meanVariance(X) * tol;
  const step = createAssignStep(X, weights, k);
  try {
    let best: LloydResult | null = null;
    for (let run = 0; run < nInit; run++) {
      const result = lloyd(
        X,
        weights,
        step,
        initialCenters(X, weights, k, init, rng, () => step),
        k,
        maxIter,
        tolAbs,
      );
      best = better(best, result);
    }
    return best!;
  } finally {
    step.release();
  }
}

/**
 * {@link runKMeans} with the assignments on a worker pool; the same result,
 * bit for bit, for any number of threads.
 *
 * @param X - Data, n × d.
 * @param weights - Row weights or null.
 * @param k - Clusters.
 * @param init - Initialization method or initial centers.
 * @param nInit - Runs.
 * @param maxIter - Iterations per run.
 * @param tol - Relative tolerance.
 * @param rng - Random source.
 * @param threads - Workers.
 * @param signal - Aborts the fit.
 * @returns The best run.
 */
export async function runKMeansAsync(
  X: Matrix,
  weights: Float64Array | null,
  k: number,
  init: KMeansInit | Matrix,
  nInit: number,
  maxIter: number,
  tol: number,
  rng: Random,
  threads: number,
  signal: AbortSignal | undefined,
): Promise<LloydResult> {
  const tolAbs = meanVariance(X) * tol;
  const layout = { mean: columnMeans(X), rowsPerChunk: chunkRows(X.rows) };
  // k-means++ seeds on this thread, with the same layout as the workers (and as runKMeans).
  let seeding: AssignStep | undefined;
  let pool: KMeansPool | undefined;
  try {
    let best: LloydResult | null = null;
    for (let run = 0; run < nInit; run++) {
      signal?.throwIfAborted();
      const centers = initialCenters(X, weights, k, init, rng, () => (seeding ??= createAssignStep(X, weights, k, layout)));
      pool ??= await KMeansPool.start({ X, weights, mean: layout.mean, k, threads, backend: activeBackend(), signal });
      const workers = pool;
      const steps = lloydRun(X, weights, centers, k, maxIter, tolAbs);
      let next = steps.next();
      while (!next.done) {
        const request = next.value;
        next = steps.next(
          request.kind === 'assign'
            ? await workers.assign(request.centers, request.fresh)
            : request.kind === 'labels'
              ? { labels: await workers.labels() }
              : { distances: await workers.distances(request.centers) },
        );
      }
      best = better(best, next.value);
    }
    return best!;
  } finally {
    seeding?.release();
    pool?.close();
  }
}

/** The initial centers of a run. */
function initialCenters(
  X: Matrix,
  weights: Float64Array | null,
  k: number,
  init: KMeansInit | Matrix,
  rng: Random,
  step: () => AssignStep,
): Float64Array {
  if (isMatrix(init)) return init.data;
  if (init === 'k-means++') return kmeansPlusPlus(X, k, rng, weights, step()).centers;
  return rowsAt(X, rng.sampleWithoutReplacement(X.rows, k));
}

/** The run with the lower inertia (the earlier on ties), after checking the new one is finite. */
function better(best: LloydResult | null, result: LloydResult): LloydResult {
  if (!Number.isFinite(result.inertia) || !result.centers.every(Number.isFinite)) {
    throw new NumericalError(
      'k-means: squared distances overflowed (data of extreme scale); scale the data, e.g. divide it by its standard deviation',
    );
  }
  return best === null || result.inertia < best.inertia ? result : best;
}

function rowsAt(X: Matrix, indices: Int32Array): Float64Array {
  const d = X.cols;
  const out = new Float64Array(indices.length * d);
  for (let c = 0; c < indices.length; c++) out.set(X.data.subarray(indices[c] * d, (indices[c] + 1) * d), c * d);
  return out;
}

/** Mean over columns of each column's population variance (scikit-learn's `_tolerance`). */
function meanVariance(X: Matrix): number {
  const { rows: n, cols: d, data } = X;
  let total = 0;
  for (let j = 0; j < d; j++) {
    let mean = 0;
    for (let i = 0; i < n; i++) mean += data[i * d + j];
    mean /= n;
    let v = 0;
    for (let i = 0; i < n; i++) {
      const t = data[i * d + j] - mean;
      v += t * t;
    }
    total += v / n;
  }
  return total / d;
}
