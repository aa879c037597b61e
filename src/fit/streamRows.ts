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
import { InvalidDataError } from '../errors.js';
import type { CovarianceStrategy } from '../mixture/covariance/index.js';
import type { MixtureParameters } from '../mixture/parameters.js';
import { createStatistics, mergeStatistics, type SufficientStatistics } from '../mixture/statistics.js';
import type { Random } from '../random/random.js';
import { scaleByPowerOfTwo } from '../validate.js';
import { LocalRows } from './localRows.js';
import type { Assignment, FarRows, Rows, Seeding } from './rows.js';
import { checkChunk, type Survey } from './survey.js';

/** Progress of a pass over a source. */
export interface PassProgress {
  /** 1-based pass of the E-steps (the survey before them is not counted). */
  readonly pass: number;
  /** Rows read so far in this pass. */
  readonly rows: number;
  /** Rows of the source. */
  readonly totalRows: number;
}

/** Options of {@link StreamRows}. */
export interface StreamRowsOptions {
  /** Aborts the pass under way (closing the source's iterator) and every later one. */
  readonly signal?: AbortSignal | undefined;
  /** Called after every block of rows of a pass. */
  readonly onProgress?: ((progress: PassProgress) => void) | undefined;
}

/** Values (rows × columns) in one block of chunks handed to an engine. */
const BLOCK_VALUES = 1 << 22;

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
    const { rows: n, cols: d, exponent, weighted } = this.summary;
    const k = parameters.nComponents;
    const rowsPerChunk = mixtureChunkRows(strategy, n, k, d);
    const blockRows = rowsPerChunk * Math.max(1, Math.floor(BLOCK_VALUES / (rowsPerChunk * d)));
    const buffer = new Float64Array(blockRows * d);
    const weights = weighted ? new Float64Array(blockRows) : null;
    const total = createStatistics(strategy.type, k, d, centers, strategy.secondMomentLength(k, d));
    const pass = ++this.pass;
    let offset = 0; // rows before the block
    let fill = 0; // rows in the block
    const flush = (): void => {
      if (fill === 0) return;
      const X = { rows: fill, cols: d, data: buffer.subarray(0, fill * d) };
      const w = weights && weights.subarray(0, fill);
      if (w) scaleByPowerOfTwo(w, -exponent);
      const engine = createEngine(strategy, X, w, k, offset, 'auto', rowsPerChunk);
      try {
        engine.setParameters(parameters, centers);
        for (let c = 0; c < engine.chunks; c++) mergeStatistics(total, engine.chunk(c));
      } finally {
        engine.release();
      }
      offset += fill;
      fill = 0;
      onProgress?.({ pass, rows: offset, totalRows: n });
    };
    for await (const chunk of this.source.chunks(signal)) {
      signal?.throwIfAborted();
      const read = offset + fill;
      checkChunk(chunk, d, read);
      if (read + chunk.X.rows > n) throw changed(n, pass);
      const { data } = chunk.X;
      for (let i = 0; i < chunk.X.rows;) {
        const take = Math.min(chunk.X.rows - i, blockRows - fill);
        buffer.set(data.subarray(i * d, (i + take) * d), fill * d);
        if (weights) {
          if (chunk.weights) weights.set(chunk.weights.subarray(i, i + take), fill);
          else weights.fill(1, fill, fill + take);
        }
        fill += take;
        i += take;
        if (fill === blockRows) flush();
      }
    }
    flush();
    if (offset !== n) throw changed(n, pass);
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
  }
}

/** The error for a source whose rows changed between passes. */
function changed(n: number, pass: number): InvalidDataError {
  return new InvalidDataError(
    'source',
    `the source yielded a different number of rows on pass ${pass} than the ${n} of its first pass: a source must yield the same rows on every pass`,
  );
}
