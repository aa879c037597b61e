/**
 * One pass over a {@link DataSource}, re-cut into blocks of whole chunks:
 * what the streamed E-steps (`StreamRows`) and k-means' streamed passes
 * (`StreamKMeansRows`) both read. Every chunk is checked, the weights are
 * rescaled as the survey said, and a source whose rows changed since the
 * survey is refused.
 *
 * @module
 */
import type { DataSource } from '../data/source.js';
import { InvalidDataError } from '../errors.js';
import type { Matrix } from '../matrix/matrix.js';
import { scaleByPowerOfTwo } from '../validate.js';
import { checkChunk, type Survey } from './survey.js';

/** Values (rows × columns) in one block of chunks, by default. */
export const BLOCK_VALUES = 1 << 22;

/** A block of a pass. */
export interface Block {
  /** Its rows (fresh arrays: a block may be handed to a worker). */
  readonly X: Matrix;
  /** Their weights rescaled by 2^−exponent, or null for a source without weights. */
  readonly weights: Float64Array | null;
  /** Index of its first row in the source. */
  readonly offset: number;
}

/**
 * Rows per block: whole chunks of `rowsPerChunk`, about `values` values, at least one chunk.
 *
 * @param rowsPerChunk - The fit's chunk size.
 * @param d - Columns.
 * @param values - Values wanted per block.
 * @returns Rows per block.
 */
export function blockRows(rowsPerChunk: number, d: number, values = BLOCK_VALUES): number {
  return rowsPerChunk * Math.max(1, Math.floor(values / (rowsPerChunk * d)));
}

/**
 * The blocks of one pass over `source`, in row order.
 *
 * @param source - The rows.
 * @param summary - Its survey (row count, columns, weight rescaling).
 * @param rows - Rows per block (see {@link blockRows}).
 * @param pass - The pass's number, for the message of a changed source.
 * @param signal - Aborts the pass (closing the source's iterator).
 * @returns The blocks.
 * @throws {@link InvalidDataError} for a bad chunk or a source whose row count changed.
 */
export async function* sourceBlocks(
  source: DataSource,
  summary: Survey,
  rows: number,
  pass: number,
  signal: AbortSignal | undefined,
): AsyncGenerator<Block, void, void> {
  const { rows: n, cols: d, exponent, weighted } = summary;
  let offset = 0; // rows before the block
  let fill = 0; // rows in the block
  let buffer = new Float64Array(rows * d);
  let weights = weighted ? new Float64Array(rows) : null;
  const take = (): Block => {
    const w = weights && weights.subarray(0, fill);
    if (w) scaleByPowerOfTwo(w, -exponent);
    const block = { X: { rows: fill, cols: d, data: buffer.subarray(0, fill * d) }, weights: w, offset };
    buffer = new Float64Array(rows * d);
    weights = weighted ? new Float64Array(rows) : null;
    offset += fill;
    fill = 0;
    return block;
  };
  for await (const chunk of source.chunks(signal)) {
    signal?.throwIfAborted();
    const read = offset + fill;
    checkChunk(chunk, d, read);
    if (read + chunk.X.rows > n) throw changed(n, pass);
    const { data } = chunk.X;
    for (let i = 0; i < chunk.X.rows;) {
      const count = Math.min(chunk.X.rows - i, rows - fill);
      buffer.set(data.subarray(i * d, (i + count) * d), fill * d);
      if (weights) {
        if (chunk.weights) weights.set(chunk.weights.subarray(i, i + count), fill);
        else weights.fill(1, fill, fill + count);
      }
      fill += count;
      i += count;
      if (fill === rows) yield take();
    }
  }
  if (fill > 0) yield take();
  if (offset !== n) throw changed(n, pass);
}

/** The error for a source whose rows changed between passes. */
function changed(n: number, pass: number): InvalidDataError {
  return new InvalidDataError(
    'source',
    `the source yielded a different number of rows on pass ${pass} than the ${n} of its first pass: a source must yield the same rows on every pass`,
  );
}
