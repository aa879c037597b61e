/**
 * Gaussian mixture regression (GMR; Ghahramani & Jordan 1994, Sung 2004): a
 * mixture fitted on the joint [X, y] predicts y from x through its
 * conditional p(y | x), a mixture itself. Its mean E[y | x] is a smooth
 * nonlinear regression, and its covariance (law of total covariance) a band
 * that widens where the data are noisier or the components disagree.
 *
 * @module
 */
import { InvalidParameterError } from '../errors.js';
import { DimensionMismatchError, InvalidDataError } from '../errors.js';
import { asMatrix, matrix, type Matrix, type MatrixLike } from '../matrix/matrix.js';
import { conditionOn, normalizeLogWeights, prepareConditional, type PreparedConditional } from '../mixture/conditional.js';
import { checkColumnNames, checkOptionNames } from '../validate.js';
import { columnIndices, otherColumns } from './columns.js';
import { GaussianMixture } from './gaussianMixture.js';
import type { GaussianMixtureModel } from './mixtureModel.js';
import {
  FIT_ASYNC_OPTIONS,
  FIT_OPTIONS,
  type GaussianMixtureFitAsyncOptions,
  type GaussianMixtureFitOptions,
  type GaussianMixtureOptions,
} from './mixtureOptions.js';

/** Options of {@link GaussianMixtureRegressor.fit}: those of `GaussianMixture.fit`, with names for y's columns. */
export interface GaussianMixtureRegressorFitOptions extends GaussianMixtureFitOptions {
  /** Names of the t targets (y's columns); with `featureNames`, the joint model's names are both. Default `y` or `y1…yt`. */
  targetNames?: readonly string[];
}

/** Options of {@link GaussianMixtureRegressor.fitAsync}: those of `fitAsync`, with `targetNames`. */
export interface GaussianMixtureRegressorFitAsyncOptions extends GaussianMixtureFitAsyncOptions {
  /** As in {@link GaussianMixtureRegressorFitOptions}. */
  targetNames?: readonly string[];
}

/** What {@link GaussianMixtureRegression.predictDistribution} returns. */
export interface RegressionDistribution {
  /** E[y | x] of every row, n × t. */
  mean: Matrix;
  /** Cov[y | x] of every row, n × t × t flat (row i's block at i·t²). */
  covariance: Float64Array;
}

/**
 * Fits Gaussian mixture regressions: a {@link GaussianMixture} on the columns
 * of X followed by those of y, with every option of `GaussianMixture`
 * (`nComponents`, `covarianceType`, `standardize`, `seed`, …).
 *
 * @example
 * ```ts
 * const gmr = new GaussianMixtureRegressor({ nComponents: 8, seed: 0 }).fit(X, y);
 * gmr.predict([[0.5], [1.5]]);           // Matrix 2 × 1: E[y | x]
 * gmr.predictDistribution([[0.5]]).covariance; // Var[y | x]
 * ```
 */
export class GaussianMixtureRegressor {
  private readonly mixture: GaussianMixture;

  /**
   * @param options - As for {@link GaussianMixture} (the joint mixture's settings), without `noise`.
   * @throws {@link InvalidParameterError} for a bad option, as `GaussianMixture`, or a noise component
   *   (a regression needs every component's Gaussian conditional).
   */
  constructor(options: GaussianMixtureOptions = {}) {
    this.mixture = new GaussianMixture(options);
    if (this.mixture.noise) {
      throw InvalidParameterError.withMessage(
        'noise',
        options.noise,
        'GaussianMixtureRegressor takes no noise component: a regression needs every component’s Gaussian conditional',
      );
    }
  }

  /**
   * Fits the joint mixture on [X, y].
   *
   * @param X - Inputs, n × dx.
   * @param y - Targets: n values, or an n × t matrix.
   * @param options - Those of `GaussianMixture.fit`; `featureNames` names X's columns, `targetNames` y's.
   * @returns The fitted regression.
   * @throws {@link InvalidDataError} for bad data or a row count that differs; as `GaussianMixture.fit`.
   */
  fit(
    X: MatrixLike,
    y: MatrixLike | ArrayLike<number>,
    options: GaussianMixtureRegressorFitOptions = {},
  ): GaussianMixtureRegression {
    checkOptionNames(options, [...FIT_OPTIONS, 'targetNames'], 'fit');
    const { targetNames, ...rest } = options;
    const joint = joinColumns(X, y, options.featureNames, targetNames);
    const model = this.mixture.fit(joint.data, { ...rest, ...(joint.names ? { featureNames: joint.names } : {}) });
    return new GaussianMixtureRegression(model, joint.inputs);
  }

  /**
   * As {@link GaussianMixtureRegressor.fit}, on worker threads (`GaussianMixture.fitAsync`).
   *
   * @param X - Inputs, n × dx.
   * @param y - Targets: n values, or an n × t matrix.
   * @param options - Those of `fitAsync` (`threads`, `signal`, …) and `targetNames`.
   * @returns The fitted regression, the same as `fit`'s.
   */
  async fitAsync(
    X: MatrixLike,
    y: MatrixLike | ArrayLike<number>,
    options: GaussianMixtureRegressorFitAsyncOptions = {},
  ): Promise<GaussianMixtureRegression> {
    checkOptionNames(options, [...FIT_ASYNC_OPTIONS, 'targetNames'], 'fitAsync');
    const { targetNames, ...rest } = options;
    const joint = joinColumns(X, y, options.featureNames, targetNames);
    const model = await this.mixture.fitAsync(joint.data, {
      ...rest,
      ...(joint.names ? { featureNames: joint.names } : {}),
    });
    return new GaussianMixtureRegression(model, joint.inputs);
  }
}

/**
 * A fitted Gaussian mixture regression: the joint mixture and which of its
 * columns are inputs. E[y | x] = Σₖ wₖ(x) (μₖ,y + Σₖ,yx Σₖ,xx⁻¹ (x − μₖ,x)) with
 * wₖ(x) ∝ πₖ N(x | μₖ,x, Σₖ,xx); Cov[y | x] = Σₖ wₖ(x) (Σₖ,y|x + (mₖ − m)(mₖ − m)ᵀ).
 * Every solve is by the Cholesky factor of Σₖ,xx, prepared once per model.
 * Save it by saving `mixture` (its model file) and rebuild it with
 * {@link GaussianMixtureRegression.fromMixture}.
 *
 * @example
 * ```ts
 * const gmr = GaussianMixtureRegression.fromMixture(irisModel, ['sepal_length', 'sepal_width']);
 * gmr.predict([[5.1, 3.5]]); // the expected petal length and width
 * ```
 */
export class GaussianMixtureRegression {
  /** The joint mixture over inputs and outputs. */
  readonly mixture: GaussianMixtureModel;
  /** The mixture's columns that are inputs (x), in the order `predict` reads them. */
  readonly inputs: readonly number[];
  /** The mixture's other columns: the outputs (y), in the order `predict` writes them. */
  readonly outputs: readonly number[];
  private readonly prepared: PreparedConditional;

  /**
   * @param mixture - A fitted mixture over inputs and outputs.
   * @param inputs - Its input columns (indices or feature names); at least one column must be left as output.
   * @throws {@link InvalidParameterError} for bad columns.
   */
  constructor(mixture: GaussianMixtureModel, inputs: readonly (number | string)[]) {
    const given = columnIndices(inputs, mixture.nFeatures, mixture.featureNames, 'inputs');
    const outputs = otherColumns(given, mixture.nFeatures, 'inputs', 'Some column must be an output');
    this.mixture = mixture;
    this.inputs = given;
    this.outputs = outputs;
    this.prepared = prepareConditional(mixture.mixtureParameters, given, outputs);
  }

  /**
   * A regression from any fitted mixture: the given columns are the inputs, the others the outputs.
   *
   * @param mixture - A fitted mixture (e.g. read from a model file).
   * @param inputs - Its input columns, as indices or feature names.
   * @returns The regression.
   * @throws {@link InvalidParameterError} for bad columns.
   */
  static fromMixture(mixture: GaussianMixtureModel, inputs: readonly (number | string)[]): GaussianMixtureRegression {
    return new GaussianMixtureRegression(mixture, inputs);
  }

  /** Number of inputs dx. */
  get nInputs(): number {
    return this.inputs.length;
  }

  /** Number of outputs t. */
  get nOutputs(): number {
    return this.outputs.length;
  }

  /**
   * E[y | x] for every row of X.
   *
   * @param X - Inputs, n × dx.
   * @returns n × t predictions.
   * @throws {@link InvalidDataError} for bad data; {@link DimensionMismatchError} for a wrong width;
   *   {@link NumericalError} for a row no component can have produced (density 0 under all).
   */
  predict(X: MatrixLike): Matrix {
    return this.run(X, false).mean;
  }

  /**
   * E[y | x] and Cov[y | x] for every row of X.
   *
   * @param X - Inputs, n × dx.
   * @returns The means (n × t) and covariances (n × t × t, flat).
   * @throws As {@link GaussianMixtureRegression.predict}.
   * @example
   * ```ts
   * const { mean, covariance } = gmr.predictDistribution(X);
   * const sd = Math.sqrt(covariance[0]); // row 0's standard deviation (one output)
   * ```
   */
  predictDistribution(X: MatrixLike): RegressionDistribution {
    return this.run(X, true);
  }

  /**
   * The whole conditional distribution p(y | x) of one input: a mixture over the outputs.
   *
   * @param x - dx input values.
   * @returns A model over the outputs (`mixture.condition(inputs, x)`).
   * @throws As `GaussianMixtureModel.condition`.
   */
  conditional(x: ArrayLike<number>): GaussianMixtureModel {
    return this.mixture.condition(this.inputs, x);
  }

  private run(X: MatrixLike, withCovariance: boolean): RegressionDistribution {
    const data = asMatrix(X);
    const s = this.inputs.length;
    const t = this.outputs.length;
    if (data.cols !== s) throw new DimensionMismatchError('X', s, data.cols, "the regression's inputs");
    const k = this.mixture.nComponents;
    const scaler = this.mixture.scaler;
    const { covariances } = this.prepared;
    const n = data.rows;
    const mean = new Float64Array(n * t);
    const covariance = new Float64Array(withCovariance ? n * t * t : 0);
    const values = new Float64Array(s);
    const weights = new Float64Array(k);
    const means = new Float64Array(k * t);
    const z = new Float64Array(s);
    for (let i = 0; i < n; i++) {
      for (let a = 0; a < s; a++) {
        const c = this.inputs[a]!;
        const v = data.data[i * s + a]!;
        values[a] = scaler ? (v - scaler.mean[c]!) / scaler.scale[c]! : v;
      }
      conditionOn(this.prepared, values, weights, means, z);
      normalizeLogWeights(weights, `X row ${i}: `);
      const m = mean.subarray(i * t, (i + 1) * t);
      for (let j = 0; j < k; j++) for (let b = 0; b < t; b++) m[b]! += weights[j]! * means[j * t + b]!;
      if (withCovariance) {
        const cov = covariance.subarray(i * t * t, (i + 1) * t * t);
        for (let j = 0; j < k; j++) {
          const w = weights[j]!;
          if (w === 0) continue;
          for (let b = 0; b < t; b++) {
            const db = means[j * t + b]! - m[b]!;
            for (let c = 0; c < t; c++) {
              cov[b * t + c]! += w * (covariances[(j * t + b) * t + c]! + db * (means[j * t + c]! - m[c]!));
            }
          }
        }
        if (scaler) {
          for (let b = 0; b < t; b++) {
            for (let c = 0; c < t; c++) cov[b * t + c]! *= scaler.scale[this.outputs[b]!]! * scaler.scale[this.outputs[c]!]!;
          }
        }
      }
      if (scaler) for (let b = 0; b < t; b++) m[b] = m[b]! * scaler.scale[this.outputs[b]!]! + scaler.mean[this.outputs[b]!]!;
    }
    return { mean: matrix(n, t, mean), covariance };
  }
}

/** [X, y] as one matrix, with the joint feature names and the input columns. */
function joinColumns(
  X: MatrixLike,
  y: MatrixLike | ArrayLike<number>,
  featureNames: readonly string[] | undefined,
  targetNames: readonly string[] | undefined,
): { data: Matrix; names: string[] | undefined; inputs: number[] } {
  const x = asMatrix(X);
  const targets = targetMatrix(y);
  if (targets.rows !== x.rows) {
    throw new InvalidDataError('y', `y has ${targets.rows} rows but X has ${x.rows}; they need one target per row`);
  }
  const dx = x.cols;
  const t = targets.cols;
  checkColumnNames('targetNames', targetNames, t, 'y');
  checkColumnNames('featureNames', featureNames, dx, 'X');
  const data = new Float64Array(x.rows * (dx + t));
  for (let i = 0; i < x.rows; i++) {
    data.set(x.data.subarray(i * dx, (i + 1) * dx), i * (dx + t));
    data.set(targets.data.subarray(i * t, (i + 1) * t), i * (dx + t) + dx);
  }
  const defaultTargets = t === 1 ? ['y'] : Array.from({ length: t }, (_, b) => `y${b + 1}`);
  const names =
    featureNames === undefined && targetNames === undefined
      ? undefined
      : [...(featureNames ?? Array.from({ length: dx }, (_, a) => `x${a + 1}`)), ...(targetNames ?? defaultTargets)];
  return { data: matrix(x.rows, dx + t, data), names, inputs: Array.from({ length: dx }, (_, a) => a) };
}

/** y as an n × t matrix: a vector of n numbers is one column. */
function targetMatrix(y: MatrixLike | ArrayLike<number>): Matrix {
  if ((Array.isArray(y) && (y.length === 0 || typeof y[0] === 'number')) || (ArrayBuffer.isView(y) && !(y instanceof DataView))) {
    const values = y as ArrayLike<number>;
    return asMatrix({ rows: values.length, cols: 1, data: Float64Array.from(values) }, 'y');
  }
  return asMatrix(y as MatrixLike, 'y');
}
