/**
 * Rows read from a {@link DataSource}, one pass per E-step: the answers of
 * `GaussianMixture.fitAsync(source)`. The rows are re-cut into the chunks an
 * in-memory fit of the same rows uses (`mixtureChunkRows` of the source's
 * row count), whatever chunks the source yields, and the chunks' statistics
 * are merged in order: the statistics have the bits `LocalRows` gives for
 * the whole matrix. Memory is one block of chunks (about 32 MB of values),
 * not the data.
 *
 * The initialization's requests (k-means++ seeding, k-means' assignments)
 * are answered by the sample's {@link LocalRows}.
 *
 * @module
 */
import type { DataSource } from '../data/source.js';
import { createEngine, mixtureChunkRows } from '../engines/mixtureEngine.js';
import type { CovarianceStrategy } from '../mixture/covariance/index.js';
import type { MixtureParameters } from '../mixture/parameters.js';
import {
  createStatistics,
  mergeStatistics,
  statisticsLength,
  statisticsView,
  writeStatistics,
  type SufficientStatistics,
} from '../mixture/statistics.js';
import type { Matrix } from '../matrix/matrix.js';
import type { Random } from '../random/random.js';
import { LocalRows } from './localRows.js';
import type { Assignment, FarRows, Rows, Seeding } from './rows.js';
import { blockRows, sourceBlocks } from './blocks.js';
import type { Survey } from './survey.js';

/** Progress of a pass over a source. */
export interface PassProgress {
  /** 1-based pass of the E-steps (the survey before them is not counted). */
  readonly pass: number;
  /** Rows read so far in this pass. */
  readonly rows: number;
  /** Rows of the source. */
  readonly totalRows: number;
}

/** One block of a pass: rows cut into chunks of `rowsPerChunk`, and what to compute of them. */
export interface BlockRequest {
  /** Covariance strategy. */
  readonly strategy: CovarianceStrategy;
  /** The parameters of the E-step. */
  readonly parameters: MixtureParameters;
  /** Centers of the statistics. */
  readonly centers: Float64Array;
  /** The block's rows (their values are handed over: the caller does not touch them again). */
  readonly X: Matrix;
  /** Their weights (rescaled), or null. */
  readonly weights: Float64Array | null;
  /** Index of the block's first row in the source (for error messages). */
  readonly rowOffset: number;
  /** Rows per chunk, from the whole source's size. */
  readonly rowsPerChunk: number;
}

/**
 * Computes blocks' statistics: on this thread ({@link LOCAL_BLOCKS}) or on
 * workers (`PooledBlocks`), so that the next block is read while one is
 * computed.
 */
export interface BlockStatistics {
  /** Blocks computed at once at most (a pass reads ahead by as many). */
  readonly depth: number;
  /**
   * The statistics of every chunk of a block, one after the other
   * (`statisticsLength` values each, `writeStatistics`' layout).
   */
  statistics(request: BlockRequest): Float64Array | Promise<Float64Array>;
  /** Frees what the blocks held (workers). */
  release(): void;
}

/** Blocks computed on this thread, one at a time, by the usual engines. */
export const LOCAL_BLOCKS: BlockStatistics = {
  depth: 0,
  statistics({ strategy, parameters, centers, X, weights, rowOffset, rowsPerChunk }) {
    const k = parameters.nComponents;
    const d = X.cols;
    const length = statisticsLength(k, d, strategy.secondMomentLength(k, d));
    const engine = createEngine(strategy, X, weights, k, rowOffset, 'auto', rowsPerChunk);
    try {
      engine.setParameters(parameters, centers);
      const flat = new Float64Array(engine.chunks * length);
      for (let c = 0; c < engine.chunks; c++) writeStatistics(engine.chunk(c), flat, c * length);
      return flat;
    } finally {
      engine.release();
    }
  },
  release() {},
};

/** Options of {@link StreamRows}. */
export interface StreamRowsOptions {
  /** Where blocks' statistics are computed (default: this thread). */
  readonly blocks?: BlockStatistics | undefined;
  /** Values in a block (default `BLOCK_VALUES`; rounded to whole chunks, at least one). */
  readonly blockValues?: number | undefined;
  /** Aborts the pass under way (closing the source's iterator) and every later one. */
  readonly signal?: AbortSignal | undefined;
  /** Called after every block of rows of a pass. */
  readonly onProgress?: ((progress: PassProgress) => void) | undefined;
}

/** The rows of a source, read again for every E-step. */
export class StreamRows implements Rows {
  private readonly sample: LocalRows;
  private pass = 0;

  /**
   * @param source - The rows.
   * @param summary - The source's survey (its row count, weight rescaling and sample).
   * @param options - Abort signal, progress.
   */
  constructor(
    private readonly source: DataSource,
    private readonly summary: Survey,
    private readonly options: StreamRowsOptions = {},
  ) {
    this.sample = new LocalRows(summary.sample.X, summary.sample.weights);
  }

  /** Passes over the source so far (E-steps). */
  get passes(): number {
    return this.pass;
  }

  async expectation(
    strategy: CovarianceStrategy,
    parameters: MixtureParameters,
    centers: Float64Array,
  ): Promise<SufficientStatistics> {
    const { signal, onProgress } = this.options;
    const blocks = this.options.blocks ?? LOCAL_BLOCKS;
    const { rows: n, cols: d } = this.summary;
    const k = parameters.nComponents;
    const rowsPerChunk = mixtureChunkRows(strategy, n, k, d);
    const rowsPerBlock = blockRows(rowsPerChunk, d, this.options.blockValues);
    const secondLength = strategy.secondMomentLength(k, d);
    const length = statisticsLength(k, d, secondLength);
    const total = createStatistics(strategy.type, k, d, centers, secondLength);
    const pass = ++this.pass;
    // Blocks handed to `blocks` and not yet merged, in row order: at most `blocks.depth` of them.
    const pending: { flat: Promise<Float64Array> | Float64Array; end: number }[] = [];
    let merged = 0;
    const mergeOldest = async (): Promise<void> => {
      const { flat, end } = pending.shift()!;
      const values = await flat;
      for (let at = 0; at < values.length; at += length) {
        mergeStatistics(total, statisticsView(values, at, strategy.type, k, d, centers, secondLength));
      }
      merged = end;
      onProgress?.({ pass, rows: merged, totalRows: n });
    };
    try {
      for await (const block of sourceBlocks(this.source, this.summary, rowsPerBlock, pass, signal)) {
        const { X, weights, offset } = block;
        pending.push({
          flat: blocks.statistics({ strategy, parameters, centers, X, weights, rowOffset: offset, rowsPerChunk }),
          end: offset + X.rows,
        });
        while (pending.length > blocks.depth) await mergeOldest();
      }
      while (pending.length > 0) await mergeOldest();
    } finally {
      // Blocks still computing when the pass failed: their errors are this pass's, already thrown.
      for (const { flat } of pending) if (flat instanceof Promise) flat.catch(() => undefined);
    }
    return total;
  }

  /** The sample's rows are not the source's: a hint about them says nothing of the source's rows. */
  hint(): void {}

  seed(k: number, rng: Random): Seeding {
    return this.sample.seed(k, rng);
  }

  assign(k: number, centers: Float64Array, fresh: boolean): Assignment {
    return this.sample.assign(k, centers, fresh);
  }

  labels(k: number): Int32Array {
    return this.sample.labels(k);
  }

  farthest(k: number, centers: Float64Array, count: number): FarRows {
    return this.sample.farthest(k, centers, count);
  }

  inertia(k: number, centers: Float64Array): number {
    return this.sample.inertia(k, centers);
  }

  release(): void {
    this.sample.release();
    this.options.blocks?.release();
  }
}
