import { constrained, geometricMean, INNER_MAX_ITER, INNER_TOL, relativeChange, toScatter } from './constrained.js';
import { diag } from './diag.js';

/**
 * λₖ and the common shape A (diagonal, det A = 1) that maximize the
 * likelihood of Σₖ = λₖA given each component's d values wₖ (its scatter's
 * diagonal for VEI, its scatter's eigenvalues for VEV), by Celeux &
 * Govaert's alternation as mclust's `mevei`: λₖ = Σₐ wₖₐ/Aₐ / (d·nₖ), then
 * A ∝ Σₖ wₖ/λₖ, until neither changes by more than {@link INNER_TOL}
 * relatively.
 *
 * @param w - k × d values.
 * @param nk - Weighted counts.
 * @param shape - d values: the starting shape (overwritten with the result).
 * @returns λₖ (k values); empty if a shape became degenerate (some Σₖ wₖₐ/λₖ not positive).
 */
export function volumesAndCommonShape(
  w: Float64Array,
  nk: Float64Array,
  k: number,
  d: number,
  shape: Float64Array,
): Float64Array {
  const scale = new Float64Array(k);
  const lastScale = new Float64Array(k);
  const lastShape = new Float64Array(d);
  for (let iteration = 0; iteration < INNER_MAX_ITER; iteration++) {
    lastScale.set(scale);
    lastShape.set(shape);
    for (let j = 0; j < k; j++) {
      let s = 0;
      for (let a = 0; a < d; a++) s += w[j * d + a] / shape[a];
      scale[j] = s / (d * nk[j]);
    }
    for (let a = 0; a < d; a++) {
      let s = 0;
      for (let j = 0; j < k; j++) s += w[j * d + a] / scale[j];
      shape[a] = s;
    }
    const g = geometricMean(shape, 0, d);
    if (!(g > 0) || !Number.isFinite(g)) return new Float64Array(0);
    for (let a = 0; a < d; a++) shape[a] /= g;
    if (Math.max(relativeChange(lastScale, scale), relativeChange(lastShape, shape)) <= INNER_TOL) break;
  }
  return scale;
}

/**
 * mclust's `'VEI'`: Σₖ = λₖA, diagonal, each component its own volume, one
 * common shape (diag layout). Iterative M-step
 * ({@link volumesAndCommonShape}), started from the previous shape (from
 * A = I at the first M-step, as mclust).
 */
export const VEI = constrained(
  diag,
  'VEI',
  (k, d) => k + d - 1,
  (s, nk, k, d, previous) => {
    toScatter(s, nk, d);
    const shape = new Float64Array(d).fill(1);
    if (previous !== undefined) {
      const g = geometricMean(previous, 0, d);
      if (g > 0) for (let a = 0; a < d; a++) shape[a] = previous[a] / g;
    }
    const scale = volumesAndCommonShape(s, nk, k, d, shape);
    if (scale.length === 0) {
      s.fill(0);
      return;
    }
    for (let j = 0; j < k; j++) for (let a = 0; a < d; a++) s[j * d + a] = scale[j] * shape[a];
  },
);
