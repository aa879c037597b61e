/**
 * The E-step worker pool of `fitAsync`: per E-step the main thread posts the
 * parameters, each worker returns the statistics of each of its chunks, and
 * the main thread merges them in global chunk order — the same additions in
 * the same order as a synchronous fit, so the model is bit-identical for any
 * thread count.
 *
 * @module
 */
import type { Matrix } from '../matrix/matrix.js';
import type { CovarianceStrategy } from '../mixture/covariance/index.js';
import { mixtureChunkRows } from '../engines/mixtureEngine.js';
import type { MixtureParameters } from '../mixture/parameters.js';
import {
  createStatistics,
  mergeStatistics,
  statisticsLength,
  statisticsView,
  type SufficientStatistics,
} from '../mixture/statistics.js';
import { expectReply, WorkerPool } from './pool.js';

/** E-step workers bound to one data set. */
export class MixturePool {
  private constructor(
    private readonly pool: WorkerPool,
    private readonly strategy: CovarianceStrategy,
    private readonly k: number,
    private readonly d: number,
  ) {}

  /**
   * Starts workers and gives each its chunk-aligned slice of the rows.
   *
   * @param options - Strategy, data, weights, components, threads, kernels, abort signal.
   * @returns The ready pool.
   */
  static async start(options: {
    strategy: CovarianceStrategy;
    X: Matrix;
    weights: Float64Array | null;
    k: number;
    threads: number;
    backend: 'wasm' | 'typescript';
    signal?: AbortSignal | undefined;
  }): Promise<MixturePool> {
    const { strategy, X, weights, k, backend, signal } = options;
    const rowsPerChunk = mixtureChunkRows(strategy, X.rows, k, X.cols);
    const pool = await WorkerPool.start(X, weights, options.threads, signal, rowsPerChunk, (slice) => ({
      type: 'init',
      covarianceType: strategy.type,
      k,
      d: X.cols,
      backend,
      rowOffset: slice.first,
      rowsPerChunk,
      rows: slice.last - slice.first,
      X: slice.X,
      weights: slice.weights,
    }));
    return new MixturePool(pool, strategy, k, X.cols);
  }

  /**
   * One E-step on all workers: the statistics of every row, merged in chunk order.
   *
   * @param parameters - Current parameters.
   * @param centers - Centers of the statistics.
   * @returns The statistics.
   */
  async expectation(parameters: MixtureParameters, centers: Float64Array): Promise<SufficientStatistics> {
    const id = this.pool.id();
    const messages = await this.pool.broadcast(() => [
      {
        type: 'estep',
        id,
        weights: parameters.weights,
        means: parameters.means,
        covariances: parameters.covariances,
        precisionsCholesky: parameters.precisionsCholesky,
        centers,
      },
    ]);
    const { strategy, k, d } = this;
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

  /**
   * Passes each row's likely best component to the worker owning it (no reply).
   *
   * @param labels - One component index per row of the whole data.
   */
  hint(labels: Int32Array): void {
    this.pool.tell((w) => {
      const [first, last] = this.pool.ranges[w]!;
      return { type: 'hint', labels: labels.slice(first, last) };
    });
  }

  /** Stops the workers. */
  close(): void {
    this.pool.close();
  }
}
