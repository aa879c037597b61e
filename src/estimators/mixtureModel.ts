import { InvalidDataError, InvalidParameterError } from '../errors.js';
import { asMatrix, checkColumns, matrix, type Matrix, type MatrixLike } from '../matrix/matrix.js';
import { Random } from '../random/random.js';
import { checkOptionNames, integerAtLeast, oneOf, sampleWeightValue, seedValue } from '../validate.js';
import { covarianceStrategy, type CovarianceStrategy } from '../mixture/covariance/index.js';
import { forEachLogProbChunk } from '../engines/mixtureEngine.js';
import { rowLogLikelihood } from '../mixture/estep.js';
import { conditionalParameters, marginalParameters } from '../mixture/conditional.js';
import { fillMissing, hasMissing, missingLayout } from '../mixture/missing.js';
import { columnIndices, otherColumns } from './columns.js';
import { MISSING_MODES } from './mixtureOptions.js';
import type { DataSource } from '../data/source.js';
import type { ChunkPrediction } from './chunkPrediction.js';
import { checkChunk } from '../fit/survey.js';
import type { CovarianceType, MixtureParameters, NoiseComponent } from '../mixture/parameters.js';
import { drawFromBox } from '../mixture/noise.js';
import { modelToJSON, parseModelJSON, type FitInfo, type GaussianMixtureJSON } from '../mixture/serialize.js';
import { logJacobian, standardizeRows, unstandardizeInPlace, type Scaler } from '../matrix/standardize.js';

/** What {@link GaussianMixtureModel.criteria} returns. */
export interface InformationCriteria {
  /** Total (weighted) log-likelihood, Σ w·log p(x). */
  readonly logLikelihood: number;
  /** Free parameters p. */
  readonly nParameters: number;
  /** −2·logLikelihood + p·ln n. */
  readonly bic: number;
  /** −2·logLikelihood + 2p. */
  readonly aic: number;
  /** Entropy of the soft assignment, −Σ w·r·log r (≥ 0). */
  readonly entropy: number;
  /** BIC + 2·entropy. */
  readonly icl: number;
}

/** Options of the scoring methods (`predict`, `predictProba`, `uncertainty`, `scoreSamples`, `score`). */
export interface ScoringOptions {
  /**
   * What a NaN cell means: `'error'` (default) refuses it; `'marginalize'` treats it as missing, so the row is
   * scored by the density of its observed cells (the mixture's marginal over them) and its responsibilities
   * come from those cells alone. A row with no observed cell gets the weights πₖ and log density 0.
   */
  missing?: 'error' | 'marginalize';
}

/** What {@link GaussianMixtureModel.sample} returns: points drawn from a mixture, with the component each came from. */
export interface MixtureSample {
  /** The drawn points, n × d. */
  X: Matrix;
  /** The component each point was drawn from. */
  labels: Int32Array;
}

/**
 * A fitted Gaussian mixture: a soft clustering and a density model.
 * Returned by `GaussianMixture.fit`, or read from a model file with
 * {@link GaussianMixtureModel.fromJSON}.
 *
 * Shapes use k = `nComponents`, d = `nFeatures`, n = rows of the data passed.
 * Covariance-shaped arrays are flat, in scikit-learn's shape for the
 * covariance type: full k×d×d, tied d×d, diag k×d, spherical k.
 *
 * A model fitted with `standardize: true` has a {@link GaussianMixtureModel.scaler}:
 * its `means`, `covariances` and `precisionsCholesky` are in standardized
 * units (as scikit-learn's after a `StandardScaler`), while every method
 * takes and returns the data's own units — `predict`, `score` and the
 * criteria standardize their input (densities include the change of units),
 * `sample` draws in the data's units, and `componentMean` and
 * `componentCovariance` give the components in the data's units.
 *
 * @example
 * ```ts
 * const model = new GaussianMixture({ nComponents: 2, seed: 0 }).fit(X);
 * model.predict(X);       // Int32Array(n): hard assignment
 * model.predictProba(X);  // Matrix n × k: soft assignment
 * model.scoreSamples(X);  // Float64Array(n): log density
 * model.bic(X);
 * const again = GaussianMixtureModel.fromJSON(JSON.parse(JSON.stringify(model)));
 * ```
 */
export class GaussianMixtureModel {
  /** Covariance parameterization. */
  readonly covarianceType: CovarianceType;
  /** Number of components k. */
  readonly nComponents: number;
  /** Number of features d. */
  readonly nFeatures: number;
  /**
   * Mixing weights πₖ (k values summing to 1, or to 1 − π₀ with a noise
   * component): the probability that a point belongs to component k.
   */
  readonly weights: Float64Array;
  /**
   * The noise component (mclust's), if the model has one: its weight π₀, its
   * log-density log V⁻¹ and, for the default hypervolume, the box it is uniform over.
   */
  readonly noise: NoiseComponent | undefined;
  /** Component means μₖ (the centers), k × d; in standardized units if the model has a `scaler` (see `componentMean`). */
  readonly means: Matrix;
  /** Covariances Σ (widths and shapes), flat in the covariance type's shape; standardized units with a `scaler`. */
  readonly covariances: Float64Array;
  /**
   * Precision Cholesky factors, flat in the covariance type's shape: for full
   * and tied the upper-triangular U with U Uᵀ = Σ⁻¹ (row-major); for diag and
   * spherical 1/σ.
   */
  readonly precisionsCholesky: Float64Array;
  /** Whether the EM run kept reached |Δ lower bound| < tol. */
  readonly converged: boolean;
  /** EM iterations of the run kept. */
  readonly nIter: number;
  /** Lower bound (weighted mean log-likelihood) of the last iteration; -Infinity if none ran. */
  readonly lowerBound: number;
  /** Lower bound of every iteration of the run kept: the convergence trace. */
  readonly lowerBounds: readonly number[];
  /** Names of the features, if the fit was given them. */
  readonly featureNames: readonly string[] | undefined;
  /** The standardization the model was fitted in (`standardize: true`), or undefined. */
  readonly scaler: Scaler | undefined;
  /**
   * What the fit found doubtful, as scikit-learn's `ConvergenceWarning` and more: EM stopped at `maxIter`
   * before converging; a component holds less than one row's weight (collapsed onto a few identical rows,
   * or not needed). Empty when all is well; kept in the model file.
   */
  readonly warnings: readonly string[];

  private readonly parameters: MixtureParameters;
  private readonly strategy: CovarianceStrategy;
  /** log |det| of the standardization (0 without one): added to every log density. */
  private readonly jacobian: number;

  /**
   * Wraps parameters and fit information. Users normally get models from
   * `GaussianMixture.fit` or {@link GaussianMixtureModel.fromJSON}.
   *
   * @param parameters - Mixture parameters (kept by reference).
   * @param info - Fit information.
   */
  constructor(parameters: MixtureParameters, info: FitInfo) {
    this.parameters = parameters;
    this.strategy = covarianceStrategy(parameters.covarianceType);
    this.covarianceType = parameters.covarianceType;
    this.nComponents = parameters.nComponents;
    this.nFeatures = parameters.nFeatures;
    this.weights = parameters.weights;
    this.noise = parameters.noise;
    this.means = matrix(parameters.nComponents, parameters.nFeatures, parameters.means);
    this.covariances = parameters.covariances;
    this.precisionsCholesky = parameters.precisionsCholesky;
    this.converged = info.converged;
    this.nIter = info.nIter;
    this.lowerBound = info.lowerBound;
    this.lowerBounds = info.lowerBounds;
    this.featureNames = info.featureNames;
    this.scaler = info.scaler;
    this.warnings = info.warnings ?? [];
    this.jacobian = info.scaler ? logJacobian(info.scaler) : 0;
  }

  /**
   * Reads a model from its JSON form (as written by {@link GaussianMixtureModel.toJSON}).
   *
   * @param json - The parsed model object.
   * @returns The model.
   * @throws {@link ModelFormatError} naming the first malformed field.
   * @example
   * ```ts
   * const model = GaussianMixtureModel.fromJSON(JSON.parse(text));
   * ```
   */
  static fromJSON(json: unknown): GaussianMixtureModel {
    const { parameters, info } = parseModelJSON(json);
    return new GaussianMixtureModel(parameters, info);
  }

  /**
   * Free parameters: k·d means, k − 1 weights, and the covariance type's
   * count; with a noise component 2 more, its weight and its volume (mclust's
   * `nMclustParams(..., noise = TRUE)`).
   */
  get nParameters(): number {
    const { nComponents: k, nFeatures: d } = this;
    return this.strategy.parameterCount(k, d) + k * d + k - 1 + (this.noise ? 2 : 0);
  }

  /** Columns of the scoring blocks: the k components, and the noise's last. */
  private get columns(): number {
    return this.nComponents + (this.noise ? 1 : 0);
  }

  /** The model's parameters in the internal flat layout (shared, not copied). */
  get mixtureParameters(): MixtureParameters {
    return this.parameters;
  }

  /**
   * Most likely component of every row (hard assignment): argmaxₖ πₖ N(x | μₖ, Σₖ);
   * −1 for a row more likely noise than any component (with a noise component, as scikit-learn's DBSCAN labels noise).
   *
   * @param X - Data, n × d.
   * @param options - `missing: 'marginalize'` scores rows with NaN cells by their observed cells (see {@link ScoringOptions}).
   * @returns n component indices (or −1).
   * @throws {@link InvalidDataError} for bad data; {@link DimensionMismatchError} for a wrong width.
   */
  predict(X: MatrixLike, options: ScoringOptions = {}): Int32Array {
    const data = this.input(X, options, 'predict');
    const k = this.columns;
    const labels = new Int32Array(data.rows);
    this.logProbChunks(data, (block, start, end) => {
      for (let i = start; i < end; i++) {
        const o = (i - start) * k;
        rowLogLikelihood(block, o, k, i);
        let best = 0;
        for (let j = 1; j < k; j++) if (block[o + j] > block[o + best]) best = j;
        labels[i] = best === this.nComponents ? -1 : best;
      }
    });
    return labels;
  }

  /**
   * Responsibilities (soft assignment): the posterior probability of each
   * component for each row. Rows sum to 1.
   *
   * @param X - Data, n × d.
   * @param options - `missing: 'marginalize'` for rows with NaN cells (see {@link ScoringOptions}).
   * @returns An n × k matrix; n × (k + 1) with a noise component, whose column is the last.
   * @throws {@link InvalidDataError}, {@link DimensionMismatchError}, {@link NumericalError}.
   */
  predictProba(X: MatrixLike, options: ScoringOptions = {}): Matrix {
    const data = this.input(X, options, 'predictProba');
    const k = this.columns;
    const out = new Float64Array(data.rows * k);
    this.logProbChunks(data, (block, start, end) => {
      for (let i = start; i < end; i++) {
        const o = (i - start) * k;
        const lpn = rowLogLikelihood(block, o, k, i);
        for (let j = 0; j < k; j++) out[i * k + j] = Math.exp(block[o + j] - lpn);
      }
    });
    return matrix(data.rows, k, out);
  }

  /**
   * Classification uncertainty of every row, 1 − maxₖ responsibility (as
   * mclust): 0 for a point surely in one component, up to 1 − 1/k between
   * components.
   *
   * @param X - Data, n × d.
   * @param options - `missing: 'marginalize'` for rows with NaN cells (see {@link ScoringOptions}).
   * @returns n values in [0, 1 − 1/k].
   * @throws {@link InvalidDataError}, {@link DimensionMismatchError}, {@link NumericalError}.
   */
  uncertainty(X: MatrixLike, options: ScoringOptions = {}): Float64Array {
    const data = this.input(X, options, 'uncertainty');
    const k = this.columns;
    const out = new Float64Array(data.rows);
    this.logProbChunks(data, (block, start, end) => {
      for (let i = start; i < end; i++) {
        const o = (i - start) * k;
        const lpn = rowLogLikelihood(block, o, k, i);
        let max = -Infinity;
        for (let j = 0; j < k; j++) if (block[o + j] > max) max = block[o + j];
        out[i] = Math.max(0, 1 - Math.exp(max - lpn));
      }
    });
    return out;
  }

  /**
   * Log of the mixture density at every row: log Σₖ πₖ N(x | μₖ, Σₖ).
   *
   * @param X - Data, n × d.
   * @param options - `missing: 'marginalize'`: a row with NaN cells gets the log density of its observed cells
   *   (see {@link ScoringOptions}).
   * @returns n log-densities.
   * @throws {@link InvalidDataError}, {@link DimensionMismatchError}, {@link NumericalError}.
   */
  scoreSamples(X: MatrixLike, options: ScoringOptions = {}): Float64Array {
    const data = this.input(X, options, 'scoreSamples');
    const k = this.columns;
    const out = new Float64Array(data.rows);
    this.logProbChunks(data, (block, start, end) => {
      for (let i = start; i < end; i++) out[i] = rowLogLikelihood(block, (i - start) * k, k, i) + this.jacobian;
    });
    return out;
  }

  /**
   * Mean log-likelihood of the rows of X.
   *
   * @param X - Data, n × d.
   * @param options - As for {@link GaussianMixtureModel.scoreSamples}.
   * @returns The mean of {@link GaussianMixtureModel.scoreSamples}.
   */
  score(X: MatrixLike, options: ScoringOptions = {}): number {
    const logDensity = this.scoreSamples(X, options);
    let s = 0;
    for (let i = 0; i < logDensity.length; i++) s += logDensity[i];
    return s / logDensity.length;
  }

  /**
   * Bayesian information criterion on X: −2·n·score(X) + p·ln n, with p =
   * {@link GaussianMixtureModel.nParameters}. Lower is better.
   *
   * @param X - Data, n × d.
   * @returns The BIC.
   */
  bic(X: MatrixLike): number {
    const data = this.check(X);
    return -2 * this.score(data) * data.rows + this.nParameters * Math.log(data.rows);
  }

  /**
   * Akaike information criterion on X: −2·n·score(X) + 2p. Lower is better.
   *
   * @param X - Data, n × d.
   * @returns The AIC.
   */
  aic(X: MatrixLike): number {
    const data = this.check(X);
    return -2 * this.score(data) * data.rows + 2 * this.nParameters;
  }

  /**
   * Entropy of the soft assignment on X, −Σᵢ Σₖ rᵢₖ·log rᵢₖ (0 when every
   * point surely belongs to one component). Computed block by block: no n × k
   * matrix.
   *
   * @param X - Data, n × d.
   * @returns The entropy (≥ 0).
   * @example
   * ```ts
   * model.entropy(X); // 0 for perfectly separated clusters
   * ```
   */
  entropy(X: MatrixLike): number {
    const data = this.input(X);
    const k = this.columns;
    let entropy = 0;
    forEachLogProbChunk(this.strategy, this.parameters, data, (block, start, end) => {
      for (let i = start; i < end; i++) {
        const o = (i - start) * k;
        const lpn = rowLogLikelihood(block, o, k, i);
        for (let j = 0; j < k; j++) {
          const logR = block[o + j] - lpn;
          if (logR > -Infinity) entropy -= Math.exp(logR) * logR;
        }
      }
    });
    return Math.max(0, entropy);
  }

  /**
   * Integrated completed likelihood on X in scikit-learn's sign convention
   * (lower is better): BIC + 2·entropy, penalizing components that overlap.
   * mclust reports the negative (higher is better).
   *
   * @param X - Data, n × d.
   * @returns The ICL.
   * @example
   * ```ts
   * model.icl(X) >= model.bic(X); // true: the entropy is never negative
   * ```
   */
  icl(X: MatrixLike): number {
    const data = this.check(X);
    return this.bic(data) + 2 * this.entropy(data);
  }

  /**
   * Every information criterion of the model on X in one pass over the data
   * (`bic`, `aic` and `icl` each make their own): the total log-likelihood,
   * the number of free parameters, BIC, AIC, the entropy of the soft
   * assignment and ICL = BIC + 2·entropy (scikit-learn's sign: lower is
   * better; mclust reports −ICL). With sample weights, every sum is weighted
   * and n = Σw, as if each row were repeated w times.
   *
   * @param X - Data, n × d.
   * @param options - `sampleWeight`: n non-negative weights (default: all 1); `missing: 'marginalize'`: rows
   *   with NaN cells count by their observed cells' density (the observed-data likelihood).
   * @returns The criteria.
   * @throws {@link InvalidDataError}, {@link DimensionMismatchError}, {@link NumericalError};
   *   {@link InvalidParameterError} for bad weights; {@link InvalidDataError} if the weights total 1 or less.
   * @example
   * ```ts
   * const { bic, aic, icl } = model.criteria(X);
   * ```
   */
  criteria(X: MatrixLike, options: { sampleWeight?: ArrayLike<number> } & ScoringOptions = {}): InformationCriteria {
    checkOptionNames(options, ['sampleWeight', 'missing'], 'criteria');
    const data = this.input(X, options.missing === undefined ? {} : { missing: options.missing });
    return this.criteriaFrom(this.criteriaSums(data, sampleWeightValue(options.sampleWeight, data.rows)), 'X');
  }

  /**
   * {@link GaussianMixtureModel.criteria} over the rows of a
   * {@link DataSource}, in one pass: the chunks' weights weigh every sum, and
   * n = Σw. Memory is one chunk.
   *
   * @param source - The rows.
   * @param options - An abort signal.
   * @returns A promise of the criteria.
   * @throws {@link InvalidDataError} naming the row and column of a bad value, or if the weights total 1 or less.
   * @example
   * ```ts
   * const { bic } = await model.criteriaAsync(await fileSource('big.csv'));
   * ```
   */
  async criteriaAsync(source: DataSource, options: { signal?: AbortSignal } = {}): Promise<InformationCriteria> {
    const total = { logLikelihood: 0, entropy: 0, n: 0 };
    let offset = 0;
    for await (const chunk of source.chunks(options.signal)) {
      options.signal?.throwIfAborted();
      checkChunk(chunk, this.nFeatures, offset);
      const sums = this.criteriaSums(this.input(chunk.X), chunk.weights ?? null);
      total.logLikelihood += sums.logLikelihood;
      total.entropy += sums.entropy;
      total.n += sums.n;
      offset += chunk.X.rows;
    }
    return this.criteriaFrom(total, 'source');
  }

  /**
   * Labels, responsibilities and log-densities of the rows of a
   * {@link DataSource}, chunk by chunk as it is read: what `gmm predict
   * --stream` writes as it reads. Each chunk's values are those of
   * `predict`, `predictProba` and `scoreSamples` on its rows, in one pass
   * over them.
   *
   * @param source - The rows.
   * @param options - An abort signal.
   * @returns An async generator of one result per chunk of the source.
   * @throws {@link InvalidDataError} naming the row and column of a bad value.
   * @example
   * ```ts
   * for await (const { labels } of model.predictAsync(await fileSource('big.csv'))) console.log(labels.length);
   * ```
   */
  async *predictAsync(source: DataSource, options: { signal?: AbortSignal } = {}): AsyncGenerator<ChunkPrediction> {
    let offset = 0;
    for await (const chunk of source.chunks(options.signal)) {
      options.signal?.throwIfAborted();
      checkChunk(chunk, this.nFeatures, offset);
      const data = this.input(chunk.X);
      const k = this.columns;
      const n = data.rows;
      const labels = new Int32Array(n);
      const proba = new Float64Array(n * k);
      const logDensity = new Float64Array(n);
      this.logProbChunks(data, (block, start, end) => {
        for (let i = start; i < end; i++) {
          const o = (i - start) * k;
          const lpn = rowLogLikelihood(block, o, k, i + offset);
          let best = 0;
          for (let j = 1; j < k; j++) if (block[o + j] > block[o + best]) best = j;
          labels[i] = best === this.nComponents ? -1 : best;
          for (let j = 0; j < k; j++) proba[i * k + j] = Math.exp(block[o + j] - lpn);
          logDensity[i] = lpn + this.jacobian;
        }
      });
      offset += n;
      yield { chunk, X: chunk.X, labels, proba: matrix(n, k, proba), logDensity };
    }
  }

  /** Σ w·log p(x), the entropy and Σ w over validated rows (a source's criteria add them up). */
  private criteriaSums(data: Matrix, weights: Float64Array | null): { logLikelihood: number; entropy: number; n: number } {
    const k = this.columns;
    let logLikelihood = 0;
    let entropy = 0;
    let n = 0;
    this.logProbChunks(data, (block, start, end) => {
      for (let i = start; i < end; i++) {
        const w = weights ? weights[i]! : 1;
        if (w === 0) continue;
        const o = (i - start) * k;
        const lpn = rowLogLikelihood(block, o, k, i);
        logLikelihood += w * (lpn + this.jacobian);
        n += w;
        for (let j = 0; j < k; j++) {
          const logR = block[o + j] - lpn;
          if (logR > -Infinity) entropy -= w * Math.exp(logR) * logR;
        }
      }
    });
    return { logLikelihood, entropy, n };
  }

  /** The criteria from their sums; throws if Σ w ≤ 1. */
  private criteriaFrom(sums: { logLikelihood: number; entropy: number; n: number }, name: string): InformationCriteria {
    const { logLikelihood, n } = sums;
    if (n <= 1) throw new InvalidDataError(name, `the weighted data must total more than 1 to compute an information criterion`);
    const entropy = Math.max(0, sums.entropy);
    const p = this.nParameters;
    const bic = -2 * logLikelihood + p * Math.log(n);
    return { logLikelihood, nParameters: p, bic, aic: -2 * logLikelihood + 2 * p, entropy, icl: bic + 2 * entropy };
  }

  /**
   * Draws new points from the mixture: for each point a component k with
   * probability πₖ, then x ~ N(μₖ, Σₖ) as μₖ + U⁻ᵀz with z standard normal.
   * Points come in draw order (components interleaved). The same seed gives
   * the same points. With a noise component, a point is noise with
   * probability π₀, drawn uniformly from its box and labelled −1.
   *
   * @param n - Number of points (≥ 1).
   * @param options - `seed` of the generator (default 0).
   * @returns The points and their components.
   * @throws {@link InvalidParameterError} for a bad n or seed.
   * @example
   * ```ts
   * const { X, labels } = model.sample(500, { seed: 1 });
   * ```
   */
  sample(n: number, options: { seed?: number } = {}): MixtureSample {
    integerAtLeast('n', n);
    checkOptionNames(options, ['seed'], 'sample');
    return this.draw(new Random(seedValue('seed', options.seed ?? 0)), n);
  }

  /**
   * The points of {@link sample}, the same ones for the same seed, drawn a
   * chunk at a time: for more points than fit in memory at once (the command
   * line's `gmm sample` writes each chunk as it is drawn). The chunks,
   * joined, are exactly `sample(n, { seed })`.
   *
   * @param n - Number of points (≥ 1).
   * @param options - `seed` (default 0); `chunkSize`, points per chunk (default 65,536).
   * @returns A generator of chunks of at most `chunkSize` points, in draw order.
   * @throws {@link InvalidParameterError} for a bad n, seed or chunk size.
   * @example
   * ```ts
   * for (const { X, labels } of model.sampleChunks(1e8, { seed: 1 })) write(X, labels);
   * ```
   */
  sampleChunks(n: number, options: { seed?: number; chunkSize?: number } = {}): Generator<MixtureSample, void, void> {
    // Checked now, not at the first chunk.
    integerAtLeast('n', n);
    checkOptionNames(options, ['seed', 'chunkSize'], 'sampleChunks');
    const chunkSize = integerAtLeast('chunkSize', options.chunkSize ?? 65_536);
    const rng = new Random(seedValue('seed', options.seed ?? 0));
    const chunks = function* (this: GaussianMixtureModel): Generator<MixtureSample, void, void> {
      for (let done = 0; done < n; done += chunkSize) yield this.draw(rng, Math.min(chunkSize, n - done));
    };
    return chunks.call(this);
  }

  /** The next n points of the generator's stream (see {@link sample}). */
  private draw(rng: Random, n: number): MixtureSample {
    const { nFeatures: d, noise } = this;
    const { means, precisionsCholesky } = this.parameters;
    if (noise && !noise.box) {
      throw InvalidParameterError.withMessage(
        'noise',
        noise.logDensity,
        'this model’s noise component was fitted with a given hypervolume, so the region to draw noise points from is unknown: fit with the default hypervolume to sample',
      );
    }
    const weights = noise ? Float64Array.of(...this.weights, noise.weight) : this.weights;
    const out = new Float64Array(n * d);
    const labels = new Int32Array(n);
    const z = new Float64Array(d);
    for (let i = 0; i < n; i++) {
      const j = rng.categorical(weights);
      if (j === this.nComponents) {
        labels[i] = -1;
        drawFromBox(noise!.box!, rng, out, i * d);
        continue;
      }
      labels[i] = j;
      for (let a = 0; a < d; a++) z[a] = rng.normal();
      this.strategy.drawOffset(precisionsCholesky, j, d, z);
      for (let a = 0; a < d; a++) out[i * d + a] = means[j * d + a] + z[a];
    }
    if (this.scaler) unstandardizeInPlace(this.scaler, out);
    return { X: matrix(n, d, out), labels };
  }

  /**
   * X with every missing (NaN) cell filled with its conditional expectation
   * given the row's observed cells, E[x_m | x_o] = Σₖ rₖ(x_o) (μₖ,m + Σₖ,mo Σₖ,oo⁻¹ (x_o − μₖ,o)),
   * rₖ the components' posterior weights from the observed cells alone. A row
   * with no observed cell gets the mixture's mean. Observed cells are kept.
   *
   * @param X - Data, n × d, NaN where missing.
   * @returns A new n × d matrix with no NaN, in the data's units.
   * @throws {@link InvalidDataError} for ±Infinity or a value that is not a number; {@link DimensionMismatchError};
   *   {@link NumericalError} for a row whose observed cells have density 0 under every component.
   * @example
   * ```ts
   * model.impute([[5.1, NaN, 1.4, 0.2]]); // the sepal width a setosa of those measurements has on average
   * ```
   */
  impute(X: MatrixLike): Matrix {
    return this.fill(X, undefined);
  }

  /**
   * X with every missing (NaN) cell drawn from its conditional distribution
   * given the row's observed cells (a component by its posterior weight, then
   * the Gaussian conditional): multiple imputation, one draw per call. The
   * same seed gives the same draws.
   *
   * @param X - Data, n × d, NaN where missing.
   * @param options - `seed` of the generator (default 0).
   * @returns A new n × d matrix with no NaN, in the data's units.
   * @throws As {@link GaussianMixtureModel.impute}; {@link InvalidParameterError} for a bad seed.
   * @example
   * ```ts
   * const draws = [1, 2, 3, 4, 5].map((seed) => model.sampleMissing(X, { seed }));
   * ```
   */
  sampleMissing(X: MatrixLike, options: { seed?: number } = {}): Matrix {
    checkOptionNames(options, ['seed'], 'sampleMissing');
    return this.fill(X, new Random(seedValue('seed', options.seed ?? 0)));
  }

  private fill(X: MatrixLike, rng: Random | undefined): Matrix {
    this.refuseNoise(rng ? 'sampleMissing' : 'impute');
    const given = this.check(X, true);
    const out = Float64Array.from(given.data);
    // Work in the parameters' units; only the missing cells are written back (observed ones stay as given).
    const work = this.scaler
      ? standardizeRows(this.scaler, given)
      : matrix(given.rows, given.cols, Float64Array.from(given.data));
    fillMissing(this.parameters, work, missingLayout(work).patterns, rng);
    const d = this.nFeatures;
    for (let idx = 0; idx < out.length; idx++) {
      if (out[idx] === out[idx]) continue;
      const a = idx % d;
      out[idx] = this.scaler ? work.data[idx]! * this.scaler.scale[a]! + this.scaler.mean[a]! : work.data[idx]!;
    }
    return matrix(given.rows, given.cols, out);
  }

  /**
   * Component j's mean in the data's units: row j of `means`, or with a
   * scaler that row taken back out of standardized units.
   *
   * @param j - Component index, 0 ≤ j < k.
   * @returns The d values of the mean.
   * @throws {@link InvalidParameterError} for a bad index.
   * @example
   * ```ts
   * model.componentMean(0); // Float64Array(d)
   * ```
   */
  componentMean(j: number): Float64Array {
    this.checkComponent(j);
    const d = this.nFeatures;
    const out = this.means.data.slice(j * d, (j + 1) * d);
    if (this.scaler) unstandardizeInPlace(this.scaler, out);
    return out;
  }

  /**
   * Component j's covariance as a full d × d matrix in the data's units,
   * whatever the covariance type (for plots, ellipses, reports); with a
   * scaler, D Σ D for D = diag(scale).
   *
   * @param j - Component index, 0 ≤ j < k.
   * @returns The d × d covariance.
   * @throws {@link InvalidParameterError} for a bad index.
   * @example
   * ```ts
   * model.componentCovariance(0).data; // Float64Array(d * d), row-major
   * ```
   */
  componentCovariance(j: number): Matrix {
    this.checkComponent(j);
    const d = this.nFeatures;
    const out = new Float64Array(d * d);
    this.strategy.componentCovariance(this.covariances, j, d, out);
    const scale = this.scaler?.scale;
    if (scale) for (let a = 0; a < d; a++) for (let b = 0; b < d; b++) out[a * d + b] *= scale[a]! * scale[b]!;
    return matrix(d, d, out);
  }

  /**
   * The mixture's marginal over some of its columns: the density of those
   * columns with the others integrated out. Each component keeps its weight;
   * its mean and covariance are restricted to the columns (closed form, no
   * refit). The result has the same covariance type, and a scaler and feature
   * names restricted likewise.
   *
   * @param columns - Column indices (0 ≤ c < d) or feature names, distinct; the result's columns, in this order.
   * @returns A model over `columns.length` features.
   * @throws {@link InvalidParameterError} for an empty list, a bad index, an unknown name or a repeat.
   * @example
   * ```ts
   * const petals = model.marginal(['petal_length', 'petal_width']);
   * petals.scoreSamples([[1.4, 0.2]]); // log p(petal_length, petal_width)
   * ```
   */
  marginal(columns: readonly (number | string)[]): GaussianMixtureModel {
    this.refuseNoise('marginal');
    const keep = columnIndices(columns, this.nFeatures, this.featureNames, 'columns');
    return new GaussianMixtureModel(marginalParameters(this.parameters, keep), this.derivedInfo(keep));
  }

  /**
   * The mixture's conditional distribution of the other columns given that
   * `columns` take `values`: p(x_R | x_S = values). Each component becomes its
   * Gaussian conditional, μ_R + Σ_RS Σ_SS⁻¹ (v − μ_S) with covariance
   * Σ_RR − Σ_RS Σ_SS⁻¹ Σ_SR (by Cholesky solves, no inverse), and its weight
   * is re-weighted by its marginal likelihood of the values,
   * πₖ N(v | μₖ,S, Σₖ,SS), normalized. The result is a model over the
   * remaining columns, in their order, of the same covariance type (the
   * mixture's mean, `Σ πₖ' μₖ'`, is E[x_R | x_S = v]: see
   * `GaussianMixtureRegressor` for it row by row).
   *
   * @param columns - The given columns: indices or feature names, distinct, at least one column left over.
   * @param values - Their values, one per column, in the data's units.
   * @returns A model over the d − `columns.length` other features.
   * @throws {@link InvalidParameterError} for bad columns or values (not finite, wrong count);
   *   {@link NumericalError} if the values have density 0 under every component.
   * @example
   * ```ts
   * // Given sepal_length = 5 and sepal_width = 3.4, the petals' distribution:
   * const petals = model.condition(['sepal_length', 'sepal_width'], [5, 3.4]);
   * petals.weights; // which species the sepals point to
   * ```
   */
  condition(columns: readonly (number | string)[], values: ArrayLike<number>): GaussianMixtureModel {
    this.refuseNoise('condition');
    const given = columnIndices(columns, this.nFeatures, this.featureNames, 'columns');
    const remaining = otherColumns(given, this.nFeatures, 'columns', 'Some column must be left to condition');
    if (values === null || typeof values !== 'object' || typeof values.length !== 'number' || values.length !== given.length) {
      throw new InvalidParameterError('values', values, `${given.length} number${given.length === 1 ? '' : 's'}, one per column`);
    }
    const v = new Float64Array(given.length);
    for (let a = 0; a < given.length; a++) {
      const value = values[a];
      if (typeof value !== 'number' || !Number.isFinite(value)) {
        throw new InvalidParameterError(`values[${a}]`, value, 'a finite number');
      }
      const c = given[a]!;
      v[a] = this.scaler ? (value - this.scaler.mean[c]!) / this.scaler.scale[c]! : value;
    }
    return new GaussianMixtureModel(conditionalParameters(this.parameters, given, v, remaining), this.derivedInfo(remaining));
  }

  /** Fit information of a model derived from this one over `columns` (no EM of its own). */
  private derivedInfo(columns: readonly number[]): FitInfo {
    const pick = (values: ArrayLike<number>): Float64Array => Float64Array.from(columns, (c) => values[c]!);
    return {
      converged: this.converged,
      nIter: 0,
      lowerBound: -Infinity,
      lowerBounds: [],
      featureNames: this.featureNames ? columns.map((c) => this.featureNames![c]!) : undefined,
      scaler: this.scaler ? { mean: pick(this.scaler.mean), scale: pick(this.scaler.scale) } : undefined,
      warnings: [],
    };
  }

  /**
   * What needs Gaussian marginals of every component (marginals, conditionals, missing cells) is not defined for a
   * noise component: uniform over a rotated box, its marginal is not uniform.
   */
  private refuseNoise(what: string): void {
    if (!this.noise) return;
    throw InvalidParameterError.withMessage(
      'noise',
      this.noise.weight,
      `${what} needs every component's marginal, and this model's noise component (uniform over its box) has none that is uniform: use a model without noise`,
    );
  }

  private checkComponent(j: number): void {
    if (!Number.isSafeInteger(j) || j < 0 || j >= this.nComponents) {
      throw new InvalidParameterError('component', j, `an integer from 0 to ${this.nComponents - 1}`);
    }
  }

  /**
   * The model file object (see `GaussianMixtureJSON`): `JSON.stringify(model)`
   * writes it.
   *
   * @returns A plain object with nested arrays in scikit-learn's shapes.
   */
  toJSON(): GaussianMixtureJSON {
    return modelToJSON(this.parameters, this);
  }

  /** Checked data in the data's units (NaN cells allowed with `allowMissing`). */
  private check(X: MatrixLike, allowMissing = false): Matrix {
    const data = asMatrix(X, 'X', allowMissing);
    checkColumns(data, this.nFeatures);
    return data;
  }

  /**
   * Checked data in the units the parameters are in (standardized with a
   * scaler); NaN cells allowed with `missing: 'marginalize'`.
   */
  private input(X: MatrixLike, options: ScoringOptions = {}, method = ''): Matrix {
    if (method) checkOptionNames(options, ['missing'], method);
    const data = this.check(X, oneOf('missing', options.missing ?? 'error', MISSING_MODES) === 'marginalize');
    return this.scaler ? standardizeRows(this.scaler, data) : data;
  }

  /**
   * `forEachLogProbChunk` over data that may have NaN cells: rows with
   * missing cells get the log-densities of their observed cells (the marginal
   * over them), plus the log-Jacobian of their missing columns so that adding
   * the model's whole Jacobian gives the observed cells' density in the data's
   * units; then the whole block is consumed at once.
   */
  private logProbChunks(data: Matrix, consume: (block: Float64Array, start: number, end: number) => void): void {
    if (!hasMissing(data)) {
      forEachLogProbChunk(this.strategy, this.parameters, data, consume);
      return;
    }
    this.refuseNoise("scoring rows with missing cells (missing: 'marginalize')");
    const k = this.nComponents;
    const d = this.nFeatures;
    const block = new Float64Array(data.rows * k);
    const { complete, patterns } = missingLayout(data);
    const groups = [{ observed: Array.from({ length: d }, (_, a) => a), missing: [] as number[], rows: complete }, ...patterns];
    for (const { observed, missing, rows } of groups) {
      if (rows.length === 0) continue;
      let shift = 0;
      if (this.scaler) for (const a of missing) shift += Math.log(this.scaler.scale[a]!);
      if (observed.length === 0) {
        for (const i of rows) for (let j = 0; j < k; j++) block[i * k + j] = Math.log(this.weights[j]!) + shift;
        continue;
      }
      const parameters = missing.length === 0 ? this.parameters : marginalParameters(this.parameters, observed);
      const s = observed.length;
      const sub = new Float64Array(rows.length * s);
      rows.forEach((i, t) => {
        for (let a = 0; a < s; a++) sub[t * s + a] = data.data[i * d + observed[a]!]!;
      });
      forEachLogProbChunk(
        covarianceStrategy(parameters.covarianceType),
        parameters,
        matrix(rows.length, s, sub),
        (b, start, end) => {
          for (let t = start; t < end; t++) {
            for (let j = 0; j < k; j++) block[rows[t]! * k + j] = b[(t - start) * k + j]! + shift;
          }
        },
      );
    }
    consume(block, 0, data.rows);
  }
}
