/**
 * Where a mixture's EM starts: the user's initial values (`weightsInit`,
 * `meansInit`, `precisionsInit`, checked once when the `GaussianMixture` is
 * made), a warm-start model's parameters, or parameters estimated from
 * initial responsibilities — overridden by whatever initial values are given.
 *
 * @module
 */
import { DimensionMismatchError, InvalidParameterError } from '../errors.js';
import {
  argmaxRows,
  initialResponsibilities as dataResponsibilities,
  parametersFromResponsibilities,
  type FitData,
  type InitParams,
} from '../fit/init.js';
import type { FitSteps } from '../fit/rows.js';
import type { Random } from '../random/random.js';
import type { InitialState } from '../fit/mixtureRuns.js';
import { asMatrix, isMatrix, type Matrix, type MatrixLike } from '../matrix/matrix.js';
import type { CovarianceStrategy } from '../mixture/covariance/index.js';
import { nestedShape, readNested } from '../mixture/nested.js';
import type { ConjugatePrior } from '../mixture/prior.js';
import { unflaggedRows, type NoisePlan } from './mixtureNoise.js';
import type { MixtureSettings } from './mixtureOptions.js';
import { GaussianMixtureModel } from './mixtureModel.js';

/** `precisionsInit` turned into factors; `nFeatures` is undefined when the shape does not fix d (spherical). */
interface PrecisionsInit {
  readonly nFeatures: number | undefined;
  readonly precisionsCholesky: Float64Array;
  readonly covariances: Float64Array;
}

/** The initial values a user gave, checked. */
export interface GivenStart {
  readonly weights: Float64Array | undefined;
  readonly means: Matrix | undefined;
  readonly precisions: PrecisionsInit | undefined;
}

/**
 * Checks the initial values of a `GaussianMixture`'s options.
 *
 * @param options - `weightsInit`, `meansInit`, `precisionsInit` (each optional).
 * @param settings - The validated scalar settings (k, covariance type).
 * @param strategy - The covariance strategy.
 * @returns The checked values.
 * @throws {@link InvalidParameterError} for a wrongly shaped or non-normalized
 *   `weightsInit`, a wrongly shaped `meansInit`, or a `precisionsInit` that is
 *   not symmetric positive definite.
 */
export function givenStart(
  options: { weightsInit?: ArrayLike<number>; meansInit?: MatrixLike; precisionsInit?: readonly unknown[] },
  settings: MixtureSettings,
  strategy: CovarianceStrategy,
): GivenStart {
  const k = settings.nComponents;
  const weights = options.weightsInit === undefined ? undefined : checkWeightsInit(options.weightsInit, k);
  const means = options.meansInit === undefined ? undefined : checkMeansInit(options.meansInit, k);
  const precisions =
    options.precisionsInit === undefined ? undefined : checkPrecisionsInit(options.precisionsInit, k, strategy, means?.cols);
  return { weights, means, precisions };
}

/** Whether weights, means and precisions are all given: no initialization to compute. */
export function isComplete(given: GivenStart): boolean {
  return given.weights !== undefined && given.means !== undefined && given.precisions !== undefined;
}

/**
 * Checks the given values against the data's width d.
 *
 * @param given - The given values.
 * @param d - Features of the data.
 * @throws {@link DimensionMismatchError} if `meansInit` or `precisionsInit` is for another d.
 */
export function checkGivenWidth(given: GivenStart, d: number): void {
  if (given.means && given.means.cols !== d) throw new DimensionMismatchError('X', given.means.cols, d, 'meansInit');
  const precisionsD = given.precisions?.nFeatures;
  if (precisionsD !== undefined && precisionsD !== d) throw new DimensionMismatchError('X', precisionsD, d, 'precisionsInit');
}

/**
 * Checks a warm-start model against the mixture and the data.
 *
 * @param model - The `initModel` option.
 * @param settings - The mixture's settings.
 * @param d - Features of the data.
 * @throws {@link InvalidParameterError} if it is not a model, or of another covariance type or k;
 *   {@link DimensionMismatchError} if it has another d.
 */
export function checkInitModel(model: GaussianMixtureModel, settings: MixtureSettings, d: number): void {
  if (!(model instanceof GaussianMixtureModel)) {
    throw new InvalidParameterError('initModel', model, 'a fitted GaussianMixtureModel');
  }
  if (model.covarianceType !== settings.covarianceType) {
    throw new InvalidParameterError(
      'initModel.covarianceType',
      model.covarianceType,
      `"${settings.covarianceType}" (this GaussianMixture's covarianceType)`,
    );
  }
  if ((model.noise !== undefined) !== (settings.noise !== undefined)) {
    throw new InvalidParameterError(
      'initModel',
      `a model ${model.noise ? 'with' : 'without'} a noise component`,
      `a model ${settings.noise ? 'with' : 'without'} one, as this GaussianMixture`,
    );
  }
  if (model.nComponents !== settings.nComponents) {
    throw new InvalidParameterError(
      'initModel.nComponents',
      model.nComponents,
      `${settings.nComponents} (this GaussianMixture's nComponents)`,
    );
  }
  if (model.nFeatures !== d) throw new DimensionMismatchError('X', model.nFeatures, d, 'initModel');
}

/**
 * A run's initial responsibilities (`initParams`), shared with a noise
 * component if the fit has one: its `initial` rows go to the noise (with
 * `'hc'`, the hierarchy is of the other rows, as mclust's), or every row
 * gives it `initialWeight`. A row's 1 − Σₖ rᵢₖ is the noise's.
 *
 * @param method - The initialization method.
 * @param data - The fit's data.
 * @param k - Components.
 * @param rng - The fit's random generator.
 * @param noise - The fit's noise component, if any.
 * @returns n × k responsibilities.
 */
export function* initialResponsibilities(
  method: InitParams,
  data: FitData,
  k: number,
  rng: Random,
  noise: NoisePlan | undefined,
): FitSteps<Float64Array> {
  const flags = noise?.initial;
  if (flags && method === 'hc') {
    const { subset, rows } = unflaggedRows(data, flags);
    const part = yield* dataResponsibilities(method, subset, k, rng);
    const resp = new Float64Array(data.X.rows * k);
    rows.forEach((i, t) => resp.set(part.subarray(t * k, (t + 1) * k), i * k));
    return resp;
  }
  const resp = yield* dataResponsibilities(method, data, k, rng);
  if (flags) {
    for (let i = 0; i < flags.length; i++) if (flags[i]) resp.fill(0, i * k, (i + 1) * k);
  } else if (noise) {
    const keep = 1 - noise.initialWeight;
    for (let i = 0; i < resp.length; i++) resp[i] *= keep;
  }
  return resp;
}

/**
 * A run's starting parameters: from initial responsibilities (undefined: all
 * values given), overridden by the given values; with each row's most
 * responsible initial component (a hint for the E-step's order of work).
 *
 * @param strategy - Covariance strategy.
 * @param settings - k, covariance type, regularization.
 * @param given - The given initial values.
 * @param data - The fit's data.
 * @param resp - Initial responsibilities, n × k, or undefined if every value is given.
 * @param prior - The fit's conjugate prior, if any (the first M-step is then its MAP one, as mclust's).
 * @param noise - The fit's noise component, if any: its weight is the responsibilities' share
 *   of it, or with every value given, the `initial` rows' share or `initialWeight` (the given
 *   weights then scaled to sum to 1 − that).
 * @returns The initial state.
 */
export function startFrom(
  strategy: CovarianceStrategy,
  settings: MixtureSettings,
  given: GivenStart,
  data: FitData,
  resp: Float64Array | undefined,
  prior?: ConjugatePrior,
  noise?: NoisePlan,
): InitialState {
  const k = settings.nComponents;
  const fromData = resp && parametersFromResponsibilities(strategy, data, resp, k, settings.regCovar, prior, noise?.component);
  const noiseStart = noise && (fromData?.noise ?? { ...noise.component, weight: givenNoiseWeight(noise, data) });
  const weights = given.weights && noiseStart ? given.weights.map((w) => w * (1 - noiseStart.weight)) : given.weights;
  return {
    parameters: {
      covarianceType: settings.covarianceType,
      nComponents: k,
      nFeatures: data.X.cols,
      weights: weights ?? fromData!.weights,
      means: given.means?.data ?? fromData!.means,
      covariances: given.precisions?.covariances ?? fromData!.covariances,
      precisionsCholesky: given.precisions?.precisionsCholesky ?? fromData!.precisionsCholesky,
      ...(noiseStart ? { noise: noiseStart } : {}),
    },
    labels: resp && argmaxRows(resp, k),
  };
}

/** The noise's starting weight when no responsibilities are computed: its rows' share of the weight, or `initialWeight`. */
function givenNoiseWeight(noise: NoisePlan, data: FitData): number {
  const flags = noise.initial;
  if (!flags) return noise.initialWeight;
  let flagged = 0;
  for (let i = 0; i < flags.length; i++) if (flags[i]) flagged += data.weights === null ? 1 : data.weights[i]!;
  return flagged / data.totalWeight;
}

function checkWeightsInit(value: ArrayLike<number>, k: number): Float64Array {
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

function checkMeansInit(value: MatrixLike, k: number): Matrix {
  let means: Matrix;
  try {
    means = asMatrix(value, 'meansInit');
  } catch (e) {
    throw new InvalidParameterError('meansInit', value, `a ${k} × d array of finite numbers`, (e as Error).message);
  }
  if (means.rows !== k) {
    throw new InvalidParameterError('meansInit', value, `${k} rows (one mean per component); got ${means.rows}`);
  }
  return isMatrix(value) ? { rows: means.rows, cols: means.cols, data: Float64Array.from(means.data) } : means;
}

function checkPrecisionsInit(
  value: readonly unknown[],
  k: number,
  strategy: CovarianceStrategy,
  meansD: number | undefined,
): PrecisionsInit {
  // d: from meansInit if given, else from the array itself (a spherical precision does not say).
  const d = meansD ?? strategy.featuresOf(nestedShape(value));
  const expected = strategy.covarianceShape(k, d ?? 1);
  const precisions = readNested(value, expected, 'precisionsInit', (path, problem) =>
    InvalidParameterError.withMessage(
      'precisionsInit',
      value,
      `${path} ${problem}: ${strategy.shapeName} for '${strategy.type}'`,
    ),
  );
  const order = d ?? 1;
  if (strategy.matrices) checkSymmetric(precisions, strategy.shared ? 1 : k, order, !strategy.shared);
  const precisionsCholesky = new Float64Array(precisions.length);
  const failed = strategy.precisionCholeskyFromPrecision(precisions, k, order, precisionsCholesky);
  if (failed >= 0) {
    const where = strategy.shared ? 'the shared precision' : `precisionsInit[${failed}]`;
    throw new InvalidParameterError('precisionsInit', value, 'positive definite', `${where} is not`);
  }
  const covariances = new Float64Array(precisions.length);
  strategy.covarianceFromPrecisionCholesky(precisionsCholesky, k, order, covariances);
  return { nFeatures: d, precisionsCholesky, covariances };
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
