import { constrained, geometricMean, toScatter, total } from './constrained.js';
import { diag } from './diag.js';

/**
 * mclust's `'EVI'`: Σₖ = λAₖ, diagonal, equal volume det(Σₖ)^(1/d) = λ,
 * each its own shape (diag layout). Closed-form M-step: with
 * gₖ = det(diag Wₖ)^(1/d), λ = Σₖ gₖ / n and Σₖ = λ·diag(Wₖ)/gₖ.
 */
export const EVI = constrained(
  diag,
  'EVI',
  (k, d) => 1 + k * (d - 1),
  (s, nk, k, d) => {
    const g = new Float64Array(k);
    let sum = 0;
    toScatter(s, nk, d);
    for (let j = 0; j < k; j++) {
      g[j] = geometricMean(s, j * d, d);
      sum += g[j];
    }
    const lambda = sum / total(nk);
    for (let j = 0; j < k; j++) {
      const f = g[j] > 0 ? lambda / g[j] : 0;
      for (let a = 0; a < d; a++) s[j * d + a] *= f;
    }
  },
);
