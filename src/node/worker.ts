/**
 * Entry point of a pool's worker thread (Node's worker_threads): E-steps, k-means assignments, and whole cells
 * of a model-selection grid.
 *
 * @module
 */
import { parentPort } from 'node:worker_threads';
import { handleWorkerMessage, registerWorkerJob } from '../parallel/handler.js';
import type { ToWorker } from '../parallel/protocol.js';
import { SELECTION_CELL_JOB, selectionCellJob } from '../selection/selectModelAsync.js';

registerWorkerJob(SELECTION_CELL_JOB, selectionCellJob);
parentPort!.on('message', (message: ToWorker) =>
  handleWorkerMessage(message, (reply, transfer) => parentPort!.postMessage(reply, transfer as never)),
);
