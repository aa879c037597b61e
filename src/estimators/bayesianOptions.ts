/**
 * The options of `BayesianGaussianMixture` and of its fits, their validation,
 * and the priors they imply for given data (scikit-learn's defaults).
 *
 * @module
 */
import { InvalidParameterError } from '../errors.js';
import type { IterationEvent } from '../fit/em.js';
import type { FitData } from '../fit/init.js';
import type { CovarianceStrategy } from '../mixture/covariance/index.js';
import type { MatrixLike } from '../matrix/matrix.js';
import { readNested } from '../mixture/nested.js';
import { COVARIANCE_TYPES } from '../mixture/parameters.js';
import {
  WEIGHT_CONCENTRATION_PRIOR_TYPES,
  type VariationalPriors,
  type WeightConcentrationPriorType,
} from '../mixture/variational.js';
import { numberAbove, oneOf } from '../validate.js';
import type { BayesianGaussianMixture } from './bayesianGaussianMixture.js';
import { defaultCovariance, familyShape, givenCovariance } from './hyperparameters.js';
import { ASYNC_OPTIONS, EM_OPTION_NAMES, mixtureSettings, type AsyncFitOptions, type EMOptions } from './mixtureOptions.js';

/**
 * Options of `BayesianGaussianMixture`: the {@link EMOptions} and the priors,
 * as scikit-learn's `BayesianGaussianMixture` in camelCase, with its defaults.
 * A prior left undefined is scikit-learn's default, computed from the data at
 * each fit.
 */
export interface BayesianGaussianMixtureOptions extends EMOptions {
  /** The prior on the weights. Default `'dirichlet_process'`. */
  weightConcentrationPriorType?: WeightConcentrationPriorType;
  /**
   * γ₀ (Dirichlet process) or α₀ (Dirichlet distribution), > 0: small values
   * put the mass on few components, large ones spread it. Default 1/k.
   */
  weightConcentrationPrior?: number;
  /** β₀ > 0, the precision of the means' prior relative to the components'. Default 1. */
  meanPrecisionPrior?: number;
  /** m₀, the means' prior mean (d values). Default: the data's (weighted) mean. */
  meanPrior?: ArrayLike<number>;
  /** ν₀ > d − 1, the Wishart prior's degrees of freedom. Default d. */
  degreesOfFreedomPrior?: number;
  /**
   * The Wishart prior's scale as a covariance, in the type's shape: full and
   * tied a d × d symmetric positive-definite matrix, diag d positive values,
   * spherical one positive number. Default: the data's covariance (full,
   * tied), its column variances (diag) or their mean (spherical), with n − 1
   * in the denominator (Σw − 1 with sample weights).
   */
  covariancePrior?: number | ArrayLike<number> | readonly ArrayLike<number>[];
}

/** Options of `BayesianGaussianMixture.fit`. */
export interface BayesianGaussianMixtureFitOptions {
  /**
   * One non-negative weight per row, as a count: a row of weight 2 counts as
   * two rows, against the priors too (so, unlike `GaussianMixture`'s, the
   * weights' scale matters). Default all ones.
   */
  sampleWeight?: ArrayLike<number>;
  /** Names of the d features, stored in the model. */
  featureNames?: readonly string[];
  /** Called after every iteration of every run, with the lower bound after its M-step. */
  onIteration?: (event: IterationEvent) => void;
  /**
   * Start from these responsibilities (n × k, non-negative, each row summing
   * to 1) instead of `initParams`: one run, from scikit-learn's
   * `_initialize(X, resp)`. Default: from `initParams`.
   */
  responsibilitiesInit?: MatrixLike;
}

/** Options of `BayesianGaussianMixture.fitAsync`: those of `fit`, threads and an abort signal. */
export interface BayesianGaussianMixtureFitAsyncOptions extends BayesianGaussianMixtureFitOptions, AsyncFitOptions {}

/** The names `fit` accepts. */
export const BAYESIAN_FIT_OPTIONS: readonly string[] = ['sampleWeight', 'featureNames', 'onIteration', 'responsibilitiesInit'];

/** The names `fitAsync` accepts. */
export const BAYESIAN_FIT_ASYNC_OPTIONS: readonly string[] = [...BAYESIAN_FIT_OPTIONS, ...ASYNC_OPTIONS];

const OPTION_NAMES = [
  ...EM_OPTION_NAMES,
  'weightConcentrationPriorType',
  'weightConcentrationPrior',
  'meanPrecisionPrior',
  'meanPrior',
  'degreesOfFreedomPrior',
  'covariancePrior',
];

/** The validated options of a `BayesianGaussianMixture`: its public settings. */
export type BayesianSettings = Pick<
  BayesianGaussianMixture,
  | 'nComponents'
  | 'covarianceType'
  | 'tol'
  | 'regCovar'
  | 'maxIter'
  | 'nInit'
  | 'initParams'
  | 'seed'
  | 'weightConcentrationPriorType'
  | 'weightConcentrationPrior'
  | 'meanPrecisionPrior'
  | 'meanPrior'
  | 'degreesOfFreedomPrior'
  | 'covariancePrior'
>;

/**
 * Checks the option names and values that do not depend on the data.
 *
 * @param options - The constructor's options.
 * @returns The settings.
 * @throws {@link InvalidParameterError} for an unknown option or a value out of range.
 */
export function bayesianSettings(options: BayesianGaussianMixtureOptions): BayesianSettings {
  const { nComponents, covarianceType, tol, regCovar, maxIter, nInit, initParams, seed } = mixtureSettings(
    options,
    OPTION_NAMES,
    'BayesianGaussianMixture',
    COVARIANCE_TYPES,
  );
  const positive = (name: string, value: number | undefined): number | undefined =>
    value === undefined ? undefined : numberAbove(name, value);
  return {
    nComponents,
    covarianceType,
    tol,
    regCovar,
    maxIter,
    nInit,
    initParams,
    seed,
    weightConcentrationPriorType: oneOf(
      'weightConcentrationPriorType',
      options.weightConcentrationPriorType ?? 'dirichlet_process',
      WEIGHT_CONCENTRATION_PRIOR_TYPES,
    ),
    weightConcentrationPrior: positive('weightConcentrationPrior', options.weightConcentrationPrior),
    meanPrecisionPrior: positive('meanPrecisionPrior', options.meanPrecisionPrior),
    meanPrior: options.meanPrior,
    degreesOfFreedomPrior: positive('degreesOfFreedomPrior', options.degreesOfFreedomPrior),
    covariancePrior: options.covariancePrior,
  };
}

/**
 * The priors for a fit: the given ones checked against the data's width d,
 * the others scikit-learn's defaults from the data.
 *
 * @param settings - The validated options.
 * @param data - The fit's data.
 * @param strategy - Covariance strategy.
 * @returns The priors.
 * @throws {@link InvalidParameterError} for a `meanPrior` that is not d finite
 *   numbers, a `degreesOfFreedomPrior` ≤ d − 1, a `covariancePrior` of the
 *   wrong shape or not positive definite, or (for the default covariance
 *   prior) sample weights summing to at most 1.
 */
export function variationalPriors(settings: BayesianSettings, data: FitData, strategy: CovarianceStrategy): VariationalPriors {
  const d = data.X.cols;
  const k = settings.nComponents;
  const meanPrior =
    settings.meanPrior === undefined
      ? Float64Array.from(data.dataMean)
      : readNested(settings.meanPrior, [d], 'meanPrior', (path, problem) =>
          InvalidParameterError.withMessage('meanPrior', settings.meanPrior, `${path} ${problem} (one value per feature)`),
        );
  const nu0 = settings.degreesOfFreedomPrior ?? d;
  if (!(nu0 > d - 1)) {
    throw new InvalidParameterError('degreesOfFreedomPrior', nu0, `a number > ${d - 1} (the number of features − 1)`);
  }
  return {
    weightConcentrationPriorType: settings.weightConcentrationPriorType,
    weightConcentrationPrior: settings.weightConcentrationPrior ?? 1 / k,
    meanPrecisionPrior: settings.meanPrecisionPrior ?? 1,
    meanPrior,
    degreesOfFreedomPrior: nu0,
    covariancePrior:
      settings.covariancePrior === undefined
        ? familyShape(defaultCovariance(data, 'covariancePrior'), d, strategy.family)
        : givenCovariance('covariancePrior', settings.covariancePrior, d, strategy.family, strategy.type),
  };
}
