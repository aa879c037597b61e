/**
 * Entry point of a pool's worker thread (Node's worker_threads): E-steps and k-means assignments.
 *
 * @module
 */
import { parentPort } from 'node:worker_threads';
import { handleWorkerMessage } from '../parallel/handler.js';
import type { ToWorker } from '../parallel/protocol.js';

parentPort!.on('message', (message: ToWorker) =>
  handleWorkerMessage(message, (reply, transfer) => parentPort!.postMessage(reply, transfer as never)),
);
