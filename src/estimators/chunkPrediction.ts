import type { DataChunk } from '../data/source.js';
import type { Matrix } from '../matrix/matrix.js';

/**
 * What `GaussianMixtureModel.predictAsync` yields for each chunk of a source:
 * the values `predict`, `predictProba` and `scoreSamples` give its rows.
 *
 * @example
 * ```ts
 * for await (const { labels, proba, logDensity } of model.predictAsync(source)) console.log(labels[0], proba.data[0], logDensity[0]);
 * ```
 */
export interface ChunkPrediction {
  /** The chunk as the source gave it: its rows, and its weights, labels and kept columns if it has them. */
  readonly chunk: DataChunk;
  /** The chunk's rows, as the source gave them (`chunk.X`). */
  readonly X: Matrix;
  /** The most likely component of each row (−1: noise). */
  readonly labels: Int32Array;
  /** Responsibilities, rows × k (k + 1 with a noise component). */
  readonly proba: Matrix;
  /** log p(x) of each row, in the data's units. */
  readonly logDensity: Float64Array;
}
