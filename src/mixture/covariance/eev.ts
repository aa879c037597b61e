import { symmetricEigen } from '../../matrix/eigen.js';
import { compose, constrained, total } from './constrained.js';
import { full } from './full.js';

/**
 * mclust's `'EEV'`: Σₖ = λ DₖADₖᵀ, equal volume and shape, each component
 * its own orientation (full layout). Closed-form M-step: with
 * Wₖ = DₖΩₖDₖᵀ (eigenvalues descending), Σₖ = Dₖ (Σⱼ Ωⱼ / n) Dₖᵀ.
 */
export const EEV = constrained(
  full,
  'EEV',
  (k, d) => d + (k * d * (d - 1)) / 2,
  (s, nk, k, d) => {
    const dd = d * d;
    const pooled = new Float64Array(d);
    const vectors: Float64Array[] = [];
    for (let j = 0; j < k; j++) {
      const e = symmetricEigen(s, j * dd, d);
      vectors.push(e.vectors);
      for (let a = 0; a < d; a++) pooled[a] += nk[j] * e.values[a];
    }
    const n = total(nk);
    for (let a = 0; a < d; a++) pooled[a] /= n;
    for (let j = 0; j < k; j++) compose(vectors[j]!, pooled, d, s, j * dd);
  },
);
