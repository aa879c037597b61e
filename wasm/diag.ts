/**
 * E-step + statistics for 'diag' and 'spherical' covariances over one chunk
 * of rows: per row and component, q = Σₐ ((xₐ − μⱼₐ)·pⱼₐ)², two features at a
 * time. A spherical model is passed as diagonal precision factors
 * (pⱼ repeated), and its second moments are summed over the features.
 *
 * Register tiles: the E-step takes 4 rows per component at once (each
 * factor and mean loaded once for the 4); the statistics keep a component's
 * sums for 8 features in registers over all of a block's rows, not in
 * memory. The additions are in the same order either way, so the plain
 * SIMD build gives the same bits as one row at a time. The relaxed-SIMD
 * build computes (xₐ − μⱼₐ)·pⱼₐ as one fused xₐ·pⱼₐ + (−μⱼₐ·pⱼₐ) (the
 * product exact, one rounding; −μp precomputed per chunk) and sums squares
 * fused: two operations per pair of features instead of four.
 */
import { BLOCK_ROWS, madd, TOTALS, blockColumns, f64at, listNonZero, blockStep, lseScratch, maxBlockColumns, padColumns } from './block';

/** Bytes of scratch `diagChunk` needs. */
export function diagScratchBytes(d: i32, k: i32): i32 {
  const dx = (d + 1) & ~1;
  const kp = maxBlockColumns(k);
  const b = BLOCK_ROWS;
  return (b * kp + 3 * k * dx + lseScratch(b) + b) << 3;
}

/** (x − μ)·p, two lanes: fused x·p + (−μp) in the relaxed-SIMD build, else a subtraction and a multiplication. */
@inline
function scaled(x: v128, mu: v128, p: v128, nmp: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f64x2.relaxed_madd(x, p, nmp);
  return f64x2.mul(f64x2.sub(x, mu), p);
}

/** The log-density consts − q/2 of a row's sum of squares q (two lanes). */
@inline
function logDensity(c: f64, q: v128): f64 {
  return c - 0.5 * (f64x2.extract_lane(q, 0) + f64x2.extract_lane(q, 1));
}

/**
 * @param x          data, rows padded to dx = even(d)
 * @param w          row weights or 0
 * @param start      first row
 * @param end        one past the last row
 * @param d          features
 * @param k          components
 * @param means      k × dx, zero-padded (also the statistics' centers)
 * @param factors    k × dx precision factors (1/σ per feature), zero-padded
 * @param consts     k: log πⱼ + log det − (d/2)·log 2π
 * @param spherical  1: write one second moment per component (Σₐ), 0: one per feature
 * @param out        weight (k), first (k × d), second (k × d, or k if spherical), Σw·log p, Σw
 * @param scratch    diagScratchBytes(d, k) bytes
 * @param logOut   0 for the statistics; or an array of (end − start) × k that receives, instead,
 *                 every row's weighted log-densities log πⱼ + log N(x | μⱼ, Σⱼ) (for scoring a model)
 * @param noise    the noise component's log π₀ + log V⁻¹, or −∞ without one
 * @returns 0, or 1 + the row whose log-likelihood is not finite
 */
export function diagChunk(
  x: usize, w: usize, start: i32, end: i32, d: i32, k: i32,
  means: usize, factors: usize, consts: usize, spherical: i32, out: usize, scratch: usize, logOut: usize, noise: f64,
): i32 {
  const dx = (d + 1) & ~1;
  const kp = blockColumns(k, noise);
  const B = BLOCK_ROWS;
  const LP = scratch; // B × kp
  const S1 = LP + (<usize>(B * kp) << 3); // k × dx
  const S2 = S1 + (<usize>(k * dx) << 3); // k × dx
  const NMP = S2 + (<usize>(k * dx) << 3); // k × dx: −μ·p
  const M = NMP + (<usize>(k * dx) << 3); // lseScratch(B): log-sum-exp scratch
  const IDX = M + (<usize>lseScratch(B) << 3); // B i32: rows with r ≠ 0
  memory.fill(S1, 0, <usize>(2 * k * dx) << 3);
  for (let e = 0; e < k * dx; e++) store<f64>(f64at(NMP, e), -(load<f64>(f64at(means, e)) * load<f64>(f64at(factors, e))));
  const outWeight = out;
  const outFirst = f64at(out, k);
  const outSecond = f64at(out, k + k * d);
  const outTotals = f64at(out, k + k * d + (spherical ? k : k * d));
  memory.fill(outTotals, 0, TOTALS << 3); // the running [Σ w·log p, Σ w, entropy, Σ w·r₀]
  memory.fill(outWeight, 0, <usize>k << 3);
  const stride = <usize>dx << 3;

  for (let b0 = start; b0 < end; b0 += B) {
    const rows = min(B, end - b0);
    let i = 0;
    for (; i + 4 <= rows; i += 4) {
      const x0 = f64at(x, (b0 + i) * dx);
      const x1 = x0 + stride;
      const x2 = x1 + stride;
      const x3 = x2 + stride;
      for (let j = 0; j < k; j++) {
        const mu = f64at(means, j * dx);
        const p = f64at(factors, j * dx);
        const nmp = f64at(NMP, j * dx);
        let q0 = f64x2.splat(0);
        let q1 = f64x2.splat(0);
        let q2 = f64x2.splat(0);
        let q3 = f64x2.splat(0);
        for (let a = 0; a < dx; a += 2) {
          const o = <usize>a << 3;
          const m = v128.load(mu + o);
          const f = v128.load(p + o);
          const n = v128.load(nmp + o);
          const t0 = scaled(v128.load(x0 + o), m, f, n);
          const t1 = scaled(v128.load(x1 + o), m, f, n);
          const t2 = scaled(v128.load(x2 + o), m, f, n);
          const t3 = scaled(v128.load(x3 + o), m, f, n);
          q0 = madd(t0, t0, q0);
          q1 = madd(t1, t1, q1);
          q2 = madd(t2, t2, q2);
          q3 = madd(t3, t3, q3);
        }
        const c = load<f64>(f64at(consts, j));
        store<f64>(f64at(LP, i * kp + j), logDensity(c, q0));
        store<f64>(f64at(LP, (i + 1) * kp + j), logDensity(c, q1));
        store<f64>(f64at(LP, (i + 2) * kp + j), logDensity(c, q2));
        store<f64>(f64at(LP, (i + 3) * kp + j), logDensity(c, q3));
      }
    }
    for (; i < rows; i++) {
      const xi = f64at(x, (b0 + i) * dx);
      for (let j = 0; j < k; j++) {
        const mu = f64at(means, j * dx);
        const p = f64at(factors, j * dx);
        const nmp = f64at(NMP, j * dx);
        let q = f64x2.splat(0);
        for (let a = 0; a < dx; a += 2) {
          const o = <usize>a << 3;
          const t = scaled(v128.load(xi + o), v128.load(mu + o), v128.load(p + o), v128.load(nmp + o));
          q = madd(t, t, q);
        }
        store<f64>(f64at(LP, i * kp + j), logDensity(load<f64>(f64at(consts, j)), q));
      }
    }
    padColumns(LP, rows, k, kp, noise);
    // Scoring: the log-densities are handed back, no statistics.
    const step = blockStep(LP, rows, k, kp, w, b0, start, logOut, outTotals, M, noise);
    if (step > 0) return step;
    if (step < 0) continue;

    // Over the rows with r ≠ 0, listed by listNonZero; per component, 8 features' sums at a time in registers.
    for (let j = 0; j < k; j++) {
      const mu = f64at(means, j * dx);
      const s1 = f64at(S1, j * dx);
      const s2 = f64at(S2, j * dx);
      const m = listNonZero(LP, rows, kp, j, IDX);
      let wj = 0.0;
      for (let t = 0; t < m; t++) wj += load<f64>(f64at(LP, load<i32>(IDX + (<usize>t << 2)) * kp + j));
      store<f64>(f64at(outWeight, j), load<f64>(f64at(outWeight, j)) + wj);
      let a = 0;
      for (; a + 8 <= dx; a += 8) {
        const o = <usize>a << 3;
        const m0 = v128.load(mu + o);
        const m1 = v128.load(mu + o + 16);
        const m2 = v128.load(mu + o + 32);
        const m3 = v128.load(mu + o + 48);
        let f0 = v128.load(s1 + o);
        let f1 = v128.load(s1 + o + 16);
        let f2 = v128.load(s1 + o + 32);
        let f3 = v128.load(s1 + o + 48);
        let g0 = v128.load(s2 + o);
        let g1 = v128.load(s2 + o + 16);
        let g2 = v128.load(s2 + o + 32);
        let g3 = v128.load(s2 + o + 48);
        for (let t = 0; t < m; t++) {
          const i = load<i32>(IDX + (<usize>t << 2));
          const rv = v128.load64_splat(f64at(LP, i * kp + j));
          const xi = f64at(x, (b0 + i) * dx) + o;
          const u0 = f64x2.sub(v128.load(xi), m0);
          const u1 = f64x2.sub(v128.load(xi + 16), m1);
          const u2 = f64x2.sub(v128.load(xi + 32), m2);
          const u3 = f64x2.sub(v128.load(xi + 48), m3);
          const r0 = f64x2.mul(rv, u0);
          const r1 = f64x2.mul(rv, u1);
          const r2 = f64x2.mul(rv, u2);
          const r3 = f64x2.mul(rv, u3);
          f0 = f64x2.add(f0, r0);
          f1 = f64x2.add(f1, r1);
          f2 = f64x2.add(f2, r2);
          f3 = f64x2.add(f3, r3);
          g0 = madd(r0, u0, g0);
          g1 = madd(r1, u1, g1);
          g2 = madd(r2, u2, g2);
          g3 = madd(r3, u3, g3);
        }
        v128.store(s1 + o, f0);
        v128.store(s1 + o + 16, f1);
        v128.store(s1 + o + 32, f2);
        v128.store(s1 + o + 48, f3);
        v128.store(s2 + o, g0);
        v128.store(s2 + o + 16, g1);
        v128.store(s2 + o + 32, g2);
        v128.store(s2 + o + 48, g3);
      }
      for (; a < dx; a += 2) {
        const o = <usize>a << 3;
        const m0 = v128.load(mu + o);
        let f0 = v128.load(s1 + o);
        let g0 = v128.load(s2 + o);
        for (let t = 0; t < m; t++) {
          const i = load<i32>(IDX + (<usize>t << 2));
          const u0 = f64x2.sub(v128.load(f64at(x, (b0 + i) * dx) + o), m0);
          const r0 = f64x2.mul(v128.load64_splat(f64at(LP, i * kp + j)), u0);
          f0 = f64x2.add(f0, r0);
          g0 = madd(r0, u0, g0);
        }
        v128.store(s1 + o, f0);
        v128.store(s2 + o, g0);
      }
    }
  }

  if (logOut != 0) return 0;

  for (let j = 0; j < k; j++) {
    let sum = 0.0;
    for (let a = 0; a < d; a++) {
      store<f64>(f64at(outFirst, j * d + a), load<f64>(f64at(S1, j * dx + a)));
      const v = load<f64>(f64at(S2, j * dx + a));
      if (spherical) sum += v;
      else store<f64>(f64at(outSecond, j * d + a), v);
    }
    if (spherical) store<f64>(f64at(outSecond, j), sum);
  }
  return 0;
}
