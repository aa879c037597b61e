/**
 * A pool of workers holding one data set. The data goes to every worker once
 * (one shared buffer where the environment has `SharedArrayBuffer`, else a
 * copy per worker); the main thread then posts requests to the first
 * `count` workers and gets their replies back in worker order, i.e. in row
 * order (each worker is bound to a contiguous, chunk-aligned range of rows;
 * see `chunkRanges`). Callers merge per-chunk results in global chunk order —
 * the same additions in the same order as on one thread, so results are
 * bit-identical for any thread count. `PooledRows` builds on it. A worker
 * can also run a whole job on the data (`ask` with a `JobMessage`).
 *
 * Every pool of the program draws its workers from one budget
 * (`setWorkerLimits`' maxWorkers): a pool starts with as many as are free,
 * up to what it asked for, or waits its turn when none are; closing it gives
 * them back. A watchdog fails a request no worker answers within
 * replyTimeoutMs, and stops the pool's workers.
 *
 * @module
 */
import { GmmError, NumericalError } from '../errors.js';
import type { Matrix } from '../matrix/matrix.js';
import type { FromWorker, ToWorker, WorkerLike } from './protocol.js';
import { workerFactory, workerLimits } from './workers.js';

/** Fewest rows a worker is given: the smallest chunk (see `chunkRows`). */
export const MIN_ROWS_PER_WORKER = 512;

/** Workers alive in every pool of the program. */
let workersInUse = 0;
/** Pools waiting for workers, first come first served. */
const waitingForWorkers: { wanted: number; grant: (count: number) => void }[] = [];

/**
 * Up to `wanted` workers from the program's budget: as many as are free, at
 * least one, once the pools that asked earlier have theirs.
 */
function acquireWorkers(wanted: number, signal: AbortSignal | undefined): Promise<number> {
  const free = workerLimits().maxWorkers - workersInUse;
  if (waitingForWorkers.length === 0 && free > 0) {
    const count = Math.min(wanted, free);
    workersInUse += count;
    return Promise.resolve(count);
  }
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason ?? new DOMException('The fit was aborted', 'AbortError'));
      return;
    }
    const onAbort = (): void => {
      waitingForWorkers.splice(waitingForWorkers.indexOf(entry), 1);
      reject(signal!.reason ?? new DOMException('The fit was aborted', 'AbortError'));
    };
    const entry = {
      wanted,
      grant: (count: number) => {
        signal?.removeEventListener('abort', onAbort);
        resolve(count);
      },
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    waitingForWorkers.push(entry);
  });
}

/** Gives `count` workers back to the budget, and hands free ones to the pools waiting. */
function releaseWorkers(count: number): void {
  workersInUse -= count;
  const { maxWorkers } = workerLimits();
  while (waitingForWorkers.length > 0 && workersInUse < maxWorkers) {
    const next = waitingForWorkers.shift()!;
    const granted = Math.min(next.wanted, maxWorkers - workersInUse);
    workersInUse += granted;
    next.grant(granted);
  }
}

/** Workers alive in every pool of the program, and pools waiting for some (for tests and diagnostics). */
export function workerBudget(): { inUse: number; waiting: number } {
  return { inUse: workersInUse, waiting: waitingForWorkers.length };
}

/** A running pool of workers holding one data set. */
export class WorkerPool {
  private failure: unknown;
  private readonly waiting = new Map<WorkerLike, { resolve: (m: FromWorker) => void; reject: (e: unknown) => void }>();
  private detach = (): void => {};
  private closed = false;
  private nextId = 0;

  private constructor(
    private readonly workers: WorkerLike[],
    signal: AbortSignal | undefined,
  ) {
    for (const worker of workers) {
      worker.onMessage((message) => this.settle(worker, message));
      worker.onError((error) => this.fail(error));
      worker.onExit?.((code) => {
        if (!this.closed) this.fail(new Error(`a worker thread exited unexpectedly (exit code ${code}); the fit cannot go on`));
      });
    }
    if (signal) {
      const onAbort = (): void => this.fail(signal.reason ?? new DOMException('The fit was aborted', 'AbortError'));
      signal.addEventListener('abort', onAbort, { once: true });
      this.detach = () => signal.removeEventListener('abort', onAbort);
    }
  }

  /** Workers in the pool. */
  get size(): number {
    return this.workers.length;
  }

  /**
   * Starts up to `threads` workers (no more than the data has rows for, at
   * 512 rows each, and no more than the program's budget has free: it waits
   * for one if none is) and sends each the data.
   *
   * @param X - The data.
   * @param weights - Row weights or null.
   * @param threads - Workers wanted.
   * @param signal - Aborts every pending and later request.
   * @param rowsPerWorker - Fewest rows a worker is started for (default {@link MIN_ROWS_PER_WORKER}: workers that
   *   share out the rows); 1 for workers that each run whole jobs on all of them.
   * @returns The pool, once every worker holds the data.
   */
  static async start(
    X: Matrix,
    weights: Float64Array | null,
    threads: number,
    signal: AbortSignal | undefined,
    rowsPerWorker = MIN_ROWS_PER_WORKER,
  ): Promise<WorkerPool> {
    const pool = await WorkerPool.open(Math.max(1, Math.min(threads, Math.ceil(X.rows / rowsPerWorker))), signal);
    const count = pool.size;
    try {
      const shared = canShare() ? { X: toShared(X.data), weights: weights && toShared(weights) } : undefined;
      await pool.broadcast(count, () => {
        if (shared) return [{ type: 'data', rows: X.rows, d: X.cols, X: shared.X, weights: shared.weights }];
        const copy = { X: X.data.slice(), weights: weights ? weights.slice() : null };
        const transfer = copy.weights ? [copy.X.buffer, copy.weights.buffer] : [copy.X.buffer];
        return [{ type: 'data', rows: X.rows, d: X.cols, ...copy }, transfer];
      });
    } catch (e) {
      pool.close();
      throw e;
    }
    return pool;
  }

  /**
   * Starts up to `wanted` workers (as many as the program's budget has free,
   * at least one: it waits for one if none is), without data.
   *
   * @param wanted - Workers wanted.
   * @param signal - Aborts every pending and later request.
   * @returns The pool.
   */
  static async open(wanted: number, signal: AbortSignal | undefined): Promise<WorkerPool> {
    const create = workerFactory();
    const count = await acquireWorkers(wanted, signal);
    try {
      return new WorkerPool(
        Array.from({ length: count }, () => create()),
        signal,
      );
    } catch (e) {
      releaseWorkers(count);
      throw e;
    }
  }

  /**
   * Posts one message to worker w and waits for its reply (a worker answers
   * one request at a time: the caller waits for it before the next to w).
   *
   * @param w - The worker.
   * @param message - The message.
   * @param transfer - Buffers to transfer.
   * @returns The reply.
   */
  async ask(w: number, message: ToWorker, transfer?: Transferable[]): Promise<FromWorker> {
    const worker = this.workers[w]!;
    const reply = this.request(worker);
    if (this.failure === undefined) worker.postMessage(message, transfer);
    const m = await reply;
    if (m.type === 'error') throw rebuildError(m.name, m.message);
    return m;
  }

  /** A new request id. */
  id(): number {
    return this.nextId++;
  }

  /**
   * Posts one message to each of the first `count` workers and waits for
   * every reply, in worker (row) order; a worker's error is rethrown here as
   * the same class.
   *
   * @param count - Workers addressed (≤ size).
   * @param message - The message (and buffers to transfer) for worker w.
   * @returns The replies.
   */
  async broadcast(count: number, message: (w: number) => [ToWorker, Transferable[]?]): Promise<FromWorker[]> {
    const replies = this.workers.slice(0, count).map((worker, w) => {
      const reply = this.request(worker);
      if (this.failure === undefined) {
        const [m, transfer] = message(w);
        worker.postMessage(m, transfer);
      }
      return reply;
    });
    const { replyTimeoutMs } = workerLimits();
    let watchdog: ReturnType<typeof setTimeout> | undefined;
    if (Number.isFinite(replyTimeoutMs)) {
      watchdog = setTimeout(() => {
        this.fail(
          new GmmError(
            `a worker thread did not reply within ${replyTimeoutMs} ms (setWorkerLimits' replyTimeoutMs): its workers are stopped and the fit cannot go on`,
          ),
        );
        this.close();
      }, replyTimeoutMs);
    }
    let messages: FromWorker[];
    try {
      messages = await Promise.all(replies);
    } finally {
      clearTimeout(watchdog);
    }
    for (const m of messages) if (m.type === 'error') throw rebuildError(m.name, m.message);
    return messages;
  }

  /**
   * Posts a message to each of the first `count` workers, expecting no reply.
   *
   * @param count - Workers addressed.
   * @param message - The message for worker w.
   */
  tell(count: number, message: (w: number) => ToWorker): void {
    this.workers.slice(0, count).forEach((worker, w) => worker.postMessage(message(w)));
  }

  /** Stops the workers, and gives them back to the program's budget. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.detach();
    for (const worker of this.workers) {
      worker.postMessage({ type: 'close' });
      worker.terminate();
    }
    this.fail(new Error('the worker pool is closed'));
    releaseWorkers(this.workers.length);
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

/**
 * The ranges of rows of the workers bound to data cut in chunks of
 * `rowsPerChunk`: as many workers as there are chunks, at most `size`, each
 * given a contiguous run of whole chunks.
 *
 * @param n - Rows.
 * @param rowsPerChunk - Chunk size.
 * @param size - Workers in the pool.
 * @returns Rows [first, last) of each worker used.
 */
export function chunkRanges(n: number, rowsPerChunk: number, size: number): [number, number][] {
  const chunks = Math.ceil(n / rowsPerChunk);
  const count = Math.max(1, Math.min(size, chunks));
  return Array.from({ length: count }, (_, w): [number, number] => [
    Math.floor((w * chunks) / count) * rowsPerChunk,
    Math.min(Math.floor(((w + 1) * chunks) / count) * rowsPerChunk, n),
  ]);
}

/** Whether workers can share memory here (browsers need cross-origin isolation for it). */
function canShare(): boolean {
  const isolated = (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated;
  return typeof SharedArrayBuffer === 'function' && isolated !== false;
}

function toShared(values: Float64Array): Float64Array {
  const shared = new Float64Array(new SharedArrayBuffer(values.byteLength));
  shared.set(values);
  return shared;
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
