import { logDensityConstants } from './constants.js';
import type { CovarianceStrategy } from './strategy.js';
import { evenWidth, writePadded, type WasmLayout } from './wasmLayout.js';

/**
 * wasm/diag.ts, for diag and spherical alike: means and factors k × dx (a
 * spherical component's one factor repeated d times), constants k.
 *
 * @param spherical - One precision factor per component (k values), not d.
 * @returns The layout.
 */
export function diagonalLayout(spherical: boolean): WasmLayout {
  const factor = spherical
    ? (pc: Float64Array, j: number) => pc[j]
    : (pc: Float64Array, j: number, d: number, a: number) => pc[j * d + a];
  return {
    smallCode: spherical ? 3 : 2,
    laneFactor(pc, j, d, kp, lanes) {
      for (let a = 0; a < d; a++) lanes[a * kp + j] = factor(pc, j, d, a);
    },
    bind(instance, _n, k, d) {
      const dx = evenWidth(d);
      const means = instance.alloc(k * dx * 8);
      const factors = instance.alloc(k * dx * 8);
      const consts = instance.alloc(k * 8);
      const scratch = instance.alloc(instance.exports.diagScratchBytes(d, k));
      return {
        write(parameters, prepared) {
          instance.f64(consts, k).set(prepared.constants);
          writePadded(instance.f64(means, k * dx), parameters.means, k, d, dx);
          const f = instance.f64(factors, k * dx).fill(0);
          for (let j = 0; j < k; j++) for (let a = 0; a < d; a++) f[j * dx + a] = factor(parameters.precisionsCholesky, j, d, a);
        },
        run: ({ x, w, start, end, out, logOut, noise }) =>
          instance.exports.diagChunk(
            x,
            w,
            start,
            end,
            d,
            k,
            means,
            factors,
            consts,
            spherical ? 1 : 0,
            out,
            scratch,
            logOut,
            noise,
          ),
        hint() {},
      };
    },
  };
}

/**
 * `'diag'`: every component has its own diagonal covariance (k×d variances);
 * the features are independent within a component.
 */
export const diag: CovarianceStrategy = {
  type: 'diag',
  family: 'diag',
  mclustName: 'VVI',
  shared: false,
  equalCovariances: false,
  matrices: false,
  shapeName: 'nComponents × d',
  featuresOf: (shape) => shape[1],
  wasm: diagonalLayout(false),
  covarianceLength: (k, d) => k * d,
  covarianceShape: (k, d) => [k, d],
  secondMomentLength: (k, d) => k * d,
  parameterCount: (k, d) => k * d,
  statisticsCenters: (means) => means,

  accumulate(x, d, start, end, resp, stats) {
    const { nComponents: k, centers, weight, first, second } = stats;
    for (let j = 0; j < k; j++) {
      const co = j * d;
      let wj = 0;
      for (let i = start; i < end; i++) {
        const r = resp[(i - start) * k + j];
        if (r === 0) continue;
        wj += r;
        const xo = i * d;
        for (let a = 0; a < d; a++) {
          const t = x[xo + a] - centers[co + a];
          const rt = r * t;
          first[co + a] += rt;
          second[co + a] += rt * t;
        }
      }
      weight[j] += wj;
    }
  },

  accumulateCovariance(stats, j, weight, cells, cov) {
    const { nFeatures: d, second } = stats;
    const r = cells.length;
    for (let b = 0; b < r; b++) second[j * d + cells[b]!] += weight * cov[b * r + b]!;
  },

  estimateCovariances(stats, nk, means, regCovar, out, _previous, prior) {
    const { nComponents: k, nFeatures: d, centers, first, second, weight } = stats;
    for (let j = 0; j < k; j++) {
      for (let a = 0; a < d; a++) {
        const o = j * d + a;
        const delta = means[o] - centers[o];
        out[o] = (second[o] - 2 * first[o] * delta + weight[j] * delta * delta) / nk[j] + regCovar;
      }
    }
    prior?.(out, nk);
  },

  precisionCholesky(covariances, _k, d, out) {
    for (let i = 0; i < covariances.length; i++) {
      const v = covariances[i];
      if (!(v > 0) || !Number.isFinite(v)) return Math.floor(i / d);
      out[i] = 1 / Math.sqrt(v);
    }
    return -1;
  },

  precisionCholeskyFromPrecision(precisions, _k, d, out) {
    for (let i = 0; i < precisions.length; i++) {
      const v = precisions[i];
      if (!(v > 0) || !Number.isFinite(v)) return Math.floor(i / d);
      out[i] = Math.sqrt(v);
    }
    return -1;
  },

  covarianceFromPrecisionCholesky(pc, _k, _d, out) {
    for (let i = 0; i < pc.length; i++) out[i] = 1 / (pc[i] * pc[i]);
  },

  logDetCholesky(pc, k, d, out) {
    for (let j = 0; j < k; j++) {
      let s = 0;
      for (let a = 0; a < d; a++) s += Math.log(pc[j * d + a]);
      out[j] = s;
    }
  },

  prepare(params) {
    const { nComponents: k, nFeatures: d, precisionsCholesky: pc } = params;
    const logDet = new Float64Array(k);
    diag.logDetCholesky(pc, k, d, logDet);
    return {
      k,
      d,
      constants: logDensityConstants(params, logDet),
      means: params.means,
      factors: pc,
      aux: new Float64Array(0),
      scratch: new Float64Array(0),
    };
  },

  logProb(x, d, start, end, prepared, out) {
    const { k, constants, means, factors } = prepared;
    for (let i = start; i < end; i++) {
      const xo = i * d;
      const oo = (i - start) * k;
      for (let j = 0; j < k; j++) {
        const mo = j * d;
        let q = 0;
        for (let a = 0; a < d; a++) {
          const t = (x[xo + a] - means[mo + a]) * factors[mo + a];
          q += t * t;
        }
        out[oo + j] = constants[j] - 0.5 * q;
      }
    }
  },

  componentCovariance(covariances, j, d, out) {
    out.fill(0, 0, d * d);
    for (let a = 0; a < d; a++) out[a * d + a] = covariances[j * d + a];
  },

  drawOffset(pc, j, d, z) {
    for (let a = 0; a < d; a++) z[a] /= pc[j * d + a];
  },
};
