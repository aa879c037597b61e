/**
 * Where workers come from: Web Workers by default (browsers); Node's entry
 * point (`gmm` resolves to it under Node) installs a worker_threads factory.
 *
 * @module
 */
import { InvalidParameterError } from '../errors.js';
import { checkOptionNames, integerAtLeast } from '../validate.js';
import type { FromWorker, ToWorker, WorkerFactory, WorkerLike } from './protocol.js';

let factory: WorkerFactory | undefined;
let defaultThreads: number | undefined;

/**
 * Replaces how pool workers are created (e.g. to serve the worker script
 * from another URL). Node's entry point calls this with a worker_threads
 * factory.
 *
 * @param create - Returns a new worker running the pool's handler (`handleWorkerMessage`).
 * @param threads - Default number of workers (the machine's cores).
 * @example
 * ```ts
 * setWorkerFactory(() => wrapWebWorker(new Worker('/assets/gmm-worker.js', { type: 'module' })));
 * ```
 */
export function setWorkerFactory(create: WorkerFactory, threads?: number): void {
  factory = create;
  if (threads !== undefined) defaultThreads = threads;
}

/**
 * Adapts a Web Worker to the pool's interface.
 *
 * @param worker - A Web Worker running `browserWorker.js` (the package's `dist/browserWorker.js`).
 * @returns The adapted worker.
 * @example
 * ```ts
 * const w = wrapWebWorker(new Worker(url, { type: 'module' }));
 * ```
 */
export function wrapWebWorker(worker: Worker): WorkerLike {
  return {
    postMessage: (message: ToWorker, transfer?: Transferable[]) => worker.postMessage(message, transfer ?? []),
    onMessage: (handler: (message: FromWorker) => void) =>
      worker.addEventListener('message', (e: MessageEvent<FromWorker>) => handler(e.data)),
    onError: (handler: (error: Error) => void) =>
      worker.addEventListener('error', (e: ErrorEvent) => handler(new Error(e.message))),
    terminate: () => worker.terminate(),
  };
}

/** The factory in use: the installed one, or Web Workers where the environment has them. */
export function workerFactory(): WorkerFactory {
  if (factory) return factory;
  if (typeof Worker === 'function') {
    return () => wrapWebWorker(new Worker(new URL('../browserWorker.js', import.meta.url), { type: 'module' }));
  }
  throw new Error('no worker threads here: in Node import "gmm" (its Node entry point), elsewhere call setWorkerFactory');
}

/** Whether worker threads can be started here (Node's entry point, a Web Worker, or a factory set). */
export function workersAvailable(): boolean {
  try {
    workerFactory();
    return true;
  } catch {
    return false;
  }
}

/** Default number of workers: the machine's cores. */
export function defaultThreadCount(): number {
  if (defaultThreads !== undefined) return defaultThreads;
  const cores = typeof navigator === 'object' ? navigator.hardwareConcurrency : undefined;
  return Math.max(1, cores ?? 1);
}

/**
 * The `threads` option of an asynchronous fit, checked.
 *
 * @param threads - As given (undefined: {@link defaultThreadCount}).
 * @returns The number of workers.
 * @throws {@link InvalidParameterError} unless an integer ≥ 1.
 */
export function threadCount(threads: unknown): number {
  return threads === undefined ? defaultThreadCount() : integerAtLeast('threads', threads);
}

/** Limits on the worker pools of every job of this program (see {@link setWorkerLimits}). */
export interface WorkerLimits {
  /**
   * Most worker threads alive at once, over every pool of every job: a job
   * that finds them all busy waits for some (first come, first served), and a
   * job gets fewer workers than it asked for when only fewer are free (its
   * results are the same bits on any number). Default: twice the machine's
   * cores, at least 4.
   */
  readonly maxWorkers?: number;
  /**
   * The watchdog: milliseconds a pool waits for a worker's reply to one
   * request (one pass over that worker's rows) before it gives up, stops its
   * workers and rejects the fit with an error saying so. `Infinity` waits
   * forever. Default: 600,000 (10 minutes).
   */
  readonly replyTimeoutMs?: number;
}

let maxWorkers: number | undefined;
let replyTimeoutMs = 600_000;

/**
 * Bounds the worker threads of `fitAsync`, `KMeans.fitAsync` and
 * `selectModelAsync`: how many may be alive at once over all jobs (200
 * concurrent fits share them, instead of starting 400 threads), and how long
 * a worker may take to reply before the job fails (a worker that hangs).
 * Options left out keep their value.
 *
 * @param limits - The limits.
 * @throws {@link InvalidParameterError} for a maxWorkers that is not a positive
 *   integer, or a replyTimeoutMs that is not a positive number.
 * @example
 * ```ts
 * setWorkerLimits({ maxWorkers: 8, replyTimeoutMs: 60_000 });
 * ```
 */
export function setWorkerLimits(limits: WorkerLimits): void {
  checkOptionNames(limits, ['maxWorkers', 'replyTimeoutMs'], 'setWorkerLimits');
  if (limits.maxWorkers !== undefined) maxWorkers = integerAtLeast('maxWorkers', limits.maxWorkers);
  if (limits.replyTimeoutMs !== undefined) {
    const ms = limits.replyTimeoutMs;
    if (typeof ms !== 'number' || !(ms > 0))
      throw new InvalidParameterError('replyTimeoutMs', ms, 'a positive number of milliseconds (or Infinity)');
    replyTimeoutMs = ms;
  }
}

/** The limits in force (defaults filled in). */
export function workerLimits(): Required<WorkerLimits> {
  return { maxWorkers: maxWorkers ?? Math.max(4, 2 * defaultThreadCount()), replyTimeoutMs };
}
