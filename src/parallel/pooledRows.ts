/**
 * Rows answered by a worker pool: the answers of `fitAsync`,
 * `KMeans.fitAsync` and `selectModelAsync`. One pool per data set, started
 * at the first request and kept for the whole job (every restart, the
 * k-means initialization, every cell of a selection grid); the data goes to
 * the workers once. Each request binds the workers to the engine it needs
 * (a covariance type and k, or k-means' k), over the same chunk-aligned
 * ranges of rows for the same problem, and the per-chunk results are merged
 * in chunk order: the answers are the bits `LocalRows` gives.
 *
 * Data of one chunk (at most 512 rows) has nothing to share out: a worker
 * would only add its messaging, which costs more than the work (a model
 * selection on iris took twice as long). Such rows are answered on the
 * calling thread, by `LocalRows`, with a pause for the event loop at least
 * every 10 ms, so timers, I/O and abort signals still run.
 *
 * @module
 */
import { columnMeans, mergeAssignChunks, type AssignPartials } from '../engines/assign.js';
import { mixtureChunkRows } from '../engines/mixtureEngine.js';
import { LocalRows } from '../fit/localRows.js';
import { farthestRows, weightedSum } from '../fit/lloyd.js';
import type { Assignment, FarRows, Rows, Seeding } from '../fit/rows.js';
import { activeBackend } from '../kernels/loader.js';
import { chunkRows } from '../matrix/chunks.js';
import type { Matrix } from '../matrix/matrix.js';
import type { CovarianceStrategy } from '../mixture/covariance/index.js';
import type { MixtureParameters } from '../mixture/parameters.js';
import {
  createStatistics,
  mergeStatistics,
  statisticsLength,
  statisticsView,
  type SufficientStatistics,
} from '../mixture/statistics.js';
import type { Random } from '../random/random.js';
import { chunkRanges, expectReply, MIN_ROWS_PER_WORKER, WorkerPool } from './pool.js';
import { estepMessage } from './protocol.js';

/** Runs `f` as a new task of the event loop: `setImmediate` where there is one (Node), else a 0 ms timer. */
const nextTask: (f: () => void) => void =
  typeof (globalThis as { setImmediate?: unknown }).setImmediate === 'function'
    ? (f) => (globalThis as unknown as { setImmediate: (f: () => void) => void }).setImmediate(f)
    : (f) => setTimeout(f, 0);

/** Longest stretch of work on the calling thread between two pauses for the event loop, in ms. */
const SLICE_MS = 10;

/** Options of {@link PooledRows}. */
export interface PooledRowsOptions {
  /** Workers wanted (fewer for small data: at least 512 rows each). */
  readonly threads: number;
  /** Aborts every pending and later request. */
  readonly signal?: AbortSignal | undefined;
  /**
   * Answer everything on the calling thread, pausing for the event loop, as for data of one chunk: for a job
   * whose requests are too small for workers to pay for their messages (default false).
   */
  readonly onThisThread?: boolean | undefined;
  /** `dtype: 'float32'`: X holds f32 values; the mixture engines run f32 kernels where they have them (default false). */
  readonly single?: boolean | undefined;
}

/** Rows [first, last) of each worker of a binding. */
type Ranges = readonly (readonly [number, number])[];

/** The rows of X answered by a pool of workers. */
export class PooledRows implements Rows {
  private started: Promise<WorkerPool> | undefined;
  private mixture: { type: string; k: number; ranges: Ranges } | undefined;
  private kmeans: { k: number; ranges: Ranges; mean: Float64Array; sums: Float64Array; counts: Float64Array } | undefined;
  private readonly backend = activeBackend();
  /**
   * The rows on the calling thread: k-means++ seeding always, everything for
   * data of one chunk (`small`); and when the event loop last ran.
   */
  private readonly here: LocalRows;
  private readonly small: boolean;
  private paused = 0;

  /**
   * @param X - Data, n × d.
   * @param weights - Row weights, or null for all ones.
   * @param options - Threads and an abort signal.
   */
  constructor(
    readonly X: Matrix,
    readonly weights: Float64Array | null,
    private readonly options: PooledRowsOptions,
  ) {
    this.here = new LocalRows(X, weights, options.single === true);
    this.small = X.rows <= MIN_ROWS_PER_WORKER || options.onThisThread === true;
  }

  async expectation(
    strategy: CovarianceStrategy,
    parameters: MixtureParameters,
    centers: Float64Array,
  ): Promise<SufficientStatistics> {
    if (this.small) return (await this.pause()).expectation(strategy, parameters, centers);
    const k = parameters.nComponents;
    const { pool, ranges } = await this.bindMixture(strategy, k);
    const id = pool.id();
    const messages = await pool.broadcast(ranges.length, () => [estepMessage(id, parameters, centers)]);
    const d = this.X.cols;
    const secondLength = strategy.secondMomentLength(k, d);
    const length = statisticsLength(k, d, secondLength);
    const total = createStatistics(strategy.type, k, d, centers, secondLength);
    for (const message of messages) {
      const { flat } = expectReply(message, 'stats');
      for (let offset = 0; offset < flat.length; offset += length) {
        mergeStatistics(total, statisticsView(flat, offset, strategy.type, k, d, centers, secondLength));
      }
    }
    return total;
  }

  async hint(strategy: CovarianceStrategy, k: number, labels: Int32Array): Promise<void> {
    if (this.small) return (await this.pause()).hint(strategy, k, labels);
    const { pool, ranges } = await this.bindMixture(strategy, k);
    pool.tell(ranges.length, (w) => ({ type: 'hint', labels: labels.slice(ranges[w]![0], ranges[w]![1]) }));
  }

  /** k-means++ seeds, on the calling thread (each draw depends on the last): `LocalRows`' own. */
  seed(k: number, rng: Random): Seeding {
    return this.here.seed(k, rng);
  }

  async assign(k: number, centers: Float64Array, fresh: boolean): Promise<Assignment> {
    if (this.small) return (await this.pause()).assign(k, centers, fresh);
    const { pool, binding } = await this.bindKMeans(k);
    const id = pool.id();
    const messages = await pool.broadcast(binding.ranges.length, () => [{ type: 'assign', id, centers, fresh }]);
    const parts: AssignPartials[] = messages.map((message) => expectReply(message, 'assigned'));
    mergeAssignChunks(parts, binding.mean, k, binding.sums, binding.counts);
    return { sums: binding.sums, counts: binding.counts, changed: parts.reduce((total, p) => total + p.changed, 0) };
  }

  async labels(k: number): Promise<Int32Array> {
    if (this.small) return this.here.labels(k);
    const { pool, binding } = await this.bindKMeans(k);
    const id = pool.id();
    const messages = await pool.broadcast(binding.ranges.length, () => [{ type: 'labels', id }]);
    const out = new Int32Array(this.X.rows);
    messages.forEach((message, w) => out.set(expectReply(message, 'labels').labels, binding.ranges[w]![0]));
    return out;
  }

  async farthest(k: number, centers: Float64Array, count: number): Promise<FarRows> {
    if (this.small) return this.here.farthest(k, centers, count);
    const [labels, distances] = [await this.labels(k), await this.distances(k, centers)];
    return farthestRows(this.X, this.weights, labels, distances, count);
  }

  async inertia(k: number, centers: Float64Array): Promise<number> {
    if (this.small) return this.here.inertia(k, centers);
    return weightedSum(this.weights, await this.distances(k, centers));
  }

  /** Each row's squared distance to `centers[label]`, from the workers. */
  private async distances(k: number, centers: Float64Array): Promise<Float64Array> {
    if (this.small) return this.here.distances(k, centers);
    const { pool, binding } = await this.bindKMeans(k);
    const id = pool.id();
    const messages = await pool.broadcast(binding.ranges.length, () => [{ type: 'distances', id, centers }]);
    const out = new Float64Array(this.X.rows);
    messages.forEach((message, w) => out.set(expectReply(message, 'distances').distances, binding.ranges[w]![0]));
    return out;
  }

  release(): void {
    this.here.release();
    this.started?.then(
      (pool) => pool.close(),
      () => {},
    );
    this.started = undefined;
  }

  /** The local rows, after letting the event loop run if the calling thread has worked for a slice. */
  private async pause(): Promise<LocalRows> {
    if (performance.now() - this.paused >= SLICE_MS) {
      await new Promise<void>((resolve) => nextTask(resolve));
      this.paused = performance.now();
    }
    return this.here;
  }

  /** The pool, started at the first request. */
  private pool(): Promise<WorkerPool> {
    this.started ??= WorkerPool.start(this.X, this.weights, this.options.threads, this.options.signal);
    return this.started;
  }

  /** The pool with its workers bound to the mixture engine of (strategy, k). */
  private async bindMixture(strategy: CovarianceStrategy, k: number): Promise<{ pool: WorkerPool; ranges: Ranges }> {
    const pool = await this.pool();
    if (this.mixture?.type !== strategy.type || this.mixture.k !== k) {
      this.mixture = undefined;
      const { rows: n, cols: d } = this.X;
      const rowsPerChunk = mixtureChunkRows(strategy, n, k, d);
      const ranges = chunkRanges(n, rowsPerChunk, pool.size);
      const { backend } = this;
      await pool.broadcast(ranges.length, (w) => [
        {
          type: 'mixture',
          covarianceType: strategy.type,
          k,
          backend,
          first: ranges[w]![0],
          last: ranges[w]![1],
          rowsPerChunk,
          single: this.options.single === true,
        },
      ]);
      this.mixture = { type: strategy.type, k, ranges };
    }
    return { pool, ranges: this.mixture.ranges };
  }

  /** The pool with its workers bound to k-means' assignment step for k. */
  private async bindKMeans(k: number): Promise<{ pool: WorkerPool; binding: NonNullable<PooledRows['kmeans']> }> {
    const pool = await this.pool();
    if (this.kmeans?.k !== k) {
      this.kmeans = undefined;
      const { rows: n, cols: d } = this.X;
      const rowsPerChunk = chunkRows(n);
      const ranges = chunkRanges(n, rowsPerChunk, pool.size);
      const { backend } = this;
      const mean = columnMeans(this.X);
      await pool.broadcast(ranges.length, (w) => [
        { type: 'kmeans', k, backend, first: ranges[w]![0], last: ranges[w]![1], rowsPerChunk, mean },
      ]);
      this.kmeans = { k, ranges, mean, sums: new Float64Array(k * d), counts: new Float64Array(k) };
    }
    return { pool, binding: this.kmeans };
  }
}
