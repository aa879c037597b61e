/**
 * The `prior` option of `GaussianMixture` (and `selectModel`): mclust's
 * `priorControl()`, checked, and its `defaultPrior` for given data — the
 * hyperparameters a fit's MAP M-step uses (see `mixture/prior.ts`).
 *
 * @module
 */
import { InvalidParameterError } from '../errors.js';
import type { FitData } from '../fit/init.js';
import type { MatrixLike } from '../matrix/matrix.js';
import { covarianceStrategy, type CovarianceStrategy } from '../mixture/covariance/index.js';
import { readNested } from '../mixture/nested.js';
import type { ConjugatePrior } from '../mixture/prior.js';
import { checkOptionNames, nonNegativeNumber, numberAbove } from '../validate.js';
import { defaultCovariance, familyShape, givenCovariance } from './hyperparameters.js';

/**
 * The conjugate prior of Fraley & Raftery (2007), as mclust's
 * `priorControl(...)`: a normal prior on each mean given its covariance,
 * μₖ | Σₖ ~ N(`mean`, Σₖ / `shrinkage`), and an inverse Wishart (or, for
 * diagonal and spherical models, inverse gamma) prior on the covariances with
 * `dof` degrees of freedom and scale `scale`. Every value left out is
 * mclust's `defaultPrior`, computed from the data (in the fit's units, so
 * standardized with `standardize`) and the number of components k at each
 * fit.
 */
export interface PriorOptions {
  /** κ ≥ 0, the mean prior's weight in rows (0: no prior on the means). Default 0.01. */
  shrinkage?: number;
  /** The prior mean (d values). Default: the data's (weighted) column means. */
  mean?: ArrayLike<number>;
  /**
   * ν: degrees of freedom, > d − 1 for the models with an orientation (full
   * family: VVV, EEE, VEV, …), > 0 for the others. Default d + 2.
   */
  dof?: number;
  /**
   * The scale Λ: for the models with an orientation a d × d symmetric
   * positive-definite matrix (default: the data's covariance / k^(2/d)); for
   * the diagonal and spherical ones a positive number ς² (default: the mean
   * of the columns' variances / k^(2/d)). Variances divide by Σw − 1.
   */
  scale?: number | MatrixLike;
}

/** The names a {@link PriorOptions} may have. */
const PRIOR_NAMES: readonly string[] = ['shrinkage', 'mean', 'dof', 'scale'];

/**
 * The `prior` option, checked as far as it can be without the data: `true`
 * is mclust's `priorControl()` (every default), `false` or undefined no prior.
 *
 * @param value - The option's value.
 * @returns The prior's given values, or undefined for no prior.
 * @throws {@link InvalidParameterError} for another value, an unknown name, or a value out of range.
 */
export function priorOption(value: unknown): PriorOptions | undefined {
  if (value === undefined || value === false) return undefined;
  if (value === true) return {};
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new InvalidParameterError('prior', value, 'true, false, or an object { shrinkage, mean, dof, scale }');
  }
  checkOptionNames(value, PRIOR_NAMES, 'prior');
  const options = value as PriorOptions;
  if (options.shrinkage !== undefined) nonNegativeNumber('prior.shrinkage', options.shrinkage);
  if (options.dof !== undefined) numberAbove('prior.dof', options.dof);
  if (options.scale !== undefined && typeof options.scale === 'number') numberAbove('prior.scale', options.scale);
  return { ...options };
}

/**
 * mclust's `defaultPrior(data, G, modelName)` with the given values in place
 * of its defaults, for one fit.
 *
 * @param options - The checked option (see {@link priorOption}).
 * @param data - The fit's data, in the fit's units.
 * @param k - Components.
 * @param strategy - The model's strategy (its family picks the scale's shape and default).
 * @param strength - The factor the fit's weights were rescaled by (1 without sample weights).
 * @returns The prior.
 * @throws {@link InvalidParameterError} for a mean that is not d numbers, a dof ≤ d − 1 for the full family,
 *   a scale of the wrong shape or not positive definite, or (for the default scale) weights summing to at most 1.
 */
export function resolvePrior(
  options: PriorOptions,
  data: FitData,
  k: number,
  strategy: CovarianceStrategy,
  strength: number,
): ConjugatePrior {
  const d = data.X.cols;
  const { matrices } = strategy;
  const mean =
    options.mean === undefined
      ? Float64Array.from(data.dataMean)
      : readNested(options.mean, [d], 'prior.mean', (path, problem) =>
          InvalidParameterError.withMessage('prior.mean', options.mean, `${path} ${problem} (one value per feature)`),
        );
  const dof = options.dof ?? d + 2;
  if (matrices && !(dof > d - 1)) {
    throw new InvalidParameterError(
      'prior.dof',
      dof,
      `a number > ${d - 1} (the number of features − 1) for '${strategy.type}', whose covariances have an inverse Wishart prior`,
    );
  }
  return {
    shrinkage: options.shrinkage ?? 0.01,
    mean,
    dof,
    scale: givenScale(options.scale, data, k, strategy, strength),
    strength,
  };
}

/** The scale Λ: given (a number is ς²·I for the full family), or mclust's default. */
function givenScale(
  scale: PriorOptions['scale'],
  data: FitData,
  k: number,
  strategy: CovarianceStrategy,
  strength: number,
): Float64Array {
  const d = data.X.cols;
  const { matrices } = strategy;
  if (scale !== undefined) {
    if (typeof scale === 'number') {
      if (!matrices) return Float64Array.of(scale);
      const identity = new Float64Array(d * d);
      for (let a = 0; a < d; a++) identity[a * d + a] = scale;
      return identity;
    }
    if (!matrices) {
      throw new InvalidParameterError(
        'prior.scale',
        scale,
        `a positive number for '${strategy.type}', whose variances have an inverse gamma prior`,
      );
    }
    return givenCovariance('prior.scale', scale, d, strategy.family, strategy.type);
  }
  // mclust: var(data)·k^(−2/d), or its diagonal with no more rows than columns; the mean variance for the others.
  const cov = defaultCovariance(data, 'prior.scale', strength);
  const factor = k ** (-2 / d);
  if (matrices && data.X.rows <= d) for (let a = 0; a < d; a++) for (let b = 0; b < d; b++) if (a !== b) cov[a * d + b] = 0;
  const scaled = (matrices ? cov : familyShape(cov, d, 'spherical')).map((v) => v * factor);
  const factorOut = new Float64Array(scaled.length);
  if (covarianceStrategy(matrices ? 'full' : 'spherical').precisionCholesky(scaled, 1, d, factorOut) >= 0) {
    throw InvalidParameterError.withMessage(
      'prior.scale',
      undefined,
      `the default prior.scale, the data's covariance / k^(2/d), is not positive definite (a constant column, or columns that are linear combinations of others): give prior.scale`,
    );
  }
  return scaled;
}
