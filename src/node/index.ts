/**
 * gmm under Node.js: everything of the portable entry point, plus worker
 * threads for `fitAsync` (node:worker_threads; the machine's cores by
 * default). Package `exports` resolves `gmm` here under Node.
 *
 * @packageDocumentation
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { FromWorker, ToWorker } from '../parallel/protocol.js';
import { setWorkerFactory } from '../parallel/workers.js';

export * from '../index.js';
export { fileSource, type FileSourceOptions } from '../io/fileSource.js';
export { arrowFileSource } from '../io/arrowFileSource.js';
export {
  duckdbSource,
  type DuckDBChunkLike,
  type DuckDBConnectionLike,
  type DuckDBResultLike,
  type DuckDBSourceOptions,
} from '../io/duckdbSource.js';

const fromSource = import.meta.url.endsWith('.ts');
const script = new URL(fromSource ? './worker.ts' : './worker.js', import.meta.url);

/** A worker thread running worker.js; from TypeScript sources (tests, tsx), worker.ts loaded through tsx. */
function startWorker(): Worker {
  if (!fromSource) return new Worker(script);
  // Node 20 checks a worker's entry extension before loader hooks apply: register tsx inside the worker first.
  const tsx = import.meta.resolve('tsx/esm/api');
  const bootstrap = `import(${JSON.stringify(tsx)}).then(({ register }) => { register(); return import(${JSON.stringify(script.href)}); })`;
  return new Worker(bootstrap, { eval: true });
}

setWorkerFactory(() => {
  const worker = startWorker();
  return {
    postMessage: (message: ToWorker, transfer?: Transferable[]) => worker.postMessage(message, (transfer ?? []) as never),
    onMessage: (handler: (message: FromWorker) => void) => worker.on('message', handler),
    onError: (handler: (error: Error) => void) => worker.on('error', handler),
    onExit: (handler: (code: number) => void) => worker.on('exit', handler),
    terminate: () => void worker.terminate(),
  };
}, availableParallelism());
