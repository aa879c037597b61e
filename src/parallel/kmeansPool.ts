/**
 * The assignment workers of `KMeans.fitAsync`: per Lloyd iteration the main
 * thread posts the centers, each worker labels its rows and returns the
 * partial sums of each of its chunks, and the main thread merges them in
 * global chunk order (`mergeAssignChunks`) — as `KMeans.fit` does on one
 * thread, so the clustering is bit-identical for any thread count.
 *
 * @module
 */
import { mergeAssignChunks, type AssignPartials } from '../engines/assign.js';
import type { Matrix } from '../matrix/matrix.js';
import { chunkRows } from '../matrix/chunks.js';
import { expectReply, WorkerPool } from './pool.js';

/** Assignment workers bound to one data set. */
export class KMeansPool {
  private readonly sums: Float64Array;
  private readonly counts: Float64Array;

  private constructor(
    private readonly pool: WorkerPool,
    private readonly n: number,
    private readonly k: number,
    private readonly mean: Float64Array,
  ) {
    this.sums = new Float64Array(k * mean.length);
    this.counts = new Float64Array(k);
  }

  /**
   * Starts workers and gives each its chunk-aligned slice of the rows.
   *
   * @param options - Data, weights, the data's column means, clusters, threads, kernels, abort signal.
   * @returns The ready pool.
   */
  static async start(options: {
    X: Matrix;
    weights: Float64Array | null;
    mean: Float64Array;
    k: number;
    threads: number;
    backend: 'wasm' | 'typescript';
    signal?: AbortSignal | undefined;
  }): Promise<KMeansPool> {
    const { X, weights, mean, k, backend, signal } = options;
    const rowsPerChunk = chunkRows(X.rows);
    const pool = await WorkerPool.start(X, weights, options.threads, signal, rowsPerChunk, (slice) => ({
      type: 'kmeans-init',
      k,
      d: X.cols,
      backend,
      rowsPerChunk,
      rows: slice.last - slice.first,
      X: slice.X,
      weights: slice.weights,
      mean,
    }));
    return new KMeansPool(pool, X.rows, k, mean);
  }

  /**
   * Labels every row with its nearest center (the labels stay in the
   * workers); Σ w·x and Σ w per center, merged in chunk order.
   *
   * @param centers - k × d.
   * @param fresh - A new run: every label counts as changed.
   * @returns Sums (k × d) and counts (k), valid until the next call, and how many labels changed.
   */
  async assign(centers: Float64Array, fresh: boolean): Promise<{ sums: Float64Array; counts: Float64Array; changed: number }> {
    const id = this.pool.id();
    const messages = await this.pool.broadcast(() => [{ type: 'assign', id, centers, fresh }]);
    const parts: AssignPartials[] = messages.map((message) => expectReply(message, 'assigned'));
    mergeAssignChunks(parts, this.mean, this.k, this.sums, this.counts);
    return { sums: this.sums, counts: this.counts, changed: parts.reduce((total, p) => total + p.changed, 0) };
  }

  /**
   * The labels of the last {@link KMeansPool.assign}.
   *
   * @returns n labels.
   */
  async labels(): Promise<Int32Array> {
    const id = this.pool.id();
    const messages = await this.pool.broadcast(() => [{ type: 'labels', id }]);
    const out = new Int32Array(this.n);
    messages.forEach((message, w) => out.set(expectReply(message, 'labels').labels, this.pool.ranges[w]![0]));
    return out;
  }

  /**
   * Each row's exact squared distance to its center (as labelled by the last {@link KMeansPool.assign}).
   *
   * @param centers - k × d.
   * @returns n distances.
   */
  async distances(centers: Float64Array): Promise<Float64Array> {
    const id = this.pool.id();
    const messages = await this.pool.broadcast(() => [{ type: 'distances', id, centers }]);
    const out = new Float64Array(this.n);
    messages.forEach((message, w) => out.set(expectReply(message, 'distances').distances, this.pool.ranges[w]![0]));
    return out;
  }

  /** Stops the workers. */
  close(): void {
    this.pool.close();
  }
}
