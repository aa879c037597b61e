import { constrained, total } from './constrained.js';
import { diag } from './diag.js';

/**
 * mclust's `'EEI'`: Σₖ = λA, one diagonal covariance shared by every
 * component (diag layout, k equal rows). M-step: diag(Σₖ Wₖ) / n.
 */
export const EEI = constrained(
  diag,
  'EEI',
  (_k, d) => d,
  (s, nk, k, d) => {
    const n = total(nk);
    const pooled = new Float64Array(d);
    for (let j = 0; j < k; j++) for (let a = 0; a < d; a++) pooled[a] += nk[j] * s[j * d + a];
    for (let j = 0; j < k; j++) for (let a = 0; a < d; a++) s[j * d + a] = pooled[a] / n;
  },
  true,
);
