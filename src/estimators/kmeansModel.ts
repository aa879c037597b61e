import { asMatrix, checkColumns, matrix, type Matrix, type MatrixLike } from '../matrix/matrix.js';
import { nearestCenter } from '../engines/distance.js';
import type { LloydResult } from '../fit/lloyd.js';

/**
 * A fitted k-means clustering (returned by `KMeans.fit`).
 *
 * @example
 * ```ts
 * const model = new KMeans({ nClusters: 2 }).fit(X);
 * model.centers.data; // k × d centers, row-major
 * model.predict(Xnew);
 * ```
 */
export class KMeansModel {
  /** Cluster centers, k × d. */
  readonly centers: Matrix;
  /** Cluster of every training row. */
  readonly labels: Int32Array;
  /** Sum of (weighted) squared distances of the training rows to their centers. */
  readonly inertia: number;
  /** Lloyd iterations of the best run. */
  readonly nIter: number;
  /** Whether the best run converged before `maxIter`. */
  readonly converged: boolean;

  /**
   * @param nFeatures - Number of columns of the training data.
   * @param result - The best Lloyd run.
   */
  constructor(nFeatures: number, result: LloydResult) {
    this.centers = matrix(result.centers.length / nFeatures, nFeatures, result.centers);
    this.labels = result.labels;
    this.inertia = result.inertia;
    this.nIter = result.nIter;
    this.converged = result.converged;
  }

  /** Number of clusters k. */
  get nClusters(): number {
    return this.centers.rows;
  }

  /**
   * Nearest center of every row.
   *
   * @param X - Data, n × d.
   * @returns The cluster index of each row.
   * @throws {@link InvalidDataError} for bad data; {@link DimensionMismatchError} for a wrong width.
   */
  predict(X: MatrixLike): Int32Array {
    const data = asMatrix(X);
    checkColumns(data, this.centers.cols);
    const out = new Int32Array(data.rows);
    const scratch = new Float64Array(1);
    for (let i = 0; i < data.rows; i++) {
      out[i] = nearestCenter(data.data, i, this.centers.data, this.centers.rows, data.cols, scratch);
    }
    return out;
  }
}
