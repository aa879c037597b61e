/**
 * Online EM for data that arrives as a stream of chunks (stepwise EM, Cappé
 * & Moulines 2009): the model is kept as running sufficient statistics per
 * row, and each chunk moves them a step towards its own. `partialFit` of a
 * chunk runs one E-step on it under the current parameters, mixes its
 * statistics in with step size η = (t + 2)^−α, and runs the M-step.
 *
 * @module
 */
import { InvalidParameterError } from '../errors.js';
import { LocalRows } from '../fit/localRows.js';
import { asMatrix, type MatrixLike } from '../matrix/matrix.js';
import { covarianceStrategy, type CovarianceStrategy } from '../mixture/covariance/index.js';
import { maximize } from '../mixture/mstep.js';
import type { MixtureParameters } from '../mixture/parameters.js';
import { recenterStatistics, type SufficientStatistics } from '../mixture/statistics.js';
import { checkColumnNames, checkOptionNames, sampleWeightValue } from '../validate.js';
import { GaussianMixture } from './gaussianMixture.js';
import { GaussianMixtureModel } from './mixtureModel.js';
import type { GaussianMixtureOptions } from './mixtureOptions.js';

/** Options of {@link OnlineGaussianMixture}: a `GaussianMixture`'s (the start of the first chunk), and the step exponent. */
export interface OnlineGaussianMixtureOptions extends Omit<
  GaussianMixtureOptions,
  'prior' | 'noise' | 'standardize' | 'missing' | 'maxIter' | 'tol' | 'nInit'
> {
  /**
   * α in (0.5, 1]: the t-th chunk after the first moves the statistics by
   * η = (t + 2)^−α (Cappé & Moulines' condition for convergence: Σ η = ∞,
   * Σ η² < ∞). Default 0.6: smaller forgets old chunks faster (follows a
   * drifting stream), 1 weighs every chunk equally (a running mean).
   */
  stepExponent?: number;
}

/** Per-chunk options of {@link OnlineGaussianMixture.partialFit}. */
export interface PartialFitOptions {
  /** One non-negative weight per row of the chunk. */
  sampleWeight?: ArrayLike<number>;
  /** Names of the d features (the first chunk's are kept). */
  featureNames?: readonly string[];
}

/**
 * A Gaussian mixture fitted chunk by chunk, as the data arrives (online,
 * stepwise EM). The first chunk is fitted from the estimator's start
 * (`initParams`, k-means by default) with one E- and M-step; every later
 * chunk is one E-step under the current parameters and one M-step on the
 * running statistics. Memory is the statistics, not the data.
 *
 * @example
 * ```ts
 * const online = new OnlineGaussianMixture({ nComponents: 3, seed: 0 });
 * for (const chunk of chunks) online.partialFit(chunk);
 * online.model.predict([[0, 0]]);
 * ```
 */
export class OnlineGaussianMixture {
  /** The step exponent α. */
  readonly stepExponent: number;
  /** Chunks fitted so far. */
  private chunks = 0;
  private readonly estimator: GaussianMixture;
  private readonly strategy: CovarianceStrategy;
  private statistics: SufficientStatistics | undefined;
  private parameters: MixtureParameters | undefined;
  private centers: Float64Array | undefined;
  private featureNames: readonly string[] | undefined;
  private readonly lowerBounds: number[] = [];

  /**
   * @param options - See {@link OnlineGaussianMixtureOptions}.
   * @throws {@link InvalidParameterError} for an unknown option or a value out of range (α outside (0.5, 1]).
   */
  constructor(options: OnlineGaussianMixtureOptions = {}) {
    checkOptionNames(options, [...ONLINE_OPTIONS], 'OnlineGaussianMixture');
    const { stepExponent = 0.6, ...rest } = options;
    if (typeof stepExponent !== 'number' || !(stepExponent > 0.5 && stepExponent <= 1)) {
      throw new InvalidParameterError('stepExponent', stepExponent, 'a number in (0.5, 1]');
    }
    this.stepExponent = stepExponent;
    this.estimator = new GaussianMixture({ ...rest, maxIter: 0 });
    this.strategy = covarianceStrategy(this.estimator.covarianceType);
  }

  /** Chunks fitted so far. */
  get nChunks(): number {
    return this.chunks;
  }

  /**
   * The model after the chunks so far: its `lowerBounds` are each chunk's
   * mean log-likelihood under the parameters before that chunk's update
   * (an honest, held-out-like trace), `nIter` the number of chunks.
   *
   * @throws {@link InvalidParameterError} before the first `partialFit`.
   */
  get model(): GaussianMixtureModel {
    if (!this.parameters) throw new InvalidParameterError('model', undefined, 'available after the first partialFit');
    return new GaussianMixtureModel(this.parameters, {
      converged: false,
      nIter: this.chunks,
      lowerBound: this.lowerBounds.at(-1)!,
      lowerBounds: [...this.lowerBounds],
      featureNames: this.featureNames,
    });
  }

  /**
   * Updates the mixture with one chunk of rows.
   *
   * @param X - The chunk, n × d (the first needs at least 2 rows and as many as components).
   * @param options - The rows' weights, feature names.
   * @returns This estimator, updated.
   * @throws {@link InvalidDataError} for bad data or a width that is not the first chunk's.
   * @throws {@link IllConditionedCovarianceError} if a covariance cannot be factorized.
   */
  partialFit(X: MatrixLike, options: PartialFitOptions = {}): this {
    checkOptionNames(options, ['sampleWeight', 'featureNames'], 'OnlineGaussianMixture.partialFit');
    const data = asMatrix(X);
    const weights = sampleWeightValue(options.sampleWeight, data.rows, 1, true);
    const { strategy } = this;
    const k = this.estimator.nComponents;
    const d = data.cols;
    if (!this.parameters) {
      checkColumnNames('featureNames', options.featureNames, d, 'X');
      // The start, on the first chunk; the running statistics are taken about its mean for good.
      this.parameters = this.estimator.fit(
        data,
        options.sampleWeight ? { sampleWeight: options.sampleWeight } : {},
      ).mixtureParameters;
      const mean = new Float64Array(d);
      let total = 0;
      for (let i = 0; i < data.rows; i++) {
        const w = weights ? weights[i]! : 1;
        total += w;
        for (let a = 0; a < d; a++) mean[a] += w * data.data[i * d + a]!;
      }
      for (let a = 0; a < d; a++) mean[a] /= total;
      this.centers = new Float64Array(k * d);
      for (let j = 0; j < k; j++) this.centers.set(mean, j * d);
      this.featureNames = options.featureNames;
    } else if (d !== this.parameters.nFeatures) {
      throw new InvalidParameterError(
        'X',
        `${data.rows} × ${d}`,
        `rows of ${this.parameters.nFeatures} features, as the first chunk's`,
      );
    }
    const rows = new LocalRows(data, weights);
    let chunk: SufficientStatistics;
    try {
      // The engines take the statistics about the strategy's centers (the means); moved to the fixed ones after.
      const { means, nComponents } = this.parameters;
      const own = strategy.statisticsCenters(means, this.centers!.subarray(0, d), nComponents, d);
      chunk = recenterStatistics(rows.expectation(strategy, this.parameters, own), this.centers!);
    } finally {
      rows.release();
    }
    const total = chunk.totalWeight;
    this.lowerBounds.push(chunk.logLikelihood / total);
    // The chunk's statistics per unit of weight, mixed into the running ones.
    const eta = this.statistics ? (this.chunks + 1) ** -this.stepExponent : 1;
    const running = this.statistics ?? chunk;
    for (const key of ['weight', 'first', 'second'] as const) {
      const into = running[key];
      const from = chunk[key];
      for (let i = 0; i < into.length; i++)
        into[i] = running === chunk ? from[i]! / total : (1 - eta) * into[i]! + (eta * from[i]!) / total;
    }
    running.totalWeight = 1;
    running.logLikelihood = 0;
    this.statistics = running;
    this.parameters = maximize(strategy, running, this.estimator.regCovar, `at chunk ${this.chunks + 1} of the online fit`, {
      previous: this.parameters.covariances,
    });
    this.chunks++;
    return this;
  }
}

/** The names {@link OnlineGaussianMixture} accepts. */
const ONLINE_OPTIONS = [
  'nComponents',
  'covarianceType',
  'regCovar',
  'initParams',
  'seed',
  'weightsInit',
  'meansInit',
  'precisionsInit',
  'stepExponent',
];
