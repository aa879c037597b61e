import { GmmError, InvalidDataError, InvalidParameterError } from '../errors.js';
import { asMatrix, type MatrixLike } from '../matrix/matrix.js';
import { fitScaler, standardizeRows } from '../matrix/standardize.js';
import {
  GaussianMixture,
  type GaussianMixtureOptions,
  type MixtureFit,
  type PreparedData,
} from '../estimators/gaussianMixture.js';
import { fitData } from '../fit/init.js';
import type { GaussianMixtureModel } from '../estimators/mixtureModel.js';
import { ALL_COVARIANCE_TYPES, COVARIANCE_TYPES, MCLUST_MODELS, type CovarianceType } from '../mixture/parameters.js';
import {
  booleanValue,
  checkOptionNames,
  fitWeights,
  integerAtLeast,
  oneOf,
  sampleWeightValue,
  weightScale,
  scaleByPowerOfTwo,
} from '../validate.js';
import type { SufficientStatistics } from '../mixture/statistics.js';
import { LocalRows } from '../fit/localRows.js';
import { ask, driveSync, type FitSteps } from '../fit/rows.js';

/** A criterion to choose a model by; lower is better for all three. */
export type Criterion = 'bic' | 'aic' | 'icl';

/** Options of {@link selectModel}. */
export interface SelectModelOptions {
  /** Numbers of components to try. Default 1 to 10. */
  nComponents?: readonly number[];
  /**
   * Covariance types to try, or `'mclust'` for mclust's fourteen models
   * (`MCLUST_MODELS`). Default scikit-learn's four (`COVARIANCE_TYPES`).
   */
  covarianceTypes?: readonly CovarianceType[] | 'mclust';
  /** What chooses the best: `'bic'` (default), `'aic'` or `'icl'`. */
  criterion?: Criterion;
  /**
   * EM runs per cell of the grid, best lower bound kept. Default 10: enough
   * restarts that a cell's best is rarely an unlucky local optimum.
   */
  nInit?: number;
  /** Seed of every fit of the grid. Default 0. */
  seed?: number;
  /** Passed to every fit (see `GaussianMixtureOptions`). */
  maxIter?: number;
  /** Passed to every fit. */
  tol?: number;
  /** Passed to every fit. */
  regCovar?: number;
  /** Passed to every fit. */
  initParams?: GaussianMixtureOptions['initParams'];
  /**
   * Passed to every fit: a conjugate prior (`true`: mclust's `priorControl()`),
   * each cell's defaults from its own k and model, as mclust's `mclustBIC(X,
   * prior = priorControl())`. The criteria stay the likelihood's, at the MAP
   * estimate. Default none.
   */
  prior?: GaussianMixtureOptions['prior'];
  /**
   * Passed to every fit: a noise component (`GaussianMixtureOptions.noise`), as mclust's
   * `mclustBIC(X, initialization = list(noise = ...))`; its weight and volume count as 2 parameters. Default none.
   */
  noise?: GaussianMixtureOptions['noise'];
  /**
   * Fit every cell on standardized columns (see `GaussianMixtureOptions.standardize`): one scaler for the whole
   * grid, kept by every model; the criteria are in the data's units. Default false.
   */
  standardize?: boolean;
  /**
   * One non-negative weight per row (counts of repeated rows): weighted fits,
   * and criteria with the weighted log-likelihood and n = Σw.
   */
  sampleWeight?: ArrayLike<number>;
  /** Names of the d features, stored in the models. */
  featureNames?: readonly string[];
  /** Called after each cell of the grid. */
  onResult?: (result: SelectionResult, done: number, total: number) => void;
}

/** One cell of the grid. */
export interface SelectionResult {
  /** Number of components. */
  readonly nComponents: number;
  /** Covariance type. */
  readonly covarianceType: CovarianceType;
  /** Total (weighted) log-likelihood of the data, Σ w·log p(x). */
  readonly logLikelihood: number;
  /** Free parameters. */
  readonly nParameters: number;
  /** −2·logLikelihood + p·ln n. Infinity if the fit failed. */
  readonly bic: number;
  /** mclust's BIC, 2·logLikelihood − p·ln n = −bic (higher is better). −Infinity if the fit failed (mclust's NA). */
  readonly bicMclust: number;
  /** −2·logLikelihood + 2p. Infinity if the fit failed. */
  readonly aic: number;
  /** BIC + 2·entropy of the responsibilities (scikit-learn's sign; mclust reports −ICL). Infinity if the fit failed. */
  readonly icl: number;
  /** Whether EM converged. */
  readonly converged: boolean;
  /** EM iterations of the kept run. */
  readonly nIter: number;
  /** Why the fit failed (too few rows, a collapsed component), if it did. */
  readonly error?: string;
}

/** The outcome of a model selection. */
export interface ModelSelection {
  /** The criterion used. */
  readonly criterion: Criterion;
  /** Every cell, in grid order (covariance type, then number of components). */
  readonly results: SelectionResult[];
  /** The cell with the lowest criterion (the first of equals). */
  readonly best: SelectionResult;
  /** Its fitted model. */
  readonly model: GaussianMixtureModel;
}

const OPTIONS = [
  'nComponents',
  'covarianceTypes',
  'criterion',
  'nInit',
  'seed',
  'maxIter',
  'tol',
  'regCovar',
  'initParams',
  'prior',
  'noise',
  'standardize',
  'sampleWeight',
  'featureNames',
  'onResult',
];

/**
 * Chooses the number of components and the covariance type: fits the whole
 * grid and keeps the lowest BIC, AIC or ICL (as mclust's `Mclust`, with
 * scikit-learn's sign convention).
 *
 * @param X - Data, n × d.
 * @param options - Grid, criterion, restarts; see {@link SelectModelOptions}.
 * @returns Every cell's result, the best one and its model.
 * @throws {@link InvalidParameterError} for bad options; {@link InvalidDataError}
 *   for bad data; {@link GmmError} if no cell of the grid could be fitted.
 * @example
 * ```ts
 * const { best, model, results } = selectModel(X, { nComponents: [1, 2, 3, 4, 5, 6], criterion: 'bic' });
 * best.nComponents; best.covarianceType;
 * ```
 */
export function selectModel(X: MatrixLike, options: SelectModelOptions = {}): ModelSelection {
  const plan = planSelection(X, options);
  const rows = new LocalRows(plan.rows, plan.weights);
  try {
    return driveSync(plan.steps(), rows);
  } finally {
    rows.release();
  }
}

/** A fitted cell: its result, and its model unless it failed. */
export interface Cell {
  result: SelectionResult;
  model: GaussianMixtureModel | undefined;
}

/**
 * Everything a grid's cells share (the validated options, the prepared rows), and the steps of one cell and of
 * the whole grid: what `selectModel` drives on the calling thread, and a worker drives for one cell.
 *
 * @param X - Data, n × d.
 * @param options - The grid's options.
 * @returns The plan.
 */
export function planSelection(X: MatrixLike, options: SelectModelOptions) {
  checkOptionNames(options, OPTIONS, 'selectModel');
  const data = asMatrix(X);
  const ks = [...(options.nComponents ?? [1, 2, 3, 4, 5, 6, 7, 8, 9, 10])];
  if (ks.length === 0) throw new InvalidParameterError('nComponents', ks, 'a non-empty list of positive integers');
  ks.forEach((k, i) => integerAtLeast(`nComponents[${i}]`, k));
  const given = options.covarianceTypes ?? COVARIANCE_TYPES;
  const types = [...(given === 'mclust' ? MCLUST_MODELS : given)];
  if (types.length === 0) throw new InvalidParameterError('covarianceTypes', types, 'a non-empty list of covariance types');
  types.forEach((t, i) => oneOf(`covarianceTypes[${i}]`, t, ALL_COVARIANCE_TYPES));
  const criterion = oneOf('criterion', options.criterion ?? 'bic', ['bic', 'aic', 'icl']);
  // The criteria take the weights as given (n = Σw); the fits, rescaled by a power of two (see fitWeights).
  // A row of positive weight per component of the largest cell, as every fit requires.
  const weights = sampleWeightValue(options.sampleWeight, data.rows, Math.max(...ks));
  const { weights: fitted, exponent } = fitWeights(weights);
  const base: GaussianMixtureOptions = {
    nInit: integerAtLeast('nInit', options.nInit ?? 10),
    seed: options.seed ?? 0,
    ...(options.maxIter === undefined ? {} : { maxIter: options.maxIter }),
    ...(options.tol === undefined ? {} : { tol: options.tol }),
    ...(options.regCovar === undefined ? {} : { regCovar: options.regCovar }),
    ...(options.initParams === undefined ? {} : { initParams: options.initParams }),
    ...(options.prior === undefined ? {} : { prior: options.prior }),
    ...(options.noise === undefined ? {} : { noise: options.noise }),
    standardize: booleanValue('standardize', options.standardize ?? false),
  };
  // One standardization for the whole grid: the rows (and the workers' copy of them) are standardized once.
  const scaler = base.standardize ? fitScaler(data, weights) : undefined;
  const rows = scaler ? standardizeRows(scaler, data) : data;
  // Every cell fits the same prepared data: validated, laid out and its column moments taken once.
  const prepared: PreparedData = {
    data: fitData(rows, fitted, { shareStarts: true }),
    missing: undefined,
    scaler,
    weightScale: weightScale(exponent),
  };
  // n = Σw of the given weights: the fitted total, scaled back (exactly, by a power of two).
  const scaledBack = Float64Array.of(prepared.data.totalWeight);
  scaleByPowerOfTwo(scaledBack, exponent);
  const totalWeight = scaledBack[0]!;
  const grid = types.flatMap((covarianceType) => ks.map((k) => ({ k, covarianceType })));
  const fitOptions = options.featureNames ? { featureNames: options.featureNames } : {};
  /**
   * A cell's criteria, as `model.criteria(X)` gives them, from one more E-step under the fitted parameters on the
   * grid's rows (their engines, their workers): its log-likelihood and its responsibilities' entropy. The fitted
   * weights are the given ones times 2^−exponent, and the rows may be standardized: both undone here.
   */
  const scored = (
    k: number,
    covarianceType: CovarianceType,
    fit: MixtureFit,
    model: GaussianMixtureModel,
    stats: SufficientStatistics,
  ): Cell => {
    if (totalWeight <= 1) {
      throw new InvalidDataError('X', 'the weighted data must total more than 1 to compute an information criterion');
    }
    const sums = Float64Array.of(stats.logLikelihood, stats.entropy);
    scaleByPowerOfTwo(sums, exponent);
    const logLikelihood = sums[0]! + fit.logJacobian * totalWeight;
    const entropy = Math.max(0, sums[1]!);
    const nParameters = model.nParameters;
    const bic = -2 * logLikelihood + nParameters * Math.log(totalWeight);
    return {
      result: {
        nComponents: k,
        covarianceType,
        logLikelihood,
        nParameters,
        bic,
        bicMclust: -bic,
        aic: -2 * logLikelihood + 2 * nParameters,
        icl: bic + 2 * entropy,
        converged: model.converged,
        nIter: model.nIter,
      },
      model,
    };
  };
  const failed = (k: number, covarianceType: CovarianceType, e: unknown): Cell => {
    if (!(e instanceof GmmError) || e instanceof InvalidParameterError) throw e;
    const result: SelectionResult = {
      nComponents: k,
      covarianceType,
      logLikelihood: -Infinity,
      nParameters: 0,
      bic: Infinity,
      bicMclust: -Infinity,
      aic: Infinity,
      icl: Infinity,
      converged: false,
      nIter: 0,
      error: e.message,
    };
    return { result, model: undefined };
  };
  const choose = (cells: Cell[]): ModelSelection => {
    let best: Cell | undefined;
    for (const cell of cells)
      if (cell.model && (best === undefined || cell.result[criterion] < best.result[criterion])) best = cell;
    if (!best) {
      throw new GmmError(`no model of the grid could be fitted; the first failure: ${cells[0]?.result.error ?? 'none'}`);
    }
    return { criterion, results: cells.map((c) => c.result), best: best.result, model: best.model! };
  };
  /** One cell of the grid, fitted and scored on the grid's rows; a cell that cannot be fitted is reported, not thrown. */
  function* cell(k: number, covarianceType: CovarianceType): FitSteps<Cell> {
    try {
      const fit = new GaussianMixture({ ...base, nComponents: k, covarianceType }).planOn(prepared, fitOptions);
      const result = yield* fit.steps();
      const { means } = result.parameters;
      const centers = fit.strategy.statisticsCenters(means, fit.data.dataMean, k, data.cols);
      const stats = yield* ask({ kind: 'expectation', strategy: fit.strategy, parameters: result.parameters, centers });
      return scored(k, covarianceType, fit, fit.model(result), stats);
    } catch (e) {
      return failed(k, covarianceType, e);
    }
  }
  /** The whole grid, cell after cell, on one set of rows. */
  function* steps(): FitSteps<ModelSelection> {
    const cells: Cell[] = [];
    for (const { k, covarianceType } of grid) {
      cells.push(yield* cell(k, covarianceType));
      options.onResult?.(cells.at(-1)!.result, cells.length, grid.length);
    }
    return choose(cells);
  }
  /** Throws what a cell's options would throw (an `InvalidParameterError`), before any cell runs elsewhere. */
  const checkCells = (): void => {
    for (const { k, covarianceType } of grid) new GaussianMixture({ ...base, nComponents: k, covarianceType });
  };
  return { rows, weights: fitted, grid, cell, steps, choose, checkCells };
}
