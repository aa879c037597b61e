/**
 * What mclust's ten models beyond scikit-learn's four share. Each model of
 * Σₖ = λₖ Dₖ Aₖ Dₖᵀ (volume λ, shape A with det A = 1, orientation D) stores
 * its covariances in the layout of the least constrained of scikit-learn's
 * four types that holds it — its family: spherical for EII, diag for EEI,
 * VEI and EVI, full for VEE, EVE, VVE, EEV, VEV and EVV — so its E-step,
 * scoring, sampling, serialization and WebAssembly kernels are that family's.
 * Only two things are its own: the M-step, which turns the components'
 * scatter matrices into covariances obeying the constraints (Celeux &
 * Govaert 1995; for EVE and VVE the MM algorithms of Browne & McNicholas
 * 2014, as mclust implements them), and the parameter count (mclust's
 * `nVarParams`).
 *
 * @module
 */
import type { MclustModel } from '../parameters.js';
import type { CovarianceStrategy } from './strategy.js';

/**
 * Relative change at which an iterative M-step (VEI, VEV, VEE, EVE, VVE)
 * stops: √eps, mclust's `emControl()$tol[2]`.
 */
export const INNER_TOL = Math.sqrt(2.220446049250313e-16);

/**
 * Most iterations of an iterative M-step. mclust's default is unbounded;
 * these converge in tens of iterations on real data, and the cap only keeps a
 * pathological M-step from hanging the fit (it then returns its last
 * iterate).
 */
export const INNER_MAX_ITER = 1000;

/**
 * A constrained model's M-step: turns the components' regularized sample
 * covariances Sₖ = Wₖ / nₖ + reg·I (Wₖ the weighted scatter about the new
 * means), in the family's layout, into the model's covariances, in place.
 * (Below, "Wₖ" is nₖSₖ, regularization included.) A component whose scatter is singular where the model needs its
 * determinant gets a zero covariance (so that the M-step fails on it with
 * `IllConditionedCovarianceError`, unless `regCovar` makes it definite).
 *
 * @param s - k sample covariances in the family's layout (overwritten).
 * @param nk - Weighted counts nₖ.
 * @param k - Components.
 * @param d - Features.
 * @param previous - The covariances before this M-step (with their
 *   regularization), where an iterative M-step starts; absent at the first.
 */
export type ConstrainedEstimate = (
  s: Float64Array,
  nk: Float64Array,
  k: number,
  d: number,
  previous: Float64Array | undefined,
) => void;

/**
 * A model stored in `base`'s layout with its own M-step and parameter count.
 *
 * @param base - The family's strategy (spherical, diag or full).
 * @param type - mclust's name of the model.
 * @param parameterCount - Free parameters of the covariances (mclust's `nVarParams`).
 * @param estimate - The M-step on the sample covariances.
 * @param equalCovariances - Whether the model gives every component the same covariance (EII, EEI).
 * @returns The model's strategy.
 */
export function constrained(
  base: CovarianceStrategy,
  type: MclustModel,
  parameterCount: (k: number, d: number) => number,
  estimate: ConstrainedEstimate,
  equalCovariances = false,
): CovarianceStrategy {
  return {
    ...base,
    type,
    mclustName: type,
    equalCovariances,
    parameterCount,
    estimateCovariances(stats, nk, means, regCovar, out, previous, prior) {
      // Regularized before the constraints are imposed (Sₖ + reg·I), so that the covariances obey them exactly
      // and no direction of a collapsing component's scatter is zero where the model needs its logarithm.
      base.estimateCovariances(stats, nk, means, regCovar, out);
      // A prior's MAP M-step is this one on pseudo-statistics: Bₖ/mₖ for Sₖ, mₖ for nₖ.
      const counts = prior ? prior(out, nk) : nk;
      estimate(out, counts, stats.nComponents, stats.nFeatures, previous);
    },
  };
}

/**
 * One of scikit-learn's four types under its mclust name (VII, VVI, EEE,
 * VVV): the same strategy, reporting the name it was asked for.
 */
export function alias(base: CovarianceStrategy, type: MclustModel): CovarianceStrategy {
  return { ...base, type };
}

/**
 * Scatter from sample covariances, in place: each component's block of
 * `size` values (d for diag, d² for full) times nₖ.
 */
export function toScatter(s: Float64Array, nk: Float64Array, size: number): void {
  for (let j = 0; j < nk.length; j++) for (let t = j * size; t < (j + 1) * size; t++) s[t] *= nk[j];
}

/** Σ nₖ. */
export function total(nk: Float64Array): number {
  let n = 0;
  for (let j = 0; j < nk.length; j++) n += nk[j];
  return n;
}

/**
 * The geometric mean (Π vₐ)^(1/d) of d values at `offset`, in log space:
 * 0 if any is not positive.
 */
export function geometricMean(v: Float64Array, offset: number, d: number): number {
  let s = 0;
  for (let a = 0; a < d; a++) {
    const x = v[offset + a];
    if (!(x > 0)) return 0;
    s += Math.log(x);
  }
  return Math.exp(s / d);
}

/**
 * Writes Vᵀ·diag(values)·V (V's rows the directions) as the d × d block at
 * `offset` of `out`.
 */
export function compose(vectors: Float64Array, values: Float64Array, d: number, out: Float64Array, offset: number): void {
  for (let a = 0; a < d; a++) {
    for (let b = a; b < d; b++) {
      let v = 0;
      for (let r = 0; r < d; r++) v += vectors[r * d + a] * values[r] * vectors[r * d + b];
      out[offset + a * d + b] = v;
      out[offset + b * d + a] = v;
    }
  }
}

/** Largest relative change |old − new| / (1 + |new|) over n values (mclust's inner criterion). */
export function relativeChange(old: Float64Array, next: Float64Array): number {
  let m = 0;
  for (let i = 0; i < next.length; i++) m = Math.max(m, Math.abs(old[i] - next[i]) / (1 + Math.abs(next[i])));
  return m;
}
