/**
 * The M-step: new weights, means and covariances from sufficient statistics,
 * then the precision Cholesky factors.
 *
 * @module
 */
import { IllConditionedCovarianceError, NumericalError } from '../errors.js';
import type { CovarianceStrategy } from './covariance/index.js';
import { EPSILON, type MixtureParameters, type NoiseComponent } from './parameters.js';
import { posteriorCovariances, posteriorMeans, type ConjugatePrior } from './prior.js';
import type { SufficientStatistics } from './statistics.js';

/** What else an M-step may take into account (see {@link maximize}). */
export interface MStepOptions {
  /**
   * Divides nₖ to give the weights: `'normalize'` (Σ nₖ, plus the noise's
   * share: the EM update; default) or a number (the total row weight, as
   * scikit-learn's initialization does).
   */
  readonly weightDenominator?: 'normalize' | number;
  /**
   * The covariances the statistics were taken under, if any (where an
   * iterative M-step starts, see `estimateCovariances`).
   */
  readonly previous?: Float64Array | undefined;
  /**
   * A conjugate prior: the M-step is then its MAP estimate (see
   * `mixture/prior.ts`); the weights stay nₖ over the total.
   */
  readonly prior?: ConjugatePrior | undefined;
  /**
   * A noise component (its weight is replaced): its weight becomes the
   * statistics' `noiseWeight` over the same denominator as the components'.
   */
  readonly noise?: NoiseComponent | undefined;
}

/**
 * Parameters that maximize the expected complete-data log-likelihood given
 * the statistics (scikit-learn's `_estimate_gaussian_parameters` followed by
 * `_compute_precision_cholesky`): nₖ = Σwr + 10·eps, μₖ = Σwr·x / nₖ,
 * covariances with `regCovar` on the diagonal.
 *
 * @param strategy - Covariance strategy.
 * @param stats - Merged statistics of all rows.
 * @param regCovar - Regularization added to the covariances' diagonals.
 * @param context - Where this happens, for the error message (`"at EM iteration 3"`).
 * @param options - The weights' denominator, the previous covariances, a prior, a noise component.
 * @returns New parameters.
 * @throws {@link IllConditionedCovarianceError} naming the component whose covariance cannot be factorized.
 * @throws {@link NumericalError} if an estimate overflowed.
 */
export function maximize(
  strategy: CovarianceStrategy,
  stats: SufficientStatistics,
  regCovar: number,
  context: string,
  options: MStepOptions = {},
): MixtureParameters {
  const { weightDenominator = 'normalize', previous, prior, noise } = options;
  const { nComponents: k, nFeatures: d } = stats;
  const { nk, means, covariances } = gaussianEstimates(strategy, stats, regCovar, context, previous, prior);
  let nkSum = 0;
  for (let j = 0; j < k; j++) nkSum += nk[j];
  const noiseWeight = noise ? stats.noiseWeight : 0;
  const denominator = weightDenominator === 'normalize' ? nkSum + noiseWeight : weightDenominator;
  const weights = new Float64Array(k);
  for (let j = 0; j < k; j++) weights[j] = nk[j] / denominator;
  const precisionsCholesky = new Float64Array(covariances.length);
  const failed = strategy.precisionCholesky(covariances, k, d, precisionsCholesky);
  if (failed >= 0) {
    throw new IllConditionedCovarianceError(strategy.shared ? -1 : failed, regCovar, context);
  }
  return {
    covarianceType: strategy.type,
    nComponents: k,
    nFeatures: d,
    weights,
    means,
    covariances,
    precisionsCholesky,
    ...(noise ? { noise: { ...noise, weight: noiseWeight / denominator } } : {}),
  };
}

/** Each component's weighted count, mean and covariance, from statistics. */
export interface GaussianEstimates {
  /** nₖ = Σ w·r + 10·eps (k). */
  readonly nk: Float64Array;
  /** μₖ = Σ w·r·x / nₖ (k × d). */
  readonly means: Float64Array;
  /** The covariances about μₖ, `regCovar` on the diagonal (the type's shape). */
  readonly covariances: Float64Array;
}

/**
 * Counts, means and covariances of the components from statistics
 * (scikit-learn's `_estimate_gaussian_parameters`): what the M-step of a
 * mixture, and of a variational mixture, is made of.
 *
 * @param strategy - Covariance strategy.
 * @param stats - Merged statistics of all rows.
 * @param regCovar - Regularization added to the covariances' diagonals.
 * @param context - Where this happens, for the error message.
 * @param previous - The covariances before this M-step, if any.
 * @param prior - A conjugate prior, if any: MAP means and covariances.
 * @returns The estimates.
 * @throws {@link NumericalError} if an estimate overflowed.
 */
export function gaussianEstimates(
  strategy: CovarianceStrategy,
  stats: SufficientStatistics,
  regCovar: number,
  context: string,
  previous?: Float64Array,
  prior?: ConjugatePrior,
): GaussianEstimates {
  const { nComponents: k, nFeatures: d, centers, weight, first } = stats;
  const nk = new Float64Array(k);
  for (let j = 0; j < k; j++) nk[j] = weight[j] + 10 * EPSILON;
  const means = new Float64Array(k * d);
  for (let j = 0; j < k; j++) {
    for (let a = 0; a < d; a++) {
      const o = j * d + a;
      means[o] = (first[o] + weight[j] * centers[o]) / nk[j];
    }
  }
  const covariances = new Float64Array(strategy.covarianceLength(k, d));
  if (prior) {
    strategy.estimateCovariances(stats, nk, means, regCovar, covariances, previous, (s, counts) =>
      posteriorCovariances(strategy, prior, s, counts, means),
    );
    posteriorMeans(prior, means, nk);
  } else {
    strategy.estimateCovariances(stats, nk, means, regCovar, covariances, previous);
  }
  if (!allFinite(means) || !allFinite(covariances)) {
    throw new NumericalError(
      `the M-step ${context} overflowed (means or covariances are not finite): the data's scale is too extreme for float64. ` +
        `Scale the data, e.g. standardize each column.`,
    );
  }
  return { nk, means, covariances };
}

function allFinite(a: Float64Array): boolean {
  for (let i = 0; i < a.length; i++) if (!Number.isFinite(a[i])) return false;
  return true;
}
