/**
 * Entry point of a pool's Web Worker (browsers): E-steps, k-means assignments, and whole cells of a
 * model-selection grid. Started by the default worker factory with
 * `new Worker(new URL('../browserWorker.js', import.meta.url), { type: 'module' })` (in `parallel/workers.ts`),
 * which bundlers such as Vite recognize. It sits above `selection/`, whose cells it runs, as Node's entry
 * point (`node/worker.ts`) does.
 *
 * @module
 */
import { handleWorkerMessage, registerWorkerJob } from './parallel/handler.js';
import type { ToWorker } from './parallel/protocol.js';
import { SELECTION_CELL_JOB, selectionCellJob } from './selection/selectModelAsync.js';

registerWorkerJob(SELECTION_CELL_JOB, selectionCellJob);
const scope = globalThis as unknown as {
  onmessage: ((event: MessageEvent<ToWorker>) => void) | null;
  postMessage(message: unknown, transfer?: Transferable[]): void;
};
scope.onmessage = (event) => handleWorkerMessage(event.data, (reply, transfer) => scope.postMessage(reply, transfer ?? []));
