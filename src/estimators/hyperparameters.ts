/**
 * Prior hyperparameters that both of the mixtures with a prior take: the
 * `BayesianGaussianMixture`'s Wishart scale and the `GaussianMixture`'s MAP
 * prior scale — the data's covariance as their default, and a given value
 * checked in its family's shape.
 *
 * @module
 */
import { InvalidParameterError } from '../errors.js';
import type { FitData } from '../fit/init.js';
import { asMatrix, type MatrixLike } from '../matrix/matrix.js';
import { covarianceStrategy } from '../mixture/covariance/index.js';
import { readNested } from '../mixture/nested.js';
import type { CovarianceFamily, CovarianceType } from '../mixture/parameters.js';

/**
 * The data's covariance (d × d, ddof 1: divided by Σw − 1, Σw in the
 * caller's weights, which are the fit's divided by `strength`).
 *
 * @param data - The fit's data.
 * @param name - The hyperparameter it is the default of, for the message.
 * @param strength - The factor the fit's weights were rescaled by (1 if they were not).
 * @returns The covariance.
 * @throws {@link InvalidParameterError} if the weights sum to at most 1.
 */
export function defaultCovariance(data: FitData, name: string, strength = 1): Float64Array {
  const { X, weights, totalWeight, dataMean } = data;
  const { rows: n, cols: d, data: x } = X;
  if (!(totalWeight > strength)) {
    throw new InvalidParameterError(
      'sampleWeight',
      totalWeight / strength,
      `weights summing to more than 1 (the default ${name} divides by Σw − 1)`,
      `Give ${name}, or weights that count rows`,
    );
  }
  const cov = new Float64Array(d * d);
  const delta = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    const w = weights === null ? 1 : weights[i]!;
    if (w === 0) continue;
    for (let a = 0; a < d; a++) delta[a] = x[i * d + a]! - dataMean[a]!;
    for (let a = 0; a < d; a++) for (let b = a; b < d; b++) cov[a * d + b] += w * delta[a]! * delta[b]!;
  }
  for (let a = 0; a < d; a++) {
    for (let b = a; b < d; b++) cov[b * d + a] = cov[a * d + b] = cov[a * d + b]! / (totalWeight - strength);
  }
  return cov;
}

/**
 * A d × d covariance reduced to a family's shape: itself (full, tied), its
 * diagonal (diag), the mean of its diagonal (spherical).
 */
export function familyShape(cov: Float64Array, d: number, family: CovarianceFamily): Float64Array {
  if (family === 'full' || family === 'tied') return cov;
  const variances = Float64Array.from({ length: d }, (_, a) => cov[a * d + a]!);
  if (family === 'diag') return variances;
  return Float64Array.of(variances.reduce((s, v) => s + v, 0) / d);
}

/**
 * A given covariance hyperparameter, checked: symmetric positive definite in
 * the family's shape (d × d, d variances, or one).
 *
 * @param name - The option's name, for messages.
 * @param value - The given value.
 * @param d - Features.
 * @param family - The shape's family.
 * @param typeName - The covariance type, for messages (default: the family).
 * @returns The value, flat.
 * @throws {@link InvalidParameterError} for a wrong shape, an asymmetric matrix or one not positive definite.
 */
export function givenCovariance(
  name: string,
  value: number | MatrixLike | ArrayLike<number>,
  d: number,
  family: CovarianceFamily,
  typeName: CovarianceType = family,
): Float64Array {
  const shapes: Record<CovarianceFamily, { shape: number[]; words: string }> = {
    full: { shape: [d, d], words: `a ${d} × ${d} symmetric positive-definite matrix` },
    tied: { shape: [d, d], words: `a ${d} × ${d} symmetric positive-definite matrix` },
    diag: { shape: [d], words: `${d} positive numbers (one variance per feature)` },
    spherical: { shape: [], words: 'a positive number' },
  };
  const { shape, words } = shapes[family];
  const flat =
    shape.length === 2 && typeof value === 'object' && value !== null && 'data' in value
      ? asMatrix(value as MatrixLike, name).data
      : readNested(value, shape, name, (path, problem) =>
          InvalidParameterError.withMessage(name, value, `${path} ${problem}: ${words} for '${typeName}'`),
        );
  if (shape.length === 2) {
    if (flat.length !== d * d) throw new InvalidParameterError(name, value, words);
    for (let a = 0; a < d; a++) {
      for (let b = a + 1; b < d; b++) {
        const u = flat[a * d + b]!;
        const l = flat[b * d + a]!;
        if (Math.abs(u - l) > 1e-8 + 1e-5 * Math.abs(l)) {
          throw InvalidParameterError.withMessage(
            name,
            u,
            `${name} must be symmetric: ${name}[${a}][${b}] = ${u} but ${name}[${b}][${a}] = ${l}`,
          );
        }
      }
    }
  }
  const factor = new Float64Array(flat.length);
  if (covarianceStrategy(family).precisionCholesky(flat, 1, d, factor) >= 0) throw new InvalidParameterError(name, value, words);
  return flat;
}
