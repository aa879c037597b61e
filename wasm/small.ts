/**
 * E-step + statistics for few features (d ≤ SMALL_D), every covariance type,
 * with components in the SIMD lanes: two components per vector, everything
 * per row, no gathering and no padding of features. (With many features the
 * row-tiled kernels in full.ts, tied.ts and diag.ts are faster.)
 *
 * Parameters arrive "lane-major": for each feature a (and pair a ≤ b), the
 * values of all kp = even(k) components side by side.
 */
import { BLOCK_ROWS, TOTALS, blockColumns, f64at, blockStep, lseScratch, maxBlockColumns } from './block';

/** Up to this many features, small.ts serves every covariance type. */
export const SMALL_D: i32 = 4;

const FULL = 0;
const TIED = 1;
const DIAG = 2;
const SPHERICAL = 3;

/** Number of precision-factor values per component for a type: d(d+1)/2 (triangle) or d. */
@inline
function factorCount(type: i32, d: i32): i32 {
  return type == FULL || type == TIED ? (d * (d + 1)) >> 1 : d;
}

/** Number of second-moment accumulators per component: the triangle, or d. */
@inline
function secondCount(type: i32, d: i32): i32 {
  return factorCount(type, d);
}

/** Bytes of scratch `smallChunk` needs. */
export function smallScratchBytes(type: i32, d: i32, k: i32): i32 {
  const kp = maxBlockColumns(k);
  const b = BLOCK_ROWS;
  return (b * kp + b * d * kp + kp + d * kp + secondCount(type, d) * kp + lseScratch(b)) << 3;
}

/**
 * @param x        data, rows padded to dx = even(d)
 * @param w        row weights or 0
 * @param start    first row
 * @param end      one past the last row
 * @param d        features (≤ SMALL_D)
 * @param k        components
 * @param type     0 full, 1 tied, 2 diag, 3 spherical
 * @param means    d × kp: μ[a][j] (padding lanes: anything finite)
 * @param factors  factorCount × kp: U[a][b][j] for a ≤ b (full, tied: U shared, replicated), or p[a][j]
 * @param consts   kp: log πⱼ + log det − (d/2)·log 2π, a noise component's log π₀ + log V⁻¹ in lane k, padding lanes −∞
 * @param centers  d × kp: the statistics' centers (the means; for tied the data mean in every lane)
 * @param out      weight (k), first (k × d), second (type's layout), Σw·log p, Σw
 * @param scratch  smallScratchBytes(type, d, k) bytes
 * @param logOut   0 for the statistics; or an array of (end − start) × k that receives, instead,
 *                 every row's weighted log-densities log πⱼ + log N(x | μⱼ, Σⱼ) (for scoring a model)
 * @param noise    the noise component's log π₀ + log V⁻¹ (its column k of the block), or −∞ without one
 * @returns 0, or 1 + the row whose log-likelihood is not finite
 */
export function smallChunk(
  x: usize, w: usize, start: i32, end: i32, d: i32, k: i32, type: i32,
  means: usize, factors: usize, consts: usize, centers: usize, out: usize, scratch: usize, logOut: usize, noise: f64,
): i32 {
  const kp = blockColumns(k, noise);
  const pairs = kp >> 1;
  const dx = (d + 1) & ~1;
  const B = BLOCK_ROWS;
  const nf = factorCount(type, d);
  const ns = secondCount(type, d);
  const LP = scratch; // B × kp
  const DELTA = f64at(LP, B * kp); // B × d × kp: x − μ (x − center for tied), lane-major per row
  const W = f64at(DELTA, B * d * kp); // kp
  const S1 = f64at(W, kp); // d × kp
  const S2 = f64at(S1, d * kp); // ns × kp
  const LSE = f64at(S2, ns * kp); // lseScratch(B)
  memory.fill(W, 0, <usize>(kp + d * kp + ns * kp) << 3);
  const stride = <usize>kp << 3; // bytes between a value's lanes for consecutive features
  const outTotals = f64at(out, k + k * d + (type == TIED ? d * d : type == FULL ? k * d * d : type == DIAG ? k * d : k));
  memory.fill(outTotals, 0, TOTALS << 3); // the running [Σ w·log p, Σ w, entropy, Σ w·r₀]

  for (let b0 = start; b0 < end; b0 += B) {
    const rows = min(B, end - b0);
    for (let i = 0; i < rows; i++) {
      const xi = f64at(x, (b0 + i) * dx);
      const lp = f64at(LP, i * kp);
      const delta = f64at(DELTA, i * d * kp);
      for (let j2 = 0; j2 < pairs; j2++) {
        const lane = <usize>j2 << 4;
        let q = f64x2.splat(0);
        if (type == FULL || type == TIED) {
          // y_b = Σ_{a ≤ b} δ_a·U_ab ; q = Σ_b y_b²  (at most 4 features: y in locals)
          const d0 = f64x2.sub(v128.load64_splat(xi), v128.load(means + lane));
          let y0 = f64x2.mul(d0, v128.load(factors + lane));
          q = f64x2.mul(y0, y0);
          if (d > 1) {
            const d1 = f64x2.sub(v128.load64_splat(xi, 8), v128.load(means + stride + lane));
            const y1 = f64x2.add(f64x2.mul(d0, v128.load(factors + stride + lane)), f64x2.mul(d1, v128.load(factors + 2 * stride + lane)));
            q = f64x2.add(q, f64x2.mul(y1, y1));
            if (d > 2) {
              const d2 = f64x2.sub(v128.load64_splat(xi, 16), v128.load(means + 2 * stride + lane));
              let y2 = f64x2.mul(d0, v128.load(factors + 3 * stride + lane));
              y2 = f64x2.add(y2, f64x2.mul(d1, v128.load(factors + 4 * stride + lane)));
              y2 = f64x2.add(y2, f64x2.mul(d2, v128.load(factors + 5 * stride + lane)));
              q = f64x2.add(q, f64x2.mul(y2, y2));
              if (d > 3) {
                const d3 = f64x2.sub(v128.load64_splat(xi, 24), v128.load(means + 3 * stride + lane));
                let y3 = f64x2.mul(d0, v128.load(factors + 6 * stride + lane));
                y3 = f64x2.add(y3, f64x2.mul(d1, v128.load(factors + 7 * stride + lane)));
                y3 = f64x2.add(y3, f64x2.mul(d2, v128.load(factors + 8 * stride + lane)));
                y3 = f64x2.add(y3, f64x2.mul(d3, v128.load(factors + 9 * stride + lane)));
                q = f64x2.add(q, f64x2.mul(y3, y3));
                v128.store(delta + 3 * stride + lane, d3);
              }
              v128.store(delta + 2 * stride + lane, d2);
            }
            v128.store(delta + stride + lane, d1);
          }
          v128.store(delta + lane, d0);
        } else {
          for (let a = 0; a < d; a++) {
            const off = <usize>a * stride + lane;
            const da = f64x2.sub(v128.load64_splat(xi + (<usize>a << 3)), v128.load(means + off));
            const t = f64x2.mul(da, v128.load(factors + off));
            q = f64x2.add(q, f64x2.mul(t, t));
            v128.store(delta + off, da);
          }
        }
        v128.store(lp + lane, f64x2.sub(v128.load(consts + lane), f64x2.mul(f64x2.splat(0.5), q)));
      }
      if (type == TIED) {
        // Statistics about the data mean (the same in every lane), not about the means.
        for (let a = 0; a < d; a++) {
          const xa = v128.load64_splat(xi + (<usize>a << 3));
          for (let j2 = 0; j2 < pairs; j2++) {
            const off = <usize>a * stride + (<usize>j2 << 4);
            v128.store(delta + off, f64x2.sub(xa, v128.load(centers + off)));
          }
        }
      }
    }
    // Scoring: the log-densities are handed back, no statistics. (A noise component's lane k has factors 0 and its
    // log-density as its constant, so its column is that constant: no padding pass.)
    const step = blockStep(LP, rows, k, kp, w, b0, start, logOut, outTotals, LSE, noise);
    if (step > 0) return step;
    if (step < 0) continue;

    for (let i = 0; i < rows; i++) {
      const resp = f64at(LP, i * kp);
      const delta = f64at(DELTA, i * d * kp);
      for (let j2 = 0; j2 < pairs; j2++) {
        const lane = <usize>j2 << 4;
        const r = v128.load(resp + lane);
        if (!v128.any_true(r)) continue;
        v128.store(W + lane, f64x2.add(v128.load(W + lane), r));
        if (type == FULL || type == TIED) {
          let t = 0;
          for (let a = 0; a < d; a++) {
            const da = v128.load(delta + <usize>a * stride + lane);
            const rda = f64x2.mul(r, da);
            const s1 = S1 + <usize>a * stride + lane;
            v128.store(s1, f64x2.add(v128.load(s1), rda));
            for (let b = a; b < d; b++) {
              const s2 = S2 + <usize>(t++) * stride + lane;
              v128.store(s2, f64x2.add(v128.load(s2), f64x2.mul(rda, v128.load(delta + <usize>b * stride + lane))));
            }
          }
        } else {
          for (let a = 0; a < d; a++) {
            const off = <usize>a * stride + lane;
            const da = v128.load(delta + off);
            const rda = f64x2.mul(r, da);
            v128.store(S1 + off, f64x2.add(v128.load(S1 + off), rda));
            v128.store(S2 + off, f64x2.add(v128.load(S2 + off), f64x2.mul(rda, da)));
          }
        }
      }
    }
  }

  if (logOut != 0) return 0;

  // Public layout.
  const outSecond = f64at(out, k + k * d);
  for (let j = 0; j < k; j++) {
    store<f64>(f64at(out, j), load<f64>(f64at(W, j)));
    for (let a = 0; a < d; a++) store<f64>(f64at(out, k + j * d + a), load<f64>(f64at(S1, a * kp + j)));
  }
  if (type == FULL || type == TIED) {
    const blocks = type == FULL ? k : 1;
    memory.fill(outSecond, 0, <usize>(blocks * d * d) << 3);
    for (let j = 0; j < k; j++) {
      const block = f64at(outSecond, type == FULL ? j * d * d : 0);
      let t = 0;
      for (let a = 0; a < d; a++) {
        for (let b = a; b < d; b++) {
          const at = f64at(block, a * d + b);
          store<f64>(at, load<f64>(at) + load<f64>(f64at(S2, (t++) * kp + j)));
        }
      }
    }
  } else {
    for (let j = 0; j < k; j++) {
      let sum = 0.0;
      for (let a = 0; a < d; a++) {
        const v = load<f64>(f64at(S2, a * kp + j));
        if (type == DIAG) store<f64>(f64at(outSecond, j * d + a), v);
        else sum += v;
      }
      if (type == SPHERICAL) store<f64>(f64at(outSecond, j), sum);
    }
  }
  return 0;
}
