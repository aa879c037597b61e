/**
 * The options of `GaussianMixture` and of its fits, and their validation:
 * names, defaults and ranges in one place (the class keeps only what it
 * does with them).
 *
 * @module
 */
import type { PassProgress } from '../fit/streamRows.js';
import { InvalidParameterError } from '../errors.js';
import type { IterationEvent } from '../fit/em.js';
import type { InitParams } from '../fit/init.js';
import type { MatrixLike } from '../matrix/matrix.js';
import { ALL_COVARIANCE_TYPES, type CovarianceType } from '../mixture/parameters.js';
import { booleanValue, checkOptionNames, integerAtLeast, nonNegativeNumber, oneOf, seedValue } from '../validate.js';
import type { GaussianMixture } from './gaussianMixture.js';
import type { GaussianMixtureModel } from './mixtureModel.js';
import { noiseOption, type NoiseOptions } from './mixtureNoise.js';
import { priorOption, type PriorOptions } from './mixturePrior.js';

/**
 * The EM options of every mixture estimator (`GaussianMixture`,
 * `BayesianGaussianMixture`). Names follow scikit-learn's in camelCase;
 * defaults are scikit-learn's (the seed excepted: fits are reproducible by
 * default).
 */
export interface EMOptions {
  /** Number of components k (for a `BayesianGaussianMixture`, an upper bound). Default 1. */
  nComponents?: number;
  /**
   * Covariance parameterization: scikit-learn's `'full'`, `'tied'`, `'diag'`,
   * `'spherical'`, or (`GaussianMixture` only) any of mclust's fourteen models
   * `'EII'` … `'VVV'` (`MCLUST_MODELS`). Default `'full'`.
   */
  covarianceType?: CovarianceType;
  /**
   * EM stops when the lower bound changes by less than `tol` (a `GaussianMixture`'s is a mean over the rows, a
   * `BayesianGaussianMixture`'s a sum). Default 1e-3.
   */
  tol?: number;
  /** Non-negative value added to covariance diagonals, keeping them positive definite. Default 1e-6. */
  regCovar?: number;
  /** Maximum EM iterations per run (0: keep the initialization). Default 100. */
  maxIter?: number;
  /** Runs from different initializations; the one with the best lower bound is kept. Default 1. */
  nInit?: number;
  /**
   * How initial responsibilities are chosen: `'kmeans'` (default), `'k-means++'`,
   * `'random'` or `'random_from_data'` (scikit-learn's), or `'hc'`: mclust's
   * default start, its VVV model-based hierarchical clustering (at most 2000
   * rows; the same start for every run).
   */
  initParams?: InitParams;
  /** Seed of the random generator (`Random`) driving every random choice. Default 0. */
  seed?: number;
}

/** Options of `GaussianMixture`: the {@link EMOptions}, initial values, standardization, missing cells. */
export interface GaussianMixtureOptions extends EMOptions {
  /** Initial weights (k values in [0, 1] summing to 1). Default: from `initParams`. */
  weightsInit?: ArrayLike<number>;
  /** Initial means (k × d). Default: from `initParams`. */
  meansInit?: MatrixLike;
  /**
   * Initial precisions (inverse covariances) in scikit-learn's shapes: full
   * k×d×d, tied d×d, diag k×d, spherical k. Default: from `initParams`.
   */
  precisionsInit?: readonly unknown[];
  /**
   * Fit on standardized columns (each centered on its weighted mean and divided by its standard deviation, as
   * scikit-learn's `StandardScaler`), so that a feature in thousands does not outweigh one in units in the k-means
   * start, `regCovar` and the diag and spherical shapes. The model keeps the scaler and takes and returns the
   * data's units everywhere; `meansInit` and `precisionsInit` are then in standardized units. Default false.
   */
  standardize?: boolean;
  /**
   * What a NaN cell in the data means: `'error'` (default) refuses it, naming the cell; `'marginalize'` treats it
   * as missing at random and fits by EM over the observed cells only (Ghahramani & Jordan 1994): each row counts by
   * the density of its observed cells, and its missing cells enter the statistics with their conditional mean and
   * covariance. The k-means start fills missing cells with their column's mean. Data with no NaN fit exactly as
   * without the option.
   */
  missing?: 'error' | 'marginalize';
  /**
   * The precision of the fit's data and kernels. `'float64'` (default): everything in f64. `'float32'` (as
   * scikit-learn ≥ 1.6 on float32 input, and pomegranate): the rows are rounded to f32 once, and the full
   * covariance type's WebAssembly kernel (d > 4) runs the E-step's triangular products in f32, four values per
   * SIMD instruction instead of two and half the memory for the rows, while the sums of squares, the log-sum-exp,
   * every statistic (on δ = x − μ widened exactly to f64) and the M-step stay in f64. The other types, few
   * features and the TypeScript kernels run the f64 kernels on the rounded rows. The fitted model and its scoring
   * are f64. Measured accuracy and speed: the README's "Single precision" section. Refused (with this option
   * named) over a `DataSource` and in SQL, so far.
   */
  dtype?: 'float64' | 'float32';
  /**
   * A conjugate prior (Fraley & Raftery 2007, mclust's `priorControl()`):
   * `true` for mclust's `defaultPrior` (shrinkage 0.01, the data's mean,
   * d + 2 degrees of freedom, the data's covariance / k^(2/d) as the scale),
   * or a {@link PriorOptions} overriding some of it. EM then finds the
   * maximum a posteriori estimate, which keeps every covariance positive
   * definite where maximum likelihood makes one singular (a component on a
   * few rows, or on rows equal in some column); `lowerBound` is then the
   * log-posterior per row, and `score`, `bic` and `aic` still the likelihood
   * at the estimate (as mclust's BIC with a prior). Default: none.
   */
  prior?: boolean | PriorOptions;
  /**
   * A noise component (mclust's): a uniform density over the data's
   * hypervolume beside the k Gaussians, with its own weight, for scattered
   * points that belong to no cluster. `true` for the defaults, or a
   * {@link NoiseOptions} (which rows start in the noise, the volume). The
   * model's `predict` then labels noise rows −1 and `predictProba` has a
   * last column for the noise; `nParameters` counts its weight and volume (as mclust). Not with
   * `missing: 'marginalize'`. Default: none.
   */
  noise?: boolean | NoiseOptions;
}

/** Options of `GaussianMixture.fit` (and `iterate`). */
export interface GaussianMixtureFitOptions {
  /**
   * One non-negative weight per row (e.g. counts of duplicated rows): weighted
   * sufficient statistics in the E and M steps. All ones (the default) gives
   * the unweighted fit.
   */
  sampleWeight?: ArrayLike<number>;
  /**
   * Warm start: begin EM from this fitted model's weights, means and
   * precisions (one run; the lower bound starts afresh). It must have the
   * same covariance type, number of components and features.
   */
  initModel?: GaussianMixtureModel;
  /** Names of the d features, stored in the model. */
  featureNames?: readonly string[];
  /** Called after every EM iteration of every run (a convergence trace, progress). */
  onIteration?: (event: IterationEvent) => void;
}

/** Where a mixture's `fitAsync` runs: how many worker threads, and a signal that aborts it. */
export interface AsyncFitOptions {
  /** Number of worker threads. Default: the machine's cores. */
  threads?: number;
  /** Aborts the fit: the promise rejects with the signal's reason and the workers stop. */
  signal?: AbortSignal;
}

/** Options of `GaussianMixture.fitAsync`: those of `fit`, threads and an abort signal. */
export interface GaussianMixtureFitAsyncOptions extends GaussianMixtureFitOptions, AsyncFitOptions {}

/**
 * Options of `GaussianMixture.fitAsync(source)`, a fit over a `DataSource`:
 * those of `fitAsync` except `sampleWeight` (a source's chunks carry their
 * weights), plus the sample the initialization runs on and a progress
 * callback per block of rows. `threads`: worker threads computing the blocks'
 * E-steps while the calling thread reads the next ones (default: the
 * machine's cores less one, the reading thread's), for sources of more than one block (about 4 million
 * values); a smaller source is computed on the calling thread.
 */
export interface SourceFitOptions extends Omit<GaussianMixtureFitAsyncOptions, 'sampleWeight'> {
  /**
   * Rows of the seeded uniform sample (reservoir sampling in the first pass)
   * that the initialization (k-means, k-means++, random rows, hc) runs on.
   * Default 100,000. A source of at most this many rows is its own sample,
   * and the fit is then bit-identical to the in-memory `fit` of its rows.
   */
  sampleSize?: number;
  /** Called after every block of rows of every E-step's pass over the source. */
  onProgress?: (progress: PassProgress) => void;
}

/** The names `fitAsync(source)` accepts. */
export const SOURCE_FIT_OPTIONS: readonly string[] = [
  'initModel',
  'featureNames',
  'onIteration',
  'signal',
  'threads',
  'sampleSize',
  'onProgress',
];

/** The names `fit` and `iterate` accept. */
export const FIT_OPTIONS: readonly string[] = ['sampleWeight', 'initModel', 'featureNames', 'onIteration'];

/** The names {@link AsyncFitOptions} adds to a `fit`'s. */
export const ASYNC_OPTIONS: readonly string[] = ['threads', 'signal'];

/** The names `fitAsync` accepts. */
export const FIT_ASYNC_OPTIONS: readonly string[] = [...FIT_OPTIONS, ...ASYNC_OPTIONS];

/** The EM options every mixture estimator takes (`GaussianMixture`, `BayesianGaussianMixture`). */
export const EM_OPTION_NAMES: readonly string[] = [
  'nComponents',
  'covarianceType',
  'tol',
  'regCovar',
  'maxIter',
  'nInit',
  'initParams',
  'seed',
];

const OPTION_NAMES = [
  ...EM_OPTION_NAMES,
  'weightsInit',
  'meansInit',
  'precisionsInit',
  'standardize',
  'missing',
  'dtype',
  'prior',
  'noise',
];

/** The precisions of a fit (the `dtype` option). */
export const DTYPES = ['float64', 'float32'] as const;

/** What a NaN cell may mean (the `missing` option of fits and of scoring). */
export const MISSING_MODES = ['error', 'marginalize'] as const;

/** The initialization methods. */
export const INIT_PARAMS: readonly InitParams[] = ['kmeans', 'k-means++', 'random', 'random_from_data', 'hc'];

/** The scalar options of a `GaussianMixture`, validated, with their defaults: its public settings. */
export type MixtureSettings = Pick<
  GaussianMixture,
  | 'nComponents'
  | 'covarianceType'
  | 'tol'
  | 'regCovar'
  | 'maxIter'
  | 'nInit'
  | 'initParams'
  | 'seed'
  | 'standardize'
  | 'missing'
  | 'dtype'
  | 'prior'
  | 'noise'
>;

/**
 * Checks the option names and the scalar options, and fills in the defaults.
 * (The initial values, `weightsInit`, `meansInit` and `precisionsInit`, are
 * checked by `mixtureStart`'s `givenStart`.)
 *
 * @param options - The constructor's options.
 * @param names - The option names the constructor accepts (`BayesianGaussianMixture` has others).
 * @param owner - The constructor, for messages.
 * @param covarianceTypes - The covariance types it accepts (`BayesianGaussianMixture`: scikit-learn's four).
 * @returns The settings.
 * @throws {@link InvalidParameterError} for an unknown option or a value out of range.
 */
export function mixtureSettings(
  options: GaussianMixtureOptions,
  names: readonly string[] = OPTION_NAMES,
  owner = 'GaussianMixture',
  covarianceTypes: readonly CovarianceType[] = ALL_COVARIANCE_TYPES,
): MixtureSettings {
  checkOptionNames(options, names, owner);
  if (options.noise !== undefined && options.noise !== false && options.missing === 'marginalize') {
    throw InvalidParameterError.withMessage(
      'noise',
      options.noise,
      "noise cannot be combined with missing: 'marginalize' (a uniform density's marginal over a rotated box is not uniform)",
    );
  }
  return {
    nComponents: integerAtLeast('nComponents', options.nComponents ?? 1),
    covarianceType: oneOf('covarianceType', options.covarianceType ?? 'full', covarianceTypes),
    tol: nonNegativeNumber('tol', options.tol ?? 1e-3),
    regCovar: nonNegativeNumber('regCovar', options.regCovar ?? 1e-6),
    maxIter: integerAtLeast('maxIter', options.maxIter ?? 100, 0),
    nInit: integerAtLeast('nInit', options.nInit ?? 1),
    initParams: oneOf('initParams', options.initParams ?? 'kmeans', INIT_PARAMS),
    seed: seedValue('seed', options.seed ?? 0),
    standardize: booleanValue('standardize', options.standardize ?? false),
    missing: oneOf('missing', options.missing ?? 'error', MISSING_MODES),
    dtype: oneOf('dtype', options.dtype ?? 'float64', DTYPES),
    prior: priorOption(options.prior),
    noise: noiseOption(options.noise),
  };
}
