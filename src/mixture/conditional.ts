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
  const { nComponents: k, nFeatures: d } = p;
  const s = given.length;
  const r = remaining.length;
  const strategy = covarianceStrategy(p.covarianceType);
  const full = new Float64Array(d * d);
  const lss = new Float64Array(s * s);
  const w = new Float64Array(s * r); // W = L⁻¹ Σ_SR, s × r
  const z = new Float64Array(s);
  const blocks = new Float64Array(k * r * r);
  const means = new Float64Array(k * r);
  const logWeights = new Float64Array(k);
  for (let j = 0; j < k; j++) {
    strategy.componentCovariance(p.covariances, j, d, full);
    for (let a = 0; a < s; a++) for (let b = 0; b < s; b++) lss[a * s + b] = full[given[a]! * d + given[b]!]!;
    if (choleskyLower(lss, 0, s, lss, 0) >= 0) {
      throw new NumericalError(`component ${j}'s covariance over the given columns is not positive definite`);
    }
    // Forward substitution for z and for every column of W at once.
    let logDet = 0;
    let squares = 0;
    for (let a = 0; a < s; a++) {
      const diag = lss[a * s + a]!;
      let t = values[a]! - p.means[j * d + given[a]!]!;
      for (let c = 0; c < a; c++) t -= lss[a * s + c]! * z[c]!;
      z[a] = t / diag;
      squares += z[a]! * z[a]!;
      logDet += Math.log(diag);
      for (let b = 0; b < r; b++) {
        let u = full[given[a]! * d + remaining[b]!]!;
        for (let c = 0; c < a; c++) u -= lss[a * s + c]! * w[c * r + b]!;
        w[a * r + b] = u / diag;
      }
    }
    logWeights[j] = Math.log(p.weights[j]!) - 0.5 * squares - logDet - s * HALF_LOG_2PI;
    for (let b = 0; b < r; b++) {
      let m = p.means[j * d + remaining[b]!]!;
      for (let a = 0; a < s; a++) m += w[a * r + b]! * z[a]!;
      means[j * r + b] = m;
      for (let c = b; c < r; c++) {
        let v = full[remaining[b]! * d + remaining[c]!]!;
        for (let a = 0; a < s; a++) v -= w[a * r + b]! * w[a * r + c]!;
        blocks[(j * r + b) * r + c] = v;
        blocks[(j * r + c) * r + b] = v;
      }
    }
  }
  let max = -Infinity;
  for (let j = 0; j < k; j++) if (logWeights[j]! > max) max = logWeights[j]!;
  if (!Number.isFinite(max)) {
    throw new NumericalError(
      max === Infinity
        ? 'the values give a component an infinite density'
        : 'the values have density 0 under every component: too far from all of them to condition on',
    );
  }
  let total = 0;
  const weights = new Float64Array(k);
  for (let j = 0; j < k; j++) total += weights[j] = Math.exp(logWeights[j]! - max);
  for (let j = 0; j < k; j++) weights[j]! /= total;
  return assemble(p, weights, means, blocks, r);
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
  switch (p.covarianceType) {
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
  return { covarianceType: p.covarianceType, nComponents: k, nFeatures: r, weights, means, covariances, precisionsCholesky };
}
