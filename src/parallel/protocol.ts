/**
 * Messages between the main thread and the workers of a `PooledRows`: the
 * data once, then bindings (a mixture engine for a covariance type and k, a
 * k-means assignment step for k, each over a chunk-aligned range of rows) and
 * the requests answered by them: EM's E-steps and k-means' assignments; or
 * whole jobs run on the data (a model-selection grid's cells).
 *
 * @module
 */
import type { CovarianceType, MixtureParameters } from '../mixture/parameters.js';

/** The whole data set, once per pool (shared memory where the environment allows, else a copy). */
export interface DataMessage {
  readonly type: 'data';
  readonly rows: number;
  readonly d: number;
  /** rows × d, row-major. */
  readonly X: Float64Array;
  readonly weights: Float64Array | null;
}

/** Bind rows [first, last) (chunk-aligned) to a mixture E-step engine, replacing the previous one. */
export interface MixtureBindMessage {
  readonly type: 'mixture';
  readonly covarianceType: CovarianceType;
  readonly k: number;
  readonly backend: 'wasm' | 'typescript';
  /** First row (a multiple of rowsPerChunk) and end row of the range. */
  readonly first: number;
  readonly last: number;
  /** Rows per chunk, from the whole data's size. */
  readonly rowsPerChunk: number;
  /** Index in the whole data of the data's first row (a stream's block), for error messages; default 0. */
  readonly rowOffset?: number;
  /** `dtype: 'float32'`: the f32 kernels where the type has them (see `createEngine`); default false. */
  readonly single?: boolean;
}

/** Bind rows [first, last) (chunk-aligned) to a k-means assignment step, replacing the previous one. */
export interface KMeansBindMessage {
  readonly type: 'kmeans';
  readonly k: number;
  readonly backend: 'wasm' | 'typescript';
  readonly first: number;
  readonly last: number;
  /** Rows per chunk, from the whole data's size. */
  readonly rowsPerChunk: number;
  /** The whole data's column means (the sums' center). */
  readonly mean: Float64Array;
}

/** Compute the statistics of every chunk of the mixture range under these parameters. */
export interface EStepMessage {
  readonly type: 'estep';
  readonly id: number;
  readonly weights: Float64Array;
  /** In place of log(weights), if given (see `MixtureParameters.logWeights`). */
  readonly logWeights: Float64Array | undefined;
  /** The noise component's weight and log-density, if any (see `MixtureParameters.noise`). */
  readonly noise: { readonly weight: number; readonly logDensity: number } | undefined;
  readonly means: Float64Array;
  readonly covariances: Float64Array;
  readonly precisionsCholesky: Float64Array;
  readonly centers: Float64Array;
}

/** Each row of the mixture range's likely best component (orders the work; never changes a result). */
export interface HintMessage {
  readonly type: 'hint';
  readonly labels: Int32Array;
}

/** Label the k-means range's rows with their nearest centers (`fresh`: a new run); the partial sums of each chunk. */
export interface AssignMessage {
  readonly type: 'assign';
  readonly id: number;
  readonly centers: Float64Array;
  readonly fresh: boolean;
}

/** The k-means range's labels from the last assignment. */
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

/**
 * Run a whole job on the worker's data (see `registerWorkerJob`): e.g. one
 * cell of a model-selection grid, fitted start to end on the worker.
 */
export interface JobMessage {
  readonly type: 'job';
  readonly id: number;
  /** The job's registered name. */
  readonly job: string;
  /** Its input (structured-cloneable). */
  readonly input: unknown;
}

/** To the worker. */
export type ToWorker =
  | JobMessage
  | DataMessage
  | MixtureBindMessage
  | KMeansBindMessage
  | EStepMessage
  | HintMessage
  | AssignMessage
  | LabelsMessage
  | DistancesMessage
  | { readonly type: 'close' };

/** From the worker. */
export type FromWorker =
  /** The data or a binding is in place. */
  | { readonly type: 'ready' }
  /** Statistics of the range's chunks, one after the other, each of `statisticsLength` values. */
  | { readonly type: 'stats'; readonly id: number; readonly flat: Float64Array }
  /** Per chunk Σ w·(x − mean) (chunks × k × d) and Σ w (chunks × k); how many of the range's labels changed. */
  | {
      readonly type: 'assigned';
      readonly id: number;
      readonly chunkSums: Float64Array;
      readonly chunkCounts: Float64Array;
      readonly changed: number;
    }
  | { readonly type: 'labels'; readonly id: number; readonly labels: Int32Array }
  | { readonly type: 'distances'; readonly id: number; readonly distances: Float64Array }
  /** A job's output. */
  | { readonly type: 'job'; readonly id: number; readonly output: unknown }
  /** A request failed (id -1: a binding). */
  | { readonly type: 'error'; readonly id: number; readonly name: string; readonly message: string };

/** What the pool needs of a worker, in Node (worker_threads) and in browsers (Web Workers) alike. */
export interface WorkerLike {
  /** Sends a request to the worker, handing over the buffers in `transfer`. */
  postMessage(message: ToWorker, transfer?: Transferable[]): void;
  /** Registers the handler of messages from the worker. */
  onMessage(handler: (message: FromWorker) => void): void;
  /** Registers the handler of a crash of the worker. */
  onError(handler: (error: Error) => void): void;
  /**
   * Registers the handler of the worker's end (Node's `exit` event), if the
   * environment reports it: a worker that ends while the pool waits on it
   * fails the pool instead of leaving the fit waiting forever.
   */
  onExit?(handler: (code: number) => void): void;
  /** Stops the worker. */
  terminate(): void;
}

/** Creates a worker running the pool's handler (see `handleWorkerMessage`). */
export type WorkerFactory = () => WorkerLike;

/**
 * The E-step request for a mixture's parameters (what a worker needs of them).
 *
 * @param id - The request's id.
 * @param parameters - The mixture.
 * @param centers - Centers of the statistics.
 * @returns The message.
 */
export function estepMessage(id: number, parameters: MixtureParameters, centers: Float64Array): EStepMessage {
  return {
    type: 'estep',
    id,
    weights: parameters.weights,
    logWeights: parameters.logWeights,
    noise: parameters.noise && { weight: parameters.noise.weight, logDensity: parameters.noise.logDensity },
    means: parameters.means,
    covariances: parameters.covariances,
    precisionsCholesky: parameters.precisionsCholesky,
    centers,
  };
}
