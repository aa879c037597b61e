/**
 * The options of `BayesianGaussianMixture` and of its fits, their validation,
 * and the priors they imply for given data (scikit-learn's defaults).
 *
 * @module
 */
import { InvalidParameterError } from '../errors.js';
import type { IterationEvent } from '../fit/em.js';
import type { FitData } from '../fit/init.js';
import { asMatrix, type MatrixLike } from '../matrix/matrix.js';
import type { CovarianceStrategy } from '../mixture/covariance/index.js';
import { readNested } from '../mixture/nested.js';
import { COVARIANCE_TYPES, type CovarianceFamily } from '../mixture/parameters.js';
import {
  WEIGHT_CONCENTRATION_PRIOR_TYPES,
  type VariationalPriors,
  type WeightConcentrationPriorType,
} from '../mixture/variational.js';
import { numberAbove, oneOf } from '../validate.js';
import type { BayesianGaussianMixture } from './bayesianGaussianMixture.js';
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
        ? dataCovariance(data, strategy)
        : givenCovariance(settings.covariancePrior, d, strategy),
  };
}

/** The default Wishart scale: the data's covariance (ddof 1), reduced to the type's shape. */
function dataCovariance(data: FitData, strategy: CovarianceStrategy): Float64Array {
  const { X, weights, totalWeight, dataMean } = data;
  const { rows: n, cols: d, data: x } = X;
  if (!(totalWeight > 1)) {
    throw new InvalidParameterError(
      'sampleWeight',
      totalWeight,
      'weights summing to more than 1 (the default covariancePrior divides by Σw − 1)',
      'Give covariancePrior, or weights that count rows',
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
    for (let b = a; b < d; b++) cov[b * d + a] = cov[a * d + b] = cov[a * d + b]! / (totalWeight - 1);
  }
  if (strategy.matrices) return cov;
  const variances = Float64Array.from({ length: d }, (_, a) => cov[a * d + a]!);
  if (strategy.family === 'diag') return variances;
  return Float64Array.of(variances.reduce((s, v) => s + v, 0) / d);
}

/** A given Wishart scale, checked: symmetric positive definite in the type's shape. */
function givenCovariance(
  value: NonNullable<BayesianSettings['covariancePrior']>,
  d: number,
  strategy: CovarianceStrategy,
): Float64Array {
  const shapes: Record<CovarianceFamily, { shape: number[]; words: string }> = {
    full: { shape: [d, d], words: `a ${d} × ${d} symmetric positive-definite matrix` },
    tied: { shape: [d, d], words: `a ${d} × ${d} symmetric positive-definite matrix` },
    diag: { shape: [d], words: `${d} positive numbers (one variance per feature)` },
    spherical: { shape: [], words: 'a positive number' },
  };
  const { shape, words } = shapes[strategy.family];
  const flat =
    shape.length === 2 && typeof value === 'object' && value !== null && 'data' in value
      ? asMatrix(value as MatrixLike, 'covariancePrior').data
      : readNested(value, shape, 'covariancePrior', (path, problem) =>
          InvalidParameterError.withMessage('covariancePrior', value, `${path} ${problem}: ${words} for '${strategy.type}'`),
        );
  if (shape.length === 2) {
    if (flat.length !== d * d) throw new InvalidParameterError('covariancePrior', value, words);
    for (let a = 0; a < d; a++) {
      for (let b = a + 1; b < d; b++) {
        const u = flat[a * d + b]!;
        const l = flat[b * d + a]!;
        if (Math.abs(u - l) > 1e-8 + 1e-5 * Math.abs(l)) {
          throw InvalidParameterError.withMessage(
            'covariancePrior',
            u,
            `covariancePrior must be symmetric: covariancePrior[${a}][${b}] = ${u} but covariancePrior[${b}][${a}] = ${l}`,
          );
        }
      }
    }
  }
  const factor = new Float64Array(flat.length);
  if (strategy.precisionCholesky(flat, 1, d, factor) >= 0) throw new InvalidParameterError('covariancePrior', value, words);
  return flat;
}
