/**
 * Messages between the main thread and the E-step workers.
 *
 * @module
 */
import type { CovarianceType } from '../mixture/parameters.js';

/** Bind a slice of the rows (chunk-aligned) to the worker's engine. */
export interface InitMessage {
  readonly type: 'init';
  readonly covarianceType: CovarianceType;
  readonly k: number;
  readonly d: number;
  readonly backend: 'wasm' | 'typescript';
  /** Index of the slice's first row in the whole data (a multiple of rowsPerChunk). */
  readonly rowOffset: number;
  /** Rows per chunk, from the whole data's size. */
  readonly rowsPerChunk: number;
  /** The slice, rows × d. */
  readonly rows: number;
  readonly X: Float64Array;
  readonly weights: Float64Array | null;
}

/** Compute the statistics of every chunk of the slice under these parameters. */
export interface EStepMessage {
  readonly type: 'estep';
  readonly id: number;
  readonly weights: Float64Array;
  readonly means: Float64Array;
  readonly covariances: Float64Array;
  readonly precisionsCholesky: Float64Array;
  readonly centers: Float64Array;
}

/** Each row of the slice's likely best component (orders the work; never changes a result). */
export interface HintMessage {
  readonly type: 'hint';
  readonly labels: Int32Array;
}

/** To the worker. */
export type ToWorker = InitMessage | EStepMessage | HintMessage | { readonly type: 'close' };

/** From the worker. */
export type FromWorker =
  | { readonly type: 'ready' }
  /** Statistics of the slice's chunks, one after the other, each of `statisticsLength` values. */
  | { readonly type: 'stats'; readonly id: number; readonly flat: Float64Array }
  | { readonly type: 'error'; readonly id: number; readonly name: string; readonly message: string };

/** What the pool needs of a worker, in Node (worker_threads) and in browsers (Web Workers) alike. */
export interface WorkerLike {
  postMessage(message: ToWorker, transfer?: Transferable[]): void;
  /** Registers the handler of messages from the worker. */
  onMessage(handler: (message: FromWorker) => void): void;
  /** Registers the handler of a crash of the worker. */
  onError(handler: (error: Error) => void): void;
  terminate(): void;
}

/** Creates a worker running the E-step handler (see `handleWorkerMessage`). */
export type WorkerFactory = () => WorkerLike;
