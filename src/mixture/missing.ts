/**
 * Missing values (NaN cells), marginalized exactly (Ghahramani & Jordan
 * 1994). Rows are grouped by their pattern of observed cells; per pattern and
 * component, the conditional of the missing cells given the observed ones is
 * prepared once (`prepareConditional`). Then:
 *
 * - the E-step weighs each row by the density of its observed cells only,
 *   log πₖ + log N(x_o | μₖ,o, Σₖ,oo), and its expected sufficient statistics
 *   fill the missing cells with their conditional mean x̂ and add their
 *   conditional covariance Cₖ: E[x] = x̂ₖ, E[(x − c)(x − c)ᵀ] = (x̂ₖ − c)(x̂ₖ − c)ᵀ + Cₖ;
 * - scoring uses the marginal density of the observed cells;
 * - imputation fills a cell with its conditional expectation Σₖ rₖ x̂ₖ.
 *
 * The M-step is the usual one, so every covariance type works unchanged.
 *
 * @module
 */
import { NumericalError } from '../errors.js';
import { choleskyLower } from '../matrix/cholesky.js';
import { logSumExp } from '../matrix/logSumExp.js';
import type { Matrix } from '../matrix/matrix.js';
import type { CovarianceStrategy } from './covariance/index.js';
import { conditionOn, prepareConditional, type PreparedConditional } from './conditional.js';
import { nonFiniteRow } from './estep.js';
import type { MixtureParameters } from './parameters.js';
import type { SufficientStatistics } from './statistics.js';

/** Rows that share one pattern of observed cells. */
export interface MissingPattern {
  /** Observed columns, ascending. */
  readonly observed: readonly number[];
  /** Missing columns, ascending (at least one). */
  readonly missing: readonly number[];
  /** The rows with this pattern, ascending. */
  readonly rows: readonly number[];
}

/** The rows of a matrix sorted into complete ones and patterns of missing cells. */
export interface MissingLayout {
  /** Rows with no NaN, ascending. */
  readonly complete: readonly number[];
  /** The other rows, grouped by pattern, in order of each pattern's first row. */
  readonly patterns: readonly MissingPattern[];
}

/** Whether any cell of X is NaN. */
export function hasMissing(X: Matrix): boolean {
  const { data } = X;
  for (let i = 0; i < data.length; i++) if (data[i] !== data[i]) return true;
  return false;
}

/**
 * Sorts the rows of X by their NaN cells.
 *
 * @param X - Data with NaN for missing cells.
 * @returns Complete rows and the patterns of the others.
 */
export function missingLayout(X: Matrix): MissingLayout {
  const { rows: n, cols: d, data } = X;
  const complete: number[] = [];
  const byKey = new Map<string, { observed: number[]; missing: number[]; rows: number[] }>();
  const patterns: { observed: number[]; missing: number[]; rows: number[] }[] = [];
  for (let i = 0; i < n; i++) {
    let key = '';
    let anyMissing = false;
    for (let a = 0; a < d; a++) {
      const absent = Number.isNaN(data[i * d + a]);
      anyMissing ||= absent;
      key += absent ? '1' : '0';
    }
    if (!anyMissing) {
      complete.push(i);
      continue;
    }
    let pattern = byKey.get(key);
    if (!pattern) {
      const observed: number[] = [];
      const missing: number[] = [];
      for (let a = 0; a < d; a++) (key[a] === '1' ? missing : observed).push(a);
      pattern = { observed, missing, rows: [] };
      byKey.set(key, pattern);
      patterns.push(pattern);
    }
    pattern.rows.push(i);
  }
  return { complete, patterns };
}

/**
 * Per row of a pattern: the posterior weights of the components given its
 * observed cells, the log density of those cells, and each component's
 * conditional mean of the missing cells.
 */
export function* patternRows(
  prepared: PreparedConditional,
  pattern: MissingPattern,
  X: Matrix,
): Generator<{ row: number; logDensity: number; resp: Float64Array; means: Float64Array }, void, void> {
  const { observed, missing, rows } = pattern;
  const k = prepared.parameters.nComponents;
  const d = X.cols;
  const values = new Float64Array(observed.length);
  const resp = new Float64Array(k);
  const means = new Float64Array(k * missing.length);
  const z = new Float64Array(observed.length);
  for (const i of rows) {
    for (let a = 0; a < observed.length; a++) values[a] = X.data[i * d + observed[a]!]!;
    conditionOn(prepared, values, resp, means, z);
    const logDensity = logSumExp(resp, 0, k);
    if (!Number.isFinite(logDensity)) throw nonFiniteRow(i, logDensity);
    for (let j = 0; j < k; j++) resp[j] = Math.exp(resp[j]! - logDensity);
    yield { row: i, logDensity, resp, means };
  }
}

/**
 * Adds the expected sufficient statistics of the incomplete rows of X to
 * `stats` (which already holds the complete rows'), with their observed-data
 * log-likelihood.
 *
 * @param strategy - Covariance strategy.
 * @param parameters - Current parameters.
 * @param X - Data with NaN for missing cells.
 * @param weights - Row weights or null.
 * @param patterns - From {@link missingLayout}.
 * @param stats - Accumulator, about the centers of the E-step.
 * @throws {@link NumericalError} naming a row whose observed cells have a log-density that is not finite.
 */
export function accumulateMissing(
  strategy: CovarianceStrategy,
  parameters: MixtureParameters,
  X: Matrix,
  weights: Float64Array | null,
  patterns: readonly MissingPattern[],
  stats: SufficientStatistics,
): void {
  const { nComponents: k, nFeatures: d } = parameters;
  const filled = new Float64Array(d);
  const oneHot = new Float64Array(k);
  const scratch = new Float64Array(d);
  for (const pattern of patterns) {
    const { missing } = pattern;
    const r = missing.length;
    const prepared = prepareConditional(parameters, pattern.observed, missing);
    const covariances = Array.from({ length: k }, (_, j) => prepared.covariances.subarray(j * r * r, (j + 1) * r * r));
    for (const { row, logDensity, resp, means } of patternRows(prepared, pattern, X)) {
      const w = weights === null ? 1 : weights[row]!;
      if (w === 0) continue;
      stats.logLikelihood += w * logDensity;
      stats.totalWeight += w;
      for (let j = 0; j < k; j++) if (resp[j]! > 0) stats.entropy -= w * resp[j]! * Math.log(resp[j]!);
      for (let a = 0; a < d; a++) filled[a] = X.data[row * d + a]!;
      for (let j = 0; j < k; j++) {
        const rho = w * resp[j]!;
        if (rho === 0) continue;
        for (let b = 0; b < r; b++) filled[missing[b]!] = means[j * r + b]!;
        oneHot[j] = rho;
        strategy.accumulate(filled, d, 0, 1, oneHot, stats, scratch);
        oneHot[j] = 0;
        strategy.accumulateCovariance(stats, j, rho, missing, covariances[j]!);
      }
    }
  }
}

/**
 * Fills the missing cells of X in place: with their conditional expectation
 * Σₖ rₖ x̂ₖ given the row's observed cells, or, with `rng`, with a draw from
 * their conditional distribution (a component k with probability rₖ, then
 * N(x̂ₖ, Cₖ)).
 *
 * @param parameters - The mixture (X in its units).
 * @param X - Data with NaN cells; overwritten where NaN.
 * @param patterns - X's patterns (`missingLayout`).
 * @param rng - A random source for draws, or undefined for expectations.
 * @throws {@link NumericalError} for a row whose observed cells have density 0 under every component.
 */
export function fillMissing(
  parameters: MixtureParameters,
  X: Matrix,
  patterns: readonly MissingPattern[],
  rng?: { categorical(weights: ArrayLike<number>): number; normal(): number },
): void {
  const { nComponents: k } = parameters;
  const d = X.cols;
  for (const pattern of patterns) {
    const { missing } = pattern;
    const r = missing.length;
    const prepared = prepareConditional(parameters, pattern.observed, missing);
    let factors: Float64Array | undefined;
    if (rng) {
      // Lower Cholesky factors of each component's conditional covariance, for draws.
      factors = new Float64Array(k * r * r);
      for (let j = 0; j < k; j++) {
        if (choleskyLower(prepared.covariances, j * r * r, r, factors, j * r * r) >= 0) {
          throw new NumericalError(
            `component ${j}'s conditional covariance of columns ${missing.join(', ')} is not positive definite`,
          );
        }
      }
    }
    const z = new Float64Array(r);
    for (const { row, resp, means } of patternRows(prepared, pattern, X)) {
      const o = row * d;
      if (factors && rng) {
        const j = rng.categorical(resp);
        for (let b = 0; b < r; b++) z[b] = rng.normal();
        for (let b = 0; b < r; b++) {
          let v = means[j * r + b]!;
          for (let c = 0; c <= b; c++) v += factors[j * r * r + b * r + c]! * z[c]!;
          X.data[o + missing[b]!] = v;
        }
      } else {
        for (let b = 0; b < r; b++) {
          let v = 0;
          for (let j = 0; j < k; j++) v += resp[j]! * means[j * r + b]!;
          X.data[o + missing[b]!] = v;
        }
      }
    }
  }
}
