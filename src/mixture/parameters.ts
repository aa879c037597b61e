/**
 * The parameters of a Gaussian mixture in the flat layout every kernel uses.
 *
 * @module
 */

/**
 * How component covariances are parameterized (scikit-learn's names):
 * - `'full'`: each component has its own general covariance matrix;
 * - `'tied'`: all components share one general covariance matrix;
 * - `'diag'`: each component has its own diagonal covariance matrix;
 * - `'spherical'`: each component has its own single variance.
 */
export type CovarianceType = 'full' | 'tied' | 'diag' | 'spherical';

/** The four covariance types, in scikit-learn's order of generality. */
export const COVARIANCE_TYPES: readonly CovarianceType[] = ['full', 'tied', 'diag', 'spherical'];

/**
 * The parameters of a Gaussian mixture with k components in d dimensions,
 * flat and row-major. Covariance-shaped arrays follow scikit-learn's shapes,
 * flattened: full k×d×d, tied d×d, diag k×d, spherical k.
 */
export interface MixtureParameters {
  /** The covariance parameterization. */
  readonly covarianceType: CovarianceType;
  /** Number of components k. */
  readonly nComponents: number;
  /** Number of features d. */
  readonly nFeatures: number;
  /** Mixing weights πₖ (k values, summing to 1). */
  readonly weights: Float64Array;
  /** Component means μₖ (k × d). */
  readonly means: Float64Array;
  /** Covariances Σ, in the covariance type's shape. */
  readonly covariances: Float64Array;
  /**
   * Cholesky factors of the precisions, in the covariance type's shape: for
   * full and tied the upper-triangular U with U Uᵀ = Σ⁻¹; for diag and
   * spherical 1/√σ².
   */
  readonly precisionsCholesky: Float64Array;
  /**
   * What the log-densities use in place of log πₖ (k values), when that is not
   * log(weights): a variational mixture's E-step uses E[log πₖ] plus the
   * expected log-determinant terms of its Wishart posterior. Absent for a
   * plain mixture (and in every fitted model).
   */
  readonly logWeights?: Float64Array;
}

/** The machine epsilon of float64 (numpy's `finfo(float64).eps`). */
export const EPSILON = 2.220446049250313e-16;

/** ½·log(2π), used in every Gaussian log-density. */
export const HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);
