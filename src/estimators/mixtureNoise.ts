/**
 * The `noise` option of `GaussianMixture` (and `selectModel`): mclust's noise
 * component, checked, its hypervolume for given data, and how a fit's start
 * shares the rows between it and the Gaussians.
 *
 * @module
 */
import { InvalidParameterError } from '../errors.js';
import { fitData, type FitData } from '../fit/init.js';
import { matrix } from '../matrix/matrix.js';
import { hypervolume } from '../mixture/noise.js';
import type { NoiseComponent } from '../mixture/parameters.js';
import { checkOptionNames, numberAbove } from '../validate.js';

/**
 * mclust's noise component (Banfield & Raftery 1993; `Mclust(X,
 * initialization = list(noise = ...))`): a uniform density 1/V over the
 * data's region beside the Gaussians, for scattered points that belong to no
 * cluster. Its weight π₀ is fitted with the others.
 */
export interface NoiseOptions {
  /**
   * The rows that start in the noise (one boolean per row), as mclust's
   * `initialization$noise`: the Gaussians' start is computed without them
   * (`'hc'`: its hierarchy is of the other rows, as mclust's; the other
   * methods start on every row and then hand these to the noise). Default:
   * none, and every row starts with noise responsibility `initialWeight`.
   */
  initial?: ArrayLike<boolean>;
  /** π₀ at the start when `initial` is not given, in (0, 1). Default 0.1. */
  initialWeight?: number;
  /**
   * V, the volume (in the data's units) the noise is uniform over. Default:
   * mclust's `hypvol`, the smaller of the volumes of the data's bounding box
   * and of its bounding box along its principal axes (then `sample` can draw
   * noise points; with a given V it cannot).
   */
  hypervolume?: number;
}

const NOISE_NAMES: readonly string[] = ['initial', 'initialWeight', 'hypervolume'];

/**
 * The `noise` option, checked as far as it can be without the data: `true`
 * is every default, `false` or undefined no noise component.
 *
 * @param value - The option's value.
 * @returns The given values, or undefined for none.
 * @throws {@link InvalidParameterError} for another value, an unknown name, or a value out of range.
 */
export function noiseOption(value: unknown): NoiseOptions | undefined {
  if (value === undefined || value === false) return undefined;
  if (value === true) return {};
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new InvalidParameterError('noise', value, 'true, false, or an object { initial, initialWeight, hypervolume }');
  }
  checkOptionNames(value, NOISE_NAMES, 'noise');
  const options = value as NoiseOptions;
  if (options.initialWeight !== undefined) {
    numberAbove('noise.initialWeight', options.initialWeight);
    if (!(options.initialWeight < 1))
      throw new InvalidParameterError('noise.initialWeight', options.initialWeight, 'a number in (0, 1)');
  }
  if (options.hypervolume !== undefined) numberAbove('noise.hypervolume', options.hypervolume);
  if (options.initial !== undefined && options.initialWeight !== undefined) {
    throw InvalidParameterError.withMessage(
      'noise.initialWeight',
      options.initialWeight,
      'noise.initialWeight is for a start without noise.initial; give one of them',
    );
  }
  return { ...options };
}

/** A fit's noise component, and the rows its start hands to the noise. */
export interface NoisePlan {
  /** The component (its weight is the start's, set by the first M-step). */
  readonly component: NoiseComponent;
  /** Which rows start in the noise, if given. */
  readonly initial: Uint8Array | undefined;
  /** The noise responsibility every row starts with when `initial` is not given. */
  readonly initialWeight: number;
}

/**
 * The noise component of a fit on `data`.
 *
 * @param options - The checked option.
 * @param data - The fit's data (in the fit's units).
 * @param logJacobian - log |det| of the fit's standardization (0 without one): a given
 *   hypervolume is in the data's units.
 * @returns The plan.
 * @throws {@link InvalidParameterError} if `initial` is not one boolean per row, or flags every row.
 * @throws {@link InvalidDataError} if the default hypervolume is 0.
 */
export function resolveNoise(options: NoiseOptions, data: FitData, logJacobian: number): NoisePlan {
  const n = data.X.rows;
  let initial: Uint8Array | undefined;
  if (options.initial !== undefined) {
    const given = options.initial;
    if (typeof given !== 'object' || given === null || given.length !== n) {
      throw new InvalidParameterError('noise.initial', given, `one boolean per row (${n})`);
    }
    initial = new Uint8Array(n);
    let flagged = 0;
    for (let i = 0; i < n; i++) {
      if (typeof given[i] !== 'boolean') throw new InvalidParameterError(`noise.initial[${i}]`, given[i], 'true or false');
      initial[i] = given[i] ? 1 : 0;
      flagged += initial[i]!;
    }
    if (flagged === n)
      throw new InvalidParameterError('noise.initial', '(every row)', 'some rows not in the noise, to start the components from');
  }
  const { logVolume, box } =
    options.hypervolume === undefined
      ? hypervolume(data.X, data.weights)
      : { logVolume: Math.log(options.hypervolume) + logJacobian, box: undefined };
  return {
    component: { weight: 0, logDensity: -logVolume, ...(box ? { box } : {}) },
    initial,
    initialWeight: options.initialWeight ?? 0.1,
  };
}

const subsets = new WeakMap<FitData, { flags: Uint8Array; subset: FitData; rows: Int32Array }>();

/**
 * The rows not flagged as noise, as fit data of their own (kept per data and
 * flags, so that a selection grid computes their hierarchy once), and their
 * indices in `data`.
 */
export function unflaggedRows(data: FitData, flags: Uint8Array): { subset: FitData; rows: Int32Array } {
  const cached = subsets.get(data);
  if (cached && cached.flags.length === flags.length && cached.flags.every((f, i) => f === flags[i])) return cached;
  const { X, weights } = data;
  const d = X.cols;
  const rows = Int32Array.from({ length: X.rows }, (_, i) => i).filter((i) => flags[i] === 0);
  const values = new Float64Array(rows.length * d);
  rows.forEach((i, t) => values.set(X.data.subarray(i * d, (i + 1) * d), t * d));
  const subset = fitData(matrix(rows.length, d, values), weights ? Float64Array.from(rows, (i) => weights[i]!) : null);
  const entry = { flags: Uint8Array.from(flags), subset, rows };
  subsets.set(data, entry);
  return entry;
}
