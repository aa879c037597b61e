/**
 * A pool of workers bound to one data set: each worker owns a fixed,
 * contiguous, chunk-aligned range of rows (chunks of the size the caller gives). The
 * main thread posts a request to every worker and gets the replies back in
 * worker order, i.e. in row order; callers merge per-chunk results in global
 * chunk order — the same additions in the same order as on one thread, so
 * results are bit-identical for any thread count. `MixturePool` (EM's
 * E-steps) and `KMeansPool` (Lloyd's assignments) build on it.
 *
 * @module
 */
import { GmmError, NumericalError } from '../errors.js';
import type { Matrix } from '../matrix/matrix.js';
import type { FromWorker, ToWorker, WorkerLike } from './protocol.js';
import { workerFactory } from './workers.js';

/** A worker's slice of the data. */
export interface Slice {
  /** Rows [first, last) of the whole data. */
  readonly first: number;
  readonly last: number;
  /** Its rows (a copy, transferable) and weights. */
  readonly X: Float64Array;
  readonly weights: Float64Array | null;
}

/** A running pool of workers, each owning a range of rows. */
export class WorkerPool {
  private failure: unknown;
  private readonly waiting = new Map<WorkerLike, { resolve: (m: FromWorker) => void; reject: (e: unknown) => void }>();
  private detach = (): void => {};
  private nextId = 0;

  private constructor(
    private readonly workers: WorkerLike[],
    /** Rows [first, last) of each worker. */
    readonly ranges: readonly (readonly [number, number])[],
    /** Rows per chunk of the whole data. */
    readonly rowsPerChunk: number,
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

  /**
   * Starts `threads` workers (no more than there are chunks) and sends each
   * its slice with the init message `init` makes of it.
   *
   * @param X - The whole data.
   * @param weights - Row weights or null.
   * @param threads - Workers wanted.
   * @param signal - Aborts every pending and later request.
   * @param rowsPerChunk - Chunk size (the same as the single-thread path's).
   * @param init - The init message for a worker's slice.
   * @returns The pool, once every worker is ready.
   */
  static async start(
    X: Matrix,
    weights: Float64Array | null,
    threads: number,
    signal: AbortSignal | undefined,
    rowsPerChunk: number,
    init: (slice: Slice, rowsPerChunk: number) => ToWorker,
  ): Promise<WorkerPool> {
    const chunks = Math.ceil(X.rows / rowsPerChunk);
    const count = Math.max(1, Math.min(threads, chunks));
    const create = workerFactory();
    const workers = Array.from({ length: count }, () => create());
    const ranges = workers.map((_, w): [number, number] => [
      Math.floor((w * chunks) / count) * rowsPerChunk,
      Math.min(Math.floor(((w + 1) * chunks) / count) * rowsPerChunk, X.rows),
    ]);
    const pool = new WorkerPool(workers, ranges, rowsPerChunk, signal);
    try {
      await pool.broadcast((w) => {
        const [first, last] = ranges[w]!;
        const slice = {
          first,
          last,
          X: X.data.slice(first * X.cols, last * X.cols),
          weights: weights ? weights.slice(first, last) : null,
        };
        const transfer: Transferable[] = slice.weights ? [slice.X.buffer, slice.weights.buffer] : [slice.X.buffer];
        return [init(slice, rowsPerChunk), transfer];
      });
    } catch (e) {
      pool.close();
      throw e;
    }
    return pool;
  }

  /** A new request id. */
  id(): number {
    return this.nextId++;
  }

  /**
   * Posts one message to every worker and waits for every reply, in worker
   * (row) order; a worker's error is rethrown here as the same class.
   *
   * @param message - The message (and buffers to transfer) for worker w.
   * @returns The replies.
   */
  async broadcast(message: (w: number) => [ToWorker, Transferable[]?]): Promise<FromWorker[]> {
    const replies = this.workers.map((worker, w) => {
      const reply = this.request(worker);
      const [m, transfer] = message(w);
      worker.postMessage(m, transfer);
      return reply;
    });
    const messages = await Promise.all(replies);
    for (const m of messages) if (m.type === 'error') throw rebuildError(m.name, m.message);
    return messages;
  }

  /**
   * Posts a message to every worker, expecting no reply.
   *
   * @param message - The message for worker w.
   */
  tell(message: (w: number) => ToWorker): void {
    this.workers.forEach((worker, w) => worker.postMessage(message(w)));
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

/** A worker's error as the same class on this thread (NumericalError, or any other as GmmError). */
function rebuildError(name: string, message: string): Error {
  const error = name === 'NumericalError' ? new NumericalError(message) : new GmmError(message);
  error.name = name;
  return error;
}

/**
 * The reply of the expected type, or a clear error.
 *
 * @param message - A worker's reply.
 * @param type - The type expected.
 * @returns The reply, typed.
 */
export function expectReply<T extends FromWorker['type']>(message: FromWorker, type: T): Extract<FromWorker, { type: T }> {
  if (message.type !== type) throw new Error(`unexpected message from a worker: ${message.type} (expected ${type})`);
  return message as Extract<FromWorker, { type: T }>;
}
