/**
 * Where workers come from: Web Workers by default (browsers); Node's entry
 * point (`gmm` resolves to it under Node) installs a worker_threads factory.
 *
 * @module
 */
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
 * @param worker - A Web Worker running `browserWorker.js`.
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
    return () => wrapWebWorker(new Worker(new URL('./browserWorker.js', import.meta.url), { type: 'module' }));
  }
  throw new Error('no worker threads here: in Node import "gmm" (its Node entry point), elsewhere call setWorkerFactory');
}

/** Default number of workers: the machine's cores. */
export function defaultThreadCount(): number {
  if (defaultThreads !== undefined) return defaultThreads;
  const cores = typeof navigator === 'object' ? navigator.hardwareConcurrency : undefined;
  return Math.max(1, cores ?? 1);
}
