import { symmetricEigen } from '../../matrix/eigen.js';
import { constrained, geometricMean, total } from './constrained.js';
import { full } from './full.js';

/**
 * mclust's `'EVV'`: Σₖ = λCₖ with det Cₖ = 1, equal volume, each component
 * its own shape and orientation (full layout). Closed-form M-step: with
 * gₖ = det(Wₖ)^(1/d), λ = Σₖ gₖ / n and Σₖ = λ·Wₖ/gₖ.
 */
export const EVV = constrained(
  full,
  'EVV',
  (k, d) => 1 + k * ((d * (d + 1)) / 2 - 1),
  (s, nk, k, d) => {
    const dd = d * d;
    const g = new Float64Array(k);
    let sum = 0;
    for (let j = 0; j < k; j++) {
      g[j] = nk[j] * geometricMean(symmetricEigen(s, j * dd, d).values, 0, d);
      sum += g[j];
    }
    const lambda = sum / total(nk);
    for (let j = 0; j < k; j++) {
      const f = g[j] > 0 ? (lambda * nk[j]) / g[j] : 0;
      for (let t = j * dd; t < (j + 1) * dd; t++) s[t] *= f;
    }
  },
);
