/**
 * Shared checks for keyword options (Observable Plot style: one helper, one
 * message shape, `parameter must be <expected>; got <value>`).
 *
 * @module
 */
import { InvalidDataError, InvalidParameterError } from './errors.js';

/**
 * Throws if `options` has a key outside `allowed`, suggesting the camelCase
 * name when a scikit-learn style snake_case name was used.
 *
 * @param options - The options object received (may be undefined).
 * @param allowed - The accepted option names.
 * @param owner - What the options are for, used in the message (`"GaussianMixture"`).
 * @throws {@link InvalidParameterError} naming the unknown option.
 */
export function checkOptionNames(options: object | undefined, allowed: readonly string[], owner: string): void {
  if (options === undefined) return;
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new InvalidParameterError(`${owner} options`, options, 'an object');
  }
  for (const key of Object.keys(options)) {
    if (allowed.includes(key)) continue;
    const camel = key.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase());
    const hint = camel !== key && allowed.includes(camel) ? `Did you mean "${camel}"?` : `Known options: ${allowed.join(', ')}`;
    throw new InvalidParameterError(`${owner} option "${key}"`, key, 'a known option name', hint);
  }
}

/**
 * @param name - Parameter name for the message.
 * @param value - Value to check.
 * @returns `value`, typed as a boolean.
 * @throws {@link InvalidParameterError} unless `value` is true or false.
 */
export function booleanValue(name: string, value: unknown): boolean {
  if (typeof value !== 'boolean') throw new InvalidParameterError(name, value, 'true or false');
  return value;
}

/**
 * @param name - Parameter name for the message.
 * @param value - Value to check.
 * @param min - Smallest accepted value (default 1).
 * @returns `value`, typed as a number.
 * @throws {@link InvalidParameterError} unless `value` is an integer ≥ `min`.
 */
export function integerAtLeast(name: string, value: unknown, min = 1): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min) {
    throw new InvalidParameterError(name, value, min === 1 ? 'a positive integer' : `an integer ≥ ${min}`);
  }
  return value;
}

/**
 * @param name - Parameter name for the message (`x`, `y`).
 * @param value - A 0-based feature index.
 * @param d - Number of features.
 * @returns `value`.
 * @throws {@link InvalidParameterError} unless `value` is an integer from 0 to d − 1.
 */
export function featureIndex(name: string, value: number, d: number): number {
  if (!Number.isSafeInteger(value) || value < 0 || value >= d)
    throw new InvalidParameterError(name, value, `a feature index from 0 to ${d - 1}`);
  return value;
}

/**
 * @param name - Parameter name for the message.
 * @param value - Value to check.
 * @returns `value`, typed as a number.
 * @throws {@link InvalidParameterError} unless `value` is a finite number ≥ 0.
 */
export function nonNegativeNumber(name: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new InvalidParameterError(name, value, 'a finite number ≥ 0');
  }
  return value;
}

/**
 * @param name - Parameter name for the message.
 * @param value - Value to check.
 * @param above - The bound it must exceed (default 0).
 * @returns `value`, typed as a number.
 * @throws {@link InvalidParameterError} unless `value` is a finite number > `above`.
 */
export function numberAbove(name: string, value: unknown, above = 0): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || !(value > above)) {
    throw new InvalidParameterError(name, value, `a finite number > ${above}`);
  }
  return value;
}

/**
 * Names, if given, must be one string per column of the data named.
 *
 * @param name - Parameter name for the message (`"featureNames"`).
 * @param names - The names received (undefined: none).
 * @param count - Columns of the data.
 * @param data - The data's name (`"X"`).
 * @throws {@link InvalidParameterError} unless `names` is undefined or `count` strings.
 */
export function checkColumnNames(name: string, names: readonly string[] | undefined, count: number, data: string): void {
  if (names === undefined) return;
  if (!Array.isArray(names) || names.length !== count || names.some((s) => typeof s !== 'string')) {
    throw new InvalidParameterError(
      name,
      names,
      `an array of ${count} string${count === 1 ? '' : 's'}, one per column of ${data}`,
    );
  }
}

/**
 * A mixture fit needs at least 2 rows, and at least as many as components.
 *
 * @param rows - Rows of X.
 * @param k - Components.
 * @throws {@link InvalidDataError} otherwise.
 */
export function checkFitRows(rows: number, k: number): void {
  if (rows < 2) throw new InvalidDataError('X', `X has ${rows} row; fitting needs at least 2 rows`);
  if (rows < k) {
    throw new InvalidDataError('X', `X has ${rows} rows but nComponents is ${k}; need at least as many rows as components`);
  }
}

/**
 * @param name - Parameter name for the message.
 * @param value - Value to check.
 * @param choices - The accepted values.
 * @returns `value`, narrowed to the union of `choices`.
 * @throws {@link InvalidParameterError} listing the choices.
 */
export function oneOf<const T extends string>(name: string, value: unknown, choices: readonly T[]): T {
  if (typeof value !== 'string' || !(choices as readonly string[]).includes(value)) {
    throw new InvalidParameterError(name, value, `one of ${choices.map((c) => JSON.stringify(c)).join(', ')}`);
  }
  return value as T;
}

/**
 * @param name - Parameter name for the message.
 * @param value - Value to check.
 * @returns `value` as a seed.
 * @throws {@link InvalidParameterError} unless `value` is a safe integer ≥ 0.
 */
export function seedValue(name: string, value: unknown): number {
  return integerAtLeast(name, value, 0);
}

/**
 * Validates per-row sample weights: one finite, non-negative number per row,
 * with a positive sum.
 *
 * @param weights - The weights received (may be undefined: all ones).
 * @param n - Number of rows of the data.
 * @param minPositive - Least number of rows that must have a positive weight
 *   (e.g. the number of components), default 1.
 * @param finiteSum - Require a finite sum (criteria use Σw as n); fits rescale the weights (see
 *   {@link fitWeights}) and need not. Default true.
 * @returns A `Float64Array` copy, or null when `weights` is undefined.
 * @throws {@link InvalidParameterError} naming the first bad entry.
 */
export function sampleWeightValue(
  weights: ArrayLike<number> | undefined,
  n: number,
  minPositive = 1,
  finiteSum = true,
): Float64Array | null {
  if (weights === undefined) return null;
  if (weights === null || typeof weights !== 'object' || typeof weights.length !== 'number') {
    throw new InvalidParameterError('sampleWeight', weights, `an array of ${n} non-negative numbers`);
  }
  if (weights.length !== n) {
    throw new InvalidParameterError('sampleWeight', weights, `an array of ${n} weights, one per row of X`);
  }
  const out = new Float64Array(n);
  let total = 0;
  let positive = 0;
  for (let i = 0; i < n; i++) {
    const w = weights[i];
    if (typeof w !== 'number' || !Number.isFinite(w) || w < 0) {
      throw new InvalidParameterError(`sampleWeight[${i}]`, w, 'a finite number ≥ 0');
    }
    out[i] = w;
    total += w;
    if (w > 0) positive++;
  }
  if (!(total > 0)) throw new InvalidParameterError('sampleWeight', weights, 'weights with a positive sum', 'Every weight is 0');
  if (positive < minPositive) {
    throw new InvalidParameterError(
      'sampleWeight',
      weights,
      `at least ${minPositive} rows with a positive weight (one per component)`,
      `Only ${positive} row${positive === 1 ? ' has' : 's have'} a positive weight`,
    );
  }
  if (finiteSum && !Number.isFinite(total))
    throw new InvalidParameterError('sampleWeight', weights, 'weights whose sum is finite');
  return out;
}

/**
 * Weights rescaled by a power of two so that the largest lies in [1, 2): a fit
 * depends only on the weights' ratios, and a power of two is exact, so equal
 * weights of 1e-300 or 1e300 fit exactly as weights of 1 do (no statistic
 * underflows or overflows on their account).
 *
 * @param weights - Checked weights (see {@link sampleWeightValue}), or null.
 * @returns The rescaled copy, and e: the weights were multiplied by 2^−e (0 for null).
 */
export function fitWeights(weights: Float64Array | null): { weights: Float64Array | null; exponent: number } {
  if (weights === null) return { weights, exponent: 0 };
  let max = 0;
  for (let i = 0; i < weights.length; i++) if (weights[i]! > max) max = weights[i]!;
  const exponent = Math.floor(Math.log2(max));
  const out = weights.slice();
  scaleByPowerOfTwo(out, -exponent);
  return { weights: out, exponent };
}

/** 2^−exponent: the factor `fitWeights` rescaled the weights by. */
export function weightScale(exponent: number): number {
  const scale = Float64Array.of(1);
  scaleByPowerOfTwo(scale, -exponent);
  return scale[0]!;
}

/**
 * Multiplies values by 2^e in place, exactly (in two steps, so that 2^e itself
 * need not be a double: e may reach ±1074).
 *
 * @param values - The values.
 * @param e - The power of two.
 */
export function scaleByPowerOfTwo(values: Float64Array, e: number): void {
  const half = Math.trunc(e / 2);
  const [a, b] = [2 ** half, 2 ** (e - half)];
  for (let i = 0; i < values.length; i++) values[i] = values[i]! * a * b;
}
