import { polarTransposed, symmetricEigen } from '../../matrix/eigen.js';
import { compose, constrained, geometricMean, INNER_MAX_ITER, INNER_TOL, toScatter, total } from './constrained.js';
import { full } from './full.js';

/** A common orientation and each component's shape: the inner state of EVE's and VVE's M-steps. */
export interface Orientation {
  /** d × d, rows the common principal directions (Σₖ = Oᵀ·diag(λₖaₖ)·O). */
  readonly o: Float64Array;
  /** k × d shapes, each with product 1. */
  readonly shapes: Float64Array;
  /** k volumes λₖ (VVE; all 1 for EVE, whose common λ does not change the orientation). */
  readonly volumes: Float64Array;
}

/**
 * Where the MM iterations start: the previous M-step's orientation, shapes
 * and volumes, or at the first M-step O = I and every shape and volume 1, as
 * mclust. The previous covariances all have O's rows as eigenvectors, but one
 * of them alone may have repeated eigenvalues (then its eigenvectors need not
 * be the others'); so O is taken from Σₖ cₖΣₖ with unequal cₖ, whose
 * eigenvalues coincide only where every component's do (and there any basis
 * is the same model).
 */
export function startingOrientation(previous: Float64Array | undefined, k: number, d: number): Orientation {
  const dd = d * d;
  const shapes = new Float64Array(k * d).fill(1);
  const volumes = new Float64Array(k).fill(1);
  if (previous === undefined) {
    const o = new Float64Array(dd);
    for (let a = 0; a < d; a++) o[a * d + a] = 1;
    return { o, shapes, volumes };
  }
  const blend = new Float64Array(dd);
  for (let j = 0; j < k; j++) {
    const c = 1 + j * 0.6180339887498949;
    for (let t = 0; t < dd; t++) blend[t] += c * previous[j * dd + t];
  }
  const o = symmetricEigen(blend, 0, d).vectors;
  const m = new Float64Array(d);
  for (let j = 0; j < k; j++) {
    rotatedDiagonal(o, previous, j * dd, d, m);
    const g = geometricMean(m, 0, d);
    if (!(g > 0)) continue;
    volumes[j] = g;
    for (let a = 0; a < d; a++) shapes[j * d + a] = m[a] / g;
  }
  return { o, shapes, volumes };
}

/** diag(O·W·Oᵀ) for the d × d block W at `offset`, into `out`. */
export function rotatedDiagonal(o: Float64Array, w: Float64Array, offset: number, d: number, out: Float64Array): void {
  for (let r = 0; r < d; r++) {
    let s = 0;
    for (let a = 0; a < d; a++) {
      let t = 0;
      for (let b = 0; b < d; b++) t += w[offset + a * d + b] * o[r * d + b];
      s += o[r * d + a] * t;
    }
    out[r] = s;
  }
}

/**
 * The MM iterations for a common orientation (Browne & McNicholas 2014) as
 * mclust's `meeve`/`mevve`: two majorize-minimize updates of O per
 * iteration (each the orthogonal factor of a polar decomposition), then the
 * shapes aₖ ∝ diag(O·Wₖ·Oᵀ) — scaled to product 1 (EVE), or for VVE first
 * divided by nₖ, the volume λₖ their geometric mean — until the objective
 * changes by at most {@link INNER_TOL} relatively: for EVE
 * Σₖ Σₐ (O·Wₖ·Oᵀ)ₐₐ / aₖₐ (n·d·λ), for VVE d·Σₖ nₖ log λₖ.
 *
 * One departure from mclust, for VVE: each component's term of the MM bound
 * is weighted by its precision 1/(λₖaₖₐ), not by 1/aₖₐ as `mevve` does. With
 * mclust's weights the orientation step minimizes EVE's objective, not
 * VVE's, and EM's log-likelihood can decrease (test/mclust.test.ts found
 * drops of 5e-8 per row); with these, every step decreases VVE's objective.
 *
 * @param w - k scatter matrices Wₖ (d × d blocks).
 * @param nk - Weighted counts.
 * @param state - Starting orientation, shapes and volumes (updated in place).
 * @param variableVolume - VVE (λₖ per component) rather than EVE.
 * @returns EVE's target Σₖ tr(Oᵀ·diag(1/aₖ)·O·Wₖ) (VVE: d·Σₖ nₖ log λₖ);
 *   null if a shape became degenerate.
 */
export function commonOrientation(
  w: Float64Array,
  nk: Float64Array,
  k: number,
  d: number,
  state: Orientation,
  variableVolume: boolean,
): number | null {
  const dd = d * d;
  // ωₖ: the largest eigenvalue of Wₖ, the MM bound's constant.
  const omega = new Float64Array(k);
  for (let j = 0; j < k; j++) omega[j] = symmetricEigen(w, j * dd, d).values[0]!;
  const { o, shapes, volumes } = state;
  const f = new Float64Array(dd);
  const m = new Float64Array(d);
  let target = Infinity;
  for (let iteration = 0; iteration < INNER_MAX_ITER; iteration++) {
    // F = Σₖ Pₖ·O·(Wₖ − ωₖI), Pₖ = diag(1/(λₖaₖ)); O ← polar factor.
    f.fill(0);
    for (let j = 0; j < k; j++) {
      for (let r = 0; r < d; r++) {
        const inv = 1 / (volumes[j] * shapes[j * d + r]);
        for (let c = 0; c < d; c++) {
          let t = 0;
          for (let b = 0; b < d; b++) t += o[r * d + b] * w[j * dd + b * d + c];
          f[r * d + c] += inv * (t - omega[j] * o[r * d + c]);
        }
      }
    }
    o.set(polarTransposed(f, d));
    // F = Σₖ Wₖ·O·(Pₖ − max(Pₖ)·I); O ← polar factor.
    f.fill(0);
    for (let j = 0; j < k; j++) {
      let largest = 0;
      for (let a = 0; a < d; a++) largest = Math.max(largest, 1 / (volumes[j] * shapes[j * d + a]));
      for (let r = 0; r < d; r++) {
        for (let c = 0; c < d; c++) {
          let t = 0;
          for (let b = 0; b < d; b++) t += w[j * dd + r * d + b] * o[b * d + c];
          f[r * d + c] += t * (1 / (volumes[j] * shapes[j * d + c]) - largest);
        }
      }
    }
    o.set(polarTransposed(f, d));
    let next = 0;
    for (let j = 0; j < k; j++) {
      rotatedDiagonal(o, w, j * dd, d, m);
      const g = geometricMean(m, 0, d);
      if (!(g > 0) || !Number.isFinite(g)) return null;
      for (let a = 0; a < d; a++) shapes[j * d + a] = m[a] / g;
      if (variableVolume) {
        volumes[j] = g / nk[j];
        next += d * nk[j] * Math.log(volumes[j]);
      } else {
        for (let a = 0; a < d; a++) next += m[a] / shapes[j * d + a];
      }
    }
    const change = Math.abs(next - target) / (1 + Math.abs(next));
    target = next;
    if (change <= INNER_TOL) break;
  }
  return target;
}

/**
 * mclust's `'EVE'`: Σₖ = λ DAₖDᵀ, equal volume, each component its own
 * shape, one common orientation (full layout). Iterative M-step
 * ({@link commonOrientation}), started from the previous orientation and
 * shapes; then λ = target / (n·d).
 */
export const EVE = constrained(
  full,
  'EVE',
  (k, d) => 1 + k * (d - 1) + (d * (d - 1)) / 2,
  (s, nk, k, d, previous) => {
    toScatter(s, nk, d * d);
    const state = startingOrientation(previous, k, d);
    state.volumes.fill(1);
    const target = commonOrientation(s, nk, k, d, state, false);
    if (target === null) {
      s.fill(0);
      return;
    }
    const lambda = target / (total(nk) * d);
    const values = new Float64Array(d);
    for (let j = 0; j < k; j++) {
      for (let a = 0; a < d; a++) values[a] = lambda * state.shapes[j * d + a];
      compose(state.o, values, d, s, j * d * d);
    }
  },
);
