import { asMatrix, checkColumns, matrix, type Matrix, type MatrixLike } from '../matrix/matrix.js';
import { nearestCenter } from '../engines/distance.js';
import type { LloydResult } from '../fit/lloyd.js';
import { standardizeRows, unstandardizeInPlace, type Scaler } from '../matrix/standardize.js';

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
  /** Cluster centers, k × d, in the data's units (also with `standardize`). */
  readonly centers: Matrix;
  /** Cluster of every training row. */
  readonly labels: Int32Array;
  /** Sum of (weighted) squared distances of the training rows to their centers (standardized units with a scaler). */
  readonly inertia: number;
  /** Lloyd iterations of the best run. */
  readonly nIter: number;
  /** Whether the best run converged before `maxIter`. */
  readonly converged: boolean;
  /** The standardization the clustering ran in (`standardize: true`), or undefined. */
  readonly scaler: Scaler | undefined;
  /** The centers in the units distances are measured in: standardized with a scaler. */
  private readonly fitted: Matrix;

  /**
   * Users get models from `KMeans.fit`.
   *
   * @param nFeatures - Number of columns of the training data.
   * @param result - The best Lloyd run.
   * @param scaler - The standardization the run was in, if any.
   * @internal
   */
  constructor(nFeatures: number, result: LloydResult, scaler?: Scaler) {
    const k = result.centers.length / nFeatures;
    this.fitted = matrix(k, nFeatures, result.centers);
    const centers = result.centers.slice();
    if (scaler) unstandardizeInPlace(scaler, centers);
    this.centers = matrix(k, nFeatures, centers);
    this.scaler = scaler;
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
    const given = asMatrix(X);
    checkColumns(given, this.centers.cols);
    const data = this.scaler ? standardizeRows(this.scaler, given) : given;
    const out = new Int32Array(data.rows);
    const scratch = new Float64Array(1);
    for (let i = 0; i < data.rows; i++) {
      out[i] = nearestCenter(data.data, i, this.fitted.data, this.fitted.rows, data.cols, scratch);
    }
    return out;
  }
}
