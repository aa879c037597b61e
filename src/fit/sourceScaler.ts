/**
 * Standardized columns over a {@link DataSource}: the scaler of the source's
 * rows, from two passes that add what `columnMoments` adds, in the same
 * order — Σ w·x and Σ w, then Σ w·(x − mean)² — so it has the in-memory
 * scaler's bits; and the source seen through it, each chunk standardized as
 * it is read. A fit of the standardized source is then the in-memory fit of
 * the standardized rows.
 *
 * @module
 */
import type { DataChunk, DataSource } from '../data/source.js';
import { InvalidDataError } from '../errors.js';
import { scalerOf, standardizeRows, type Scaler } from '../matrix/standardize.js';
import { checkChunk } from './survey.js';

/**
 * The scaler of a source's rows (`fitScaler` of them all), in two passes.
 * The weights are taken as given: rescaling them by a power of two, as a fit
 * does, changes no bit of a mean or a variance.
 *
 * @param source - The rows.
 * @param signal - Aborts the passes.
 * @returns The scaler.
 * @throws {@link InvalidDataError} for a bad chunk (naming its row and column), no rows, or weights that sum to 0.
 */
export async function sourceScaler(source: DataSource, signal?: AbortSignal): Promise<Scaler> {
  const d = source.cols;
  const mean = new Float64Array(d);
  const total = new Float64Array(d);
  const n = await eachRow(source, signal, (data, o, w) => {
    for (let a = 0; a < d; a++) {
      total[a] += w;
      mean[a] += w * data[o + a]!;
    }
  });
  if (n === 0) throw new InvalidDataError('source', 'the source has no rows');
  if (!(total[0]! > 0)) throw new InvalidDataError('source', 'every row of the source has weight 0');
  for (let a = 0; a < d; a++) mean[a] /= total[a]!;
  const variance = new Float64Array(d);
  const again = await eachRow(source, signal, (data, o, w) => {
    for (let a = 0; a < d; a++) {
      const delta = data[o + a]! - mean[a]!;
      variance[a] += w * delta * delta;
    }
  });
  if (again !== n) {
    throw new InvalidDataError('source', `the source gave ${n} rows on its first pass and ${again} on its second`);
  }
  for (let a = 0; a < d; a++) variance[a] /= total[a]!;
  return scalerOf(mean, variance);
}

/**
 * One pass over a source's checked rows, in order: `row(data, offset, weight)` for each, its values at
 * data[offset … offset + cols).
 *
 * @returns The rows read.
 */
async function eachRow(
  source: DataSource,
  signal: AbortSignal | undefined,
  row: (data: Float64Array, offset: number, weight: number) => void,
): Promise<number> {
  const d = source.cols;
  let n = 0;
  for await (const chunk of source.chunks(signal)) {
    signal?.throwIfAborted();
    checkChunk(chunk, d, n);
    const { X, weights } = chunk;
    for (let i = 0; i < X.rows; i++) row(X.data, i * d, weights ? weights[i]! : 1);
    n += X.rows;
  }
  return n;
}

/**
 * The source's rows standardized by `scaler` as they are read (new chunks;
 * the weights as they are).
 *
 * @param source - The rows, in the data's units.
 * @param scaler - The scaler (`sourceScaler`).
 * @returns The standardized source.
 */
export function standardizedSource(source: DataSource, scaler: Scaler): DataSource {
  return {
    cols: source.cols,
    rows: source.rows,
    featureNames: source.featureNames,
    async *chunks(signal?: AbortSignal): AsyncGenerator<DataChunk> {
      let n = 0;
      for await (const chunk of source.chunks(signal)) {
        checkChunk(chunk, source.cols, n); // before standardizing, so that a bad value is named as it is
        n += chunk.X.rows;
        yield { X: standardizeRows(scaler, chunk.X), weights: chunk.weights };
      }
    },
  };
}
