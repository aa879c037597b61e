/**
 * Columns of a model named by index or by feature name, as `marginal`,
 * `condition` and the regressor take them.
 *
 * @module
 */
import { InvalidParameterError } from '../errors.js';

/**
 * Column indices from indices or feature names.
 *
 * @param columns - Indices (0 ≤ c < d) or names in `featureNames`, distinct, at least one.
 * @param d - The model's number of features.
 * @param featureNames - The model's feature names, if it has them.
 * @param name - The parameter's name in error messages.
 * @returns The indices, in the order given.
 * @throws {@link InvalidParameterError} for an empty list, a bad index, an unknown name or a repeat.
 */
export function columnIndices(
  columns: readonly (number | string)[],
  d: number,
  featureNames: readonly string[] | undefined,
  name: string,
): number[] {
  if (!Array.isArray(columns) || columns.length === 0) {
    throw new InvalidParameterError(name, columns, 'a non-empty array of column indices or feature names');
  }
  const out: number[] = [];
  for (let a = 0; a < columns.length; a++) {
    const c: unknown = columns[a];
    let index: number;
    if (typeof c === 'string') {
      index = featureNames ? featureNames.indexOf(c) : -1;
      if (index < 0) {
        throw new InvalidParameterError(
          `${name}[${a}]`,
          c,
          featureNames ? `a feature name (${featureNames.join(', ')})` : 'a column index: this model has no feature names',
        );
      }
    } else if (typeof c === 'number' && Number.isSafeInteger(c) && c >= 0 && c < d) {
      index = c;
    } else {
      throw new InvalidParameterError(`${name}[${a}]`, c, `a column index from 0 to ${d - 1} or a feature name`);
    }
    if (out.includes(index)) throw new InvalidParameterError(`${name}[${a}]`, c, 'a column not already listed');
    out.push(index);
  }
  return out;
}

/**
 * The columns of 0…d−1 not in `given`, ascending: what is left to condition or to predict.
 *
 * @param given - Distinct column indices.
 * @param d - The model's number of features.
 * @param name - The parameter's name in error messages.
 * @param hint - Advice for the error.
 * @returns The other columns (at least one).
 * @throws {@link InvalidParameterError} if `given` holds every column.
 */
export function otherColumns(given: readonly number[], d: number, name: string, hint: string): number[] {
  if (given.length === d) throw new InvalidParameterError(name, given, `fewer than all ${d} columns`, hint);
  const out: number[] = [];
  for (let c = 0; c < d; c++) if (!given.includes(c)) out.push(c);
  return out;
}
