/**
 * The model file format of the whole project (`toJSON` / `fromJSON`): a plain
 * object, nested arrays in scikit-learn's shapes, versioned.
 *
 * @module
 */
import { ModelFormatError } from '../errors.js';
import { covarianceStrategy } from './covariance/index.js';
import { readNested, toNested, type Nested } from './nested.js';
import { ALL_COVARIANCE_TYPES, type CovarianceType, type MixtureParameters, type NoiseComponent } from './parameters.js';
import type { Scaler } from '../matrix/standardize.js';

/** The `format` tag of a serialized Gaussian mixture. */
export const MODEL_FORMAT = 'gmm.gaussian-mixture';
/** The version of the format this package writes and reads. */
export const MODEL_VERSION = 1;

/** How a fit went: convergence, iterations, lower bounds, feature names. */
export interface FitInfo {
  /** Whether the best run reached |Δ lower bound| < tol. */
  readonly converged: boolean;
  /** EM iterations of the best run. */
  readonly nIter: number;
  /** Lower bound of the best run's last iteration (-Infinity if none ran). */
  readonly lowerBound: number;
  /** Lower bound of every iteration of the best run. */
  readonly lowerBounds: readonly number[];
  /** Names of the d features, if known. */
  readonly featureNames?: readonly string[] | undefined;
  /** The standardization the parameters are in (`standardize: true`). */
  readonly scaler?: Scaler | undefined;
  /** What the fit found doubtful (not converged, a component with almost no weight). */
  readonly warnings?: readonly string[] | undefined;
}

/**
 * A serialized Gaussian mixture: the JSON model file. Arrays are nested in
 * scikit-learn's shapes; `covariances` and `precisionsCholesky` are k×d×d
 * (full), d×d (tied), k×d (diag) or k (spherical).
 *
 * @example
 * ```json
 * { "format": "gmm.gaussian-mixture", "version": 1, "covarianceType": "spherical",
 *   "nComponents": 1, "nFeatures": 2, "weights": [1], "means": [[0, 0]],
 *   "covariances": [1], "precisionsCholesky": [1], "converged": true, "nIter": 2,
 *   "lowerBound": -2.84, "lowerBounds": [-2.9, -2.84] }
 * ```
 */
export interface GaussianMixtureJSON {
  /** Always `"gmm.gaussian-mixture"`. */
  format: typeof MODEL_FORMAT;
  /** Format version, 1. */
  version: typeof MODEL_VERSION;
  /** Covariance parameterization. */
  covarianceType: CovarianceType;
  /** Number of components k. */
  nComponents: number;
  /** Number of features d. */
  nFeatures: number;
  /** Mixing weights (k), summing to 1 (to 1 − `noise.weight` with a noise component). */
  weights: number[];
  /** Means (k × d). */
  means: number[][];
  /** Covariances in the type's shape. */
  covariances: Nested;
  /** Precision Cholesky factors in the type's shape (upper triangular for full/tied). */
  precisionsCholesky: Nested;
  /** Whether the fit converged. */
  converged: boolean;
  /** EM iterations run. */
  nIter: number;
  /** Final lower bound (mean log-likelihood), null if no iteration ran. */
  lowerBound: number | null;
  /** Lower bound per iteration. */
  lowerBounds: number[];
  /** Optional names of the features (d). */
  featureNames?: string[];
  /** What the fit found doubtful, if anything (see `GaussianMixtureModel.warnings`). */
  warnings?: string[];
  /** A noise component (mclust's), if the model has one: its weight, log-density and (default hypervolume) box. */
  noise?: {
    /** π₀. */
    weight: number;
    /** log V⁻¹. */
    logDensity: number;
    /** The box the noise is uniform over (see `NoiseBox`). */
    box?: {
      /** Its center (d). */
      center: number[];
      /** Its axes (d × d, one unit vector per row). */
      axes: number[][];
      /** Its sides' lengths (d). */
      sides: number[];
    };
  };
  /** With `standardize: true`: the column means and scales the parameters are standardized by. */
  scaler?: {
    /** Column means, d values. */
    mean: number[];
    /** Column standard deviations, d values > 0. */
    scale: number[];
  };
}

/**
 * Serializes parameters and fit information.
 *
 * @param p - Parameters.
 * @param info - Fit information.
 * @returns The JSON model object.
 */
export function modelToJSON(p: MixtureParameters, info: FitInfo): GaussianMixtureJSON {
  const { nComponents: k, nFeatures: d } = p;
  const shape = covarianceStrategy(p.covarianceType).covarianceShape(k, d);
  const json: GaussianMixtureJSON = {
    format: MODEL_FORMAT,
    version: MODEL_VERSION,
    covarianceType: p.covarianceType,
    nComponents: k,
    nFeatures: d,
    weights: Array.from(p.weights),
    means: toNested(p.means, [k, d]) as number[][],
    covariances: toNested(p.covariances, shape),
    precisionsCholesky: toNested(p.precisionsCholesky, shape),
    converged: info.converged,
    nIter: info.nIter,
    lowerBound: Number.isFinite(info.lowerBound) ? info.lowerBound : null,
    lowerBounds: [...info.lowerBounds],
  };
  if (p.noise) {
    const { weight, logDensity, box } = p.noise;
    json.noise = {
      weight,
      logDensity,
      ...(box
        ? {
            box: { center: Array.from(box.center), axes: toNested(box.axes, [d, d]) as number[][], sides: Array.from(box.sides) },
          }
        : {}),
    };
  }
  if (info.featureNames) json.featureNames = [...info.featureNames];
  if (info.warnings && info.warnings.length > 0) json.warnings = [...info.warnings];
  if (info.scaler) json.scaler = { mean: Array.from(info.scaler.mean), scale: Array.from(info.scaler.scale) };
  return json;
}

const fail = (field: string, problem: string): ModelFormatError => new ModelFormatError(field, problem);

/**
 * Validates a JSON model object and reads its parameters.
 *
 * @param json - A parsed model file.
 * @returns Parameters and fit information.
 * @throws {@link ModelFormatError} naming the first malformed field.
 */
export function parseModelJSON(json: unknown): { parameters: MixtureParameters; info: FitInfo } {
  if (json === null || typeof json !== 'object' || Array.isArray(json)) {
    throw fail('(root)', `must be a JSON object; got ${Array.isArray(json) ? 'an array' : String(json)}`);
  }
  const o = json as Record<string, unknown>;
  if (o.format !== MODEL_FORMAT) {
    throw fail(
      'format',
      `must be "${MODEL_FORMAT}" (this is not a gmm model file); got ${JSON.stringify(o.format) ?? 'nothing'}`,
    );
  }
  if (o.version !== MODEL_VERSION)
    throw fail('version', `must be ${MODEL_VERSION} (the version this gmm reads); got ${JSON.stringify(o.version)}`);
  const type = o.covarianceType;
  if (typeof type !== 'string' || !(ALL_COVARIANCE_TYPES as readonly string[]).includes(type)) {
    throw fail(
      'covarianceType',
      `must be one of ${ALL_COVARIANCE_TYPES.map((t) => `"${t}"`).join(', ')}; got ${JSON.stringify(type)}`,
    );
  }
  const covarianceType = type as CovarianceType;
  const k = positiveInteger(o.nComponents, 'nComponents');
  const d = positiveInteger(o.nFeatures, 'nFeatures');
  const strategy = covarianceStrategy(covarianceType);
  const shape = strategy.covarianceShape(k, d);

  const weights = readNested(o.weights, [k], 'weights', fail);
  const noise = o.noise === undefined ? undefined : readNoise(o.noise, d);
  let sum = noise ? noise.weight : 0;
  for (let j = 0; j < k; j++) {
    if (weights[j] < 0) throw fail(`weights[${j}]`, `must be ≥ 0; got ${weights[j]}`);
    sum += weights[j];
  }
  if (Math.abs(sum - 1) > 1e-6) throw fail('weights', `must sum to 1${noise ? ' with noise.weight' : ''}; they sum to ${sum}`);
  const means = readNested(o.means, [k, d], 'means', fail);
  const covariances = readNested(o.covariances, shape, 'covariances', fail);
  const precisionsCholesky = readNested(o.precisionsCholesky, shape, 'precisionsCholesky', fail);
  checkConsistent(covarianceType, covariances, precisionsCholesky, k, d);

  if (typeof o.converged !== 'boolean') throw fail('converged', `must be true or false; got ${JSON.stringify(o.converged)}`);
  const nIter = o.nIter;
  if (typeof nIter !== 'number' || !Number.isSafeInteger(nIter) || nIter < 0) {
    throw fail('nIter', `must be an integer ≥ 0; got ${JSON.stringify(nIter)}`);
  }
  const lowerBound = o.lowerBound === null ? -Infinity : o.lowerBound;
  if (typeof lowerBound !== 'number' || (!Number.isFinite(lowerBound) && o.lowerBound !== null)) {
    throw fail('lowerBound', `must be a finite number or null; got ${JSON.stringify(o.lowerBound)}`);
  }
  if (!Array.isArray(o.lowerBounds))
    throw fail('lowerBounds', `must be an array of numbers; got ${JSON.stringify(o.lowerBounds)}`);
  const lowerBounds = Array.from(readNested(o.lowerBounds, [o.lowerBounds.length], 'lowerBounds', fail));
  if (lowerBounds.length !== nIter)
    throw fail('lowerBounds', `must have one value per iteration (nIter = ${nIter}); got ${lowerBounds.length}`);
  let featureNames: string[] | undefined;
  if (o.featureNames !== undefined) {
    const names = o.featureNames;
    if (!Array.isArray(names) || names.length !== d || names.some((n) => typeof n !== 'string')) {
      throw fail('featureNames', `must be an array of ${d} strings`);
    }
    featureNames = names as string[];
  }
  let warnings: string[] | undefined;
  if (o.warnings !== undefined) {
    if (!Array.isArray(o.warnings) || o.warnings.some((w) => typeof w !== 'string'))
      throw fail('warnings', `must be an array of strings; got ${JSON.stringify(o.warnings)}`);
    warnings = o.warnings as string[];
  }
  let scaler: Scaler | undefined;
  if (o.scaler !== undefined) {
    const given = o.scaler as Record<string, unknown> | null;
    if (given === null || typeof given !== 'object' || Array.isArray(given))
      throw fail('scaler', `must be an object with mean and scale; got ${JSON.stringify(o.scaler)}`);
    const mean = readNested(given.mean, [d], 'scaler.mean', fail);
    const scale = readNested(given.scale, [d], 'scaler.scale', fail);
    for (let a = 0; a < d; a++) if (!(scale[a]! > 0)) throw fail(`scaler.scale[${a}]`, `must be > 0; got ${scale[a]}`);
    scaler = { mean, scale };
  }
  return {
    parameters: {
      covarianceType,
      nComponents: k,
      nFeatures: d,
      weights,
      means,
      covariances,
      precisionsCholesky,
      ...(noise ? { noise } : {}),
    },
    info: { converged: o.converged, nIter, lowerBound, lowerBounds, featureNames, scaler, warnings },
  };
}

/** The `noise` field: a weight in [0, 1], a finite log-density, an optional box of d dimensions. */
function readNoise(value: unknown, d: number): NoiseComponent {
  const o = value as Record<string, unknown> | null;
  if (o === null || typeof o !== 'object' || Array.isArray(o))
    throw fail('noise', `must be an object with weight and logDensity; got ${JSON.stringify(value)}`);
  const { weight, logDensity } = o;
  if (typeof weight !== 'number' || !(weight >= 0 && weight <= 1))
    throw fail('noise.weight', `must be in [0, 1]; got ${JSON.stringify(weight)}`);
  if (typeof logDensity !== 'number' || !Number.isFinite(logDensity))
    throw fail('noise.logDensity', `must be a finite number; got ${JSON.stringify(logDensity)}`);
  if (o.box === undefined) return { weight, logDensity };
  const box = o.box as Record<string, unknown> | null;
  if (box === null || typeof box !== 'object' || Array.isArray(box))
    throw fail('noise.box', `must be an object with center, axes and sides; got ${JSON.stringify(o.box)}`);
  const sides = readNested(box.sides, [d], 'noise.box.sides', fail);
  for (let a = 0; a < d; a++) if (!(sides[a]! > 0)) throw fail(`noise.box.sides[${a}]`, `must be > 0; got ${sides[a]}`);
  return {
    weight,
    logDensity,
    box: {
      center: readNested(box.center, [d], 'noise.box.center', fail),
      axes: readNested(box.axes, [d, d], 'noise.box.axes', fail),
      sides,
    },
  };
}

function positiveInteger(v: unknown, field: string): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 1)
    throw fail(field, `must be a positive integer; got ${JSON.stringify(v)}`);
  return v;
}

/** The file's precision factors must be those of its covariances (catches corrupted files). */
function checkConsistent(type: CovarianceType, cov: Float64Array, pc: Float64Array, k: number, d: number): void {
  const strategy = covarianceStrategy(type);
  const expected = new Float64Array(cov.length);
  const failed = strategy.precisionCholesky(cov, k, d, expected);
  if (failed >= 0) {
    throw fail('covariances', `are not positive definite (${strategy.shared ? 'the shared covariance' : `component ${failed}`})`);
  }
  const blocks = strategy.shared ? 1 : k;
  const size = cov.length / blocks;
  for (let b = 0; b < blocks; b++) {
    let scale = 0;
    for (let i = b * size; i < (b + 1) * size; i++) scale = Math.max(scale, Math.abs(expected[i]));
    for (let i = b * size; i < (b + 1) * size; i++) {
      if (Math.abs(expected[i] - pc[i]) > 1e-6 * scale) {
        throw fail(
          'precisionsCholesky',
          `do not match the covariances (${strategy.shared ? 'shared factor' : `component ${b}`}): the file is inconsistent or corrupted`,
        );
      }
    }
  }
}
