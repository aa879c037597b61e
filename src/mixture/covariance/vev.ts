import { symmetricEigen } from '../../matrix/eigen.js';
import { compose, constrained, geometricMean } from './constrained.js';
import { full } from './full.js';
import { volumesAndCommonShape } from './vei.js';

/**
 * mclust's `'VEV'`: Σₖ = λₖ DₖADₖᵀ, each component its own volume and
 * orientation, one common shape (full layout). Iterative M-step as mclust's
 * `mevev`: Dₖ are the eigenvectors of Wₖ, then the volumes and the shape
 * alternate on Wₖ's eigenvalues ({@link volumesAndCommonShape}), started
 * from the previous shape (at the first M-step from Σₖ Ωₖ, as mclust).
 */
export const VEV = constrained(
  full,
  'VEV',
  (k, d) => k + d - 1 + (k * d * (d - 1)) / 2,
  (s, nk, k, d, previous) => {
    const dd = d * d;
    const omega = new Float64Array(k * d);
    const vectors: Float64Array[] = [];
    for (let j = 0; j < k; j++) {
      const e = symmetricEigen(s, j * dd, d);
      vectors.push(e.vectors);
      for (let a = 0; a < d; a++) omega[j * d + a] = nk[j] * e.values[a];
    }
    const shape = new Float64Array(d);
    if (previous !== undefined) shape.set(symmetricEigen(previous, 0, d).values);
    else for (let j = 0; j < k; j++) for (let a = 0; a < d; a++) shape[a] += omega[j * d + a];
    const g = geometricMean(shape, 0, d);
    if (g > 0) for (let a = 0; a < d; a++) shape[a] /= g;
    else shape.fill(1);
    const scale = volumesAndCommonShape(omega, nk, k, d, shape);
    if (scale.length === 0) {
      s.fill(0);
      return;
    }
    const values = new Float64Array(d);
    for (let j = 0; j < k; j++) {
      for (let a = 0; a < d; a++) values[a] = scale[j] * shape[a];
      compose(vectors[j]!, values, d, s, j * dd);
    }
  },
);
