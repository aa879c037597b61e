/**
 * E-step + statistics for 'diag' and 'spherical' covariances over one chunk
 * of rows: per row and component, q = Σₐ ((xₐ − μⱼₐ)·pⱼₐ)², two features at a
 * time. A spherical model is passed as diagonal precision factors
 * (pⱼ repeated), and its second moments are summed over the features.
 */
import { BLOCK_ROWS, TOTALS, blockColumns, f64at, listNonZero, blockStep, lseScratch, maxBlockColumns, padColumns } from './block';

/** Bytes of scratch `diagChunk` needs. */
export function diagScratchBytes(d: i32, k: i32): i32 {
  const dx = (d + 1) & ~1;
  const kp = maxBlockColumns(k);
  const b = BLOCK_ROWS;
  return (b * kp + 2 * k * dx + lseScratch(b) + b) << 3;
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
  const M = S2 + (<usize>(k * dx) << 3); // lseScratch(B): log-sum-exp scratch
  const IDX = M + (<usize>lseScratch(B) << 3); // B i32: rows with r ≠ 0
  memory.fill(S1, 0, <usize>(2 * k * dx) << 3);
  const outWeight = out;
  const outFirst = f64at(out, k);
  const outSecond = f64at(out, k + k * d);
  const outTotals = f64at(out, k + k * d + (spherical ? k : k * d));
  memory.fill(outTotals, 0, TOTALS << 3); // the running [Σ w·log p, Σ w, entropy, Σ w·r₀]
  memory.fill(outWeight, 0, <usize>k << 3);

  for (let b0 = start; b0 < end; b0 += B) {
    const rows = min(B, end - b0);
    for (let i = 0; i < rows; i++) {
      const xi = f64at(x, (b0 + i) * dx);
      for (let j = 0; j < k; j++) {
        const mu = f64at(means, j * dx);
        const p = f64at(factors, j * dx);
        let q = f64x2.splat(0);
        for (let a = 0; a < dx; a += 2) {
          const t = f64x2.mul(f64x2.sub(v128.load(f64at(xi, a)), v128.load(f64at(mu, a))), v128.load(f64at(p, a)));
          q = f64x2.add(q, f64x2.mul(t, t));
        }
        store<f64>(f64at(LP, i * kp + j), load<f64>(f64at(consts, j)) - 0.5 * (f64x2.extract_lane(q, 0) + f64x2.extract_lane(q, 1)));
      }
    }
    padColumns(LP, rows, k, kp, noise);
    // Scoring: the log-densities are handed back, no statistics.
    const step = blockStep(LP, rows, k, kp, w, b0, start, logOut, outTotals, M, noise);
    if (step > 0) return step;
    if (step < 0) continue;

    // Over the rows with r ≠ 0, listed by listNonZero.
    for (let j = 0; j < k; j++) {
      const mu = f64at(means, j * dx);
      const s1 = f64at(S1, j * dx);
      const s2 = f64at(S2, j * dx);
      const m = listNonZero(LP, rows, kp, j, IDX);
      let wj = 0.0;
      for (let t = 0; t < m; t++) {
        const i = load<i32>(IDX + (<usize>t << 2));
        const r = load<f64>(f64at(LP, i * kp + j));
        wj += r;
        const xi = f64at(x, (b0 + i) * dx);
        const rv = f64x2.splat(r);
        for (let a = 0; a < dx; a += 2) {
          const u = f64x2.sub(v128.load(f64at(xi, a)), v128.load(f64at(mu, a)));
          const ru = f64x2.mul(rv, u);
          v128.store(f64at(s1, a), f64x2.add(v128.load(f64at(s1, a)), ru));
          v128.store(f64at(s2, a), f64x2.add(v128.load(f64at(s2, a)), f64x2.mul(ru, u)));
        }
      }
      store<f64>(f64at(outWeight, j), load<f64>(f64at(outWeight, j)) + wj);
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
