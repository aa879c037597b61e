/**
 * The conjugate prior of Fraley & Raftery (2007), mclust's `priorControl()`:
 * what it changes in the M-step (maximum a posteriori instead of maximum
 * likelihood), and its log-density (EM then maximizes the log-posterior).
 *
 * Each component's mean has a normal prior given its covariance,
 * μₖ | Σₖ ~ N(μₚ, Σₖ/κ), and each covariance the conjugate prior of its
 * family (the layout it is stored in): an inverse Wishart IW(ν, Λ) for a
 * general matrix (full, tied), an inverse gamma IG(ν/2, ς²/2) on each
 * variance for a diagonal one, on the one variance for a spherical one. A
 * covariance that every component shares (tied = EEE, EII, EEI) has one
 * prior, not one per component. With those, every model's MAP M-step is its
 * maximum-likelihood M-step on pseudo-statistics — each component's scatter
 * Wₖ plus the prior's, counted with pseudo-counts:
 *
 *   Bₖ = Wₖ + κnₖ/(κ+nₖ)·(ȳₖ − μₚ)(ȳₖ − μₚ)ᵀ + c·Λ,
 *   mₖ = nₖ + [κ > 0] + c·a,
 *
 * with c = 1 (1/k for a shared covariance) and, in the family's terms,
 * a = ν + d + 1 (IW), ν + 2 (IG per variance), (ν + 2)/d (IG on a spherical
 * variance, whose Λ is ς²/d·I). The constrained models (VEI, EEV, VVE, …)
 * then impose their constraints on Bₖ/mₖ as they do on Wₖ/nₖ, so their
 * M-steps need nothing of their own, and the MAP M-step of every one of the
 * fourteen maximizes the expected complete-data log-likelihood plus the log
 * prior. For VVV, VII, VVI and EEE this is exactly mclust's M-step; where
 * mclust departs from the mode of its own prior, see the README.
 *
 * The means: μₖ = (nₖȳₖ + κμₚ)/(nₖ + κ), for every model.
 *
 * Sample weights rescaled by 2^−e (see `fitWeights`) scale the data's part of
 * the log-posterior; `strength` (2^−e) scales the prior's alike, so a fit's
 * MAP estimate depends on the weights, not on their rescaling.
 *
 * @module
 */
import { choleskyLower } from '../matrix/cholesky.js';
import { logGamma } from '../matrix/special.js';
import type { CovarianceStrategy } from './covariance/index.js';
import type { MixtureParameters } from './parameters.js';

/** A resolved conjugate prior: the hyperparameters one fit uses. */
export interface ConjugatePrior {
  /** κ ≥ 0: the mean prior's weight in rows (0: no prior on the means). */
  readonly shrinkage: number;
  /** μₚ (d values). */
  readonly mean: Float64Array;
  /** ν > 0 (> d − 1 for a general matrix). */
  readonly dof: number;
  /**
   * Λ: d × d (row-major, symmetric positive definite) for the full and tied
   * families; one value ς² > 0 for the diag and spherical ones.
   */
  readonly scale: Float64Array;
  /** The factor the fit's row weights were rescaled by (1 without weights): the prior counts this many times. */
  readonly strength: number;
}

const LOG_2PI = Math.log(2 * Math.PI);

/** The prior's exponent a on log|Σ| (its density ∝ |Σ|^(−a/2)·exp(−½·tr(ΛΣ⁻¹))), for the strategy's family. */
function exponent(strategy: CovarianceStrategy, prior: ConjugatePrior, d: number): number {
  switch (strategy.family) {
    case 'full':
    case 'tied':
      return prior.dof + d + 1;
    case 'diag':
      return prior.dof + 2;
    case 'spherical':
      return (prior.dof + 2) / d;
  }
}

/**
 * The MAP means, in place: μₖ = (nₖȳₖ + κμₚ)/(nₖ + κ), κ counted `strength` times.
 *
 * @param prior - The prior.
 * @param means - ȳₖ (k × d), overwritten by μₖ.
 * @param nk - nₖ.
 */
export function posteriorMeans(prior: ConjugatePrior, means: Float64Array, nk: Float64Array): void {
  const kappa = prior.shrinkage * prior.strength;
  if (kappa === 0) return;
  const d = prior.mean.length;
  for (let j = 0; j < nk.length; j++) {
    const n = nk[j];
    for (let a = 0; a < d; a++) means[j * d + a] = (n * means[j * d + a] + kappa * prior.mean[a]) / (n + kappa);
  }
}

/**
 * Turns a family's sample covariances Sₖ = Wₖ/nₖ (+ reg), in place, into the
 * MAP pseudo-covariances Bₖ/mₖ (see the module's comment); a tied strategy's
 * one pooled block becomes (Σ Wₖ + Σ κnₖ/(κ+nₖ)δₖδₖᵀ + Λ)/(n + k[κ>0] + ν + d + 1).
 *
 * @param strategy - The model's strategy (its family, and whether its components share one covariance).
 * @param prior - The prior.
 * @param s - The sample covariances in the family's layout (overwritten).
 * @param nk - nₖ.
 * @param ybar - The components' sample means ȳₖ (k × d), about which `s` is taken.
 * @returns The pseudo-counts mₖ (k values), which the constrained models' M-steps take for nₖ.
 */
export function posteriorCovariances(
  strategy: CovarianceStrategy,
  prior: ConjugatePrior,
  s: Float64Array,
  nk: Float64Array,
  ybar: Float64Array,
): Float64Array {
  const k = nk.length;
  const d = prior.mean.length;
  const t = prior.strength;
  const kappa = prior.shrinkage * t;
  const meanCount = kappa > 0 ? t : 0;
  const share = strategy.equalCovariances ? 1 / k : 1;
  const a = exponent(strategy, prior, d);
  const lambda = prior.scale;
  const m = new Float64Array(k);
  const delta = new Float64Array(d);
  const shrink = (j: number): number => {
    for (let b = 0; b < d; b++) delta[b] = ybar[j * d + b] - prior.mean[b];
    return kappa === 0 ? 0 : (kappa * nk[j]) / (kappa + nk[j]);
  };
  switch (strategy.family) {
    case 'tied': {
      // One block: Σ nₖ·S, plus every component's shrinkage term, plus Λ once.
      let n = 0;
      for (let j = 0; j < k; j++) n += nk[j];
      for (let i = 0; i < d * d; i++) s[i] = s[i] * n + t * lambda[i];
      for (let j = 0; j < k; j++) {
        const c = shrink(j);
        for (let p = 0; p < d; p++) for (let q = 0; q < d; q++) s[p * d + q] += c * delta[p] * delta[q];
      }
      const total = n + k * meanCount + t * a;
      for (let i = 0; i < d * d; i++) s[i] /= total;
      m.fill(total / k);
      return m;
    }
    case 'full':
      for (let j = 0; j < k; j++) {
        const c = shrink(j);
        m[j] = nk[j] + meanCount + share * t * a;
        const o = j * d * d;
        for (let p = 0; p < d; p++) {
          for (let q = 0; q < d; q++) {
            const i = o + p * d + q;
            s[i] = (s[i] * nk[j] + c * delta[p] * delta[q] + share * t * lambda[p * d + q]) / m[j];
          }
        }
      }
      return m;
    case 'diag':
      for (let j = 0; j < k; j++) {
        const c = shrink(j);
        m[j] = nk[j] + meanCount + share * t * a;
        for (let p = 0; p < d; p++) {
          const i = j * d + p;
          s[i] = (s[i] * nk[j] + c * delta[p] * delta[p] + share * t * lambda[0]) / m[j];
        }
      }
      return m;
    case 'spherical':
      // σ² = tr(W)/(n·d): the scatter's trace and the prior's ς² enter divided by d.
      for (let j = 0; j < k; j++) {
        const c = shrink(j);
        let norm = 0;
        for (let p = 0; p < d; p++) norm += delta[p] * delta[p];
        m[j] = nk[j] + meanCount + share * t * a;
        s[j] = (s[j] * nk[j] + (c * norm + share * t * lambda[0]) / d) / m[j];
      }
      return m;
  }
}

/**
 * log p(θ): the prior's log-density at a mixture's parameters, counted
 * `strength` times — the term EM adds to the log-likelihood. For the
 * constrained models it is the family's density at their covariances (their
 * prior restricted to the constraints, up to a constant).
 *
 * @param strategy - The model's strategy.
 * @param prior - The prior.
 * @param params - The parameters.
 * @returns The log prior density (finite for positive-definite covariances).
 */
export function logPrior(strategy: CovarianceStrategy, prior: ConjugatePrior, params: MixtureParameters): number {
  const { nComponents: k, nFeatures: d, means, precisionsCholesky: pc } = params;
  const { shrinkage: kappa, mean: mu0, scale: lambda } = prior;
  const logDetU = new Float64Array(k);
  strategy.logDetCholesky(pc, k, d, logDetU);
  const blocks = strategy.shared ? 1 : k;
  const share = strategy.equalCovariances && !strategy.shared ? 1 / k : 1;
  const a = exponent(strategy, prior, d);
  const normalizer = logNormalizer(strategy, prior, d);
  const v = new Float64Array(d);
  let total = 0;
  // The covariances' priors: −a/2·log|Σ| − ½·tr(ΛΣ⁻¹) + the normalizer, with log|Σ| = −2·log det U.
  for (let j = 0; j < blocks; j++)
    total += share * (a * logDetU[j] - 0.5 * traceTimesPrecision(strategy, lambda, pc, j, d) + normalizer);
  // The means' priors: log N(μₖ | μₚ, Σₖ/κ).
  if (kappa > 0) {
    for (let j = 0; j < k; j++) {
      for (let b = 0; b < d; b++) v[b] = means[j * d + b] - mu0[b];
      const q = quadratic(strategy, pc, strategy.shared ? 0 : j, v, d);
      total += 0.5 * d * (Math.log(kappa) - LOG_2PI) + logDetU[j] - 0.5 * kappa * q;
    }
  }
  return prior.strength * total;
}

/** Each prior's log normalizing constants by family: a constant of the fit, computed at its first iteration. */
const normalizers = new WeakMap<ConjugatePrior, Map<string, number>>();

/** The log normalizing constant of the family's covariance prior (computed once per prior and family). */
function logNormalizer(strategy: CovarianceStrategy, prior: ConjugatePrior, d: number): number {
  let known = normalizers.get(prior);
  if (!known) normalizers.set(prior, (known = new Map()));
  let value = known.get(strategy.family);
  if (value === undefined) known.set(strategy.family, (value = familyLogNormalizer(strategy, prior, d)));
  return value;
}

function familyLogNormalizer(strategy: CovarianceStrategy, prior: ConjugatePrior, d: number): number {
  const { dof: nu, scale: lambda } = prior;
  switch (strategy.family) {
    case 'full':
    case 'tied': {
      // IW(ν, Λ): (ν/2)·log|Λ| − (νd/2)·log 2 − log Γ_d(ν/2); Λ was checked positive definite.
      const l = new Float64Array(d * d);
      choleskyLower(lambda, 0, d, l, 0);
      let logDetLambda = 0;
      for (let p = 0; p < d; p++) logDetLambda += 2 * Math.log(l[p * d + p]);
      let logGammaD = (d * (d - 1) * Math.log(Math.PI)) / 4;
      for (let j = 1; j <= d; j++) logGammaD += logGamma(nu / 2 + (1 - j) / 2);
      return (nu / 2) * logDetLambda - ((nu * d) / 2) * Math.LN2 - logGammaD;
    }
    case 'diag':
      // IG(ν/2, ς²/2) on each of the d variances.
      return d * ((nu / 2) * Math.log(lambda[0] / 2) - logGamma(nu / 2));
    case 'spherical':
      return (nu / 2) * Math.log(lambda[0] / 2) - logGamma(nu / 2);
  }
}

/** tr(ΛΣⱼ⁻¹) from the precision Cholesky factor (Σ⁻¹ = UUᵀ); Λ is ς²·I for diag, ς²/d·I for spherical. */
function traceTimesPrecision(strategy: CovarianceStrategy, lambda: Float64Array, pc: Float64Array, j: number, d: number): number {
  switch (strategy.family) {
    case 'full':
    case 'tied': {
      // Σ_b u_bᵀ Λ u_b over the columns u_b of U (upper triangular, row-major).
      const o = j * d * d;
      let tr = 0;
      for (let b = 0; b < d; b++) {
        for (let p = 0; p <= b; p++) {
          const upb = pc[o + p * d + b];
          if (upb === 0) continue;
          let s = 0;
          for (let q = 0; q <= b; q++) s += lambda[p * d + q] * pc[o + q * d + b];
          tr += upb * s;
        }
      }
      return tr;
    }
    case 'diag': {
      let s = 0;
      for (let b = 0; b < d; b++) s += pc[j * d + b] * pc[j * d + b];
      return lambda[0] * s;
    }
    case 'spherical':
      return lambda[0] * pc[j] * pc[j];
  }
}

/** vᵀΣⱼ⁻¹v = ‖vᵀU‖² from the precision Cholesky factor. */
function quadratic(strategy: CovarianceStrategy, pc: Float64Array, j: number, v: Float64Array, d: number): number {
  switch (strategy.family) {
    case 'full':
    case 'tied': {
      const o = j * d * d;
      let q = 0;
      for (let b = 0; b < d; b++) {
        let y = 0;
        for (let p = 0; p <= b; p++) y += v[p] * pc[o + p * d + b];
        q += y * y;
      }
      return q;
    }
    case 'diag': {
      let q = 0;
      for (let b = 0; b < d; b++) q += (v[b] * pc[j * d + b]) ** 2;
      return q;
    }
    case 'spherical': {
      let q = 0;
      for (let b = 0; b < d; b++) q += v[b] * v[b];
      return q * pc[j] * pc[j];
    }
  }
}
