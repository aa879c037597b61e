import { matrix, type Matrix } from '../matrix/matrix.js';
import type { FitInfo } from '../mixture/serialize.js';
import type { VariationalPosterior, VariationalPriors, WeightConcentrationPriorType } from '../mixture/variational.js';
import { GaussianMixtureModel } from './mixtureModel.js';

/**
 * A Gaussian mixture fitted by variational inference (from
 * `BayesianGaussianMixture.fit`): the posterior mean of the weights (`weights`),
 * the means' posterior means (`means`) and the covariances Wₖ⁻¹/νₖ
 * (`covariances`), as scikit-learn's `weights_`, `means_` and `covariances_`,
 * plus the rest of the posterior and the priors it came from.
 *
 * Every method of {@link GaussianMixtureModel} works on that plug-in mixture,
 * a normalized density: `predict`, `predictProba` and `scoreSamples` use it,
 * where scikit-learn's use the variational expectations (they agree on the
 * labels of all but borderline rows); `sample`, `condition`, `marginal`, the
 * criteria and `toJSON` too. `toJSON` writes the plug-in mixture only: a model
 * read back is a `GaussianMixtureModel`.
 *
 * `lowerBound` and `lowerBounds` are the variational lower bound (ELBO,
 * scikit-learn's `lower_bound_`, up to its constants): a sum over the rows,
 * not a mean.
 *
 * @example
 * ```ts
 * const model = new BayesianGaussianMixture({ nComponents: 10, seed: 0 }).fit(X);
 * model.weights;               // most near 0: the components the data do not need
 * model.weightConcentration;   // Matrix 2 × 10: the sticks' Beta parameters
 * ```
 */
export class BayesianGaussianMixtureModel extends GaussianMixtureModel {
  /** The weights' prior. */
  readonly weightConcentrationPriorType: WeightConcentrationPriorType;
  /**
   * The weights' posterior: for a Dirichlet process 2 × k, the Beta
   * parameters (aₖ, bₖ) of the sticks (scikit-learn's tuple); for a Dirichlet
   * distribution 1 × k, the αₖ.
   */
  readonly weightConcentration: Matrix;
  /** βₖ: the precision of each mean's posterior, in units of the component's (k). */
  readonly meanPrecision: Float64Array;
  /** νₖ: each Wishart posterior's degrees of freedom (k values; one for tied). */
  readonly degreesOfFreedom: Float64Array;
  /** γ₀ or α₀. */
  readonly weightConcentrationPrior: number;
  /** β₀. */
  readonly meanPrecisionPrior: number;
  /** m₀ (d). */
  readonly meanPrior: Float64Array;
  /** ν₀. */
  readonly degreesOfFreedomPrior: number;
  /** Ψ₀ in the type's shape: full and tied d × d, diag d, spherical 1 value. */
  readonly covariancePrior: Float64Array;

  /**
   * Wraps a posterior. Users get models from `BayesianGaussianMixture.fit`.
   *
   * @param posterior - The variational posterior (its `parameters` without `logWeights` become the mixture).
   * @param priors - The priors it was fitted with.
   * @param info - Fit information (`lowerBound`: the ELBO).
   */
  constructor(posterior: VariationalPosterior, priors: VariationalPriors, info: FitInfo) {
    const { logWeights: _variational, ...mixture } = posterior.parameters;
    super(mixture, info);
    const k = mixture.nComponents;
    const dirichletProcess = priors.weightConcentrationPriorType === 'dirichlet_process';
    this.weightConcentrationPriorType = priors.weightConcentrationPriorType;
    this.weightConcentration = matrix(dirichletProcess ? 2 : 1, k, posterior.weightConcentration);
    this.meanPrecision = posterior.meanPrecision;
    this.degreesOfFreedom = posterior.degreesOfFreedom;
    this.weightConcentrationPrior = priors.weightConcentrationPrior;
    this.meanPrecisionPrior = priors.meanPrecisionPrior;
    this.meanPrior = priors.meanPrior;
    this.degreesOfFreedomPrior = priors.degreesOfFreedomPrior;
    this.covariancePrior = priors.covariancePrior;
  }
}
