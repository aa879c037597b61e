import { compose, constrained, toScatter } from './constrained.js';
import { commonOrientation, startingOrientation } from './eve.js';
import { full } from './full.js';

/**
 * mclust's `'VVE'`: Σₖ = λₖ DAₖDᵀ, each component its own volume and shape,
 * one common orientation (full layout). Iterative M-step
 * ({@link commonOrientation} with variable volumes, as mclust's `mevve`
 * but with each component's bound weighted by its volume, so that EM's
 * log-likelihood never decreases), started from the previous orientation,
 * shapes and volumes.
 */
export const VVE = constrained(
  full,
  'VVE',
  (k, d) => k * d + (d * (d - 1)) / 2,
  (s, nk, k, d, previous) => {
    toScatter(s, nk, d * d);
    const state = startingOrientation(previous, k, d);
    if (commonOrientation(s, nk, k, d, state, true) === null) {
      s.fill(0);
      return;
    }
    const values = new Float64Array(d);
    for (let j = 0; j < k; j++) {
      for (let a = 0; a < d; a++) values[a] = state.volumes[j] * state.shapes[j * d + a];
      compose(state.o, values, d, s, j * d * d);
    }
  },
);
