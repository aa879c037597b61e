/**
 * Messages between the main thread and the workers: EM's E-steps and
 * k-means' assignments.
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

/** Bind a slice of the rows (chunk-aligned) to a k-means assignment step. */
export interface KMeansInitMessage {
  readonly type: 'kmeans-init';
  readonly k: number;
  readonly d: number;
  readonly backend: 'wasm' | 'typescript';
  /** Rows per chunk, from the whole data's size. */
  readonly rowsPerChunk: number;
  /** The slice, rows × d. */
  readonly rows: number;
  readonly X: Float64Array;
  readonly weights: Float64Array | null;
  /** The whole data's column means (the sums' center). */
  readonly mean: Float64Array;
}

/** Label the slice's rows with their nearest centers (`fresh`: a new run); the partial sums of each chunk. */
export interface AssignMessage {
  readonly type: 'assign';
  readonly id: number;
  readonly centers: Float64Array;
  readonly fresh: boolean;
}

/** The slice's labels from the last assignment. */
export interface LabelsMessage {
  readonly type: 'labels';
  readonly id: number;
}

/** Each row's exact squared distance to its labelled center. */
export interface DistancesMessage {
  readonly type: 'distances';
  readonly id: number;
  readonly centers: Float64Array;
}

/** To the worker. */
export type ToWorker =
  | InitMessage
  | EStepMessage
  | HintMessage
  | KMeansInitMessage
  | AssignMessage
  | LabelsMessage
  | DistancesMessage
  | { readonly type: 'close' };

/** From the worker. */
export type FromWorker =
  | { readonly type: 'ready' }
  /** Statistics of the slice's chunks, one after the other, each of `statisticsLength` values. */
  | { readonly type: 'stats'; readonly id: number; readonly flat: Float64Array }
  /** Per chunk Σ w·(x − mean) (chunks × k × d) and Σ w (chunks × k); how many of the slice's labels changed. */
  | {
      readonly type: 'assigned';
      readonly id: number;
      readonly chunkSums: Float64Array;
      readonly chunkCounts: Float64Array;
      readonly changed: number;
    }
  | { readonly type: 'labels'; readonly id: number; readonly labels: Int32Array }
  | { readonly type: 'distances'; readonly id: number; readonly distances: Float64Array }
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
