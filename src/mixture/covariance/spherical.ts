import { logDensityConstants } from './constants.js';
import { diagonalLayout } from './diag.js';
import type { CovarianceStrategy } from './strategy.js';

/**
 * `'spherical'`: every component has a single variance σₖ² (k values):
 * round clusters of individual sizes. The variance is the mean over features
 * of the diagonal estimate, as scikit-learn.
 */
export const spherical: CovarianceStrategy = {
  type: 'spherical',
  family: 'spherical',
  mclustName: 'VII',
  shared: false,
  equalCovariances: false,
  matrices: false,
  shapeName: 'nComponents',
  featuresOf: () => undefined,
  wasm: diagonalLayout(true),
  covarianceLength: (k) => k,
  covarianceShape: (k) => [k],
  secondMomentLength: (k) => k,
  parameterCount: (k) => k,
  statisticsCenters: (means) => means,

  accumulate(x, d, start, end, resp, stats) {
    const { nComponents: k, centers, weight, first, second } = stats;
    for (let j = 0; j < k; j++) {
      const co = j * d;
      let wj = 0;
      let sj = 0;
      for (let i = start; i < end; i++) {
        const r = resp[(i - start) * k + j];
        if (r === 0) continue;
        wj += r;
        const xo = i * d;
        let norm = 0;
        for (let a = 0; a < d; a++) {
          const t = x[xo + a] - centers[co + a];
          first[co + a] += r * t;
          norm += t * t;
        }
        sj += r * norm;
      }
      weight[j] += wj;
      second[j] += sj;
    }
  },

  accumulateCovariance(stats, j, weight, cells, cov) {
    const r = cells.length;
    let trace = 0;
    for (let b = 0; b < r; b++) trace += cov[b * r + b]!;
    stats.second[j] += weight * trace;
  },

  estimateCovariances(stats, nk, means, regCovar, out, _previous, prior) {
    const { nComponents: k, nFeatures: d, centers, first, second, weight } = stats;
    for (let j = 0; j < k; j++) {
      let cross = 0;
      let norm = 0;
      for (let a = 0; a < d; a++) {
        const o = j * d + a;
        const delta = means[o] - centers[o];
        cross += first[o] * delta;
        norm += delta * delta;
      }
      out[j] = (second[j] - 2 * cross + weight[j] * norm) / (nk[j] * d) + regCovar;
    }
    prior?.(out, nk);
  },

  precisionCholesky(covariances, _k, _d, out) {
    for (let j = 0; j < covariances.length; j++) {
      const v = covariances[j];
      if (!(v > 0) || !Number.isFinite(v)) return j;
      out[j] = 1 / Math.sqrt(v);
    }
    return -1;
  },

  precisionCholeskyFromPrecision(precisions, _k, _d, out) {
    for (let j = 0; j < precisions.length; j++) {
      const v = precisions[j];
      if (!(v > 0) || !Number.isFinite(v)) return j;
      out[j] = Math.sqrt(v);
    }
    return -1;
  },

  covarianceFromPrecisionCholesky(pc, _k, _d, out) {
    for (let j = 0; j < pc.length; j++) out[j] = 1 / (pc[j] * pc[j]);
  },

  logDetCholesky(pc, k, d, out) {
    for (let j = 0; j < k; j++) out[j] = d * Math.log(pc[j]);
  },

  prepare(params) {
    const { nComponents: k, nFeatures: d, precisionsCholesky: pc } = params;
    const logDet = new Float64Array(k);
    spherical.logDetCholesky(pc, k, d, logDet);
    const precisions = new Float64Array(k);
    for (let j = 0; j < k; j++) precisions[j] = pc[j] * pc[j];
    return {
      k,
      d,
      constants: logDensityConstants(params, logDet),
      means: params.means,
      factors: precisions,
      aux: new Float64Array(0),
      scratch: new Float64Array(0),
    };
  },

  logProb(x, d, start, end, prepared, out) {
    const { k, constants, means, factors: precisions } = prepared;
    for (let i = start; i < end; i++) {
      const xo = i * d;
      const oo = (i - start) * k;
      for (let j = 0; j < k; j++) {
        const mo = j * d;
        let norm = 0;
        for (let a = 0; a < d; a++) {
          const t = x[xo + a] - means[mo + a];
          norm += t * t;
        }
        out[oo + j] = constants[j] - 0.5 * norm * precisions[j];
      }
    }
  },

  componentCovariance(covariances, j, d, out) {
    out.fill(0, 0, d * d);
    for (let a = 0; a < d; a++) out[a * d + a] = covariances[j];
  },

  drawOffset(pc, j, d, z) {
    for (let a = 0; a < d; a++) z[a] /= pc[j];
  },
};
