import {
  covarianceFromPrecisionCholesky,
  precisionCholeskyFromCovariance,
  reverseCholeskyUpper,
  solveUpperTransposedInPlace,
} from '../../matrix/cholesky.js';
import { logDensityConstants } from './constants.js';
import { logDetTriangular, transposeBlocks } from './full.js';
import type { CovarianceStrategy } from './strategy.js';
import { evenWidth, quadWidth, writePadded, type WasmLayout } from './wasmLayout.js';

/**
 * wasm/tied.ts: the shared factor (d rows of dp), constants k, and from
 * `prepare`'s aux ν (k rows of dp) and the whitening center; the statistics'
 * center (the data's mean, one row).
 */
const tiedLayout: WasmLayout = {
  smallCode: 1,
  laneFactor(pc, j, d, kp, lanes) {
    // The shared factor in every lane, column by column as the full one.
    let t = 0;
    for (let b = 0; b < d; b++) for (let a = 0; a <= b; a++) lanes[t++ * kp + j] = pc[a * d + b];
  },
  bind(instance, _n, k, d) {
    const dx = evenWidth(d);
    const dp = quadWidth(d);
    const factors = instance.alloc(d * dp * 8);
    const consts = instance.alloc(k * 8);
    const nu = instance.alloc(k * dp * 8);
    const whiteningCenter = instance.alloc(dx * 8);
    const statsCenter = instance.alloc(dx * 8);
    const scratch = instance.alloc(instance.exports.tiedScratchBytes(d, k));
    return {
      write(parameters, prepared, centers) {
        // The tied strategy's prepared aux is [ν (k × d), whitening center (d)].
        instance.f64(consts, k).set(prepared.constants);
        writePadded(instance.f64(factors, d * dp), parameters.precisionsCholesky, d, d, dp);
        writePadded(instance.f64(nu, k * dp), prepared.aux, k, d, dp);
        writePadded(instance.f64(whiteningCenter, dx), prepared.aux.subarray(k * d), 1, d, dx);
        writePadded(instance.f64(statsCenter, dx), centers, 1, d, dx);
      },
      run: ({ x, w, start, end, out, logOut, noise }) =>
        instance.exports.tiedChunk(
          x,
          w,
          start,
          end,
          d,
          k,
          factors,
          consts,
          whiteningCenter,
          nu,
          statsCenter,
          out,
          scratch,
          logOut,
          noise,
        ),
      hint() {},
    };
  },
};

/**
 * `'tied'`: all components share one general covariance Σ (d×d).
 *
 * Because the factor U is shared, ‖(x − μₖ)ᵀU‖² = ‖z − νₖ‖² with
 * z = (x − c)ᵀU computed once per row and νₖ = (μₖ − c)ᵀU once per
 * parameter set (c: the weighted mean of the means, for accuracy): d²/2 + k·d
 * work per row instead of k·d²/2. The statistics are taken about the data's
 * mean, with one pooled second moment.
 */
export const tied: CovarianceStrategy = {
  type: 'tied',
  family: 'tied',
  mclustName: 'EEE',
  shared: true,
  equalCovariances: true,
  matrices: true,
  shapeName: 'd × d',
  featuresOf: (shape) => shape[0],
  wasm: tiedLayout,
  covarianceLength: (_k, d) => d * d,
  covarianceShape: (_k, d) => [d, d],
  secondMomentLength: (_k, d) => d * d,
  parameterCount: (_k, d) => (d * (d + 1)) / 2,

  statisticsCenters(_means, dataMean, k, d) {
    const out = new Float64Array(k * d);
    for (let j = 0; j < k; j++) out.set(dataMean, j * d);
    return out;
  },

  accumulate(x, d, start, end, resp, stats, delta) {
    const { nComponents: k, centers, weight, first, second } = stats;
    for (let i = start; i < end; i++) {
      const ro = (i - start) * k;
      let rowSum = 0;
      for (let j = 0; j < k; j++) rowSum += resp[ro + j];
      if (rowSum === 0) continue;
      const xo = i * d;
      for (let a = 0; a < d; a++) delta[a] = x[xo + a] - centers[a];
      for (let a = 0; a < d; a++) {
        const ra = rowSum * delta[a];
        const base = a * d;
        for (let b = a; b < d; b++) second[base + b] += ra * delta[b];
      }
      for (let j = 0; j < k; j++) {
        const r = resp[ro + j];
        if (r === 0) continue;
        weight[j] += r;
        const co = j * d;
        for (let a = 0; a < d; a++) first[co + a] += r * delta[a];
      }
    }
  },

  accumulateCovariance(stats, _j, weight, cells, cov) {
    const { nFeatures: d, second } = stats;
    const r = cells.length;
    for (let b = 0; b < r; b++) {
      for (let c = b; c < r; c++) second[cells[b]! * d + cells[c]!] += weight * cov[b * r + c]!;
    }
  },

  estimateCovariances(stats, nk, means, regCovar, out, _previous, prior) {
    const { nComponents: k, nFeatures: d, centers, first, second, weight } = stats;
    let total = 0;
    for (let j = 0; j < k; j++) total += nk[j];
    for (let a = 0; a < d; a++) {
      for (let b = a; b < d; b++) {
        let v = second[a * d + b];
        for (let j = 0; j < k; j++) {
          const co = j * d;
          const da = means[co + a] - centers[co + a];
          const db = means[co + b] - centers[co + b];
          v += -first[co + a] * db - da * first[co + b] + weight[j] * da * db;
        }
        v /= total;
        out[a * d + b] = v;
        out[b * d + a] = v;
      }
      out[a * d + a] += regCovar;
    }
    prior?.(out, nk);
  },

  precisionCholesky(covariances, _k, d, out) {
    return precisionCholeskyFromCovariance(covariances, 0, d, out, new Float64Array(d * d)) >= 0 ? 0 : -1;
  },

  precisionCholeskyFromPrecision(precisions, _k, d, out) {
    return reverseCholeskyUpper(precisions, 0, d, out) >= 0 ? 0 : -1;
  },

  covarianceFromPrecisionCholesky(pc, _k, d, out) {
    covarianceFromPrecisionCholesky(pc, 0, d, out, new Float64Array(d * d));
  },

  logDetCholesky(pc, k, d, out) {
    out.fill(logDetTriangular(pc, 0, d), 0, k);
  },

  prepare(params) {
    const { nComponents: k, nFeatures: d, precisionsCholesky: pc, weights, means } = params;
    const logDet = new Float64Array(k);
    tied.logDetCholesky(pc, k, d, logDet);
    const lower = transposeBlocks(pc, 1, d);
    // aux = [ν (k × d), c (d)], c = Σ πⱼ μⱼ, νⱼ = (μⱼ − c)ᵀU.
    const aux = new Float64Array((k + 1) * d);
    const c = aux.subarray(k * d);
    for (let j = 0; j < k; j++) for (let a = 0; a < d; a++) c[a] += weights[j] * means[j * d + a];
    const delta = new Float64Array(d);
    for (let j = 0; j < k; j++) {
      for (let a = 0; a < d; a++) delta[a] = means[j * d + a] - c[a];
      for (let r = 0; r < d; r++) {
        let y = 0;
        for (let a = 0; a <= r; a++) y += delta[a] * lower[r * d + a];
        aux[j * d + r] = y;
      }
    }
    return {
      k,
      d,
      constants: logDensityConstants(params, logDet),
      means,
      factors: lower,
      aux,
      scratch: new Float64Array(2 * d),
    };
  },

  logProb(x, d, start, end, prepared, out) {
    const { k, constants, factors: lower, aux, scratch } = prepared;
    const c = aux.subarray(k * d);
    for (let i = start; i < end; i++) {
      const xo = i * d;
      const oo = (i - start) * k;
      for (let a = 0; a < d; a++) scratch[a] = x[xo + a] - c[a];
      for (let r = 0; r < d; r++) {
        let y = 0;
        for (let a = 0; a <= r; a++) y += scratch[a] * lower[r * d + a];
        scratch[d + r] = y;
      }
      for (let j = 0; j < k; j++) {
        const no = j * d;
        let q = 0;
        for (let a = 0; a < d; a++) {
          const t = scratch[d + a] - aux[no + a];
          q += t * t;
        }
        out[oo + j] = constants[j] - 0.5 * q;
      }
    }
  },

  componentCovariance(covariances, _j, d, out) {
    out.set(covariances.subarray(0, d * d));
  },

  drawOffset(pc, _j, d, z) {
    solveUpperTransposedInPlace(pc, 0, d, z);
  },
};
