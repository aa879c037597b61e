/**
 * Marginals and conditionals of a Gaussian mixture, in closed form. The
 * marginal of a mixture over some columns is the mixture of its components'
 * marginals (same weights). The conditional given x_S = v is the mixture of
 * the components' Gaussian conditionals, with weights re-weighted by how
 * likely each component finds v:
 *
 *   πₖ' ∝ πₖ N(v | μₖ,S, Σₖ,SS),
 *   μₖ' = μₖ,R + Σₖ,RS Σₖ,SS⁻¹ (v − μₖ,S),
 *   Σₖ' = Σₖ,RR − Σₖ,RS Σₖ,SS⁻¹ Σₖ,SR
 *
 * (R the remaining columns). Σₖ,SS⁻¹ is never formed: with Σₖ,SS = L Lᵀ,
 * W = L⁻¹ Σₖ,SR and z = L⁻¹ (v − μₖ,S) give μₖ' = μₖ,R + Wᵀz and
 * Σₖ' = Σₖ,RR − WᵀW. Each covariance type is closed under both operations
 * (diagonal and spherical components have Σ_RS = 0; tied components share
 * one conditional covariance), so the result has the source's type.
 *
 * @module
 */
import { NumericalError } from '../errors.js';
import { choleskyLower } from '../matrix/cholesky.js';
import { covarianceStrategy } from './covariance/index.js';
import { HALF_LOG_2PI, type MixtureParameters } from './parameters.js';

/**
 * The mixture of the components' marginals over `keep` (same weights).
 *
 * @param p - A mixture over d columns.
 * @param keep - Distinct column indices, in the order the result uses.
 * @returns The parameters over `keep.length` columns, of `p`'s covariance type.
 * @throws {@link NumericalError} if a marginal covariance cannot be factored (it cannot when `p`'s can).
 */
export function marginalParameters(p: MixtureParameters, keep: readonly number[]): MixtureParameters {
  const { nComponents: k, nFeatures: d } = p;
  const r = keep.length;
  const strategy = covarianceStrategy(p.covarianceType);
  const full = new Float64Array(d * d);
  const blocks = new Float64Array(k * r * r);
  const means = new Float64Array(k * r);
  for (let j = 0; j < k; j++) {
    strategy.componentCovariance(p.covariances, j, d, full);
    for (let a = 0; a < r; a++) {
      means[j * r + a] = p.means[j * d + keep[a]!]!;
      for (let b = 0; b < r; b++) blocks[(j * r + a) * r + b] = full[keep[a]! * d + keep[b]!]!;
    }
  }
  return assemble(p, Float64Array.from(p.weights), means, blocks, r);
}

/**
 * What conditioning on a set of columns needs, whatever their values: per
 * component the Cholesky factor L of Σ_SS, W = L⁻¹ Σ_SR, the conditional
 * covariance Σ_RR − WᵀW and log πₖ − log det L − (s/2)·log 2π. Prepared once,
 * applied to any number of value vectors (one per row in regression).
 */
export interface PreparedConditional {
  /** The mixture conditioned. */
  readonly parameters: MixtureParameters;
  /** The given columns (s). */
  readonly given: readonly number[];
  /** The other columns (r), in the result's order. */
  readonly remaining: readonly number[];
  /** k lower factors of Σ_SS, s × s each. */
  readonly factors: Float64Array;
  /** k matrices W = L⁻¹ Σ_SR, s × r each. */
  readonly gains: Float64Array;
  /** k conditional covariances, full r × r each. */
  readonly covariances: Float64Array;
  /** k values log πₖ − log det Lₖ − (s/2)·log 2π. */
  readonly constants: Float64Array;
}

/**
 * Prepares conditioning `p` on the columns `given`.
 *
 * @param p - A mixture over d columns.
 * @param given - Distinct column indices (fewer than d).
 * @param remaining - The other columns, in the order the result uses.
 * @returns The per-component factors (see {@link PreparedConditional}).
 * @throws {@link NumericalError} if some Σₖ,SS cannot be factored (it can when Σₖ can).
 */
export function prepareConditional(
  p: MixtureParameters,
  given: readonly number[],
  remaining: readonly number[],
): PreparedConditional {
  const { nComponents: k, nFeatures: d } = p;
  const s = given.length;
  const r = remaining.length;
  const strategy = covarianceStrategy(p.covarianceType);
  const full = new Float64Array(d * d);
  const factors = new Float64Array(k * s * s);
  const gains = new Float64Array(k * s * r);
  const covariances = new Float64Array(k * r * r);
  const constants = new Float64Array(k);
  for (let j = 0; j < k; j++) {
    strategy.componentCovariance(p.covariances, j, d, full);
    const lo = j * s * s;
    const wo = j * s * r;
    for (let a = 0; a < s; a++) for (let b = 0; b < s; b++) factors[lo + a * s + b] = full[given[a]! * d + given[b]!]!;
    if (choleskyLower(factors, lo, s, factors, lo) >= 0) {
      throw new NumericalError(`component ${j}'s covariance over the given columns is not positive definite`);
    }
    let logDet = 0;
    for (let a = 0; a < s; a++) {
      const diag = factors[lo + a * s + a]!;
      logDet += Math.log(diag);
      // Forward substitution, every column of W at once.
      for (let b = 0; b < r; b++) {
        let u = full[given[a]! * d + remaining[b]!]!;
        for (let c = 0; c < a; c++) u -= factors[lo + a * s + c]! * gains[wo + c * r + b]!;
        gains[wo + a * r + b] = u / diag;
      }
    }
    constants[j] = Math.log(p.weights[j]!) - logDet - s * HALF_LOG_2PI;
    for (let b = 0; b < r; b++) {
      for (let c = b; c < r; c++) {
        let v = full[remaining[b]! * d + remaining[c]!]!;
        for (let a = 0; a < s; a++) v -= gains[wo + a * r + b]! * gains[wo + a * r + c]!;
        covariances[(j * r + b) * r + c] = v;
        covariances[(j * r + c) * r + b] = v;
      }
    }
  }
  return { parameters: p, given, remaining, factors, gains, covariances, constants };
}

/**
 * Applies a prepared conditioning to one vector of values: each component's
 * conditional mean and its unnormalized log weight log πₖ + log N(v | μₖ,S, Σₖ,SS).
 *
 * @param prepared - From {@link prepareConditional}.
 * @param values - s values of the given columns, in the parameters' units.
 * @param logWeights - Receives k log weights (not normalized).
 * @param means - Receives k × r conditional means.
 * @param z - s values of scratch space.
 */
export function conditionOn(
  prepared: PreparedConditional,
  values: ArrayLike<number>,
  logWeights: Float64Array,
  means: Float64Array,
  z: Float64Array,
): void {
  const { parameters: p, given, remaining, factors, gains, constants } = prepared;
  const { nComponents: k, nFeatures: d } = p;
  const s = given.length;
  const r = remaining.length;
  for (let j = 0; j < k; j++) {
    const lo = j * s * s;
    const wo = j * s * r;
    let squares = 0;
    for (let a = 0; a < s; a++) {
      let t = values[a]! - p.means[j * d + given[a]!]!;
      for (let c = 0; c < a; c++) t -= factors[lo + a * s + c]! * z[c]!;
      z[a] = t / factors[lo + a * s + a]!;
      squares += z[a]! * z[a]!;
    }
    logWeights[j] = constants[j]! - 0.5 * squares;
    for (let b = 0; b < r; b++) {
      let m = p.means[j * d + remaining[b]!]!;
      for (let a = 0; a < s; a++) m += gains[wo + a * r + b]! * z[a]!;
      means[j * r + b] = m;
    }
  }
}

/**
 * Turns k log weights into weights summing to 1, in place (log-sum-exp).
 *
 * @param logWeights - k log weights; receives the weights.
 * @param where - Prefix of the error message, e.g. `'X row 3: '`.
 * @throws {@link NumericalError} if every log weight is −∞ (the values have density 0 under every component).
 */
export function normalizeLogWeights(logWeights: Float64Array, where = ''): void {
  let max = -Infinity;
  for (let j = 0; j < logWeights.length; j++) if (logWeights[j]! > max) max = logWeights[j]!;
  if (!Number.isFinite(max)) {
    throw new NumericalError(
      max === Infinity
        ? `${where}the values give a component an infinite density`
        : `${where}the values have density 0 under every component: too far from all of them to condition on`,
    );
  }
  let total = 0;
  for (let j = 0; j < logWeights.length; j++) total += logWeights[j] = Math.exp(logWeights[j]! - max);
  for (let j = 0; j < logWeights.length; j++) logWeights[j]! /= total;
}

/**
 * The mixture over the columns not in `given`, conditioned on x_given = values.
 *
 * @param p - A mixture over d columns.
 * @param given - Distinct column indices (fewer than d).
 * @param values - Their values, one per index, in `p`'s units.
 * @param remaining - The other columns, in the order the result uses.
 * @returns The conditional's parameters over `remaining.length` columns, of `p`'s covariance type.
 * @throws {@link NumericalError} if no component gives the values a positive density (all
 *   log-densities −∞), or a conditional covariance cannot be factored.
 */
export function conditionalParameters(
  p: MixtureParameters,
  given: readonly number[],
  values: ArrayLike<number>,
  remaining: readonly number[],
): MixtureParameters {
  const prepared = prepareConditional(p, given, remaining);
  const weights = new Float64Array(p.nComponents);
  const means = new Float64Array(p.nComponents * remaining.length);
  conditionOn(prepared, values, weights, means, new Float64Array(given.length));
  normalizeLogWeights(weights);
  return assemble(p, weights, means, prepared.covariances, remaining.length);
}

/** Packs k full r×r blocks into `p`'s covariance type and factors them. */
function assemble(
  p: MixtureParameters,
  weights: Float64Array,
  means: Float64Array,
  blocks: Float64Array,
  r: number,
): MixtureParameters {
  const k = p.nComponents;
  const strategy = covarianceStrategy(p.covarianceType);
  const covariances = new Float64Array(strategy.covarianceLength(k, r));
  switch (strategy.family) {
    case 'full':
      covariances.set(blocks);
      break;
    case 'tied':
      // Every component's block is the same (one shared covariance): keep the first.
      covariances.set(blocks.subarray(0, r * r));
      break;
    case 'diag':
      for (let j = 0; j < k; j++) for (let a = 0; a < r; a++) covariances[j * r + a] = blocks[(j * r + a) * r + a]!;
      break;
    case 'spherical':
      // σ²·I stays σ²·I.
      for (let j = 0; j < k; j++) covariances[j] = blocks[j * r * r]!;
      break;
  }
  const precisionsCholesky = new Float64Array(covariances.length);
  const failed = strategy.precisionCholesky(covariances, k, r, precisionsCholesky);
  if (failed >= 0) {
    throw new NumericalError(
      `${strategy.shared ? 'the shared' : `component ${failed}'s`} covariance over the remaining columns is not positive definite`,
    );
  }
  // A constrained mclust model's marginal or conditional is a model of its family (its constraints need not
  // survive); one of scikit-learn's four keeps the name it was given.
  const covarianceType =
    covarianceStrategy(strategy.family).mclustName === strategy.mclustName ? p.covarianceType : strategy.family;
  return { covarianceType, nComponents: k, nFeatures: r, weights, means, covariances, precisionsCholesky };
}
