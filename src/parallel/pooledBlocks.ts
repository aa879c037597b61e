/**
 * A stream's blocks computed on worker threads (`fitAsync(source)`): each
 * block of rows is handed (transferred, not copied) to the next worker in
 * turn, which binds an engine to it and returns the statistics of its
 * chunks; the calling thread meanwhile reads the next blocks. The chunks are
 * the in-memory fit's and are merged in order, so the model has the same bits
 * as on one thread.
 *
 * @module
 */
import type { BlockRequest, BlockStatistics } from '../fit/streamRows.js';
import { activeBackend } from '../kernels/loader.js';
import { expectReply, WorkerPool } from './pool.js';
import { estepMessage } from './protocol.js';

/** Blocks' statistics from a pool of workers, started at the first block and kept for the whole fit. */
export class PooledBlocks implements BlockStatistics {
  private started: Promise<WorkerPool> | undefined;
  /** Each worker's last request: the next one to it waits for it. */
  private readonly queues: Promise<unknown>[];
  private turn = 0;
  private readonly backend = activeBackend();

  /**
   * @param threads - Workers (each block goes to the next one).
   * @param signal - Aborts every request.
   */
  constructor(
    private readonly threads: number,
    private readonly signal: AbortSignal | undefined,
  ) {
    this.queues = Array.from({ length: threads }, () => Promise.resolve());
  }

  get depth(): number {
    return this.threads;
  }

  async statistics(request: BlockRequest): Promise<Float64Array> {
    this.started ??= WorkerPool.open(this.threads, this.signal);
    const pool = await this.started;
    // The budget may grant fewer workers than asked for: the blocks go round the ones there are, in the order asked.
    const worker = this.turn++ % pool.size;
    const run = this.queues[worker]!.then(async () => {
      const { strategy, parameters, centers, X, weights, rowOffset, rowsPerChunk } = request;
      const transfer = weights ? [X.data.buffer as ArrayBuffer, weights.buffer as ArrayBuffer] : [X.data.buffer as ArrayBuffer];
      await pool.ask(worker, { type: 'data', rows: X.rows, d: X.cols, X: X.data, weights }, transfer);
      const k = parameters.nComponents;
      const bind = { type: 'mixture', covarianceType: strategy.type, k, backend: this.backend, first: 0, last: X.rows } as const;
      await pool.ask(worker, { ...bind, rowsPerChunk, rowOffset });
      const reply = await pool.ask(worker, estepMessage(pool.id(), parameters, centers));
      return expectReply(reply, 'stats').flat;
    });
    this.queues[worker] = run.catch(() => undefined);
    return run;
  }

  release(): void {
    void this.started?.then(
      (pool) => pool.close(),
      () => undefined,
    );
    this.started = undefined;
  }
}
