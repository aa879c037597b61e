import { DimensionMismatchError, InvalidDataError, InvalidParameterError } from '../errors.js';
import { asMatrix, isMatrix, type Matrix, type MatrixLike } from '../matrix/matrix.js';
import { Random } from '../random/random.js';
import { checkOptionNames, integerAtLeast, nonNegativeNumber, oneOf, sampleWeightValue, seedValue } from '../validate.js';
import { covarianceStrategy, type CovarianceStrategy } from '../mixture/covariance/index.js';
import { defaultThreadCount } from '../parallel/workers.js';
import { MixturePool } from '../parallel/mixturePool.js';
import { activeBackend } from '../kernels/loader.js';
import { driveAsync, driveSync, emRun, type EMResult, type EMSettings, type IterationEvent } from '../fit/em.js';
import { createEngine, expectation, type EStepEngine } from '../engines/mixtureEngine.js';
import {
  argmaxRows,
  fitData,
  initialResponsibilities,
  initialResponsibilitiesAsync,
  parametersFromResponsibilities,
  type FitData,
  type InitParams,
} from '../fit/init.js';
import { GaussianMixtureModel } from './mixtureModel.js';
import { nestedShape, readNested } from '../mixture/nested.js';
import { COVARIANCE_TYPES, type CovarianceType, type MixtureParameters } from '../mixture/parameters.js';

/**
 * Options of {@link GaussianMixture}. Names follow scikit-learn's
 * `GaussianMixture` in camelCase; defaults are scikit-learn's (the seed
 * excepted: fits are reproducible by default).
 */
export interface GaussianMixtureOptions {
  /** Number of components k. Default 1. */
  nComponents?: number;
  /** Covariance parameterization. Default `'full'`. */
  covarianceType?: CovarianceType;
  /** EM stops when the lower bound changes by less than `tol`. Default 1e-3. */
  tol?: number;
  /** Non-negative value added to covariance diagonals, keeping them positive definite. Default 1e-6. */
  regCovar?: number;
  /** Maximum EM iterations per run (0: keep the initialization). Default 100. */
  maxIter?: number;
  /** Runs from different initializations; the one with the best lower bound is kept. Default 1. */
  nInit?: number;
  /**
   * How initial responsibilities are chosen: `'kmeans'` (default), `'k-means++'`,
   * `'random'` or `'random_from_data'`.
   */
  initParams?: InitParams;
  /** Initial weights (k values in [0, 1] summing to 1). Default: from `initParams`. */
  weightsInit?: ArrayLike<number>;
  /** Initial means (k × d). Default: from `initParams`. */
  meansInit?: MatrixLike;
  /**
   * Initial precisions (inverse covariances) in scikit-learn's shapes: full
   * k×d×d, tied d×d, diag k×d, spherical k. Default: from `initParams`.
   */
  precisionsInit?: readonly unknown[];
  /** Seed of the random generator (`Random`) driving every random choice. Default 0. */
  seed?: number;
}

/** Options of {@link GaussianMixture.fit}. */
export interface GaussianMixtureFitOptions {
  /**
   * One non-negative weight per row (e.g. counts of duplicated rows): weighted
   * sufficient statistics in the E and M steps. All ones (the default) gives
   * the unweighted fit.
   */
  sampleWeight?: ArrayLike<number>;
  /**
   * Warm start: begin EM from this fitted model's weights, means and
   * precisions (one run; the lower bound starts afresh). It must have the
   * same covariance type, number of components and features.
   */
  initModel?: GaussianMixtureModel;
  /** Names of the d features, stored in the model. */
  featureNames?: readonly string[];
  /** Called after every EM iteration of every run (a convergence trace, progress). */
  onIteration?: (event: IterationEvent) => void;
}

/** Options of {@link GaussianMixture.fitAsync}: those of `fit`, threads and an abort signal. */
export interface GaussianMixtureFitAsyncOptions extends GaussianMixtureFitOptions {
  /** Number of worker threads. Default: the machine's cores. */
  threads?: number;
  /** Aborts the fit: the promise rejects with the signal's reason and the workers stop. */
  signal?: AbortSignal;
}

/** The state of EM after some iterations, from {@link GaussianMixture.iterate}. */
export interface EMSnapshot {
  /** Iterations done: 0 for the starting guess. */
  readonly iteration: number;
  /** Mean (weighted) log-likelihood of the data under this snapshot's parameters. */
  readonly logLikelihood: number;
  /** The parameters as a model (predict, plot, …); `nIter` is `iteration`. */
  readonly model: GaussianMixtureModel;
}

/** What a fit needs, validated once, for `fit` and `fitAsync`. */
/** Starting parameters of a run, and its rows' likely components. */
interface InitialState {
  parameters: MixtureParameters;
  labels: Int32Array | undefined;
}

interface FitPlan {
  readonly data: Matrix;
  readonly weights: Float64Array | null;
  readonly fd: FitData;
  readonly k: number;
  readonly d: number;
  readonly runs: number;
  /** Starting parameters of the next run (draws from the fit's random generator), and its rows' likely components. */
  readonly initial: () => InitialState;
  /** As `initial`, with a k-means initialization on worker threads (the same result). */
  readonly initialAsync: (threads: number, signal: AbortSignal | undefined) => Promise<InitialState>;
  /** The model of the best run. */
  readonly model: (best: EMResult) => GaussianMixtureModel;
}

const FIT_OPTIONS = ['sampleWeight', 'initModel', 'featureNames', 'onIteration'];

const OPTION_NAMES = [
  'nComponents',
  'covarianceType',
  'tol',
  'regCovar',
  'maxIter',
  'nInit',
  'initParams',
  'weightsInit',
  'meansInit',
  'precisionsInit',
  'seed',
] as const;

/** `precisionsInit` turned into factors; `nFeatures` is undefined when the shape does not fix d (spherical). */
interface PrecisionsInit {
  readonly nFeatures: number | undefined;
  readonly precisionsCholesky: Float64Array;
  readonly covariances: Float64Array;
}

const INIT_PARAMS: readonly InitParams[] = ['kmeans', 'k-means++', 'random', 'random_from_data'];

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
  readonly nComponents: number;
  /** Covariance parameterization. */
  readonly covarianceType: CovarianceType;
  /** Convergence threshold on the change of the lower bound. */
  readonly tol: number;
  /** Regularization added to covariance diagonals. */
  readonly regCovar: number;
  /** Maximum EM iterations per run. */
  readonly maxIter: number;
  /** Number of runs. */
  readonly nInit: number;
  /** Initialization method. */
  readonly initParams: InitParams;
  /** Seed of the random generator. */
  readonly seed: number;

  private readonly strategy: CovarianceStrategy;
  private readonly weightsInit: Float64Array | undefined;
  private readonly meansInit: Matrix | undefined;
  private readonly precisionsInit: PrecisionsInit | undefined;

  /**
   * @param options - See {@link GaussianMixtureOptions}.
   * @throws {@link InvalidParameterError} for an unknown option, a value out of
   *   range, a wrongly shaped or non-normalized `weightsInit`, a wrongly shaped
   *   `meansInit`, or a `precisionsInit` that is not symmetric positive definite.
   */
  constructor(options: GaussianMixtureOptions = {}) {
    checkOptionNames(options, OPTION_NAMES, 'GaussianMixture');
    this.nComponents = integerAtLeast('nComponents', options.nComponents ?? 1);
    this.covarianceType = oneOf('covarianceType', options.covarianceType ?? 'full', COVARIANCE_TYPES);
    this.tol = nonNegativeNumber('tol', options.tol ?? 1e-3);
    this.regCovar = nonNegativeNumber('regCovar', options.regCovar ?? 1e-6);
    this.maxIter = integerAtLeast('maxIter', options.maxIter ?? 100, 0);
    this.nInit = integerAtLeast('nInit', options.nInit ?? 1);
    this.initParams = oneOf('initParams', options.initParams ?? 'kmeans', INIT_PARAMS);
    this.seed = seedValue('seed', options.seed ?? 0);
    this.strategy = covarianceStrategy(this.covarianceType);
    this.weightsInit = options.weightsInit === undefined ? undefined : this.checkWeightsInit(options.weightsInit);
    this.meansInit = options.meansInit === undefined ? undefined : this.checkMeansInit(options.meansInit);
    this.precisionsInit = options.precisionsInit === undefined ? undefined : this.checkPrecisionsInit(options.precisionsInit);
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
    const plan = this.plan(X, options);
    const { data, weights, fd, k, d } = plan;
    let engine: EStepEngine | undefined;
    try {
      let best: EMResult | null = null;
      for (let run = 0; run < plan.runs; run++) {
        const { parameters: initial, labels } = plan.initial();
        let hint = labels;
        const result = driveSync(emRun(initial, this.settings(run, options.onIteration)), (parameters) => {
          engine ??= createEngine(this.strategy, data, weights, k);
          if (hint) engine.hint(hint);
          hint = undefined;
          return expectation(
            engine,
            this.strategy,
            parameters,
            this.strategy.statisticsCenters(parameters.means, fd.dataMean, k, d),
          );
        });
        if (best === null || result.lowerBound > best.lowerBound) best = result;
      }
      return plan.model(best!);
    } finally {
      engine?.release();
    }
  }

  /**
   * Fits like {@link GaussianMixture.fit}, with the E-steps on a pool of
   * worker threads (Node's worker_threads, Web Workers in browsers), so the
   * calling thread stays free. Each worker owns a fixed range of rows and the
   * statistics are merged in a fixed order: the model is bit-identical for
   * any number of threads, and equal to `fit`'s.
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
  async fitAsync(X: MatrixLike, options: GaussianMixtureFitAsyncOptions = {}): Promise<GaussianMixtureModel> {
    checkOptionNames(options, [...FIT_OPTIONS, 'threads', 'signal'], 'GaussianMixture.fitAsync');
    const threads = options.threads === undefined ? defaultThreadCount() : integerAtLeast('threads', options.threads);
    const plan = this.plan(X, options);
    const { signal } = options;
    signal?.throwIfAborted();
    const { data, weights, fd, k, d } = plan;
    let pool: MixturePool | undefined;
    try {
      let best: EMResult | null = null;
      for (let run = 0; run < plan.runs; run++) {
        const { parameters: initial, labels } = await plan.initialAsync(threads, signal);
        signal?.throwIfAborted();
        pool ??= await MixturePool.start({
          strategy: this.strategy,
          X: data,
          weights,
          k,
          threads,
          backend: activeBackend(),
          signal,
        });
        const workers = pool;
        if (labels) workers.hint(labels);
        const result = await driveAsync(emRun(initial, this.settings(run, options.onIteration)), (parameters) =>
          workers.expectation(parameters, this.strategy.statisticsCenters(parameters.means, fd.dataMean, k, d)),
        );
        if (best === null || result.lowerBound > best.lowerBound) best = result;
      }
      return plan.model(best!);
    } finally {
      pool?.close();
    }
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
    const plan = this.plan(X, options);
    const { data, weights, fd, k, d } = plan;
    const { parameters: initial, labels } = plan.initial();
    const engine = createEngine(this.strategy, data, weights, k);
    try {
      if (labels) engine.hint(labels);
      const eStep = (parameters: MixtureParameters) =>
        expectation(engine, this.strategy, parameters, this.strategy.statisticsCenters(parameters.means, fd.dataMean, k, d));
      const steps = emRun(initial, this.settings(0, options.onIteration));
      const lowerBounds: number[] = [];
      let next = steps.next();
      for (;;) {
        const parameters = next.done ? next.value.parameters : next.value;
        const stats = eStep(parameters);
        const logLikelihood = stats.logLikelihood / stats.totalWeight;
        const info = next.done
          ? next.value
          : { parameters, converged: false, nIter: lowerBounds.length, lowerBound: lowerBounds.at(-1) ?? -Infinity, lowerBounds };
        yield { iteration: info.nIter, logLikelihood, model: plan.model({ ...info, lowerBounds: [...info.lowerBounds] }) };
        if (next.done) return plan.model(next.value);
        lowerBounds.push(logLikelihood);
        next = steps.next(stats);
      }
    } finally {
      engine.release();
    }
  }

  /** Validates a fit's input and prepares what every run needs. */
  private plan(X: MatrixLike, options: GaussianMixtureFitOptions): FitPlan {
    const data = asMatrix(X);
    const k = this.nComponents;
    if (data.rows < 2) throw new InvalidDataError('X', `X has ${data.rows} row; fitting needs at least 2 rows`);
    if (data.rows < k) {
      throw new InvalidDataError(
        'X',
        `X has ${data.rows} rows but nComponents is ${k}; need at least as many rows as components`,
      );
    }
    const d = data.cols;
    if (this.meansInit && this.meansInit.cols !== d) throw new DimensionMismatchError('X', this.meansInit.cols, d, 'meansInit');
    const precisionsD = this.precisionsInit?.nFeatures;
    if (precisionsD !== undefined && precisionsD !== d) throw new DimensionMismatchError('X', precisionsD, d, 'precisionsInit');
    const initModel = options.initModel;
    if (initModel !== undefined) this.checkInitModel(initModel, d);
    const featureNames = options.featureNames;
    if (
      featureNames !== undefined &&
      (!Array.isArray(featureNames) || featureNames.length !== d || featureNames.some((s) => typeof s !== 'string'))
    ) {
      throw new InvalidParameterError('featureNames', featureNames, `an array of ${d} strings, one per column of X`);
    }
    const weights = sampleWeightValue(options.sampleWeight, data.rows, k);
    const fd = fitData(data, weights);
    const rng = new Random(this.seed);
    const fixedStart = initModel !== undefined || (this.weightsInit && this.meansInit && this.precisionsInit) !== undefined;
    return {
      data,
      weights,
      fd,
      k,
      d,
      runs: fixedStart ? 1 : this.nInit,
      initial: () =>
        initModel ? { parameters: initModel.mixtureParameters, labels: undefined } : this.initialParameters(fd, rng),
      initialAsync: async (threads, signal) =>
        initModel
          ? { parameters: initModel.mixtureParameters, labels: undefined }
          : this.startFrom(
              fd,
              this.givenStart()
                ? undefined
                : await initialResponsibilitiesAsync(this.initParams, fd, this.nComponents, rng, threads, signal),
            ),
      model: ({ parameters, converged, nIter, lowerBound, lowerBounds }) =>
        new GaussianMixtureModel(parameters, { converged, nIter, lowerBound, lowerBounds, featureNames }),
    };
  }

  /** Settings of EM run `run`. */
  private settings(run: number, onIteration: ((event: IterationEvent) => void) | undefined): EMSettings {
    return { strategy: this.strategy, regCovar: this.regCovar, tol: this.tol, maxIter: this.maxIter, run, onIteration };
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
  fitPredict(X: MatrixLike, options: GaussianMixtureFitOptions = {}): { model: GaussianMixtureModel; labels: Int32Array } {
    const data = asMatrix(X);
    const model = this.fit(data, options);
    return { model, labels: model.predict(data) };
  }

  /** Whether weights, means and precisions are all given: no initialization to compute. */
  private givenStart(): boolean {
    return this.weightsInit !== undefined && this.meansInit !== undefined && this.precisionsInit !== undefined;
  }

  /**
   * Initial parameters of one run: from `initParams`, overridden by the given
   * initial values; with each row's most responsible initial component, a
   * hint for the E-step's order of work.
   */
  private initialParameters(fd: FitData, rng: Random): InitialState {
    return this.startFrom(
      fd,
      this.givenStart() ? undefined : initialResponsibilities(this.initParams, fd, this.nComponents, rng),
    );
  }

  /** Initial parameters from initial responsibilities (undefined: all given), overridden by the given values. */
  private startFrom(fd: FitData, resp: Float64Array | undefined): InitialState {
    const k = this.nComponents;
    const d = fd.X.cols;
    const fromData = resp && parametersFromResponsibilities(this.strategy, fd, resp, k, this.regCovar);
    const weights = this.weightsInit ?? fromData!.weights;
    const means = this.meansInit?.data ?? fromData!.means;
    const covariances = this.precisionsInit?.covariances ?? fromData!.covariances;
    const precisionsCholesky = this.precisionsInit?.precisionsCholesky ?? fromData!.precisionsCholesky;
    return {
      parameters: {
        covarianceType: this.covarianceType,
        nComponents: k,
        nFeatures: d,
        weights,
        means,
        covariances,
        precisionsCholesky,
      },
      labels: resp && argmaxRows(resp, k),
    };
  }

  private checkInitModel(model: GaussianMixtureModel, d: number): void {
    if (!(model instanceof GaussianMixtureModel)) {
      throw new InvalidParameterError('initModel', model, 'a fitted GaussianMixtureModel');
    }
    if (model.covarianceType !== this.covarianceType) {
      throw new InvalidParameterError(
        'initModel.covarianceType',
        model.covarianceType,
        `"${this.covarianceType}" (this GaussianMixture's covarianceType)`,
      );
    }
    if (model.nComponents !== this.nComponents) {
      throw new InvalidParameterError(
        'initModel.nComponents',
        model.nComponents,
        `${this.nComponents} (this GaussianMixture's nComponents)`,
      );
    }
    if (model.nFeatures !== d) throw new DimensionMismatchError('X', model.nFeatures, d, 'initModel');
  }

  private checkWeightsInit(value: ArrayLike<number>): Float64Array {
    const k = this.nComponents;
    const weights = readNested(value, [k], 'weightsInit', (path, problem) =>
      InvalidParameterError.withMessage('weightsInit', value, `${path} ${problem} (one weight per component)`),
    );
    let sum = 0;
    for (let j = 0; j < k; j++) {
      if (weights[j] < 0 || weights[j] > 1) throw new InvalidParameterError(`weightsInit[${j}]`, weights[j], 'in [0, 1]');
      sum += weights[j];
    }
    if (Math.abs(1 - sum) > 1e-8) {
      throw new InvalidParameterError('weightsInit', value, 'normalized (summing to 1)', `They sum to ${sum}`);
    }
    return weights;
  }

  private checkMeansInit(value: MatrixLike): Matrix {
    let means: Matrix;
    try {
      means = asMatrix(value, 'meansInit');
    } catch (e) {
      throw new InvalidParameterError(
        'meansInit',
        value,
        `a ${this.nComponents} × d array of finite numbers`,
        (e as Error).message,
      );
    }
    if (means.rows !== this.nComponents) {
      throw new InvalidParameterError('meansInit', value, `${this.nComponents} rows (one mean per component); got ${means.rows}`);
    }
    return isMatrix(value) ? { rows: means.rows, cols: means.cols, data: Float64Array.from(means.data) } : means;
  }

  private checkPrecisionsInit(value: readonly unknown[]): PrecisionsInit {
    const k = this.nComponents;
    const type = this.covarianceType;
    // d: from meansInit if given, else from the array itself (a spherical precision does not say).
    const given = nestedShape(value);
    const d = this.meansInit?.cols ?? { full: given[1], tied: given[0], diag: given[1], spherical: undefined }[type];
    const expected = this.strategy.covarianceShape(k, d ?? 1);
    const what = { full: 'nComponents × d × d', tied: 'd × d', diag: 'nComponents × d', spherical: 'nComponents' }[type];
    const precisions = readNested(value, expected, 'precisionsInit', (path, problem) =>
      InvalidParameterError.withMessage('precisionsInit', value, `${path} ${problem}: ${what} for '${type}'`),
    );
    const order = d ?? 1;
    if (type === 'full' || type === 'tied') checkSymmetric(precisions, type === 'tied' ? 1 : k, order, type === 'full');
    const precisionsCholesky = new Float64Array(precisions.length);
    const failed = this.strategy.precisionCholeskyFromPrecision(precisions, k, order, precisionsCholesky);
    if (failed >= 0) {
      const where = type === 'tied' ? 'the shared precision' : `precisionsInit[${failed}]`;
      throw new InvalidParameterError('precisionsInit', value, 'positive definite', `${where} is not`);
    }
    const covariances = new Float64Array(precisions.length);
    this.strategy.covarianceFromPrecisionCholesky(precisionsCholesky, k, order, covariances);
    return { nFeatures: d, precisionsCholesky, covariances };
  }
}

/** numpy's allclose(P, Pᵀ) for each d×d block. */
function checkSymmetric(p: Float64Array, blocks: number, d: number, indexed: boolean): void {
  for (let b = 0; b < blocks; b++) {
    const o = b * d * d;
    const at = (i: number, j: number): string => `precisionsInit${indexed ? `[${b}]` : ''}[${i}][${j}]`;
    for (let i = 0; i < d; i++) {
      for (let j = i + 1; j < d; j++) {
        const a = p[o + i * d + j];
        const t = p[o + j * d + i];
        if (Math.abs(a - t) > 1e-8 + 1e-5 * Math.abs(t)) {
          throw InvalidParameterError.withMessage(
            'precisionsInit',
            a,
            `precisionsInit must be symmetric: ${at(i, j)} = ${a} but ${at(j, i)} = ${t}`,
          );
        }
      }
    }
  }
}
