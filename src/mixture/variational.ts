/**
 * The variational Bayesian Gaussian mixture (Bishop 2006, §10.2; Blei &
 * Jordan 2006 for the Dirichlet process), with scikit-learn's
 * parameterization: a Dirichlet (or truncated stick-breaking) prior on the
 * weights, a Gaussian prior on each mean and a Wishart prior on each
 * precision. Its M-step and lower bound are made of the same sufficient
 * statistics as the maximum-likelihood mixture's, and its E-step is that
 * mixture's E-step with other per-component constants (`logWeights`), so it
 * runs on the same engines, chunks, threads and EM loop.
 *
 * @module
 */
import { IllConditionedCovarianceError } from '../errors.js';
import { digamma, logBeta, logGamma } from '../matrix/special.js';
import type { CovarianceStrategy } from './covariance/index.js';
import { gaussianEstimates } from './mstep.js';
import type { MixtureParameters } from './parameters.js';
import type { SufficientStatistics } from './statistics.js';

/**
 * The prior on the mixing weights: `'dirichlet_process'`, a Dirichlet process
 * truncated at k components (stick-breaking with Beta(1, γ₀) sticks), which
 * empties the components the data do not need; or `'dirichlet_distribution'`,
 * a symmetric Dirichlet(α₀) on the k weights.
 */
export type WeightConcentrationPriorType = 'dirichlet_process' | 'dirichlet_distribution';

/** The weight priors, in scikit-learn's order. */
export const WEIGHT_CONCENTRATION_PRIOR_TYPES: readonly WeightConcentrationPriorType[] = [
  'dirichlet_process',
  'dirichlet_distribution',
];

/** The priors of a variational mixture (scikit-learn's `*_prior_` attributes). */
export interface VariationalPriors {
  /** The weight prior's type. */
  readonly weightConcentrationPriorType: WeightConcentrationPriorType;
  /** γ₀ (Dirichlet process) or α₀ (Dirichlet distribution), > 0. */
  readonly weightConcentrationPrior: number;
  /** β₀ > 0: the mean prior's precision, in units of each component's precision. */
  readonly meanPrecisionPrior: number;
  /** m₀, the means' prior mean (d). */
  readonly meanPrior: Float64Array;
  /** ν₀ > d − 1: the Wishart prior's degrees of freedom. */
  readonly degreesOfFreedomPrior: number;
  /**
   * The Wishart prior's scale, as a covariance Ψ₀ (W₀⁻¹) in the type's
   * shape: full and tied d × d, diag d, spherical 1 value.
   */
  readonly covariancePrior: Float64Array;
}

/**
 * The variational posterior after an M-step: q(π) q(μ, Λ).
 * `parameters` are what the next E-step runs under, and, without
 * `logWeights`, the mixture the model reports: the weights' posterior mean,
 * the means mₖ, and the covariances Wₖ⁻¹/νₖ (scikit-learn's `covariances_`).
 */
export interface VariationalPosterior {
  /** The mixture's parameters, with `logWeights` for the E-step. */
  readonly parameters: MixtureParameters;
  /** Dirichlet process: 2k values, the Beta parameters aₖ then bₖ; Dirichlet: the k αₖ. */
  readonly weightConcentration: Float64Array;
  /** βₖ (k). */
  readonly meanPrecision: Float64Array;
  /** νₖ (k; one value for tied). */
  readonly degreesOfFreedom: Float64Array;
}

/**
 * The M-step of variational inference (scikit-learn's `_m_step` of
 * `BayesianGaussianMixture`): from the statistics' counts nₖ, means x̄ₖ and
 * covariances Sₖ (`regCovar` on the diagonal), the posterior's
 * concentrations, βₖ = β₀ + nₖ, mₖ = (β₀m₀ + nₖx̄ₖ)/βₖ, νₖ = ν₀ + nₖ, and
 * Wₖ⁻¹ = Ψ₀ + nₖSₖ + (β₀nₖ/βₖ)(x̄ₖ − m₀)(x̄ₖ − m₀)ᵀ, reported divided by νₖ.
 * Tied shares one Wishart: ν = ν₀ + n/k, W⁻¹ = Ψ₀ + S·n/k + (β₀/k) Σₖ (nₖ/βₖ)(x̄ₖ − m₀)(x̄ₖ − m₀)ᵀ.
 *
 * @param strategy - Covariance strategy.
 * @param stats - Statistics of the rows (an E-step's, or a start's).
 * @param priors - The priors.
 * @param regCovar - Regularization added to Sₖ's diagonal.
 * @param context - Where this happens, for error messages.
 * @returns The posterior.
 * @throws {@link IllConditionedCovarianceError} if a covariance cannot be factorized.
 * @throws {@link NumericalError} if an estimate overflowed.
 */
export function variationalPosterior(
  strategy: CovarianceStrategy,
  stats: SufficientStatistics,
  priors: VariationalPriors,
  regCovar: number,
  context: string,
): VariationalPosterior {
  const { nComponents: k, nFeatures: d } = stats;
  const { nk, means: xk, covariances: sk } = gaussianEstimates(strategy, stats, regCovar, context);
  const { meanPrecisionPrior: beta0, meanPrior: m0, degreesOfFreedomPrior: nu0, covariancePrior: psi0 } = priors;

  const meanPrecision = new Float64Array(k);
  const means = new Float64Array(k * d);
  for (let j = 0; j < k; j++) {
    meanPrecision[j] = beta0 + nk[j];
    for (let a = 0; a < d; a++) means[j * d + a] = (beta0 * m0[a] + nk[j] * xk[j * d + a]) / meanPrecision[j];
  }

  const covariances = new Float64Array(sk.length);
  const degreesOfFreedom = new Float64Array(strategy.shared ? 1 : k);
  const diff = (j: number, a: number): number => xk[j * d + a] - m0[a];
  switch (strategy.family) {
    case 'full':
      for (let j = 0; j < k; j++) {
        const nu = (degreesOfFreedom[j] = nu0 + nk[j]);
        const shrink = (nk[j] * beta0) / meanPrecision[j];
        const o = j * d * d;
        for (let a = 0; a < d; a++)
          for (let b = 0; b < d; b++)
            covariances[o + a * d + b] = (psi0[a * d + b] + nk[j] * sk[o + a * d + b] + shrink * diff(j, a) * diff(j, b)) / nu;
      }
      break;
    case 'tied': {
      let n = 0;
      for (let j = 0; j < k; j++) n += nk[j];
      const nu = (degreesOfFreedom[0] = nu0 + n / k);
      for (let a = 0; a < d; a++) {
        for (let b = 0; b < d; b++) {
          let spread = 0;
          for (let j = 0; j < k; j++) spread += (nk[j] / meanPrecision[j]) * diff(j, a) * diff(j, b);
          covariances[a * d + b] = (psi0[a * d + b] + (sk[a * d + b] * n) / k + (beta0 / k) * spread) / nu;
        }
      }
      break;
    }
    case 'diag':
      for (let j = 0; j < k; j++) {
        const nu = (degreesOfFreedom[j] = nu0 + nk[j]);
        const shrink = beta0 / meanPrecision[j];
        for (let a = 0; a < d; a++) {
          const o = j * d + a;
          covariances[o] = (psi0[a] + nk[j] * (sk[o] + shrink * diff(j, a) ** 2)) / nu;
        }
      }
      break;
    case 'spherical':
      for (let j = 0; j < k; j++) {
        const nu = (degreesOfFreedom[j] = nu0 + nk[j]);
        let square = 0;
        for (let a = 0; a < d; a++) square += diff(j, a) ** 2;
        covariances[j] = (psi0[0] + nk[j] * (sk[j] + ((beta0 / meanPrecision[j]) * square) / d)) / nu;
      }
      break;
    default: {
      const unreachable: never = strategy.family;
      throw new Error(`no variational posterior for covariance type ${String(unreachable)}`);
    }
  }
  const precisionsCholesky = new Float64Array(covariances.length);
  const failed = strategy.precisionCholesky(covariances, k, d, precisionsCholesky);
  if (failed >= 0) throw new IllConditionedCovarianceError(strategy.shared ? -1 : failed, regCovar, context);

  const weightConcentration = concentrations(priors, nk);
  const logWeights = expectedLogWeights(priors.weightConcentrationPriorType, weightConcentration, k);
  for (let j = 0; j < k; j++) {
    // E[log det Λₖ] and E[(x − μₖ)ᵀΛₖ(x − μₖ)] beyond the plug-in Gaussian's (scikit-learn's _estimate_log_prob).
    const nu = degreesOfFreedom[strategy.shared ? 0 : j];
    let logLambda = d * Math.LN2;
    for (let a = 0; a < d; a++) logLambda += digamma(0.5 * (nu - a));
    logWeights[j] += -0.5 * d * Math.log(nu) + 0.5 * (logLambda - d / meanPrecision[j]);
  }
  return {
    parameters: {
      covarianceType: strategy.type,
      nComponents: k,
      nFeatures: d,
      weights: posteriorMeanWeights(priors.weightConcentrationPriorType, weightConcentration, k),
      means,
      covariances,
      precisionsCholesky,
      logWeights,
    },
    weightConcentration,
    meanPrecision,
    degreesOfFreedom,
  };
}

/** The weights' posterior concentrations (scikit-learn's `_estimate_weights`). */
function concentrations(priors: VariationalPriors, nk: Float64Array): Float64Array {
  const k = nk.length;
  const gamma0 = priors.weightConcentrationPrior;
  if (priors.weightConcentrationPriorType === 'dirichlet_distribution') return Float64Array.from(nk, (n) => gamma0 + n);
  // aₖ = 1 + nₖ, bₖ = γ₀ + Σ_{l>k} n_l (summed from the last component, as numpy's reversed cumsum).
  const out = new Float64Array(2 * k);
  let tail = 0;
  for (let j = k - 1; j >= 0; j--) {
    out[j] = 1 + nk[j];
    out[k + j] = j === k - 1 ? gamma0 : gamma0 + tail;
    tail += nk[j];
  }
  return out;
}

/** E[log πₖ] under the weights' posterior (scikit-learn's `_estimate_log_weights`). */
function expectedLogWeights(type: WeightConcentrationPriorType, concentration: Float64Array, k: number): Float64Array {
  const out = new Float64Array(k);
  if (type === 'dirichlet_distribution') {
    let sum = 0;
    for (let j = 0; j < k; j++) sum += concentration[j];
    const digammaSum = digamma(sum);
    for (let j = 0; j < k; j++) out[j] = digamma(concentration[j]) - digammaSum;
    return out;
  }
  // E[log vₖ] + Σ_{l<k} E[log(1 − v_l)] for sticks vₖ ~ Beta(aₖ, bₖ).
  let before = 0;
  for (let j = 0; j < k; j++) {
    const a = concentration[j];
    const b = concentration[k + j];
    const digammaSum = digamma(a + b);
    out[j] = digamma(a) - digammaSum + before;
    before += digamma(b) - digammaSum;
  }
  return out;
}

/** The weights' posterior mean, normalized (scikit-learn's `weights_`). */
function posteriorMeanWeights(type: WeightConcentrationPriorType, concentration: Float64Array, k: number): Float64Array {
  const out = new Float64Array(k);
  let sum = 0;
  if (type === 'dirichlet_distribution') {
    for (let j = 0; j < k; j++) sum += concentration[j];
    for (let j = 0; j < k; j++) out[j] = concentration[j] / sum;
    return out;
  }
  let remaining = 1;
  for (let j = 0; j < k; j++) {
    const a = concentration[j];
    const b = concentration[k + j];
    out[j] = (a / (a + b)) * remaining;
    remaining *= b / (a + b);
    sum += out[j];
  }
  for (let j = 0; j < k; j++) out[j] /= sum;
  return out;
}

/**
 * The variational lower bound (ELBO) of an iteration, up to the constants
 * scikit-learn drops (its `_compute_lower_bound`, a sum over the rows, not a
 * mean): −Σᵢ wᵢ Σₖ rᵢₖ log rᵢₖ − Σₖ log B(Wₖ, νₖ) − log C(concentrations) −
 * (d/2) Σₖ log βₖ, with the responsibilities of the E-step that ran under
 * `used` and the posterior `next` of the M-step that followed.
 *
 * The responsibilities' entropy is the E-step's (`stats.entropy`, summed
 * row by row as the responsibilities are made).
 *
 * @param strategy - Covariance strategy.
 * @param stats - The E-step's statistics.
 * @param used - The parameters that E-step ran under (with `logWeights`).
 * @param next - The posterior after the M-step.
 * @param priors - The priors.
 * @returns The lower bound.
 */
export function variationalLowerBound(
  strategy: CovarianceStrategy,
  stats: SufficientStatistics,
  used: MixtureParameters,
  next: VariationalPosterior,
  priors: VariationalPriors,
): number {
  const { nComponents: k, nFeatures: d } = used;
  const { entropy } = stats;

  // log B(Wₖ, νₖ), the Wishart's normalizer, with log det Wₖ^{1/2} = log det Uₖ − (d/2) log νₖ.
  const nextLogDet = new Float64Array(k);
  strategy.logDetCholesky(next.parameters.precisionsCholesky, k, d, nextLogDet);
  let logWishart = 0;
  for (let j = 0; j < k; j++) {
    const nu = next.degreesOfFreedom[strategy.shared ? 0 : j];
    const halfLogDetW = nextLogDet[j] - 0.5 * d * Math.log(nu);
    let gammas = 0;
    for (let a = 0; a < d; a++) gammas += logGamma(0.5 * (nu - a));
    logWishart -= nu * halfLogDetW + nu * d * 0.5 * Math.LN2 + gammas;
  }
  const { weightConcentration: c } = next;
  let logNormWeight = 0;
  if (priors.weightConcentrationPriorType === 'dirichlet_process') {
    for (let j = 0; j < k; j++) logNormWeight -= logBeta(c[j], c[k + j]);
  } else {
    let sum = 0;
    for (let j = 0; j < k; j++) {
      sum += c[j];
      logNormWeight -= logGamma(c[j]);
    }
    logNormWeight += logGamma(sum);
  }
  let logBeta0 = 0;
  for (let j = 0; j < k; j++) logBeta0 += Math.log(next.meanPrecision[j]);
  return entropy - logWishart - logNormWeight - 0.5 * d * logBeta0;
}
