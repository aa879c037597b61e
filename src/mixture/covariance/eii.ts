import { constrained, total } from './constrained.js';
import { spherical } from './spherical.js';

/**
 * mclust's `'EII'`: Σₖ = λI, one variance shared by every component
 * (spherical layout, k equal values). M-step: λ = Σₖ tr Wₖ / (n·d).
 */
export const EII = constrained(
  spherical,
  'EII',
  () => 1,
  (s, nk, k) => {
    let sum = 0;
    for (let j = 0; j < k; j++) sum += nk[j] * s[j];
    s.fill(sum / total(nk));
  },
  true,
);
