/**
 * The worker's logic (EM's E-steps, k-means' assignments), independent of the environment: Node's
 * worker_threads and browsers' Web Workers wrap it in a few lines each.
 *
 * @module
 */
import { GmmError } from '../errors.js';
import { matrix } from '../matrix/matrix.js';
import { covarianceStrategy, type CovarianceStrategy } from '../mixture/covariance/index.js';
import { createAssignStep, type AssignStep } from '../engines/assign.js';
import { createEngine, type EStepEngine } from '../engines/mixtureEngine.js';
import { statisticsLength, writeStatistics } from '../mixture/statistics.js';
import type { FromWorker, ToWorker } from './protocol.js';

let engine: EStepEngine | undefined;
let assignStep: AssignStep | undefined;
let strategy: CovarianceStrategy | undefined;
let shape = { k: 0, d: 0 };

/**
 * Handles one message from the main thread.
 *
 * @param message - The message.
 * @param post - Sends a reply (with buffers to transfer).
 */
export function handleWorkerMessage(message: ToWorker, post: (reply: FromWorker, transfer?: Transferable[]) => void): void {
  switch (message.type) {
    case 'init': {
      engine?.release();
      strategy = covarianceStrategy(message.covarianceType);
      shape = { k: message.k, d: message.d };
      const X = matrix(message.rows, message.d, message.X);
      engine = createEngine(strategy, X, message.weights, message.k, message.rowOffset, message.backend, message.rowsPerChunk);
      post({ type: 'ready' });
      return;
    }
    case 'estep': {
      const { k, d } = shape;
      try {
        const length = statisticsLength(k, d, strategy!.secondMomentLength(k, d));
        const flat = new Float64Array(engine!.chunks * length);
        engine!.setParameters(
          {
            covarianceType: strategy!.type,
            nComponents: k,
            nFeatures: d,
            weights: message.weights,
            means: message.means,
            covariances: message.covariances,
            precisionsCholesky: message.precisionsCholesky,
          },
          message.centers,
        );
        for (let c = 0; c < engine!.chunks; c++) writeStatistics(engine!.chunk(c), flat, c * length);
        post({ type: 'stats', id: message.id, flat }, [flat.buffer]);
      } catch (e) {
        postError(message.id, e, post);
      }
      return;
    }
    case 'kmeans-init': {
      assignStep?.release();
      const X = matrix(message.rows, message.d, message.X);
      assignStep = createAssignStep(
        X,
        message.weights,
        message.k,
        { mean: message.mean, rowsPerChunk: message.rowsPerChunk },
        message.backend,
      );
      post({ type: 'ready' });
      return;
    }
    case 'assign': {
      try {
        const { chunkSums, chunkCounts, changed } = assignStep!.assignPartials(message.centers, message.fresh);
        // Copies: the step's buffers live in the kernels' memory and are reused.
        const reply = {
          type: 'assigned' as const,
          id: message.id,
          chunkSums: chunkSums.slice(),
          chunkCounts: chunkCounts.slice(),
          changed,
        };
        post(reply, [reply.chunkSums.buffer, reply.chunkCounts.buffer]);
      } catch (e) {
        postError(message.id, e, post);
      }
      return;
    }
    case 'labels': {
      const labels = assignStep!.labels.slice();
      post({ type: 'labels', id: message.id, labels }, [labels.buffer]);
      return;
    }
    case 'distances': {
      try {
        assignStep!.computeDistances(message.centers);
        const distances = assignStep!.distances.slice();
        post({ type: 'distances', id: message.id, distances }, [distances.buffer]);
      } catch (e) {
        postError(message.id, e, post);
      }
      return;
    }
    case 'hint': {
      engine?.hint(message.labels);
      return;
    }
    case 'close': {
      engine?.release();
      engine = undefined;
      assignStep?.release();
      assignStep = undefined;
      return;
    }
  }
}

/** Sends an error back as its class name and message. */
function postError(id: number, e: unknown, post: (reply: FromWorker) => void): void {
  const error = e instanceof Error ? e : new GmmError(String(e));
  post({ type: 'error', id, name: error.name, message: error.message });
}
