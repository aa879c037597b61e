import { EigenvalueDecomposition, Matrix as MlMatrix } from 'ml-matrix';
import { InvalidParameterError } from '../errors.js';
import { matrix, type Matrix } from '../matrix/matrix.js';

/** The principal axes of a covariance: how wide a component is, and along which directions. */
export interface PrincipalAxes {
  /** Standard deviations along the axes (√ eigenvalues), largest first. */
  readonly standardDeviations: Float64Array;
  /** The axes' unit directions, one per row, in the same order. */
  readonly directions: Matrix;
}

/**
 * Principal axes of a symmetric positive semi-definite d × d matrix (a
 * covariance), by its symmetric eigendecomposition (`ml-matrix`).
 *
 * @param covariance - d × d, symmetric.
 * @returns Standard deviations (largest first) and unit directions; each direction's largest-magnitude entry is positive.
 * @throws {@link InvalidParameterError} if the matrix is not square.
 * @example
 * ```ts
 * principalAxes(model.componentCovariance(0)).standardDeviations; // e.g. Float64Array [2.1, 0.4]
 * ```
 */
export function principalAxes(covariance: Matrix): PrincipalAxes {
  const d = covariance.rows;
  if (covariance.cols !== d)
    throw new InvalidParameterError('covariance', `${covariance.rows}×${covariance.cols}`, 'a square matrix');
  const rows = Array.from({ length: d }, (_, a) => Array.from(covariance.data.subarray(a * d, (a + 1) * d)));
  const evd = new EigenvalueDecomposition(new MlMatrix(rows), { assumeSymmetric: true });
  const values = evd.realEigenvalues;
  const order = values.map((_, i) => i).sort((p, q) => values[q]! - values[p]!);
  const directions = new Float64Array(d * d);
  order.forEach((column, r) => {
    let largest = 0;
    for (let a = 0; a < d; a++) {
      const v = evd.eigenvectorMatrix.get(a, column);
      directions[r * d + a] = v;
      if (Math.abs(v) > Math.abs(largest)) largest = v;
    }
    if (largest < 0) for (let a = 0; a < d; a++) directions[r * d + a] = -directions[r * d + a]!;
  });
  return {
    standardDeviations: Float64Array.from(order, (i) => Math.sqrt(Math.max(values[i]!, 0))),
    directions: matrix(d, d, directions),
  };
}
