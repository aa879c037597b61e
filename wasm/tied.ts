/**
 * E-step + statistics for 'tied' covariances over one chunk of rows.
 *
 * The factor U is shared, so each row is whitened once: z = (x − c)ᵀU with a
 * 4 × 4 register tile, and q = ‖z − νⱼ‖² per component (νⱼ = (μⱼ − c)ᵀU,
 * precomputed per parameter set). Statistics: per-component weights and first
 * moments about the data mean, and one pooled second moment Σᵢ (Σⱼ rᵢⱼ)·δδᵀ
 * by the tiled weighted SYRK.
 */
import { BLOCK_ROWS, TOTALS, blockColumns, centerRow, f64at, blockStep, lseScratch, madd, maxBlockColumns, padColumns, padded } from './block';
import { columnTile, weightedSyrk } from './full';

/** Bytes of scratch `tiedChunk` needs. */
export function tiedScratchBytes(d: i32, k: i32): i32 {
  const dp = padded(d);
  const kp = maxBlockColumns(k);
  const b = BLOCK_ROWS;
  return (4 * b * dp + b * kp + dp * dp + k * dp + lseScratch(b)) << 3;
}

/**
 * @param x        data, rows padded to dx = even(d)
 * @param w        row weights or 0
 * @param start    first row
 * @param end      one past the last row
 * @param d        features
 * @param k        components
 * @param factor   d × dp: U row-major, upper triangular, zero-padded columns
 * @param consts   k: log πⱼ + log det U − (d/2)·log 2π
 * @param c        dx: the whitening center (the weighted mean of the means)
 * @param nu       k × dp: νⱼ = (μⱼ − c)ᵀU, zero-padded
 * @param center   dx: the statistics' center (the data's weighted mean)
 * @param out      weight (k), first (k × d), second (d × d, upper triangle), Σw·log p, Σw
 * @param scratch  tiedScratchBytes(d, k) bytes
 * @param logOut   0 for the statistics; or an array of (end − start) × k that receives, instead,
 *                 every row's weighted log-densities log πⱼ + log N(x | μⱼ, Σⱼ) (for scoring a model)
 * @param noise    the noise component's log π₀ + log V⁻¹ (its column k of the block), or −∞ without one
 * @returns 0, or 1 + the row whose log-likelihood is not finite
 */
export function tiedChunk(
  x: usize, w: usize, start: i32, end: i32, d: i32, k: i32,
  factor: usize, consts: usize, c: usize, nu: usize, center: usize, out: usize, scratch: usize, logOut: usize, noise: f64,
): i32 {
  const dp = padded(d);
  const dx = (d + 1) & ~1;
  const kp = blockColumns(k, noise);
  const B = BLOCK_ROWS;
  const D = scratch; // B × dp, centered on c, then Z
  const Z = D + (<usize>(B * dp) << 3); // B × dp whitened rows
  const DC = Z + (<usize>(B * dp) << 3); // B × dp: rows centered on the statistics' center
  const RD = DC + (<usize>(B * dp) << 3); // B × dp: (Σⱼ rᵢⱼ)·δ
  const LP = RD + (<usize>(B * dp) << 3); // B × kp
  const T = LP + (<usize>(B * kp) << 3); // dp × dp pooled second moment
  const S1 = T + (<usize>(dp * dp) << 3); // k × dp
  const M = S1 + (<usize>(k * dp) << 3); // lseScratch(B): log-sum-exp scratch
  memory.fill(T, 0, <usize>(dp * dp + k * dp) << 3);
  const outWeight = out;
  const outFirst = f64at(out, k);
  const outSecond = f64at(out, k + k * d);
  const outTotals = f64at(out, k + k * d + d * d);
  memory.fill(outTotals, 0, TOTALS << 3); // the running [Σ w·log p, Σ w, entropy, Σ w·r₀]
  memory.fill(outWeight, 0, <usize>k << 3);

  for (let b0 = start; b0 < end; b0 += B) {
    const rows = min(B, end - b0);
    const rows4 = (rows + 3) & ~3;
    for (let i = 0; i < rows; i++) centerRow(f64at(x, (b0 + i) * dx), c, f64at(D, i * dp), dx, dp);
    if (rows4 > rows) memory.fill(f64at(D, rows * dp), 0, <usize>((rows4 - rows) * dp) << 3);
    whiten(D, factor, Z, rows4, d, dp);
    // Squared distances to the whitened means, 4 rows per component at a time (each ν loaded once for the 4).
    const stride = <usize>dp << 3;
    let i = 0;
    for (; i + 4 <= rows; i += 4) {
      const z0 = f64at(Z, i * dp);
      const z1 = z0 + stride;
      const z2 = z1 + stride;
      const z3 = z2 + stride;
      for (let j = 0; j < k; j++) {
        const nj = f64at(nu, j * dp);
        let q0 = f64x2.splat(0);
        let q1 = f64x2.splat(0);
        let q2 = f64x2.splat(0);
        let q3 = f64x2.splat(0);
        for (let a = 0; a < dp; a += 2) {
          const o = <usize>a << 3;
          const n = v128.load(nj + o);
          const t0 = f64x2.sub(v128.load(z0 + o), n);
          const t1 = f64x2.sub(v128.load(z1 + o), n);
          const t2 = f64x2.sub(v128.load(z2 + o), n);
          const t3 = f64x2.sub(v128.load(z3 + o), n);
          q0 = madd(t0, t0, q0);
          q1 = madd(t1, t1, q1);
          q2 = madd(t2, t2, q2);
          q3 = madd(t3, t3, q3);
        }
        const cj = load<f64>(f64at(consts, j));
        store<f64>(f64at(LP, i * kp + j), cj - 0.5 * (f64x2.extract_lane(q0, 0) + f64x2.extract_lane(q0, 1)));
        store<f64>(f64at(LP, (i + 1) * kp + j), cj - 0.5 * (f64x2.extract_lane(q1, 0) + f64x2.extract_lane(q1, 1)));
        store<f64>(f64at(LP, (i + 2) * kp + j), cj - 0.5 * (f64x2.extract_lane(q2, 0) + f64x2.extract_lane(q2, 1)));
        store<f64>(f64at(LP, (i + 3) * kp + j), cj - 0.5 * (f64x2.extract_lane(q3, 0) + f64x2.extract_lane(q3, 1)));
      }
    }
    for (; i < rows; i++) {
      const zi = f64at(Z, i * dp);
      for (let j = 0; j < k; j++) {
        const nj = f64at(nu, j * dp);
        let q = f64x2.splat(0);
        for (let a = 0; a < dp; a += 2) {
          const t = f64x2.sub(v128.load(f64at(zi, a)), v128.load(f64at(nj, a)));
          q = madd(t, t, q);
        }
        store<f64>(f64at(LP, i * kp + j), load<f64>(f64at(consts, j)) - 0.5 * (f64x2.extract_lane(q, 0) + f64x2.extract_lane(q, 1)));
      }
    }
    padColumns(LP, rows, k, kp, noise);
    // Scoring: the log-densities are handed back, no statistics.
    const step = blockStep(LP, rows, k, kp, w, b0, start, logOut, outTotals, M, noise);
    if (step > 0) return step;
    if (step < 0) continue;

    let m = 0;
    for (let i = 0; i < rows; i++) {
      const ri = f64at(LP, i * kp);
      let rowSum = 0.0;
      for (let j = 0; j < k; j++) rowSum += load<f64>(f64at(ri, j));
      if (rowSum == 0) continue;
      const dc = f64at(DC, m * dp);
      const rd = f64at(RD, m * dp);
      centerRow(f64at(x, (b0 + i) * dx), center, dc, dx, dp);
      const sv = f64x2.splat(rowSum);
      for (let a = 0; a < dp; a += 2) v128.store(f64at(rd, a), f64x2.mul(sv, v128.load(f64at(dc, a))));
      for (let j = 0; j < k; j++) {
        const r = load<f64>(f64at(ri, j));
        if (r == 0) continue;
        store<f64>(f64at(outWeight, j), load<f64>(f64at(outWeight, j)) + r);
        const s1 = f64at(S1, j * dp);
        const rv = f64x2.splat(r);
        for (let a = 0; a < dp; a += 2) v128.store(f64at(s1, a), madd(rv, v128.load(f64at(dc, a)), v128.load(f64at(s1, a))));
      }
      m++;
    }
    if (m > 0) weightedSyrk(DC, RD, m, dp, T);
  }

  if (logOut != 0) return 0;

  for (let j = 0; j < k; j++) for (let a = 0; a < d; a++) store<f64>(f64at(outFirst, j * d + a), load<f64>(f64at(S1, j * dp + a)));
  for (let a = 0; a < d; a++) {
    for (let b = 0; b < d; b++) store<f64>(f64at(outSecond, a * d + b), b >= a ? load<f64>(f64at(T, a * dp + b)) : 0.0);
  }
  return 0;
}

/** Z = D·U for rows4 rows (a multiple of 4), U upper triangular d × dp; the full kernel's 4 × 4 register tiles. */
export function whiten(D: usize, U: usize, Z: usize, rows4: i32, d: i32, dp: i32): void {
  const stride = <usize>dp << 3;
  for (let r0 = 0; r0 < rows4; r0 += 4) {
    const d0 = f64at(D, r0 * dp);
    for (let c0 = 0; c0 < dp; c0 += 4) columnTile(d0, stride, U, c0, min(c0 + 4, d), f64at(Z, r0 * dp + c0), stride, false);
  }
}
