/**
 * Entry point of an E-step worker thread (Node's worker_threads).
 *
 * @module
 */
import { parentPort } from 'node:worker_threads';
import { handleWorkerMessage } from '../parallel/handler.js';
import type { ToWorker } from '../parallel/protocol.js';

parentPort!.on('message', (message: ToWorker) =>
  handleWorkerMessage(message, (reply, transfer) => parentPort!.postMessage(reply, transfer as never)),
);
