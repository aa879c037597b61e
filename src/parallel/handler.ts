/**
 * The worker's logic, independent of the environment (Node's worker_threads
 * and browsers' Web Workers wrap it in a few lines each): it keeps the data
 * it was sent once, a mixture E-step engine and a k-means assignment step,
 * each bound to the range of rows the main thread gives it, and answers the
 * requests made of them.
 *
 * @module
 */
import { GmmError } from '../errors.js';
import { matrix, type Matrix } from '../matrix/matrix.js';
import { covarianceStrategy, type CovarianceStrategy } from '../mixture/covariance/index.js';
import { createAssignStep, type AssignStep } from '../engines/assign.js';
import { createEngine, type EStepEngine } from '../engines/mixtureEngine.js';
import { statisticsLength, writeStatistics } from '../mixture/statistics.js';
import type { FromWorker, ToWorker } from './protocol.js';

type Post = (reply: FromWorker, transfer?: Transferable[]) => void;

let data: { X: Matrix; weights: Float64Array | null } | undefined;
let mixture: { engine: EStepEngine; strategy: CovarianceStrategy; k: number } | undefined;
let assignStep: AssignStep | undefined;

/** A job a worker runs whole on its data (see {@link registerWorkerJob}). */
export type WorkerJob = (
  data: { readonly X: Matrix; readonly weights: Float64Array | null },
  input: unknown,
) => { output: unknown; transfer?: Transferable[] };

const jobs = new Map<string, WorkerJob>();

/**
 * Makes a job runnable on this thread's worker, by name: a worker entry
 * point registers the jobs of the layers above this one (the model-selection
 * grid's cells), which the pool's handler cannot import.
 *
 * @param name - The job's name (`JobMessage.job`).
 * @param job - Runs it on the worker's data; its errors go back as requests' errors do.
 */
export function registerWorkerJob(name: string, job: WorkerJob): void {
  jobs.set(name, job);
}

/**
 * Handles one message from the main thread.
 *
 * @param message - The message.
 * @param post - Sends a reply (with buffers to transfer).
 */
export function handleWorkerMessage(message: ToWorker, post: Post): void {
  switch (message.type) {
    case 'data': {
      release();
      data = { X: matrix(message.rows, message.d, message.X), weights: message.weights };
      post({ type: 'ready' });
      return;
    }
    case 'mixture': {
      attempt(-1, post, () => {
        mixture?.engine.release();
        mixture = undefined;
        const strategy = covarianceStrategy(message.covarianceType);
        const { X, weights } = range(message.first, message.last);
        const engine = createEngine(
          strategy,
          X,
          weights,
          message.k,
          (message.rowOffset ?? 0) + message.first,
          message.backend,
          message.rowsPerChunk,
          false,
          message.single === true,
        );
        mixture = { engine, strategy, k: message.k };
        post({ type: 'ready' });
      });
      return;
    }
    case 'kmeans': {
      attempt(-1, post, () => {
        assignStep?.release();
        assignStep = undefined;
        const { X, weights } = range(message.first, message.last);
        const layout = { mean: message.mean, rowsPerChunk: message.rowsPerChunk };
        assignStep = createAssignStep(X, weights, message.k, layout, message.backend);
        post({ type: 'ready' });
      });
      return;
    }
    case 'estep': {
      attempt(message.id, post, () => {
        const { engine, strategy, k } = bound(mixture, 'mixture');
        const d = data!.X.cols;
        const length = statisticsLength(k, d, strategy.secondMomentLength(k, d));
        const flat = new Float64Array(engine.chunks * length);
        engine.setParameters(
          {
            covarianceType: strategy.type,
            nComponents: k,
            nFeatures: d,
            weights: message.weights,
            ...(message.logWeights ? { logWeights: message.logWeights } : {}),
            ...(message.noise ? { noise: message.noise } : {}),
            means: message.means,
            covariances: message.covariances,
            precisionsCholesky: message.precisionsCholesky,
          },
          message.centers,
        );
        for (let c = 0; c < engine.chunks; c++) writeStatistics(engine.chunk(c), flat, c * length);
        post({ type: 'stats', id: message.id, flat }, [flat.buffer]);
      });
      return;
    }
    case 'hint': {
      mixture?.engine.hint(message.labels);
      return;
    }
    case 'assign': {
      attempt(message.id, post, () => {
        const step = bound(assignStep, 'k-means');
        const { chunkSums, chunkCounts, changed } = step.assignPartials(message.centers, message.fresh);
        // Copies: the step's buffers live in the kernels' memory and are reused.
        const reply = {
          type: 'assigned' as const,
          id: message.id,
          chunkSums: chunkSums.slice(),
          chunkCounts: chunkCounts.slice(),
          changed,
        };
        post(reply, [reply.chunkSums.buffer, reply.chunkCounts.buffer]);
      });
      return;
    }
    case 'labels': {
      attempt(message.id, post, () => {
        const labels = bound(assignStep, 'k-means').labels.slice();
        post({ type: 'labels', id: message.id, labels }, [labels.buffer]);
      });
      return;
    }
    case 'distances': {
      attempt(message.id, post, () => {
        const step = bound(assignStep, 'k-means');
        step.computeDistances(message.centers);
        const distances = step.distances.slice();
        post({ type: 'distances', id: message.id, distances }, [distances.buffer]);
      });
      return;
    }
    case 'job': {
      attempt(message.id, post, () => {
        const job = jobs.get(message.job);
        if (!job) throw new GmmError(`this worker cannot run the job '${message.job}' (its entry point does not register it)`);
        if (!data) throw new GmmError('the worker has no data yet');
        const { output, transfer } = job(data, message.input);
        post({ type: 'job', id: message.id, output }, transfer);
      });
      return;
    }
    case 'close': {
      release();
      data = undefined;
      return;
    }
  }
}

/** Rows [first, last) of the data, as views. */
function range(first: number, last: number): { X: Matrix; weights: Float64Array | null } {
  if (!data) throw new GmmError('the worker has no data yet');
  const { X, weights } = data;
  const d = X.cols;
  return { X: matrix(last - first, d, X.data.subarray(first * d, last * d)), weights: weights?.subarray(first, last) ?? null };
}

function bound<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new GmmError(`the worker has no ${what} binding`);
  return value;
}

function release(): void {
  mixture?.engine.release();
  mixture = undefined;
  assignStep?.release();
  assignStep = undefined;
}

/** Runs `work`, sending any error back as its class name and message. */
function attempt(id: number, post: Post, work: () => void): void {
  try {
    work();
  } catch (e) {
    const error = e instanceof Error ? e : new GmmError(String(e));
    post({ type: 'error', id, name: error.name, message: error.message });
  }
}
