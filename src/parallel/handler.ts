/**
 * The E-step worker's logic, independent of the environment: Node's
 * worker_threads and browsers' Web Workers wrap it in a few lines each.
 *
 * @module
 */
import { GmmError } from '../errors.js';
import { matrix } from '../matrix/matrix.js';
import { covarianceStrategy, type CovarianceStrategy } from '../mixture/covariance/index.js';
import { createEngine, type EStepEngine } from '../mixture/engine/engine.js';
import { statisticsLength, writeStatistics } from '../mixture/statistics.js';
import type { FromWorker, ToWorker } from './protocol.js';

let engine: EStepEngine | undefined;
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
        const error = e instanceof Error ? e : new GmmError(String(e));
        post({ type: 'error', id: message.id, name: error.name, message: error.message });
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
      return;
    }
  }
}
