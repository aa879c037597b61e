/**
 * Parsers of option values for commander: each throws commander's
 * InvalidArgumentError (a usage error, exit code 2) with a clear message.
 *
 * @module
 */
import { InvalidArgumentError } from 'commander';
import {
  ALL_COVARIANCE_TYPES,
  COVARIANCE_TYPES,
  MCLUST_MODELS,
  type CovarianceType,
  type MclustModel,
} from '../mixture/parameters.js';
import type { Criterion } from '../selection/selectModel.js';

/** An integer ≥ min. */
export function integer(min: number): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!/^\s*[-+]?\d+\s*$/.test(value) || !Number.isSafeInteger(n) || n < min) {
      throw new InvalidArgumentError(`expected an integer ≥ ${min}, got '${value}'`);
    }
    return n;
  };
}

/** A finite number ≥ 0. */
export function nonNegative(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < 0)
    throw new InvalidArgumentError(`expected a number ≥ 0, got '${value}'`);
  return n;
}

/** A finite number > 0. */
export function positive(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || !(n > 0))
    throw new InvalidArgumentError(`expected a number > 0, got '${value}'`);
  return n;
}

/** A comma-separated list. */
export function list(value: string): string[] {
  const items = value.split(',').map((s) => s.trim());
  if (items.some((s) => s === '')) throw new InvalidArgumentError(`expected a comma-separated list, got '${value}'`);
  return items;
}

/** Numbers of components: `1-10`, `2,4,8` or a mix (`1-3,5`). */
export function componentRange(value: string): number[] {
  const out: number[] = [];
  for (const part of value.split(',')) {
    const m = /^\s*(\d+)\s*(?:-\s*(\d+)\s*)?$/.exec(part);
    if (!m) throw new InvalidArgumentError(`expected numbers of components like 1-10 or 2,4,8, got '${value}'`);
    const from = Number(m[1]);
    const to = m[2] === undefined ? from : Number(m[2]);
    if (from < 1 || to < from || to - from > 1000)
      throw new InvalidArgumentError(`expected a range from 1 up, like 1-10, got '${part.trim()}'`);
    for (let k = from; k <= to; k++) if (!out.includes(k)) out.push(k);
  }
  return out;
}

/**
 * A comma-separated list of names among `allowed`, or one of the `groups`' names for a whole group.
 *
 * @param what - What the names are, for the message (`'covariance types'`).
 */
function nameList<T extends string>(
  value: string,
  allowed: readonly T[],
  groups: Record<string, readonly T[]>,
  what: string,
): T[] {
  const group = groups[value.trim()];
  if (group) return [...group];
  const names = [...allowed, ...Object.keys(groups).map((g) => `'${g}'`)];
  const among = `${names.slice(0, -1).join(', ')} or ${names[names.length - 1]}`;
  return list(value).map((t) => {
    if (!(allowed as readonly string[]).includes(t))
      throw new InvalidArgumentError(`expected ${what} among ${among}, got '${t}'`);
    return t as T;
  });
}

/** mclust's model names: a comma-separated list of them, or `mclust` (all fourteen). */
export function mclustModelList(value: string): MclustModel[] {
  return nameList(value, MCLUST_MODELS, { mclust: MCLUST_MODELS }, 'mclust model names');
}

/** Covariance types: a comma-separated list, `all` (scikit-learn's four) or `mclust` (mclust's fourteen). */
export function covarianceList(value: string): CovarianceType[] {
  return nameList(value, ALL_COVARIANCE_TYPES, { all: COVARIANCE_TYPES, mclust: MCLUST_MODELS }, 'covariance types');
}

/** Information criteria: a comma-separated list of bic, aic and icl. */
export function criterionList(value: string): Criterion[] {
  return list(value).map((c) => {
    if (!['bic', 'aic', 'icl'].includes(c)) throw new InvalidArgumentError(`expected criteria among bic, aic, icl; got '${c}'`);
    return c as Criterion;
  });
}
