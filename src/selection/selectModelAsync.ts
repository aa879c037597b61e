/**
 * A model-selection grid fitted cell by cell on a pool of workers: every
 * worker holds the data (sent once) and fits whole cells — start, EM and
 * criteria — on its own thread, taking the next cell of the grid when it is
 * done with one. A cell's fit is the one `selectModel` runs, on the same
 * rows with the same kernels, so the selection is the same bits; and the
 * workers exchange nothing while they fit, which is what makes the grid
 * faster than splitting every E-step's rows between them (`PooledRows`),
 * whose messages cost more than a small E-step's work.
 *
 * @module
 */
import type { FitInfo } from '../mixture/serialize.js';
import type { MixtureParameters } from '../mixture/parameters.js';
import type { CovarianceType } from '../mixture/parameters.js';
import { GaussianMixtureModel } from '../estimators/mixtureModel.js';
import { activeBackend, setBackend } from '../kernels/loader.js';
import { asMatrix, type Matrix, type MatrixLike } from '../matrix/matrix.js';
import { LocalRows } from '../fit/localRows.js';
import { driveAsync, driveSync } from '../fit/rows.js';
import type { WorkerJob } from '../parallel/handler.js';
import { oneOf } from '../validate.js';
import { WorkerPool, expectReply } from '../parallel/pool.js';
import { PooledRows } from '../parallel/pooledRows.js';
import { threadCount } from '../parallel/workers.js';
import { planSelection, type Cell, type ModelSelection, type SelectModelOptions, type SelectionResult } from './selectModel.js';

/**
 * Least work (rows × columns × cells × runs per cell) for which a grid's cells go to workers: below it, a new
 * worker's start-up (its thread, its modules, its code's first, unoptimized runs: about 0.3 s on 2 cores) costs
 * more than the cells it would take, and the grid runs on the calling thread. Measured on a 2-core machine
 * (Node 24): 20 cells of 100,000 × 8 with one run each (2²⁴) take as long either way in a warm process, and less on
 * workers in a new one (the command line's case); 400,000 × 8 takes 1.4× less.
 */
export const CELLS_ON_WORKERS = 1 << 24;

/** The name the worker entry points register {@link selectionCellJob} under. */
export const SELECTION_CELL_JOB = 'gmm.selection-cell';

/** The grid's options a worker needs (the functions and the weights stay behind: the weights go with the data). */
type CellOptions = Omit<SelectModelOptions, 'onResult' | 'sampleWeight'>;

/** What a worker is asked to fit. */
interface CellInput {
  readonly options: CellOptions;
  readonly k: number;
  readonly covarianceType: CovarianceType;
  readonly backend: 'wasm' | 'typescript';
}

/** A fitted cell as it crosses threads: the result, and the model's parameters and fit information. */
interface CellOutput {
  readonly result: SelectionResult;
  readonly model: { readonly parameters: MixtureParameters; readonly info: FitInfo } | undefined;
}

/** The worker's last plan, reused by the next cell of the same grid. */
let cached: { key: string; data: Matrix; plan: ReturnType<typeof planSelection>; rows: LocalRows } | undefined;

/**
 * Fits one cell of a grid on the worker's data (a `WorkerJob`; the worker
 * entry points register it as {@link SELECTION_CELL_JOB}).
 *
 * @param data - The worker's data: the grid's rows as given, and its sample weights or null.
 * @param input - The grid's options, the cell, and the main thread's kernels.
 * @returns The fitted cell.
 */
export const selectionCellJob: WorkerJob = (data, input) => {
  const { options, k, covarianceType, backend } = input as CellInput;
  setBackend(backend);
  const key = JSON.stringify(options);
  if (!cached || cached.key !== key || cached.data !== data.X) {
    cached?.rows.release();
    cached = undefined;
    const plan = planSelection(data.X, { ...options, ...(data.weights ? { sampleWeight: data.weights } : {}) });
    cached = { key, data: data.X, plan, rows: new LocalRows(plan.rows, plan.weights) };
  }
  const { result, model } = driveSync(cached.plan.cell(k, covarianceType), cached.rows);
  const output: CellOutput = {
    result,
    model: model && {
      parameters: model.mixtureParameters,
      info: {
        converged: model.converged,
        nIter: model.nIter,
        lowerBound: model.lowerBound,
        lowerBounds: model.lowerBounds,
        featureNames: model.featureNames,
        scaler: model.scaler,
        warnings: model.warnings,
      },
    },
  };
  return { output };
};

/**
 * `selectModelAsync` with the cells on workers: each of up to `threads`
 * workers fits whole cells, the next one of the grid as it finishes one;
 * `onResult` is called in grid order.
 *
 * @param X - Data, n × d.
 * @param options - The grid's options.
 * @param plan - Their plan (`planSelection`).
 * @param threads - Workers wanted (no more than the grid has cells).
 * @param signal - Aborts the grid.
 * @returns The selection, the same as `selectModel`'s.
 */
async function selectOnWorkers(
  X: MatrixLike,
  options: SelectModelOptions,
  plan: ReturnType<typeof planSelection>,
  threads: number,
  signal: AbortSignal | undefined,
): Promise<ModelSelection> {
  plan.checkCells();
  const { onResult, sampleWeight, ...rest } = options;
  const cellOptions: CellOptions = rest;
  const data = asMatrix(X);
  const weights = sampleWeight === undefined ? null : Float64Array.from(sampleWeight);
  const { grid } = plan;
  const backend = activeBackend();
  const pool = await WorkerPool.start(data, weights, Math.min(threads, grid.length), signal, 1);
  const cells: (Cell | undefined)[] = grid.map(() => undefined);
  // The work is handed out in units, largest k first so that the last to finish are small (the workers end
  // together). A unit is every cell of one k where there are enough ks to go round: its cells share one k-means
  // start per run (FitData.kmeansStarts), made once, on one worker. Else a unit is one cell. The results do not
  // depend on who fits what, nor in which order.
  const ks = [...new Set(grid.map((c) => c.k))].sort((a, b) => b - a);
  const indices = grid.map((_, i) => i);
  const units =
    ks.length >= pool.size
      ? ks.map((k) => indices.filter((i) => grid[i]!.k === k))
      : indices.sort((a, b) => grid[b]!.k - grid[a]!.k || a - b).map((i) => [i]);
  let next = 0;
  let reported = 0;
  try {
    await Promise.all(
      Array.from({ length: pool.size }, async (_, w) => {
        while (next < units.length) {
          for (const i of units[next++]!) {
            const { k, covarianceType } = grid[i]!;
            const input: CellInput = { options: cellOptions, k, covarianceType, backend };
            const reply = await pool.ask(w, { type: 'job', id: pool.id(), job: SELECTION_CELL_JOB, input });
            const { result, model } = expectReply(reply, 'job').output as CellOutput;
            cells[i] = { result, model: model && new GaussianMixtureModel(model.parameters, model.info) };
            for (; reported < grid.length && cells[reported]; reported++)
              onResult?.(cells[reported]!.result, reported + 1, grid.length);
          }
        }
      }),
    );
  } finally {
    pool.close();
  }
  return plan.choose(cells as Cell[]);
}

/** Options of {@link selectModelAsync}: {@link SelectModelOptions}, and how the grid runs. */
export interface SelectModelAsyncOptions extends SelectModelOptions {
  /** Workers (default: the machine's cores). */
  threads?: number;
  /** Aborts the grid: the promise is rejected with the signal's reason. */
  signal?: AbortSignal;
  /**
   * How the grid runs: `'cells'`, each worker fits whole cells; `'rows'`, every E-step's and k-means
   * assignment's rows are shared out between the workers; `'none'`, on the calling thread, pausing for the event
   * loop at least every 10 ms. Default `'auto'`: `'cells'` for a grid of several cells and at least
   * {@link CELLS_ON_WORKERS} of work, `'rows'` for a grid of one cell, else `'none'`. The results are the same bits
   * every way.
   */
  parallelism?: 'auto' | 'cells' | 'rows' | 'none';
}

/**
 * {@link selectModel} without blocking the calling thread; the same results,
 * bit for bit. A large grid (rows × columns × cells × runs ≥
 * {@link CELLS_ON_WORKERS}) is fitted on one pool of worker threads (the data
 * goes to the workers once), each worker fitting whole cells, the next of the
 * grid as it finishes one (memory: every worker holds the rows and one cell's
 * engine over all of them). A smaller grid runs on the calling thread,
 * pausing for the event loop at least every 10 ms, where workers would cost
 * more than they save. A grid of one cell shares out the rows of its every
 * E-step and k-means assignment between the workers instead.
 *
 * @param X - Data, n × d.
 * @param options - As {@link selectModel}, plus `threads`, an abort `signal` and `parallelism`
 *   (see {@link SelectModelAsyncOptions}). `onResult` is called in grid order.
 * @returns A promise of the selection; rejected with the signal's reason if aborted.
 * @throws As {@link selectModel}, as a rejection of the promise.
 * @example
 * ```ts
 * const { best } = await selectModelAsync(X, { threads: 2, signal: controller.signal });
 * ```
 */
export async function selectModelAsync(X: MatrixLike, options: SelectModelAsyncOptions = {}): Promise<ModelSelection> {
  const { threads, signal, parallelism = 'auto', ...rest } = options;
  const workers = threadCount(threads);
  oneOf('parallelism', parallelism, ['auto', 'cells', 'rows', 'none']);
  const plan = planSelection(X, rest);
  signal?.throwIfAborted();
  const { rows: n, cols: d } = plan.rows;
  const cells = plan.grid.length;
  const work = n * d * cells * (rest.nInit ?? 10);
  const how = parallelism !== 'auto' ? parallelism : cells === 1 ? 'rows' : work >= CELLS_ON_WORKERS ? 'cells' : 'none';
  if (how === 'cells') return selectOnWorkers(X, rest, plan, workers, signal);
  const rows = new PooledRows(plan.rows, plan.weights, { threads: workers, signal, onThisThread: how === 'none' });
  try {
    return await driveAsync(plan.steps(), rows, signal);
  } finally {
    rows.release();
  }
}
