import { InvalidParameterError } from '../errors.js';
import type { EMObjective, EMResult } from '../fit/em.js';
import {
  argmaxRows,
  fitData,
  initialResponsibilities,
  statisticsFromResponsibilities,
  type FitData,
  type InitParams,
} from '../fit/init.js';
import { LocalRows } from '../fit/localRows.js';
import { mixtureRuns, type InitialState } from '../fit/mixtureRuns.js';
import { runOn, runOnAsync, type FitSteps } from '../fit/rows.js';
import { asMatrix, type MatrixLike } from '../matrix/matrix.js';
import { covarianceStrategy, type CovarianceStrategy } from '../mixture/covariance/index.js';
import type { CovarianceType } from '../mixture/parameters.js';
import {
  variationalLowerBound,
  variationalPosterior,
  type VariationalPosterior,
  type VariationalPriors,
  type WeightConcentrationPriorType,
} from '../mixture/variational.js';
import { PooledRows } from '../parallel/pooledRows.js';
import { threadCount } from '../parallel/workers.js';
import { Random } from '../random/random.js';
import { checkColumnNames, checkFitRows, checkOptionNames, sampleWeightValue } from '../validate.js';
import {
  BAYESIAN_FIT_ASYNC_OPTIONS,
  BAYESIAN_FIT_OPTIONS,
  bayesianSettings,
  variationalPriors,
  type BayesianGaussianMixtureFitAsyncOptions,
  type BayesianGaussianMixtureFitOptions,
  type BayesianGaussianMixtureOptions,
  type BayesianSettings,
} from './bayesianOptions.js';
import { BayesianGaussianMixtureModel } from './bayesianModel.js';
import { convergenceWarnings, regCovarWarning } from './fitWarnings.js';

export type {
  BayesianGaussianMixtureFitAsyncOptions,
  BayesianGaussianMixtureFitOptions,
  BayesianGaussianMixtureOptions,
} from './bayesianOptions.js';

/** One validated fit: its data, its steps and how the best run becomes a model. */
interface BayesianFit {
  readonly data: FitData;
  readonly steps: () => FitSteps<EMResult<VariationalPosterior>>;
  readonly model: (result: EMResult<VariationalPosterior>) => BayesianGaussianMixtureModel;
}

/**
 * Variational inference: the E-step runs under the posterior's parameters
 * (with its expected log-weights and log-determinants), the M-step is the
 * posterior update, the lower bound the ELBO.
 */
function variationalObjective(
  strategy: CovarianceStrategy,
  priors: VariationalPriors,
  regCovar: number,
): EMObjective<VariationalPosterior> {
  return {
    parameters: (posterior) => posterior.parameters,
    maximize: (stats, context) => variationalPosterior(strategy, stats, priors, regCovar, context),
    lowerBound: (stats, used, next) => variationalLowerBound(strategy, stats, used, next, priors),
  };
}

/** `responsibilitiesInit` checked: n × k, non-negative, rows summing to 1. */
function checkResponsibilities(value: MatrixLike, n: number, k: number): Float64Array {
  let resp;
  try {
    resp = asMatrix(value, 'responsibilitiesInit');
  } catch (e) {
    throw new InvalidParameterError(
      'responsibilitiesInit',
      value,
      `an ${n} × ${k} array of finite numbers`,
      (e as Error).message,
    );
  }
  if (resp.rows !== n || resp.cols !== k) {
    throw new InvalidParameterError(
      'responsibilitiesInit',
      value,
      `${n} × ${k} (a row per row of X, a column per component); got ${resp.rows} × ${resp.cols}`,
    );
  }
  for (let i = 0; i < n; i++) {
    let sum = 0;
    for (let j = 0; j < k; j++) {
      const r = resp.data[i * k + j]!;
      if (r < 0) throw new InvalidParameterError(`responsibilitiesInit[${i}][${j}]`, r, 'a number ≥ 0');
      sum += r;
    }
    if (Math.abs(sum - 1) > 1e-8) {
      throw new InvalidParameterError(`responsibilitiesInit[${i}]`, value, 'a row summing to 1', `Row ${i} sums to ${sum}`);
    }
  }
  return resp.data;
}

/**
 * A Gaussian mixture fitted by variational inference (Bishop 2006, §10.2):
 * scikit-learn's `BayesianGaussianMixture`, with its priors, defaults and
 * lower bound, on the same E-step engines, threads and EM loop as
 * {@link GaussianMixture}. With the Dirichlet-process prior (the default), k
 * is an upper bound: the components the data do not need end with weights
 * near 0, so the number of clusters is inferred rather than chosen.
 *
 * @example
 * ```ts
 * import { BayesianGaussianMixture } from 'gmm';
 * const bgm = new BayesianGaussianMixture({ nComponents: 10, weightConcentrationPrior: 0.01, seed: 0 });
 * const model = bgm.fit(X);
 * model.weights.filter((w) => w > 0.01).length; // the clusters the data support
 * ```
 */
export class BayesianGaussianMixture {
  /** Number of components k (an upper bound). */
  readonly nComponents!: number;
  /** Covariance parameterization. */
  readonly covarianceType!: CovarianceType;
  /** Convergence threshold on the change of the lower bound. */
  readonly tol!: number;
  /** Regularization added to the covariance estimates' diagonals. */
  readonly regCovar!: number;
  /** Maximum iterations per run. */
  readonly maxIter!: number;
  /** Number of runs. */
  readonly nInit!: number;
  /** Initialization method. */
  readonly initParams!: InitParams;
  /** Seed of the random generator. */
  readonly seed!: number;
  /** The weights' prior. */
  readonly weightConcentrationPriorType!: WeightConcentrationPriorType;
  /** γ₀ or α₀ as given; undefined: 1/k. */
  readonly weightConcentrationPrior!: number | undefined;
  /** β₀ as given; undefined: 1. */
  readonly meanPrecisionPrior!: number | undefined;
  /** m₀ as given (checked against d at each fit); undefined: the data's mean. */
  readonly meanPrior!: ArrayLike<number> | undefined;
  /** ν₀ as given (checked against d at each fit); undefined: d. */
  readonly degreesOfFreedomPrior!: number | undefined;
  /** Ψ₀ as given (checked at each fit); undefined: from the data's covariance. */
  readonly covariancePrior!: BayesianGaussianMixtureOptions['covariancePrior'];

  /**
   * @param options - See {@link BayesianGaussianMixtureOptions}.
   * @throws {@link InvalidParameterError} for an unknown option or a value out of range.
   */
  constructor(options: BayesianGaussianMixtureOptions = {}) {
    Object.assign(this, bayesianSettings(options));
  }

  /**
   * Fits the posterior to the rows of X: `nInit` runs (one with
   * `responsibilitiesInit`), each until |Δ lower bound| < `tol` or `maxIter`
   * iterations; the run with the highest lower bound is kept.
   *
   * @param X - Data, n × d, with n ≥ 2 and n ≥ nComponents.
   * @param options - Sample weights, feature names, progress callback, a fixed start.
   * @returns The fitted model.
   * @throws {@link InvalidDataError} for bad data, fewer than 2 rows or fewer rows than components.
   * @throws {@link InvalidParameterError} for bad sample weights, priors that do not fit the data's width, or a bad `responsibilitiesInit`.
   * @throws {@link IllConditionedCovarianceError} if a covariance cannot be factorized.
   * @throws {@link NumericalError} if the data's scale overflows float64.
   */
  fit(X: MatrixLike, options: BayesianGaussianMixtureFitOptions = {}): BayesianGaussianMixtureModel {
    checkOptionNames(options, BAYESIAN_FIT_OPTIONS, 'BayesianGaussianMixture.fit');
    const fit = this.plan(X, options);
    return fit.model(runOn(new LocalRows(fit.data.X, fit.data.weights), fit.steps()));
  }

  /**
   * Fits like {@link BayesianGaussianMixture.fit}, with the E-steps and
   * k-means' assignments on a pool of worker threads; the model is
   * bit-identical to `fit`'s for any number of threads.
   *
   * @param X - Data, n × d.
   * @param options - As for `fit`, plus `threads` (default: the machine's cores) and an abort `signal`.
   * @returns A promise of the fitted model; rejected with the signal's reason if aborted.
   * @throws As {@link BayesianGaussianMixture.fit}, as a rejection of the promise.
   */
  async fitAsync(X: MatrixLike, options: BayesianGaussianMixtureFitAsyncOptions = {}): Promise<BayesianGaussianMixtureModel> {
    checkOptionNames(options, BAYESIAN_FIT_ASYNC_OPTIONS, 'BayesianGaussianMixture.fitAsync');
    const threads = threadCount(options.threads);
    const { signal } = options;
    const fit = this.plan(X, options);
    signal?.throwIfAborted();
    const rows = new PooledRows(fit.data.X, fit.data.weights, { threads, signal });
    return fit.model(await runOnAsync(rows, fit.steps(), signal));
  }

  /** Validates a fit's input and prepares its steps. */
  private plan(X: MatrixLike, options: BayesianGaussianMixtureFitOptions): BayesianFit {
    const settings: BayesianSettings = this;
    const matrix = asMatrix(X, 'X');
    const k = settings.nComponents;
    checkFitRows(matrix.rows, k);
    const { featureNames, onIteration } = options;
    checkColumnNames('featureNames', featureNames, matrix.cols, 'X');
    // Weights count rows against the priors: not rescaled.
    const data = fitData(matrix, sampleWeightValue(options.sampleWeight, matrix.rows, k));
    const strategy = covarianceStrategy(settings.covarianceType);
    const priors = variationalPriors(settings, data, strategy);
    const objective = variationalObjective(strategy, priors, settings.regCovar);
    const given =
      options.responsibilitiesInit === undefined
        ? undefined
        : checkResponsibilities(options.responsibilitiesInit, matrix.rows, k);
    const rng = new Random(settings.seed);
    function* start(): FitSteps<InitialState<VariationalPosterior>> {
      const resp = given ?? (yield* initialResponsibilities(settings.initParams, data, k, rng));
      const stats = statisticsFromResponsibilities(strategy, data, resp, k);
      return { parameters: objective.maximize(stats, 'in the initialization'), labels: argmaxRows(resp, k) };
    }
    return {
      data,
      steps: () =>
        mixtureRuns({
          strategy,
          objective,
          dataMean: data.dataMean,
          k,
          runs: given ? 1 : settings.nInit,
          tol: settings.tol,
          maxIter: settings.maxIter,
          onIteration,
          start,
        }),
      model: ({ parameters: posterior, converged, nIter, lowerBound, lowerBounds }) =>
        new BayesianGaussianMixtureModel(posterior, priors, {
          converged,
          nIter,
          lowerBound,
          lowerBounds,
          featureNames,
          warnings: [
            ...convergenceWarnings(converged, nIter, settings.maxIter),
            ...regCovarWarning(data, settings.regCovar, featureNames),
          ],
        }),
    };
  }
}
