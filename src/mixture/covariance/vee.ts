import { choleskyLower } from '../../matrix/cholesky.js';
import { constrained, INNER_MAX_ITER, INNER_TOL, toScatter, total } from './constrained.js';
import { full } from './full.js';

/**
 * mclust's `'VEE'`: Σₖ = λₖC with det C = 1, each component its own volume,
 * one common shape and orientation (full layout). Iterative M-step as
 * mclust's `mevee`, from λₖ = 1 at every M-step: C ∝ Σₖ Wₖ/λₖ scaled to
 * det C = 1, then λₖ = tr(C⁻¹Wₖ) / (d·nₖ) (by Cholesky solves, no inverse),
 * until n·d + d·Σₖ nₖ log λₖ changes by at most {@link INNER_TOL}
 * relatively.
 */
export const VEE = constrained(
  full,
  'VEE',
  (k, d) => k + (d * (d + 1)) / 2 - 1,
  (s, nk, k, d) => {
    const dd = d * d;
    const n = total(nk);
    toScatter(s, nk, dd);
    const scale = new Float64Array(k).fill(1);
    const c = new Float64Array(dd);
    const l = new Float64Array(dd);
    const y = new Float64Array(d);
    let target = Infinity;
    for (let iteration = 0; iteration < INNER_MAX_ITER; iteration++) {
      c.fill(0);
      for (let j = 0; j < k; j++) for (let t = 0; t < dd; t++) c[t] += s[j * dd + t] / scale[j];
      if (choleskyLower(c, 0, d, l, 0) >= 0) {
        s.fill(0);
        return;
      }
      // det C = (Π Lₐₐ)²: scale C (and L) to det 1.
      let logDet = 0;
      for (let a = 0; a < d; a++) logDet += 2 * Math.log(l[a * d + a]);
      const f = Math.exp(-logDet / d);
      for (let t = 0; t < dd; t++) c[t] *= f;
      const root = Math.sqrt(f);
      for (let t = 0; t < dd; t++) l[t] *= root;
      let next = n * d;
      for (let j = 0; j < k; j++) {
        scale[j] = traceSolve(l, s, j * dd, d, y) / (d * nk[j]);
        next += d * nk[j] * Math.log(scale[j]);
      }
      const change = Math.abs(next - target) / (1 + Math.abs(next));
      target = next;
      if (change <= INNER_TOL) break;
    }
    for (let j = 0; j < k; j++) for (let t = 0; t < dd; t++) s[j * dd + t] = scale[j] * c[t];
  },
);

/**
 * tr(C⁻¹W) for C = LLᵀ and the d × d block W at `offset` of `w`: for each
 * column w_c of W, solves C·x = w_c (one forward, one back substitution) and
 * adds x_c.
 */
function traceSolve(l: Float64Array, w: Float64Array, offset: number, d: number, y: Float64Array): number {
  let trace = 0;
  for (let col = 0; col < d; col++) {
    // L y = W[:, col]
    for (let a = 0; a < d; a++) {
      let t = w[offset + a * d + col];
      for (let b = 0; b < a; b++) t -= l[a * d + b] * y[b];
      y[a] = t / l[a * d + a];
    }
    // Lᵀ x = y, keeping only x[col].
    for (let a = d - 1; a >= 0; a--) {
      let t = y[a];
      for (let b = a + 1; b < d; b++) t -= l[b * d + a] * y[b];
      y[a] = t / l[a * d + a];
    }
    trace += y[col];
  }
  return trace;
}
