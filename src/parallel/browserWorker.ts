/**
 * Entry point of a pool's Web Worker (browsers): E-steps and k-means assignments. Started by the default
 * worker factory with `new Worker(new URL('./browserWorker.js', import.meta.url), { type: 'module' })`,
 * which bundlers such as Vite recognize.
 *
 * @module
 */
import { handleWorkerMessage } from './handler.js';
import type { ToWorker } from './protocol.js';

const scope = globalThis as unknown as {
  onmessage: ((event: MessageEvent<ToWorker>) => void) | null;
  postMessage(message: unknown, transfer?: Transferable[]): void;
};
scope.onmessage = (event) => handleWorkerMessage(event.data, (reply, transfer) => scope.postMessage(reply, transfer ?? []));
