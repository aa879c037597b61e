/**
 * Pieces every E-step kernel shares: block sizes, the padded layout, and the
 * log-sum-exp that turns a block of log-densities into responsibilities.
 *
 * Layout: rows of the data are d values; inside a kernel, centered rows are
 * padded to `dp` = d rounded up to 4 columns (zeros), so tiles of 4 columns
 * (two f64x2 vectors) need no edge cases.
 */
import { expNeg, logAtLeastOne, mathConstants } from './exp';
import { at, lanes, vsub } from './lanes';

/**
 * Exponentials exp(lp − max) below TINY = 2^-600 are taken as exactly 0 (in
 * the TypeScript kernels too): added to a sum ≥ 1 they are far below half an
 * ulp, against a component's count they are far below its 10·eps floor, and
 * they would otherwise feed subnormal products to the M-step, which x86
 * executes a hundred times slower.
 */
export const TINY: f64 = 2.409919865102884e-181; // 2^-600

/**
 * a·b + c, two lanes: fused (one rounding) in the relaxed-SIMD build, a
 * multiply then an add in the plain SIMD build.
 */
@inline
export function madd(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f64x2.relaxed_madd(a, b, c);
  return f64x2.add(f64x2.mul(a, b), c);
}

/** d rounded up to a multiple of 4. */
@inline export function padded(d: i32): i32 {
  return (d + 3) & ~3;
}

/**
 * Rows per block. Large enough that, gathered per component, rows still fill
 * the 4-row tiles when k is large (measured: 128 beats 32 for k = 16, d = 64,
 * and is no worse elsewhere).
 */
export const BLOCK_ROWS: i32 = 128;

/** out[0..dx) = x − μ (both padded to even dx with zeros), out[dx..dp) = 0, in f64. */
@inline
export function centerRow(xi: usize, mu: usize, out: usize, dx: i32, dp: i32): void {
  centerRowOf<f64>(xi, mu, out, dx, dp);
}

/**
 * out[0..dx) = x − μ in T (both padded with zeros to dx, a whole number of
 * vectors), out[dx..dp) = 0 (dp − dx: at most one vector).
 */
@inline
export function centerRowOf<T>(xi: usize, mu: usize, out: usize, dx: i32, dp: i32): void {
  for (let a = 0; a < dx; a += lanes<T>()) v128.store(at<T>(out, a), vsub<T>(v128.load(at<T>(xi, a)), v128.load(at<T>(mu, a))));
  if (dx < dp) v128.store(at<T>(out, dx), f64x2.splat(0));
}

/** Byte offset of element i of a f64 array. */
@inline export function f64at(base: usize, i: i32): usize {
  return base + (<usize>i << 3);
}

/**
 * Values of a chunk's running totals, the last of its statistics:
 * [Σ w·log p, Σ w, −Σ w Σ r log r, Σ w·r₀] (r₀ the noise component's responsibility, 0 without one).
 */
export const TOTALS: i32 = 4;

/**
 * Columns of a block of log-densities: k, plus the noise component's when
 * there is one (`noise` > −∞), rounded up to even. The noise's column is
 * column k, the constant log π₀ + log V⁻¹; the padding beyond it is −∞.
 */
@inline export function blockColumns(k: i32, noise: f64): i32 {
  return (k + (noise > -Infinity ? 1 : 0) + 1) & ~1;
}

/** The widest a block of log-densities can be: room for the noise's column (for scratch sizes). */
@inline export function maxBlockColumns(k: i32): i32 {
  return (k + 2) & ~1;
}

/** Writes columns [k, kp) of rows [0, rows) of a block: the noise's log-density in column k (−∞ without noise), −∞ in the padding. */
@inline
export function padColumns(LP: usize, rows: i32, k: i32, kp: i32, noise: f64): void {
  for (let i = 0; i < rows; i++) for (let j = k; j < kp; j++) store<f64>(f64at(LP, i * kp + j), j == k ? noise : -Infinity);
}

/** Values of scratch {@link logSumExpBlock} needs for a block of `rows` rows. */
@inline export function lseScratch(rows: i32): i32 {
  return 3 * rows + 2;
}

/**
 * Turns the log-densities of rows [0, rows) of a block (rows × kp, row-major,
 * kp = k rounded up to even, padding entries −∞) into weighted
 * responsibilities e·(w/Σe) with e = exp(lp − max), exponentials below TINY
 * counted as 0, in place. `weights` is 0 for unit weights, otherwise a
 * pointer to the block's first weight. Zero-weight rows get zero
 * responsibilities. Adds the block's Σ w·(max + log Σe), Σ w and the
 * responsibilities' entropy Σ w·(log Σe − Σ e·(lp − max)/Σe) = −Σ w Σ r log r
 * to `totals` (TOTALS values) and returns −1; or, when a row's log-likelihood
 * is not finite, returns that row (totals untouched). `scratch`:
 * lseScratch(rows) values.
 *
 * In passes, so that the exponentials of the whole block form one loop of
 * independent work, and the logarithms are taken two rows at a time.
 */
export function logSumExpBlock(lp: usize, rows: i32, k: i32, kp: i32, weights: usize, totals: usize, scratch: usize): i32 {
  const c = mathConstants();
  const maxima = scratch;
  const sums = f64at(scratch, rows + 1);
  const spread = f64at(sums, rows + 1); // per row Σ e·(lp − max), for the entropy
  // Pass 1: row maxima; lp ← lp − max.
  for (let i = 0; i < rows; i++) {
    const row = f64at(lp, i * kp);
    let m = v128.load(row);
    for (let j = 2; j < kp; j += 2) m = f64x2.max(m, v128.load(f64at(row, j)));
    const max = Math.max(f64x2.extract_lane(m, 0), f64x2.extract_lane(m, 1));
    if (!isFinite(max)) {
      // Every component has density 0 here (or the input overflowed).
      return i;
    }
    store<f64>(f64at(maxima, i), max);
    const mv = f64x2.splat(max);
    for (let j = 0; j < kp; j += 2) v128.store(f64at(row, j), f64x2.sub(v128.load(f64at(row, j)), mv));
  }
  // Pass 2: exponentials of the whole block (below TINY: 0); row sums.
  const tiny = f64x2.splat(TINY);
  const zero = f64x2.splat(0);
  for (let i = 0; i < rows; i++) {
    const row = f64at(lp, i * kp);
    let s = f64x2.splat(0);
    let t = f64x2.splat(0);
    for (let j = 0; j < kp; j += 2) {
      const v = v128.load(f64at(row, j));
      if (kp > 4 && !v128.any_true(f64x2.ge(v, c.floor))) {
        // Both far below the maximum: exactly 0 without computing them (the usual case after a few iterations;
        // expNeg would return the same 0s). Not for k ≤ 4: which pair holds a row's maximum is then a coin
        // toss for the branch predictor, and computing is cheaper (blobs2d: 5.0 -> 4.75 ms per iteration).
        v128.store(f64at(row, j), f64x2.splat(0));
        continue;
      }
      const e = expNeg(v, c);
      const kept = v128.andnot(e, f64x2.lt(e, tiny));
      v128.store(f64at(row, j), kept);
      s = f64x2.add(s, kept);
      // e·(lp − max), 0 where e is (padding's lp − max is −∞).
      t = madd(kept, v128.and(v, f64x2.ne(kept, zero)), t);
    }
    store<f64>(f64at(sums, i), f64x2.extract_lane(s, 0) + f64x2.extract_lane(s, 1));
    store<f64>(f64at(spread, i), f64x2.extract_lane(t, 0) + f64x2.extract_lane(t, 1));
  }
  store<f64>(f64at(sums, rows), 1.0); // pairs of rows: a harmless partner for an odd last row
  // Pass 3: logs two rows at a time; weighted responsibilities.
  let logLikelihood = 0.0;
  let totalWeight = 0.0;
  let entropy = 0.0;
  for (let i = 0; i < rows; i += 2) {
    const logs = logAtLeastOne(v128.load(f64at(sums, i)), c);
    for (let h = 0; h < 2 && i + h < rows; h++) {
      const r = i + h;
      const row = f64at(lp, r * kp);
      const w = weights == 0 ? 1.0 : load<f64>(f64at(weights, r));
      if (w == 0) {
        memory.fill(row, 0, <usize>kp << 3);
        continue;
      }
      const sum = load<f64>(f64at(sums, r));
      const scale = f64x2.splat(w / sum);
      for (let j = 0; j < kp; j += 2) v128.store(f64at(row, j), f64x2.mul(v128.load(f64at(row, j)), scale));
      const logSum = h == 0 ? f64x2.extract_lane(logs, 0) : f64x2.extract_lane(logs, 1);
      logLikelihood += w * (load<f64>(f64at(maxima, r)) + logSum);
      totalWeight += w;
      entropy += w * (logSum - load<f64>(f64at(spread, r)) / sum);
    }
  }
  store<f64>(totals, load<f64>(totals) + logLikelihood);
  store<f64>(totals, load<f64>(totals, 8) + totalWeight, 8);
  store<f64>(totals, load<f64>(totals, 16) + entropy, 16);
  return -1;
}

/**
 * The step every chunk kernel (diag, tied, full, small) takes once a block's
 * log-densities are in LP (rows × kp). Scoring (logOut ≠ 0): copies them to
 * their place in logOut and returns −1 (no statistics). Otherwise turns them
 * into weighted responsibilities in place, adds the block's log-likelihood,
 * weight and entropy to `totals` (the chunk's running TOTALS values, the last
 * of its statistics) and returns 0; or returns 1 + the index of the
 * first row whose log-likelihood is not finite.
 *
 * With a noise component (`noise` > −∞, its column k), also adds the block's
 * Σ w·r₀ to the fourth total; scoring hands back the k Gaussian columns only.
 *
 * @param b0 - The block's first row; `start` the chunk's; `w` the row weights or 0.
 */
@inline
export function blockStep(
  LP: usize, rows: i32, k: i32, kp: i32, w: usize, b0: i32, start: i32, logOut: usize, totals: usize, scratch: usize, noise: f64,
): i32 {
  if (logOut != 0) {
    copyLogDensities(LP, rows, k, kp, f64at(logOut, (b0 - start) * k));
    return -1;
  }
  const bad = logSumExpBlock(LP, rows, k, kp, w == 0 ? 0 : f64at(w, b0), totals, scratch);
  if (bad >= 0) return 1 + b0 + bad;
  if (noise > -Infinity) {
    let r0 = 0.0;
    for (let i = 0; i < rows; i++) r0 += load<f64>(f64at(LP, i * kp + k));
    store<f64>(totals, load<f64>(totals, 24) + r0, 24);
  }
  return 0;
}

/**
 * Lists in IDX the rows i < rows whose responsibility LP[i, j] is not 0 and
 * returns their number; without branches, since which rows are non-zero is
 * too irregular for the branch predictor.
 */
@inline
export function listNonZero(LP: usize, rows: i32, kp: i32, j: i32, IDX: usize): i32 {
  let m = 0;
  for (let i = 0; i < rows; i++) {
    store<i32>(IDX + (<usize>m << 2), i);
    m += i32(load<f64>(f64at(LP, i * kp + j)) != 0);
  }
  return m;
}

/** Copies rows [0, rows) of a block of log-densities (rows × kp) to `out` (rows × k). */
export function copyLogDensities(lp: usize, rows: i32, k: i32, kp: i32, out: usize): void {
  for (let i = 0; i < rows; i++) memory.copy(f64at(out, i * k), f64at(lp, i * kp), <usize>k << 3);
}
