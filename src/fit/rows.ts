/**
 * The rows a fit works on, and the one way fits talk to them. Every fit —
 * k-means' restarts, a mixture's initialization and EM runs, a model
 * selection's grid — is written once, as a generator that yields
 * {@link RowsRequest}s (an E-step under these parameters, an assignment to
 * these centers, …) and receives the answers. A driver answers them from a
 * {@link Rows}: {@link driveSync} on this thread (`LocalRows`),
 * {@link driveAsync} from a worker pool (`PooledRows`). Everything else a
 * fit does (M-steps, relocating empty clusters, choosing the best run) runs
 * in the generator, on the calling thread, the same whichever rows answer.
 *
 * @module
 */
import type { CovarianceStrategy } from '../mixture/covariance/index.js';
import type { MixtureParameters } from '../mixture/parameters.js';
import type { SufficientStatistics } from '../mixture/statistics.js';
import type { Random } from '../random/random.js';

/** Σ w·x and Σ w per center, and how many labels changed, from an assignment. */
export interface Assignment {
  /** Σ w·x per center, k × d (valid until the next request). */
  readonly sums: Float64Array;
  /** Σ w per center, k (valid until the next request). */
  readonly counts: Float64Array;
  /** Rows whose label changed (all of them in a run's first assignment). */
  readonly changed: number;
}

/** The rows farthest from their centers (for relocating empty clusters). */
export interface FarRows {
  /** Their values, count × d, farthest first (ties: the earlier row first). */
  readonly rows: Float64Array;
  /** Their weights. */
  readonly weights: Float64Array;
  /** Their labels (the cluster each now counts in). */
  readonly labels: Int32Array;
}

/** k-means++ seeds: the chosen rows and their values. */
export interface Seeding {
  /** k × d, row-major. */
  readonly centers: Float64Array;
  /** The k rows they were taken from. */
  readonly indices: Int32Array;
}

/**
 * What a fit asks of its rows. Mixture requests name the covariance strategy
 * and k, k-means requests k: the rows bind their engines to them (and keep
 * them while the same ones are asked for).
 */
export type RowsRequest =
  /** The statistics of every row under the parameters, about `centers` (`strategy.statisticsCenters`). */
  | {
      readonly kind: 'expectation';
      readonly strategy: CovarianceStrategy;
      readonly parameters: MixtureParameters;
      readonly centers: Float64Array;
    }
  /** Each row's likely component, e.g. its initial k-means label: orders the E-step's work, never changes a result. */
  | { readonly kind: 'hint'; readonly strategy: CovarianceStrategy; readonly k: number; readonly labels: Int32Array }
  /** k-means++ seeding (scikit-learn's greedy `kmeans_plusplus`), drawing from `rng`. */
  | { readonly kind: 'seed'; readonly k: number; readonly rng: Random }
  /** Every row to its nearest center (`fresh`: a run's first assignment, every label changes). */
  | { readonly kind: 'assign'; readonly k: number; readonly centers: Float64Array; readonly fresh: boolean }
  /** The labels of the last assignment. */
  | { readonly kind: 'labels'; readonly k: number }
  /** The `count` rows of positive weight farthest (exact squared distance) from their labelled center in `centers`. */
  | { readonly kind: 'farthest'; readonly k: number; readonly centers: Float64Array; readonly count: number }
  /** Σ w·‖x − centers[label]‖² over the rows, in row order. */
  | { readonly kind: 'inertia'; readonly k: number; readonly centers: Float64Array };

/** The answer to each kind of request. */
export interface RowsReplies {
  expectation: SufficientStatistics;
  hint: void;
  seed: Seeding;
  assign: Assignment;
  labels: Int32Array;
  farthest: FarRows;
  inertia: number;
}

/** Any answer. */
export type RowsReply = RowsReplies[keyof RowsReplies];

/** A fit written once: yields requests, receives their answers, returns `T`. */
export type FitSteps<T> = Generator<RowsRequest, T, RowsReply>;

/** An answer now or later: local rows answer at once, pooled rows with a promise. */
type Answer<T> = T | Promise<T>;

/**
 * The rows of one data set (with their weights), answering fits' requests.
 * Implementations bind engines lazily and keep the last ones, so restarts,
 * initialization and EM share them; {@link Rows.release} frees them.
 */
export interface Rows {
  /** Statistics of every row, merged in chunk order (see `chunkRows`). */
  expectation(strategy: CovarianceStrategy, parameters: MixtureParameters, centers: Float64Array): Answer<SufficientStatistics>;
  /** Passes each row's likely component to the mixture engine of (strategy, k). */
  hint(strategy: CovarianceStrategy, k: number, labels: Int32Array): Answer<void>;
  /** k-means++ seeds, always computed on the calling thread (their draws are sequential). */
  seed(k: number, rng: Random): Answer<Seeding>;
  /** Assigns every row to the nearest of `centers` (k × d). */
  assign(k: number, centers: Float64Array, fresh: boolean): Answer<Assignment>;
  /** The labels of the last assignment (n; valid until the next request). */
  labels(k: number): Answer<Int32Array>;
  /** The `count` rows of positive weight farthest from `centers[label]`, farthest first (ties: earlier row first). */
  farthest(k: number, centers: Float64Array, count: number): Answer<FarRows>;
  /** Σ w·‖x − centers[label]‖², summed in row order. */
  inertia(k: number, centers: Float64Array): Answer<number>;
  /** Frees every engine (and stops any worker). */
  release(): void;
}

/**
 * Asks the rows: `const stats = yield* ask({ kind: 'expectation', … })`.
 *
 * @param request - The request.
 * @returns Its answer, typed by its kind.
 */
export function* ask<R extends RowsRequest>(request: R): Generator<RowsRequest, RowsReplies[R['kind']], RowsReply> {
  return (yield request) as RowsReplies[R['kind']];
}

/**
 * Answers one request from `rows`.
 *
 * @param rows - The rows.
 * @param request - The request.
 * @returns The answer (or its promise).
 */
export function answer(rows: Rows, request: RowsRequest): Answer<RowsReply> {
  switch (request.kind) {
    case 'expectation':
      return rows.expectation(request.strategy, request.parameters, request.centers);
    case 'hint':
      return rows.hint(request.strategy, request.k, request.labels);
    case 'seed':
      return rows.seed(request.k, request.rng);
    case 'assign':
      return rows.assign(request.k, request.centers, request.fresh);
    case 'labels':
      return rows.labels(request.k);
    case 'farthest':
      return rows.farthest(request.k, request.centers, request.count);
    case 'inertia':
      return rows.inertia(request.k, request.centers);
  }
}

/**
 * Runs a fit to its end on rows that answer at once. An answer's error is
 * thrown into the fit (which may catch it, as a model selection does for a
 * cell that cannot be fitted).
 *
 * @param steps - The fit.
 * @param rows - Rows answering synchronously (e.g. `LocalRows`).
 * @returns The fit's result.
 * @throws Whatever the fit does not catch.
 */
export function driveSync<T>(steps: FitSteps<T>, rows: Rows): T {
  let next = steps.next();
  while (!next.done) {
    let reply: RowsReply;
    try {
      const answered = answer(rows, next.value);
      if (answered instanceof Promise) throw new Error('driveSync: these rows answer asynchronously; use driveAsync');
      reply = answered;
    } catch (e) {
      next = steps.throw(e);
      continue;
    }
    next = steps.next(reply);
  }
  return next.value;
}

/**
 * Runs a fit to its end on rows that may answer later (a worker pool),
 * checking `signal` before every request.
 *
 * @param steps - The fit.
 * @param rows - The rows.
 * @param signal - Aborts: rejects with its reason.
 * @returns A promise of the fit's result.
 */
export async function driveAsync<T>(steps: FitSteps<T>, rows: Rows, signal?: AbortSignal): Promise<T> {
  let next = steps.next();
  while (!next.done) {
    signal?.throwIfAborted();
    let reply: RowsReply;
    try {
      reply = await answer(rows, next.value);
    } catch (e) {
      signal?.throwIfAborted();
      next = steps.throw(e);
      continue;
    }
    next = steps.next(reply);
  }
  return next.value;
}

/**
 * Runs a fit to its end on rows that answer at once ({@link driveSync}),
 * then releases the rows, whatever happens.
 *
 * @param rows - The rows (released at the end).
 * @param steps - The fit.
 * @returns The fit's result.
 */
export function runOn<T>(rows: Rows, steps: FitSteps<T>): T {
  try {
    return driveSync(steps, rows);
  } finally {
    rows.release();
  }
}

/**
 * Runs a fit to its end on rows that may answer later ({@link driveAsync}),
 * then releases the rows (stopping their workers), whatever happens.
 *
 * @param rows - The rows (released at the end).
 * @param steps - The fit.
 * @param signal - Aborts it.
 * @returns The fit's result.
 */
export async function runOnAsync<T>(rows: Rows, steps: FitSteps<T>, signal?: AbortSignal): Promise<T> {
  try {
    return await driveAsync(steps, rows, signal);
  } finally {
    rows.release();
  }
}
