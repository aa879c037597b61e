import { InvalidDataError, InvalidParameterError } from '../errors.js';
import { asMatrix, type Matrix, type MatrixLike } from '../matrix/matrix.js';
import { columnMoments, fitScaler, logJacobian, standardizeRows, type Scaler } from '../matrix/standardize.js';
import { Random } from '../random/random.js';
import { checkColumnNames, checkFitRows, checkOptionNames, fitWeights, sampleWeightValue, weightScale } from '../validate.js';
import { covarianceStrategy, type CovarianceStrategy } from '../mixture/covariance/index.js';
import type { CovarianceType } from '../mixture/parameters.js';
import { likelihoodObjective, type EMResult } from '../fit/em.js';
import { fitData, type FitData, type InitParams } from '../fit/init.js';
import { LocalRows } from '../fit/localRows.js';
import { mixtureRuns, type InitialState } from '../fit/mixtureRuns.js';
import { answer, runOn, runOnAsync, type FitSteps, type RowsReply } from '../fit/rows.js';
import { MissingRows } from '../fit/missingRows.js';
import { hasMissing, missingLayout, type MissingLayout } from '../mixture/missing.js';
import { PooledRows } from '../parallel/pooledRows.js';
import { threadCount } from '../parallel/workers.js';
import {
  FIT_ASYNC_OPTIONS,
  FIT_OPTIONS,
  mixtureSettings,
  type GaussianMixtureFitAsyncOptions,
  type GaussianMixtureFitOptions,
  type GaussianMixtureOptions,
  type MixtureSettings,
  type SourceFitOptions,
} from './mixtureOptions.js';
import {
  checkGivenWidth,
  checkInitModel,
  givenStart,
  initialResponsibilities,
  isComplete,
  startFrom,
  type GivenStart,
} from './mixtureStart.js';
import { GaussianMixtureModel } from './mixtureModel.js';
import { convergenceWarnings, regCovarWarning, weightWarnings } from './fitWarnings.js';
import { resolveNoise, type NoiseOptions } from './mixtureNoise.js';
import { resolvePrior, type PriorOptions } from './mixturePrior.js';
import { fitSource } from './sourceFit.js';
import { fitSql, type SqlFitOptions } from './sqlFit.js';
import { isDataSource, type DataSource } from '../data/source.js';

export type {
  GaussianMixtureFitAsyncOptions,
  GaussianMixtureFitOptions,
  GaussianMixtureOptions,
  SourceFitOptions,
} from './mixtureOptions.js';

/** The state of EM after some iterations, from {@link GaussianMixture.iterate}. */
export interface EMSnapshot {
  /** Iterations done: 0 for the starting guess. */
  readonly iteration: number;
  /** Mean (weighted) log-likelihood of the data under this snapshot's parameters. */
  readonly logLikelihood: number;
  /** The parameters as a model (predict, plot, …); `nIter` is `iteration`. */
  readonly model: GaussianMixtureModel;
}

/**
 * One fit of a {@link GaussianMixture}, validated and ready to run: its data,
 * its steps (every run, written once; see `Rows`) and how the best run
 * becomes a model.
 *
 * @internal
 */
export interface MixtureFit {
  /** The data and its weighted mean (missing cells filled with their column's mean, for the start). */
  readonly data: FitData;
  /** With `missing: 'marginalize'` and NaN cells: the data with its NaN, and its patterns. */
  readonly missing: { readonly X: Matrix; readonly layout: MissingLayout } | undefined;
  /** Covariance strategy. */
  readonly strategy: CovarianceStrategy;
  /** The runs (all of them, or `runs`), best kept. Call once: it draws from the fit's random generator. */
  readonly steps: (runs?: number) => FitSteps<EMResult>;
  /** The model of a run. */
  readonly model: (result: EMResult) => GaussianMixtureModel;
  /** log |det| of the standardization (0 without one): turns a log-likelihood of `data` into one in the data's units. */
  readonly logJacobian: number;
}

/**
 * A fit's data, validated, in the fit's units (standardized by `scaler`, if
 * any), its weights rescaled: what {@link GaussianMixture.planOn} takes.
 *
 * @internal
 */
export interface PreparedData {
  /** The data and its weights (missing cells filled with their column's mean, for the start). */
  readonly data: FitData;
  /** With `missing: 'marginalize'` and NaN cells: the data with its NaN, and its patterns. */
  readonly missing: { readonly X: Matrix; readonly layout: MissingLayout } | undefined;
  /** The standardization the data is in, if any. */
  readonly scaler: Scaler | undefined;
  /** The factor the row weights were rescaled by (see `fitWeights`; 1 if they were not), which a prior counts by. */
  readonly weightScale: number;
}

/**
 * Data with NaN cells for a fit that marginalizes them: the patterns, and a
 * copy with each NaN filled by its column's weighted mean (for the k-means
 * start and the data mean).
 *
 * @throws {@link InvalidDataError} for a column with no observed cell of positive weight.
 */
function missingCells(X: Matrix, weights: Float64Array | null): { X: Matrix; layout: MissingLayout; filled: Matrix } {
  const { mean } = columnMoments(X, weights);
  for (let a = 0; a < X.cols; a++) {
    if (!Number.isFinite(mean[a]!)) {
      throw new InvalidDataError('X', `column ${a} of X has no observed value (every cell is NaN, or has weight 0)`, {
        column: a,
      });
    }
  }
  const filled = Float64Array.from(X.data, (v, idx) => (v === v ? v : mean[idx % X.cols]!));
  return { X, layout: missingLayout(X), filled: { rows: X.rows, cols: X.cols, data: filled } };
}

/** The rows a fit runs on here: with missing cells, their own; else the usual local rows. */
function localRows(fit: MixtureFit, single: boolean): LocalRows | MissingRows {
  const { data, missing } = fit;
  return missing ? new MissingRows(missing.X, data.X, data.weights, missing.layout) : new LocalRows(data.X, data.weights, single);
}

/** The rows rounded to f32 (NaN stays NaN), for `dtype: 'float32'`. */
function roundedToSingle(X: Matrix): Matrix {
  return { rows: X.rows, cols: X.cols, data: Float64Array.from(new Float32Array(X.data)) };
}

/**
 * A Gaussian mixture model fitted by Expectation–Maximization, with
 * scikit-learn's numerics: precision-Cholesky parameterization, log-space
 * E-step, `regCovar` on the diagonal, best of `nInit` runs by lower bound.
 *
 * @example
 * ```ts
 * import { GaussianMixture } from 'gmm';
 * const gm = new GaussianMixture({ nComponents: 2, covarianceType: 'full', seed: 0 });
 * const model = gm.fit([[0, 0], [0.2, 0.1], [0.1, 0.3], [5, 5], [5.2, 5.1], [4.9, 5.3]]);
 * model.means;                // Matrix 2 × 2
 * model.predict([[0, 0.1]]);  // Int32Array [component]
 * ```
 */
export class GaussianMixture {
  /** Number of components k. */
  readonly nComponents!: number;
  /** Covariance parameterization. */
  readonly covarianceType!: CovarianceType;
  /** Convergence threshold on the change of the lower bound. */
  readonly tol!: number;
  /** Regularization added to covariance diagonals. */
  readonly regCovar!: number;
  /** Maximum EM iterations per run. */
  readonly maxIter!: number;
  /** Number of runs. */
  readonly nInit!: number;
  /** Initialization method. */
  readonly initParams!: InitParams;
  /** Seed of the random generator. */
  readonly seed!: number;
  /** Whether the fit standardizes the columns first (the model keeps the scaler). */
  readonly standardize!: boolean;
  /** What NaN cells mean: an error, or missing values marginalized (see {@link GaussianMixtureOptions.missing}). */
  readonly missing!: 'error' | 'marginalize';
  /** The fit's precision (see {@link GaussianMixtureOptions.dtype}). */
  readonly dtype!: 'float64' | 'float32';
  /** The conjugate prior's given values (`{}`: mclust's defaults), or undefined for maximum likelihood. */
  readonly prior!: PriorOptions | undefined;
  /** The noise component's given values (`{}`: the defaults), or undefined for none. */
  readonly noise!: NoiseOptions | undefined;

  private readonly strategy: CovarianceStrategy;
  private readonly given: GivenStart;

  /**
   * @param options - See {@link GaussianMixtureOptions}.
   * @throws {@link InvalidParameterError} for an unknown option, a value out of
   *   range, a wrongly shaped or non-normalized `weightsInit`, a wrongly shaped
   *   `meansInit`, or a `precisionsInit` that is not symmetric positive definite.
   */
  constructor(options: GaussianMixtureOptions = {}) {
    const settings = mixtureSettings(options);
    Object.assign(this, settings);
    this.strategy = covarianceStrategy(this.covarianceType);
    this.given = givenStart(options, settings, this.strategy);
  }

  /**
   * Fits the mixture to the rows of X by EM: `nInit` runs (one if the start
   * is fully given), each until |Δ lower bound| < `tol` or `maxIter`
   * iterations; the run with the highest lower bound is kept.
   *
   * @param X - Data, n × d, with n ≥ 2 and n ≥ nComponents.
   * @param options - Sample weights, warm start, feature names, progress callback.
   * @returns The fitted model.
   * @throws {@link InvalidDataError} for bad data, fewer than 2 rows or fewer rows than components.
   * @throws {@link DimensionMismatchError} if X's width differs from the initial values or the `initModel`.
   * @throws {@link InvalidParameterError} for bad sample weights or an incompatible `initModel`.
   * @throws {@link IllConditionedCovarianceError} if a component's covariance cannot be factorized.
   * @throws {@link NumericalError} if the data's scale overflows float64.
   */
  fit(X: MatrixLike, options: GaussianMixtureFitOptions = {}): GaussianMixtureModel {
    checkOptionNames(options, FIT_OPTIONS, 'GaussianMixture.fit');
    const fit = this.plan(X, options);
    return fit.model(runOn(localRows(fit, this.dtype === 'float32'), fit.steps()));
  }

  /**
   * Fits like {@link GaussianMixture.fit}, with the E-steps and k-means'
   * assignments on a pool of worker threads (Node's worker_threads, Web
   * Workers in browsers), started once for the whole fit. The calling thread
   * does the M-steps, k-means++ seeding and the bookkeeping between requests,
   * so it is free while the workers compute, not throughout. Each worker owns
   * a fixed range of chunks and the statistics are merged in chunk order: the
   * model is bit-identical for any number of threads, and equal to `fit`'s.
   *
   * @param X - Data, n × d.
   * @param options - As for `fit`, plus `threads` (default: the machine's
   *   cores) and an abort `signal`.
   * @returns A promise of the fitted model; rejected with the signal's reason if aborted.
   * @throws As {@link GaussianMixture.fit}, as a rejection of the promise.
   * @example
   * ```ts
   * const controller = new AbortController();
   * const model = await gm.fitAsync(X, { threads: 2, signal: controller.signal, onIteration: (e) => console.log(e.lowerBound) });
   * ```
   */
  fitAsync(X: MatrixLike, options?: GaussianMixtureFitAsyncOptions): Promise<GaussianMixtureModel>;
  /**
   * Fits to the rows of a {@link DataSource}, data that need not fit in
   * memory: a first pass validates the rows and draws a seeded sample of
   * `sampleSize` rows (reservoir sampling), the initialization runs on the
   * sample (k-means++ and k-means on it, for the default `initParams`), and
   * each EM iteration is one more pass over the source. The rows are cut
   * into the chunks an in-memory fit uses and their statistics merged in the
   * same order, so this is exact EM: for a source of at most `sampleSize`
   * rows the model is bit-identical to `fit` of the same rows, however the
   * source chunks them. The E-steps run on the calling thread (the
   * WebAssembly kernels), between reads of the source.
   *
   * @param source - The rows (see {@link matrixSource}, `delimitedSource`, `fileSource`).
   * @param options - Warm start, feature names, progress, abort signal, sample size.
   * @returns A promise of the fitted model; rejected with the signal's reason if aborted (the pass under way
   *   closes the source's iterator).
   * @throws As {@link GaussianMixture.fit}; also {@link InvalidDataError} naming the row and column of a bad
   *   value in any pass, and {@link InvalidParameterError} for `missing: 'marginalize'`, which a source does
   *   not support yet. With `standardize`, two more passes first take the scaler (the in-memory one's bits).
   * @example
   * ```ts
   * const model = await new GaussianMixture({ nComponents: 8 }).fitAsync(await fileSource('big.csv'), {
   *   onProgress: ({ pass, rows }) => console.log(pass, rows),
   * });
   * ```
   */
  fitAsync(source: DataSource, options?: SourceFitOptions): Promise<GaussianMixtureModel>;
  async fitAsync(
    X: MatrixLike | DataSource,
    options: GaussianMixtureFitAsyncOptions | SourceFitOptions = {},
  ): Promise<GaussianMixtureModel> {
    if (isDataSource(X)) return fitSource(this, X, options as SourceFitOptions);
    checkOptionNames(options, FIT_ASYNC_OPTIONS, 'GaussianMixture.fitAsync');
    const asyncOptions = options as GaussianMixtureFitAsyncOptions;
    const threads = threadCount(asyncOptions.threads);
    const { signal } = asyncOptions;
    const fit = this.plan(X, asyncOptions);
    signal?.throwIfAborted();
    // Missing cells are marginalized on this thread (their E-step is TypeScript; the complete rows' on the kernels).
    const single = this.dtype === 'float32';
    const rows = fit.missing ? localRows(fit, single) : new PooledRows(fit.data.X, fit.data.weights, { threads, signal, single });
    return fit.model(await runOnAsync(rows, fit.steps(), signal));
  }

  /**
   * Fits by EM where the rows are, in a SQL engine (SQLEM): every E-step is
   * one aggregate query ({@link sqlStatistics}: the parameters as constants,
   * log-sum-exp with GREATEST, centered sums) that `query` runs and whose one
   * result row is the statistics; the M-step runs here. The initialization
   * runs on `sample`, rows of the table the caller fetched. Exact EM: equal
   * to `fit` of the table's rows up to the engine's order of summation.
   *
   * @param options - The table, its columns, the dialect, `query`, the sample; warm start and progress.
   * @returns A promise of the fitted model.
   * @throws {@link InvalidParameterError} for bad options, `standardize` or `missing: 'marginalize'`.
   * @example
   * ```ts
   * const run = async (sql: string) => (await connection.runAndReadAll(sql)).getRowObjects()[0]!;
   * const model = await gm.fitSql({ table: 'points', columns: ['x', 'y'], query: run, sample });
   * ```
   */
  fitSql(options: SqlFitOptions): Promise<GaussianMixtureModel> {
    return fitSql(this, options);
  }

  /**
   * EM one iteration at a time, for animations and teaching: a lazy generator
   * of the parameters after 0, 1, 2, … iterations, each with the data's mean
   * log-likelihood under them (non-decreasing: EM's guarantee). The caller
   * sets the pace (`next()` runs one E-step and one M-step). One run: the
   * start of `fit`'s first run, then the same iterations, so the generator's
   * return value is the model `fit` returns with `nInit: 1`, bit for bit.
   *
   * @param X - Data, n × d.
   * @param options - As for {@link GaussianMixture.fit}.
   * @returns A generator of snapshots; its return value is the fitted model.
   * @throws As {@link GaussianMixture.fit}, from the first `next()`.
   * @example
   * ```ts
   * for (const { iteration, logLikelihood, model } of new GaussianMixture({ nComponents: 3 }).iterate(X)) {
   *   console.log(iteration, logLikelihood, model.means.data);
   * }
   * ```
   */
  *iterate(X: MatrixLike, options: GaussianMixtureFitOptions = {}): Generator<EMSnapshot, GaussianMixtureModel, void> {
    checkOptionNames(options, FIT_OPTIONS, 'GaussianMixture.iterate');
    const fit = this.plan(X, options);
    const { strategy, data } = fit;
    const rows = localRows(fit, this.dtype === 'float32');
    try {
      const steps = fit.steps(1);
      // Every expectation the run asks for is a snapshot: the parameters it is asked under, and their log-likelihood.
      const lowerBounds: number[] = [];
      let next = steps.next();
      while (!next.done) {
        const request = next.value;
        let reply: RowsReply;
        if (request.kind === 'expectation') {
          const stats = rows.expectation(strategy, request.parameters, request.centers);
          const logLikelihood = stats.logLikelihood / stats.totalWeight;
          const lowerBound = lowerBounds.at(-1) ?? -Infinity;
          // fit.model takes (and reports in the data's units) the lower bounds in the fitted units.
          const model = fit.model({
            parameters: request.parameters,
            converged: false,
            nIter: lowerBounds.length,
            lowerBound,
            lowerBounds: [...lowerBounds],
          });
          yield { iteration: lowerBounds.length, logLikelihood: logLikelihood + fit.logJacobian, model };
          lowerBounds.push(logLikelihood);
          reply = stats;
        } else {
          reply = answer(rows, request) as RowsReply;
        }
        next = steps.next(reply);
      }
      // The last snapshot: the final parameters, with one more E-step for their log-likelihood.
      const result = next.value;
      const { means, nComponents, nFeatures } = result.parameters;
      const centers = strategy.statisticsCenters(means, data.dataMean, nComponents, nFeatures);
      const stats = rows.expectation(strategy, result.parameters, centers);
      const model = fit.model(result);
      yield { iteration: result.nIter, logLikelihood: stats.logLikelihood / stats.totalWeight + fit.logJacobian, model };
      return model;
    } finally {
      rows.release();
    }
  }

  /**
   * Fits the model and returns the hard labels of the training rows (the
   * final E-step of scikit-learn's `fit_predict`): equal to
   * `fit(X).predict(X)`.
   *
   * @param X - Data, n × d.
   * @param options - As for {@link GaussianMixture.fit}.
   * @returns The fitted model and the label of every row.
   */
  fitPredict(
    X: MatrixLike,
    options: GaussianMixtureFitOptions = {},
  ): {
    /** The fitted model. */
    model: GaussianMixtureModel;
    /** The component of every training row. */
    labels: Int32Array;
  } {
    const data = asMatrix(X);
    const model = this.fit(data, options);
    return { model, labels: model.predict(data) };
  }

  /**
   * Validates a fit's input and prepares its steps: what `fit`, `fitAsync`
   * and `iterate` run.
   *
   * @param X - Data, n × d.
   * @param options - As for {@link GaussianMixture.fit} (option names already checked).
   * @returns The fit, ready to be driven.
   * @throws As {@link GaussianMixture.fit} for bad input.
   * @internal
   */
  plan(X: MatrixLike, options: GaussianMixtureFitOptions): MixtureFit {
    const settings: MixtureSettings = this;
    const matrix: Matrix = asMatrix(X, 'X', settings.missing === 'marginalize');
    checkFitRows(matrix.rows, settings.nComponents);
    const { initModel } = options;
    if (initModel !== undefined) checkInitModel(initModel, settings, matrix.cols);
    // Only the weights' ratios matter to a fit: rescaled by a power of two, exactly, so that no scale of them
    // under- or overflows the statistics.
    const { weights, exponent } = fitWeights(sampleWeightValue(options.sampleWeight, matrix.rows, settings.nComponents, false));
    if (initModel !== undefined && (initModel.scaler !== undefined) !== settings.standardize) {
      throw new InvalidParameterError(
        'standardize',
        settings.standardize,
        `${!settings.standardize} to continue from initModel, which was fitted ${initModel.scaler ? 'with' : 'without'} standardize`,
      );
    }
    // A warm start continues in the units its model was fitted in.
    const scaler = settings.standardize ? (initModel?.scaler ?? fitScaler(matrix, weights)) : undefined;
    const scaled = scaler ? standardizeRows(scaler, matrix) : matrix;
    // float32: the rows the kernels see (in the fit's units) rounded once.
    const units = settings.dtype === 'float32' ? roundedToSingle(scaled) : scaled;
    const missing = settings.missing === 'marginalize' && hasMissing(units) ? missingCells(units, weights) : undefined;
    const data = fitData(missing ? missing.filled : units, weights);
    return this.planOn({ data, missing, scaler, weightScale: weightScale(exponent) }, options);
  }

  /**
   * Prepares a fit's steps on data validated (and standardized, and its
   * weights rescaled) once: what each cell of `selectModel` runs, all of them
   * on one {@link PreparedData}, so that the column moments the fits need are
   * computed once for the grid.
   *
   * @param prepared - The data in the fit's units, its missing cells and its scaler.
   * @param options - As for {@link GaussianMixture.fit}, without `sampleWeight` (the data has its weights).
   * @returns The fit, ready to be driven.
   * @throws As {@link GaussianMixture.fit} for too few rows or a width that the initial values do not have.
   * @internal
   */
  planOn(prepared: PreparedData, options: Omit<GaussianMixtureFitOptions, 'sampleWeight'>): MixtureFit {
    const settings: MixtureSettings = this;
    const { data, missing, scaler } = prepared;
    const { strategy, given } = this;
    const k = settings.nComponents;
    checkFitRows(data.X.rows, k);
    const d = data.X.cols;
    checkGivenWidth(given, d);
    const prior = settings.prior && resolvePrior(settings.prior, data, k, strategy, prepared.weightScale);
    const { initModel, featureNames, onIteration } = options;
    checkColumnNames('featureNames', featureNames, d, 'X');
    const jacobian = scaler ? logJacobian(scaler) : 0;
    const noise = settings.noise && resolveNoise(settings.noise, data, jacobian);
    const rng = new Random(settings.seed);
    const complete = isComplete(given);
    function* start(): FitSteps<InitialState> {
      if (initModel) return { parameters: initModel.mixtureParameters, labels: undefined };
      const resp = complete ? undefined : yield* initialResponsibilities(settings.initParams, data, k, rng, noise);
      return startFrom(strategy, settings, given, data, resp, prior, noise);
    }
    const fixedStart = initModel !== undefined || complete;
    return {
      data,
      missing,
      strategy,
      steps: (runs = fixedStart ? 1 : settings.nInit) =>
        mixtureRuns({
          strategy,
          objective: likelihoodObjective(strategy, settings.regCovar, prior),
          dataMean: data.dataMean,
          k,
          runs,
          tol: settings.tol,
          maxIter: settings.maxIter,
          onIteration,
          start,
        }),
      // Lower bounds are reported in the data's units, as score() is.
      model: ({ parameters, converged, nIter, lowerBound, lowerBounds }) =>
        new GaussianMixtureModel(parameters, {
          converged,
          nIter,
          lowerBound: lowerBound + jacobian,
          lowerBounds: jacobian === 0 ? lowerBounds : lowerBounds.map((v) => v + jacobian),
          featureNames,
          scaler,
          warnings: [
            ...convergenceWarnings(converged, nIter, settings.maxIter),
            ...weightWarnings(parameters.weights, data.totalWeight),
            ...regCovarWarning(data, settings.regCovar, featureNames),
          ],
        }),
      logJacobian: jacobian,
    };
  }
}
