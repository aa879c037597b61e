/**
 * The one interface every covariance parameterization implements. The EM
 * loop, the engines (their WebAssembly layout included, see `wasm`), the
 * fitted model, the serializer and the CLI only talk to this interface, so a
 * new parameterization is one new file here (plus its kernel in `wasm/`
 * unless it reuses one), named in the registry (`index.ts`) and in
 * `CovarianceType`. mclust's ten models beyond scikit-learn's four are such
 * files: each stores its covariances in the layout of one of the four (its
 * {@link CovarianceStrategy.family}) and reuses that layout's kernels, and
 * only its M-step and parameter count are its own (see `constrained.ts`).
 *
 * All arrays are flat and row-major; "shape" means scikit-learn's shape for
 * the type (full k×d×d, tied d×d, diag k×d, spherical k).
 *
 * @module
 */
import type { CovarianceFamily, CovarianceType, MclustModel, MixtureParameters } from '../parameters.js';
import type { SufficientStatistics } from '../statistics.js';
import type { WasmLayout } from './wasmLayout.js';

/**
 * Everything the log-density kernel needs, precomputed once per set of
 * parameters (not per row).
 */
export interface PreparedMixture {
  /** Number of components k. */
  readonly k: number;
  /** Number of features d. */
  readonly d: number;
  /** Per component: log πₖ + log det Uₖ − (d/2)·log 2π. */
  readonly constants: Float64Array;
  /** Component means (k × d). */
  readonly means: Float64Array;
  /** Precision factors in the layout the kernel reads (type-specific). */
  readonly factors: Float64Array;
  /** Type-specific extra precomputation (may be empty). */
  readonly aux: Float64Array;
  /** d values of scratch space for the kernel. */
  readonly scratch: Float64Array;
}

/**
 * A prior's part of a MAP M-step: turns sample covariances Sₖ (the family's
 * layout, in place) into pseudo-covariances Bₖ/mₖ, and returns the
 * pseudo-counts mₖ.
 */
export type PriorStep = (s: Float64Array, nk: Float64Array) => Float64Array;

/** A covariance parameterization: estimation, factorization and densities. */
export interface CovarianceStrategy {
  /** The type's name. */
  readonly type: CovarianceType;
  /**
   * The layout its covariances are stored in, which is the scikit-learn type
   * whose kernels it runs on (e.g. `'diag'` for mclust's EEI, VEI, EVI, VVI).
   */
  readonly family: CovarianceFamily;
  /** Its name in mclust (`'VVV'` for full). */
  readonly mclustName: MclustModel;

  /** Whether the components share one covariance (tied): the covariance arrays hold one block, not k. */
  readonly shared: boolean;
  /**
   * Whether every component has the same covariance, stored once (tied = EEE)
   * or k times (EII, EEI): a prior then counts once, not per component.
   */
  readonly equalCovariances: boolean;
  /**
   * Whether each covariance is a general d×d matrix (full, tied): second
   * moments are kept as the upper triangles of d×d blocks, and given
   * precisions must be symmetric.
   */
  readonly matrices: boolean;
  /** scikit-learn's shape of the covariance array in words, e.g. `'nComponents × d × d'`. */
  readonly shapeName: string;
  /**
   * The number of features d an array of this type's shape implies, or
   * undefined if the shape does not fix it (spherical: k values).
   */
  featuresOf(shape: readonly number[]): number | undefined;

  /** Its parameters' layout in the WebAssembly kernels, and its kernel. */
  readonly wasm: WasmLayout;

  /** Length of the flat covariance (and precision Cholesky) array. */
  covarianceLength(k: number, d: number): number;
  /** scikit-learn's shape of the covariance array, e.g. `[k, d, d]` for full. */
  covarianceShape(k: number, d: number): number[];
  /** Length of the second-moment array of {@link SufficientStatistics}. */
  secondMomentLength(k: number, d: number): number;
  /** Free parameters of the covariances (scikit-learn's count, which is mclust's `nVarParams`). */
  parameterCount(k: number, d: number): number;

  /**
   * The centers statistics are taken about, given the current means and
   * the data's weighted mean (k × d).
   */
  statisticsCenters(means: Float64Array, dataMean: Float64Array, k: number, d: number): Float64Array;

  /**
   * Adds rows [start, end) to `stats`.
   *
   * @param x - Data, row-major with d columns.
   * @param d - Columns.
   * @param start - First row.
   * @param end - One past the last row.
   * @param resp - (end − start) × k weighted responsibilities wᵢ·rᵢₖ (exact zeros are skipped).
   * @param stats - Accumulator.
   * @param scratch - d values of scratch space.
   */
  accumulate(
    x: Float64Array,
    d: number,
    start: number,
    end: number,
    resp: Float64Array,
    stats: SufficientStatistics,
    scratch: Float64Array,
  ): void;

  /**
   * Adds `weight`·C to component j's second moments, where C (r × r, full,
   * row-major) is a covariance over the cells `cells` (ascending column
   * indices): what a row's missing cells add to the expected statistics (their
   * conditional covariance) in EM with missing values.
   *
   * @param stats - Accumulator.
   * @param j - Component.
   * @param weight - wᵢ·rᵢⱼ.
   * @param cells - The r columns C is over, ascending.
   * @param cov - C, r × r.
   */
  accumulateCovariance(stats: SufficientStatistics, j: number, weight: number, cells: readonly number[], cov: Float64Array): void;

  /**
   * M-step covariances from statistics, `regCovar` added to the diagonal.
   *
   * @param stats - Merged statistics.
   * @param nk - Σ w·r + 10·eps per component.
   * @param means - The new means (k × d).
   * @param regCovar - Non-negative regularization.
   * @param out - Receives the covariances (the type's shape).
   * @param previous - The covariances before this M-step, if any: where the
   *   iterative M-steps (mclust's VEI, VEV, VEE, EVE, VVE) start, so that
   *   every M-step improves on the parameters it replaces; the closed-form
   *   ones ignore it.
   * @param prior - A MAP M-step's prior, if any: turns the family's sample
   *   covariances (in place) into pseudo-covariances and returns the
   *   pseudo-counts that replace nₖ where the model imposes its constraints
   *   (see `mixture/prior.ts`).
   */
  estimateCovariances(
    stats: SufficientStatistics,
    nk: Float64Array,
    means: Float64Array,
    regCovar: number,
    out: Float64Array,
    previous?: Float64Array,
    prior?: PriorStep,
  ): void;

  /**
   * Precision Cholesky factors of covariances.
   *
   * @returns -1 on success, else the first component (0 for tied) whose
   *   covariance is not positive definite.
   */
  precisionCholesky(covariances: Float64Array, k: number, d: number, out: Float64Array): number;

  /**
   * Precision Cholesky factors of precision matrices (for `precisionsInit`).
   *
   * @returns -1 on success, else the first component (0 for tied) whose
   *   precision is not positive definite.
   */
  precisionCholeskyFromPrecision(precisions: Float64Array, k: number, d: number, out: Float64Array): number;

  /** Covariances from precision Cholesky factors (inverse of the map above, for reporting). */
  covarianceFromPrecisionCholesky(precisionsCholesky: Float64Array, k: number, d: number, out: Float64Array): void;

  /** log det of each component's precision Cholesky factor (k values; equal for tied). */
  logDetCholesky(precisionsCholesky: Float64Array, k: number, d: number, out: Float64Array): void;

  /** Precomputes what {@link CovarianceStrategy.logProb} needs. */
  prepare(params: MixtureParameters): PreparedMixture;

  /**
   * Weighted log-densities log πₖ + log N(xᵢ | μₖ, Σₖ) of rows [start, end).
   *
   * @param x - Data, row-major with d columns.
   * @param d - Columns.
   * @param start - First row.
   * @param end - One past the last row.
   * @param prepared - From {@link CovarianceStrategy.prepare}.
   * @param out - Receives (end − start) × k values.
   */
  logProb(x: Float64Array, d: number, start: number, end: number, prepared: PreparedMixture, out: Float64Array): void;

  /** Component j's covariance as a full d×d matrix, written to `out`. */
  componentCovariance(covariances: Float64Array, j: number, d: number, out: Float64Array): void;

  /**
   * Turns a standard normal vector z (d values, in place) into a draw from
   * N(0, Σⱼ), using the precision Cholesky factor.
   */
  drawOffset(precisionsCholesky: Float64Array, j: number, d: number, z: Float64Array): void;
}
