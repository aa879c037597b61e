/**
 * The first pass of a fit over a {@link DataSource}: every chunk validated,
 * the rows counted, their weighted mean and variances, the largest weight
 * (for `fitWeights`' rescaling), and a seeded uniform sample of rows that
 * the initialization runs on.
 *
 * @module
 */
import type { DataChunk, DataSource } from '../data/source.js';
import { InvalidDataError } from '../errors.js';
import type { Matrix } from '../matrix/matrix.js';
import { Random } from '../random/random.js';
import { scaleByPowerOfTwo } from '../validate.js';

/** What the first pass over a source learned. */
export interface Survey {
  /** Rows of the source. */
  readonly rows: number;
  /** Columns. */
  readonly cols: number;
  /** Rows of positive weight. */
  readonly positive: number;
  /** Σ w, rescaled by 2^−exponent (as `fitWeights` rescales). */
  readonly totalWeight: number;
  /** The power of two the weights are divided by (0 without weights). */
  readonly exponent: number;
  /** Whether any chunk had weights. */
  readonly weighted: boolean;
  /** Weighted mean of every column (d). */
  readonly dataMean: Float64Array;
  /** Weighted population variance of every column (d). */
  readonly columnVariance: Float64Array;
  /** Unweighted mean of every column over every row (d), summed as `columnMeans` sums: k-means' center of its sums. */
  readonly plainMean: Float64Array;
  /** Unweighted population variance of every column (d): k-means' tolerance is relative to their mean. */
  readonly plainVariance: Float64Array;
  /**
   * The sample: up to `sampleSize` rows drawn uniformly without replacement
   * (every row, when there are no more), in the source's order, and their
   * weights rescaled by 2^−exponent (null without weights).
   */
  readonly sample: { readonly X: Matrix; readonly weights: Float64Array | null; readonly rows: Int32Array };
}

/** Options of {@link survey}. */
export interface SurveyOptions {
  /** Rows kept in the sample. */
  readonly sampleSize: number;
  /** Seed of the sample's random draws. */
  readonly seed: number;
  /** Aborts the pass. */
  readonly signal?: AbortSignal | undefined;
}

/**
 * Checks a chunk: its width, finite values, finite non-negative weights.
 *
 * @param chunk - The chunk.
 * @param cols - The source's columns.
 * @param offset - Rows before the chunk (so that errors name the row in the whole source).
 * @throws {@link InvalidDataError} naming the row (0-based, in the whole source) and column.
 */
export function checkChunk(chunk: DataChunk, cols: number, offset: number): void {
  const { X, weights } = chunk;
  if (X.cols !== cols) {
    throw new InvalidDataError('source', `a chunk of the source has ${X.cols} columns, not ${cols} (at row ${offset})`, {
      row: offset,
    });
  }
  if (X.data.length !== X.rows * X.cols) {
    throw new InvalidDataError('source', `a chunk of ${X.rows} × ${X.cols} has ${X.data.length} values (at row ${offset})`);
  }
  const { data } = X;
  for (let idx = 0; idx < data.length; idx++) {
    const v = data[idx]!;
    if (v - v !== 0) {
      const row = offset + Math.floor(idx / cols);
      throw new InvalidDataError(
        'source',
        `the source has a value that is not a finite number at row ${row}, column ${idx % cols} (0-based): ${v}`,
        { row, column: idx % cols },
      );
    }
  }
  if (weights === undefined) return;
  if (weights.length !== X.rows) {
    throw new InvalidDataError('source', `a chunk of ${X.rows} rows has ${weights.length} weights (at row ${offset})`);
  }
  for (let i = 0; i < weights.length; i++) {
    const w = weights[i]!;
    if (!(w >= 0) || w === Infinity) {
      throw new InvalidDataError('source', `the weight of row ${offset + i} (0-based) is ${w}; weights must be finite and ≥ 0`, {
        row: offset + i,
      });
    }
  }
}

/**
 * One pass over `source`: validates it and summarizes it.
 *
 * The sample is Vitter's reservoir algorithm R, drawing from its own
 * {@link Random} seeded with `seed`: row i ≥ m replaces a uniformly chosen
 * kept row with probability m / (i + 1). The kept rows are then put back in
 * the source's order, so a source of at most `sampleSize` rows is its own
 * sample, row for row.
 *
 * The mean is accumulated as `fitData` accumulates it (Σ w·x in row order,
 * then divided by Σ w), so it has the same bits as an in-memory fit's; the
 * variances from sums about the first row.
 *
 * @param source - The rows.
 * @param options - Sample size, seed, abort signal.
 * @returns The survey.
 * @throws {@link InvalidDataError} for an empty source, a bad chunk, or weights that sum to 0.
 */
export async function survey(source: DataSource, options: SurveyOptions): Promise<Survey> {
  const { sampleSize, signal } = options;
  const d = source.cols;
  if (!Number.isInteger(d) || d < 1) throw new InvalidDataError('source', `source.cols must be a positive integer; got ${d}`);
  const rng = new Random(options.seed);
  let kept: Float64Array = new Float64Array(Math.min(sampleSize, 1024) * d);
  let keptWeights: Float64Array = new Float64Array(Math.min(sampleSize, 1024));
  let keptRows = new Int32Array(Math.min(sampleSize, 1024));
  const sum = new Float64Array(d);
  const shift = new Float64Array(d);
  const shifted = new Float64Array(d);
  const squares = new Float64Array(d);
  const plain = new Float64Array(d);
  const plainShifted = new Float64Array(d);
  const plainSquares = new Float64Array(d);
  let n = 0;
  let total = 0;
  let max = 0;
  let positive = 0;
  let weighted = false;
  for await (const chunk of source.chunks(signal)) {
    signal?.throwIfAborted();
    checkChunk(chunk, d, n);
    const { X, weights } = chunk;
    const { data } = X;
    if (weights !== undefined) weighted = true;
    for (let i = 0; i < X.rows; i++, n++) {
      const w = weights === undefined ? 1 : weights[i]!;
      const o = i * d;
      if (n === 0) shift.set(data.subarray(0, d));
      for (let a = 0; a < d; a++) {
        const x = data[o + a]!;
        plain[a] += x;
        const c = x - shift[a]!;
        plainShifted[a] += c;
        plainSquares[a] += c * c;
      }
      if (w !== 0) {
        positive++;
        total += w;
        if (w > max) max = w;
        for (let a = 0; a < d; a++) {
          const x = data[o + a]!;
          sum[a] += w * x;
          const c = x - shift[a]!;
          shifted[a] += w * c;
          squares[a] += w * c * c;
        }
      }
      let slot = n;
      if (n >= sampleSize) {
        slot = rng.integer(n + 1);
        if (slot >= sampleSize) continue;
      } else if (n >= keptRows.length) {
        const size = Math.min(sampleSize, keptRows.length * 2);
        kept = grow(kept, size * d);
        keptWeights = grow(keptWeights, size);
        keptRows = Int32Array.from({ length: size }, (_, r) => keptRows[r] ?? 0);
      }
      kept.set(data.subarray(o, o + d), slot * d);
      keptWeights[slot] = w;
      keptRows[slot] = n;
    }
  }
  if (n === 0) throw new InvalidDataError('source', 'the source has no rows');
  if (!(total > 0)) throw new InvalidDataError('source', 'every row of the source has weight 0');
  if (!Number.isFinite(total)) throw new InvalidDataError('source', 'the weights of the source sum to more than a double holds');
  const plainMean = Float64Array.from(plain, (s) => s / n);
  const plainVariance = Float64Array.from(plainSquares, (s, a) => Math.max(0, s / n - (plainShifted[a]! / n) ** 2));
  const dataMean = new Float64Array(d);
  const columnVariance = new Float64Array(d);
  for (let a = 0; a < d; a++) {
    dataMean[a] = sum[a]! / total;
    const m = shifted[a]! / total;
    columnVariance[a] = Math.max(0, squares[a]! / total - m * m);
  }
  const exponent = weighted ? Math.floor(Math.log2(max)) : 0;
  const scaledTotal = Float64Array.of(total);
  scaleByPowerOfTwo(scaledTotal, -exponent);
  // The kept rows, in the source's order.
  const m = Math.min(n, sampleSize);
  const order = Array.from({ length: m }, (_, r) => r).sort((p, q) => keptRows[p]! - keptRows[q]!);
  const X = new Float64Array(m * d);
  const rows = new Int32Array(m);
  const sampleWeights = weighted ? new Float64Array(m) : null;
  order.forEach((slot, r) => {
    X.set(kept.subarray(slot * d, (slot + 1) * d), r * d);
    rows[r] = keptRows[slot]!;
    if (sampleWeights) sampleWeights[r] = keptWeights[slot]!;
  });
  if (sampleWeights) scaleByPowerOfTwo(sampleWeights, -exponent);
  return {
    rows: n,
    cols: d,
    positive,
    totalWeight: scaledTotal[0]!,
    exponent,
    weighted,
    dataMean,
    columnVariance,
    plainMean,
    plainVariance,
    sample: { X: { rows: m, cols: d, data: X }, weights: sampleWeights, rows },
  };
}

function grow(values: Float64Array, size: number): Float64Array {
  const out = new Float64Array(size);
  out.set(values.subarray(0, Math.min(values.length, size)));
  return out;
}
