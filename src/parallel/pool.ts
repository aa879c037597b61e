/**
 * The E-step worker pool of `fitAsync`. Each worker owns a fixed, contiguous
 * range of chunks; per E-step the main thread posts the parameters, each
 * worker returns the statistics of each of its chunks, and the main thread
 * merges them in global chunk order — the same additions in the same order
 * as a synchronous fit, so the model is bit-identical for any thread count.
 *
 * @module
 */
import { GmmError, NumericalError } from '../errors.js';
import type { Matrix } from '../matrix/matrix.js';
import type { CovarianceStrategy } from '../mixture/covariance/index.js';
import { chunkRows } from '../mixture/estep.js';
import type { MixtureParameters } from '../mixture/parameters.js';
import {
  createStatistics,
  mergeStatistics,
  statisticsLength,
  statisticsView,
  type SufficientStatistics,
} from '../mixture/statistics.js';
import type { FromWorker, WorkerLike } from './protocol.js';
import { workerFactory } from './workers.js';

/** A running pool of E-step workers bound to one data set. */
export class WorkerPool {
  private nextId = 0;
  private failure: unknown;
  private readonly waiting = new Map<WorkerLike, { resolve: (m: FromWorker) => void; reject: (e: unknown) => void }>();

  private constructor(
    private readonly workers: WorkerLike[],
    /** Rows [first, last) of each worker. */
    private readonly ranges: [number, number][],
    private readonly strategy: CovarianceStrategy,
    private readonly k: number,
    private readonly d: number,
    signal: AbortSignal | undefined,
  ) {
    for (const worker of workers) {
      worker.onMessage((message) => this.settle(worker, message));
      worker.onError((error) => this.fail(error));
    }
    if (signal) {
      const onAbort = (): void => this.fail(signal.reason ?? new DOMException('The fit was aborted', 'AbortError'));
      signal.addEventListener('abort', onAbort, { once: true });
      // One signal may serve many fits (a model selection): let go of it when the pool closes.
      this.detach = () => signal.removeEventListener('abort', onAbort);
    }
  }

  private detach = (): void => {};

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
  }): Promise<WorkerPool> {
    const { strategy, X, weights, k, backend, signal } = options;
    const rowsPerChunk = chunkRows(X.rows);
    const chunks = Math.ceil(X.rows / rowsPerChunk);
    const count = Math.max(1, Math.min(options.threads, chunks));
    const create = workerFactory();
    const workers = Array.from({ length: count }, () => create());
    const ranges = workers.map((_, w): [number, number] => [
      Math.floor((w * chunks) / count) * rowsPerChunk,
      Math.min(Math.floor(((w + 1) * chunks) / count) * rowsPerChunk, X.rows),
    ]);
    const pool = new WorkerPool(workers, ranges, strategy, k, X.cols, signal);
    try {
      await Promise.all(
        workers.map((worker, w) => {
          const [first, last] = ranges[w]!;
          const slice = X.data.slice(first * X.cols, last * X.cols);
          const sliceWeights = weights ? weights.slice(first, last) : null;
          const reply = pool.request(worker);
          worker.postMessage(
            {
              type: 'init',
              covarianceType: strategy.type,
              k,
              d: X.cols,
              backend,
              rowOffset: first,
              rowsPerChunk,
              rows: last - first,
              X: slice,
              weights: sliceWeights,
            },
            sliceWeights ? [slice.buffer, sliceWeights.buffer] : [slice.buffer],
          );
          return reply;
        }),
      );
    } catch (e) {
      pool.close();
      throw e;
    }
    return pool;
  }

  /**
   * One E-step on all workers: the statistics of every row, merged in chunk order.
   *
   * @param parameters - Current parameters.
   * @param centers - Centers of the statistics.
   * @returns The statistics.
   */
  async expectation(parameters: MixtureParameters, centers: Float64Array): Promise<SufficientStatistics> {
    const id = this.nextId++;
    const replies = this.workers.map((worker) => {
      const reply = this.request(worker);
      worker.postMessage({
        type: 'estep',
        id,
        weights: parameters.weights,
        means: parameters.means,
        covariances: parameters.covariances,
        precisionsCholesky: parameters.precisionsCholesky,
        centers,
      });
      return reply;
    });
    const messages = await Promise.all(replies);
    const { strategy, k, d } = this;
    const secondLength = strategy.secondMomentLength(k, d);
    const length = statisticsLength(k, d, secondLength);
    const total = createStatistics(strategy.type, k, d, centers, secondLength);
    for (const message of messages) {
      if (message.type === 'error') throw rebuildError(message.name, message.message);
      if (message.type !== 'stats') throw new Error(`unexpected message from an E-step worker: ${message.type}`);
      for (let offset = 0; offset < message.flat.length; offset += length) {
        mergeStatistics(total, statisticsView(message.flat, offset, strategy.type, k, d, centers, secondLength));
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
    this.workers.forEach((worker, w) => {
      const [first, last] = this.ranges[w]!;
      worker.postMessage({ type: 'hint', labels: labels.slice(first, last) });
    });
  }

  /** Stops the workers. */
  close(): void {
    this.detach();
    for (const worker of this.workers) {
      worker.postMessage({ type: 'close' });
      worker.terminate();
    }
    this.fail(new Error('the worker pool is closed'));
  }

  private request(worker: WorkerLike): Promise<FromWorker> {
    if (this.failure !== undefined) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => this.waiting.set(worker, { resolve, reject }));
  }

  private settle(worker: WorkerLike, message: FromWorker): void {
    const waiter = this.waiting.get(worker);
    this.waiting.delete(worker);
    waiter?.resolve(message);
  }

  private fail(error: unknown): void {
    this.failure ??= error;
    for (const waiter of this.waiting.values()) waiter.reject(this.failure);
    this.waiting.clear();
  }
}

/** The worker's error as the same class on this thread (only the E-step runs there: NumericalError, or a crash). */
function rebuildError(name: string, message: string): Error {
  const error = name === 'NumericalError' ? new NumericalError(message) : new GmmError(message);
  error.name = name;
  return error;
}
