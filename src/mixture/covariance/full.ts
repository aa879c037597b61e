import {
  covarianceFromPrecisionCholesky,
  precisionCholeskyFromCovariance,
  reverseCholeskyUpper,
  solveUpperTransposedInPlace,
} from '../../matrix/cholesky.js';
import type { SufficientStatistics } from '../statistics.js';
import { logDensityConstants } from './constants.js';
import type { CovarianceStrategy } from './strategy.js';
import { evenWidth, quadWidth, singleTileWidth, singleWidth, writePadded, type WasmLayout } from './wasmLayout.js';

/**
 * From this many features on, the full kernel stops computing a component's
 * log-density for a row once it certainly cannot matter (see `PRUNE` in
 * wasm/full.ts), guided by each row's best component in the previous E-step;
 * below, the triangular product is too short to stop early.
 */
const PRUNE_FROM_D = 32;

/**
 * wasm/full.ts: means k × dx, factors (k·d rows of dp), constants k; from
 * PRUNE_FROM_D features, a guide gⱼ = d / (2·trace Σⱼ) per component and each
 * row's previous best component.
 */
const fullLayout: WasmLayout = {
  smallCode: 0,
  laneFactor(pc, j, d, kp, lanes) {
    // Column by column (the kernel's y_b = Σ_{a ≤ b} δ_a·U_ab reads column b contiguously).
    const o = j * d * d;
    let t = 0;
    for (let b = 0; b < d; b++) for (let a = 0; a <= b; a++) lanes[t++ * kp + j] = pc[o + a * d + b];
  },
  single: true,
  bind(instance, n, k, d, single = false) {
    // f64: rows and means even, factor rows 4 wide; f32: 4 and 8 (wasm/full.ts).
    const dx = single ? singleWidth(d) : evenWidth(d);
    const dp = single ? singleTileWidth(d) : quadWidth(d);
    const bytes = single ? 4 : 8;
    const view = (at: number, length: number) => (single ? instance.f32(at, length) : instance.f64(at, length));
    const means = instance.alloc(k * dx * bytes);
    const factors = instance.alloc(k * d * dp * bytes);
    const consts = instance.alloc(k * 8);
    const guide = d >= PRUNE_FROM_D ? instance.alloc(k * 8) : 0;
    const previous = guide !== 0 ? instance.alloc(n * 4) : 0;
    const scratch = instance.alloc(single ? instance.exports.fullScratchBytes32(d, k) : instance.exports.fullScratchBytes(d, k));
    const chunk = single ? instance.exports.fullChunk32 : instance.exports.fullChunk;
    // Each row's best component in the previous E-step: none yet.
    if (previous !== 0) new Int32Array(instance.exports.memory.buffer, previous, n).fill(-1);
    return {
      write(parameters, prepared) {
        instance.f64(consts, k).set(prepared.constants);
        writePadded(view(means, k * dx), parameters.means, k, d, dx);
        writePadded(view(factors, k * d * dp), parameters.precisionsCholesky, k * d, d, dp);
        if (guide !== 0) {
          // gⱼ = d / (2·trace Σⱼ): orders the work by a guess of each row's best component.
          const g = instance.f64(guide, k);
          for (let j = 0; j < k; j++) {
            let trace = 0;
            for (let a = 0; a < d; a++) trace += parameters.covariances[j * d * d + a * d + a];
            g[j] = d / (2 * trace);
          }
        }
      },
      run: ({ x, w, start, end, out, logOut, noise }) =>
        // Scoring computes every component in full (no guide), as the TypeScript kernels.
        chunk(x, w, start, end, d, k, means, factors, consts, logOut === 0 ? guide : 0, previous, out, scratch, logOut, noise),
      hint(labels) {
        if (previous !== 0) new Int32Array(instance.exports.memory.buffer, previous, n).set(labels);
      },
    };
  },
};

/**
 * `'full'`: every component has its own general covariance Σₖ (k×d×d).
 *
 * Log-density: with Uₖ the upper precision Cholesky factor,
 * ‖(x − μₖ)ᵀUₖ‖² is computed row by row of Uₖᵀ (contiguous dot products),
 * so the kernel reads each factor once per row and allocates nothing.
 */
export const full: CovarianceStrategy = {
  type: 'full',
  family: 'full',
  mclustName: 'VVV',
  shared: false,
  equalCovariances: false,
  matrices: true,
  shapeName: 'nComponents × d × d',
  featuresOf: (shape) => shape[1],
  wasm: fullLayout,
  covarianceLength: (k, d) => k * d * d,
  covarianceShape: (k, d) => [k, d, d],
  secondMomentLength: (k, d) => k * d * d,
  parameterCount: (k, d) => (k * d * (d + 1)) / 2,
  statisticsCenters: (means) => means,

  accumulate(x, d, start, end, resp, stats, delta) {
    const { nComponents: k, centers, weight, first, second } = stats;
    const dd = d * d;
    for (let j = 0; j < k; j++) {
      const co = j * d;
      const so = j * dd;
      let wj = 0;
      for (let i = start; i < end; i++) {
        const r = resp[(i - start) * k + j];
        if (r === 0) continue;
        wj += r;
        const xo = i * d;
        for (let a = 0; a < d; a++) {
          const t = x[xo + a] - centers[co + a];
          delta[a] = t;
          first[co + a] += r * t;
        }
        for (let a = 0; a < d; a++) {
          const ra = r * delta[a];
          const base = so + a * d;
          for (let b = a; b < d; b++) second[base + b] += ra * delta[b];
        }
      }
      weight[j] += wj;
    }
  },

  accumulateCovariance(stats, j, weight, cells, cov) {
    const { nFeatures: d, second } = stats;
    const r = cells.length;
    const so = j * d * d;
    for (let b = 0; b < r; b++) {
      for (let c = b; c < r; c++) second[so + cells[b]! * d + cells[c]!] += weight * cov[b * r + c]!;
    }
  },

  estimateCovariances(stats, nk, means, regCovar, out, _previous, prior) {
    const { nComponents: k, nFeatures: d } = stats;
    for (let j = 0; j < k; j++) centeredScatter(stats, j, nk[j], means, regCovar, out, j * d * d);
    prior?.(out, nk);
  },

  precisionCholesky(covariances, k, d, out) {
    const scratch = new Float64Array(d * d);
    for (let j = 0; j < k; j++) {
      if (precisionCholeskyFromCovariance(covariances, j * d * d, d, out, scratch) >= 0) return j;
    }
    return -1;
  },

  precisionCholeskyFromPrecision(precisions, k, d, out) {
    for (let j = 0; j < k; j++) if (reverseCholeskyUpper(precisions, j * d * d, d, out) >= 0) return j;
    return -1;
  },

  covarianceFromPrecisionCholesky(pc, k, d, out) {
    const scratch = new Float64Array(d * d);
    for (let j = 0; j < k; j++) covarianceFromPrecisionCholesky(pc, j * d * d, d, out, scratch);
  },

  logDetCholesky(pc, k, d, out) {
    for (let j = 0; j < k; j++) out[j] = logDetTriangular(pc, j * d * d, d);
  },

  prepare(params) {
    const { nComponents: k, nFeatures: d, precisionsCholesky: pc } = params;
    const logDet = new Float64Array(k);
    full.logDetCholesky(pc, k, d, logDet);
    return {
      k,
      d,
      constants: logDensityConstants(params, logDet),
      means: params.means,
      factors: transposeBlocks(pc, k, d),
      aux: new Float64Array(0),
      scratch: new Float64Array(d),
    };
  },

  logProb(x, d, start, end, prepared, out) {
    const { k, constants, means, factors: lower, scratch: delta } = prepared;
    const dd = d * d;
    for (let i = start; i < end; i++) {
      const xo = i * d;
      const oo = (i - start) * k;
      for (let j = 0; j < k; j++) {
        const mo = j * d;
        const fo = j * dd;
        for (let a = 0; a < d; a++) delta[a] = x[xo + a] - means[mo + a];
        let q = 0;
        for (let c = 0; c < d; c++) {
          const ro = fo + c * d;
          let y = 0;
          for (let a = 0; a <= c; a++) y += delta[a] * lower[ro + a];
          q += y * y;
        }
        out[oo + j] = constants[j] - 0.5 * q;
      }
    }
  },

  componentCovariance(covariances, j, d, out) {
    out.set(covariances.subarray(j * d * d, (j + 1) * d * d));
  },

  drawOffset(pc, j, d, z) {
    solveUpperTransposedInPlace(pc, j * d * d, d, z);
  },
};

/**
 * Σ wr(x − μ)(x − μ)ᵀ / nk + reg·I for component j, from statistics about
 * center c: S2 − S1δᵀ − δS1ᵀ + (Σwr)·δδᵀ with δ = μ − c.
 * Reads the upper triangle of the second moments, writes a symmetric block.
 */
export function centeredScatter(
  stats: SufficientStatistics,
  j: number,
  nkj: number,
  means: Float64Array,
  regCovar: number,
  out: Float64Array,
  outOffset: number,
): void {
  const { nFeatures: d, centers, first, second, weight } = stats;
  const co = j * d;
  const so = j * d * d;
  const wj = weight[j];
  for (let a = 0; a < d; a++) {
    const da = means[co + a] - centers[co + a];
    const fa = first[co + a];
    for (let b = a; b < d; b++) {
      const db = means[co + b] - centers[co + b];
      const v = (second[so + a * d + b] - fa * db - da * first[co + b] + wj * da * db) / nkj;
      out[outOffset + a * d + b] = v;
      out[outOffset + b * d + a] = v;
    }
    out[outOffset + a * d + a] += regCovar;
  }
}

/** Σ log of the diagonal of the d×d block at `offset`. */
export function logDetTriangular(m: Float64Array, offset: number, d: number): number {
  let s = 0;
  for (let a = 0; a < d; a++) s += Math.log(m[offset + a * d + a]);
  return s;
}

/** Transposes each of the k d×d blocks (upper factors become lower, read row by row). */
export function transposeBlocks(m: Float64Array, k: number, d: number): Float64Array {
  const out = new Float64Array(k * d * d);
  for (let j = 0; j < k; j++) {
    const o = j * d * d;
    for (let a = 0; a < d; a++) for (let b = 0; b < d; b++) out[o + b * d + a] = m[o + a * d + b];
  }
  return out;
}
