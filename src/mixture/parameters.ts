/**
 * The parameters of a Gaussian mixture in the flat layout every kernel uses.
 *
 * @module
 */

/**
 * scikit-learn's four covariance parameterizations, which are also the four
 * layouts every kernel reads:
 * - `'full'`: each component has its own general covariance matrix;
 * - `'tied'`: all components share one general covariance matrix;
 * - `'diag'`: each component has its own diagonal covariance matrix;
 * - `'spherical'`: each component has its own single variance.
 */
export type CovarianceFamily = 'full' | 'tied' | 'diag' | 'spherical';

/**
 * R mclust's fourteen models of Σₖ = λₖ Dₖ Aₖ Dₖᵀ (Celeux & Govaert 1995):
 * the three letters say whether the volume λ, the shape A (diagonal,
 * det A = 1) and the orientation D are Equal across components, Variable, or
 * the Identity (I). VII, VVI, EEE and VVV are scikit-learn's spherical,
 * diag, tied and full.
 */
export type MclustModel =
  'EII' | 'VII' | 'EEI' | 'VEI' | 'EVI' | 'VVI' | 'EEE' | 'VEE' | 'EVE' | 'VVE' | 'EEV' | 'VEV' | 'EVV' | 'VVV';

/**
 * How component covariances are parameterized: one of scikit-learn's four
 * names ({@link CovarianceFamily}) or one of mclust's fourteen
 * ({@link MclustModel}); `'spherical'` = `'VII'`, `'diag'` = `'VVI'`,
 * `'tied'` = `'EEE'`, `'full'` = `'VVV'` (the same model under two names; a
 * fitted model keeps the name it was asked for).
 */
export type CovarianceType = CovarianceFamily | MclustModel;

/** scikit-learn's four covariance types, in its order of generality (the default grid of model selection). */
export const COVARIANCE_TYPES: readonly CovarianceFamily[] = ['full', 'tied', 'diag', 'spherical'];

/** mclust's fourteen models, in mclust's order (`mclust.options("emModelNames")`). */
export const MCLUST_MODELS: readonly MclustModel[] = [
  'EII',
  'VII',
  'EEI',
  'VEI',
  'EVI',
  'VVI',
  'EEE',
  'VEE',
  'EVE',
  'VVE',
  'EEV',
  'VEV',
  'EVV',
  'VVV',
];

/** Every accepted covariance type: scikit-learn's four names, then mclust's fourteen. */
export const ALL_COVARIANCE_TYPES: readonly CovarianceType[] = [...COVARIANCE_TYPES, ...MCLUST_MODELS];

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
  /** A noise component (mclust's), if the mixture has one: the weights above then sum to 1 − its weight. */
  readonly noise?: NoiseComponent;
}

/**
 * mclust's noise component: a uniform density V⁻¹ over a region of volume V
 * (by default the data's hypervolume, `hypervolume`), with its own weight π₀.
 * The mixture density is π₀·V⁻¹ + Σₖ πₖ N(x | μₖ, Σₖ).
 */
export interface NoiseComponent {
  /** π₀, the noise's weight. */
  readonly weight: number;
  /** log V⁻¹ = −log V: the noise's log-density. */
  readonly logDensity: number;
  /**
   * The box the noise is uniform over, when known (the default hypervolume's):
   * its center (d values), its axes (d × d, one unit vector per row) and its
   * sides' lengths (d values), whose product is V. `sample` draws noise from it.
   */
  readonly box?: NoiseBox;
}

/** A d-dimensional box: center, orthonormal axes (rows) and side lengths. */
export interface NoiseBox {
  /** The center (d values). */
  readonly center: Float64Array;
  /** The axes, d × d row-major: row r is the unit vector of side r. */
  readonly axes: Float64Array;
  /** The sides' lengths (d values); their product is the volume. */
  readonly sides: Float64Array;
}

/** The noise column's log-density in the E-step, log π₀ + log V⁻¹; −∞ without a noise component. */
export function noiseLogDensity(parameters: MixtureParameters): number {
  const { noise } = parameters;
  return noise === undefined ? -Infinity : Math.log(noise.weight) + noise.logDensity;
}

/** The machine epsilon of float64 (numpy's `finfo(float64).eps`). */
export const EPSILON = 2.220446049250313e-16;

/** ½·log(2π), used in every Gaussian log-density. */
export const HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);
