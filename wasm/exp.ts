/**
 * exp and log, two lanes at a time, for the log-sum-exp of the E-step.
 *
 * exp(x) for x ≤ 0: x = n·ln 2 + r with |r| ≤ ½ ln 2 (Cody–Waite, ln 2 in two
 * parts), e^r by its degree-12 Taylor polynomial (truncation below 2e-16
 * relative; evaluated by Estrin's scheme, the 1 added last), scaled by 2^n
 * through the exponent bits. Results below 2^-600
 * are returned as 0: the E-step counts them as 0 anyway (TINY in block.ts),
 * so subnormal scaling is never needed. Within 2 ulp of Math.exp
 * (test/kernels.test.ts checks).
 *
 * log(s) for s ≥ 1 (a sum of exponentials whose largest is 1): s = 2^e·m with
 * m in [√½, √2), log m = 2·atanh(f) with f = (m − 1)/(m + 1), |f| ≤ 0.172, by
 * its odd series to f^21; within 2 ulp of Math.log.
 *
 * V8 rematerializes v128 constants inside loops, so the constants live in a
 * static table that kernels read through `mathConstants()`.
 */
import { vmadd } from './lanes';

// prettier-ignore
const TABLE = memory.data<i64>([
  reinterpret<i64>(1.4426950408889634), reinterpret<i64>(1.4426950408889634), // 1 / ln 2
  reinterpret<i64>(-6.93147180369123816490e-1), reinterpret<i64>(-6.93147180369123816490e-1), // −ln 2, high part
  reinterpret<i64>(-1.90821492927058770002e-10), reinterpret<i64>(-1.90821492927058770002e-10), // −ln 2, low part
  reinterpret<i64>(1.0 / 479001600.0), reinterpret<i64>(1.0 / 479001600.0), // 1/12!
  reinterpret<i64>(1.0 / 39916800.0), reinterpret<i64>(1.0 / 39916800.0), // 1/11!
  reinterpret<i64>(1.0 / 3628800.0), reinterpret<i64>(1.0 / 3628800.0), // 1/10!
  reinterpret<i64>(1.0 / 362880.0), reinterpret<i64>(1.0 / 362880.0), // 1/9!
  reinterpret<i64>(1.0 / 40320.0), reinterpret<i64>(1.0 / 40320.0), // 1/8!
  reinterpret<i64>(1.0 / 5040.0), reinterpret<i64>(1.0 / 5040.0), // 1/7!
  reinterpret<i64>(1.0 / 720.0), reinterpret<i64>(1.0 / 720.0), // 1/6!
  reinterpret<i64>(1.0 / 120.0), reinterpret<i64>(1.0 / 120.0), // 1/5!
  reinterpret<i64>(1.0 / 24.0), reinterpret<i64>(1.0 / 24.0), // 1/4!
  reinterpret<i64>(1.0 / 6.0), reinterpret<i64>(1.0 / 6.0), // 1/3!
  reinterpret<i64>(0.5), reinterpret<i64>(0.5), // 1/2!
  reinterpret<i64>(1.0), reinterpret<i64>(1.0),
  reinterpret<i64>(6755399441055744.0), reinterpret<i64>(6755399441055744.0), // 1.5·2^52: float → integer
  reinterpret<i64>(-416.5), reinterpret<i64>(-416.5), // below: exp < 2^-600, returned as 0
  reinterpret<i64>(2.0), reinterpret<i64>(2.0),
  reinterpret<i64>(2.0 / 21.0), reinterpret<i64>(2.0 / 21.0), // log series: 2/(2i+1)
  reinterpret<i64>(2.0 / 19.0), reinterpret<i64>(2.0 / 19.0),
  reinterpret<i64>(2.0 / 17.0), reinterpret<i64>(2.0 / 17.0),
  reinterpret<i64>(2.0 / 15.0), reinterpret<i64>(2.0 / 15.0),
  reinterpret<i64>(2.0 / 13.0), reinterpret<i64>(2.0 / 13.0),
  reinterpret<i64>(2.0 / 11.0), reinterpret<i64>(2.0 / 11.0),
  reinterpret<i64>(2.0 / 9.0), reinterpret<i64>(2.0 / 9.0),
  reinterpret<i64>(2.0 / 7.0), reinterpret<i64>(2.0 / 7.0),
  reinterpret<i64>(2.0 / 5.0), reinterpret<i64>(2.0 / 5.0),
  reinterpret<i64>(2.0 / 3.0), reinterpret<i64>(2.0 / 3.0),
  0x000fffffffffffff, 0x000fffffffffffff, // mantissa bits
  0x3ff0000000000000, 0x3ff0000000000000, // exponent of 1.0
  reinterpret<i64>(1.4142135623730951), reinterpret<i64>(1.4142135623730951), // √2
  1023, 1023,
  reinterpret<i64>(0.6931471805599453), reinterpret<i64>(0.6931471805599453), // ln 2 (log)
  reinterpret<i64>(2.3190468138462996e-17), reinterpret<i64>(2.3190468138462996e-17), // ln 2 − fl(ln 2)
], 16);

/** The constants, laid over the static table (field reads are memory operands; nothing is allocated). */
@final @unmanaged
export class MathConstants {
  invln2: v128; negln2hi: v128; negln2lo: v128;
  c12: v128; c11: v128; c10: v128; c9: v128; c8: v128; c7: v128; c6: v128; c5: v128; c4: v128; c3: v128; c2: v128;
  one: v128; magic: v128; floor: v128; two: v128;
  l21: v128; l19: v128; l17: v128; l15: v128; l13: v128; l11: v128; l9: v128; l7: v128; l5: v128; l3: v128;
  mantissa: v128; exponentOne: v128; sqrt2: v128; bias: v128; ln2: v128; ln2tail: v128;
}

/** The shared constants of `expNeg` and `logAtLeastOne`. */
@inline export function mathConstants(): MathConstants {
  return changetype<MathConstants>(TABLE);
}

/** a·b + c, two lanes: fused in the relaxed-SIMD build (one rounding, one instruction), else a multiply and an add. */
@inline
function fma(a: v128, b: v128, c: v128): v128 {
  return vmadd<f64>(a, b, c);
}

/** exp of both lanes of x (each ≤ 0, or −∞); 0 where the result would be below 2^-600. */
@inline
export function expNeg(x: v128, k: MathConstants): v128 {
  const n = f64x2.nearest(f64x2.mul(x, k.invln2));
  // r = x − n·ln 2 with ln 2 in two parts (n·ln2hi is exact: ln2hi's low 21 bits are 0 and |n| ≤ 1100).
  const r = fma(n, k.negln2lo, fma(n, k.negln2hi, x));
  // e^r = 1 + (r + r²·T(r)), T(r) = 1/2! + r/3! + … + r¹⁰/12!, with T by Estrin's scheme (pairs, then pairs
  // of pairs: a third of Horner's chain of dependent operations, so consecutive exponentials overlap) and
  // the 1 added last (one rounding where it matters). Each a·b + c is one fused instruction in the
  // relaxed-SIMD build: half the instructions of a multiply and an add.
  const r2 = f64x2.mul(r, r);
  const r4 = f64x2.mul(r2, r2);
  const r8 = f64x2.mul(r4, r4);
  const q1 = fma(r, k.c3, k.c2);
  const q2 = fma(r, k.c5, k.c4);
  const q3 = fma(r, k.c7, k.c6);
  const q4 = fma(r, k.c9, k.c8);
  const q5 = fma(r, k.c11, k.c10);
  const s1 = fma(r2, q2, q1);
  const s2 = fma(r2, q4, q3);
  const s3 = fma(r2, k.c12, q5);
  const t = fma(r8, s3, fma(r4, s2, s1));
  const p = f64x2.add(k.one, fma(r2, t, r));
  // 2^n: n is an integer in [−600, 0] here; add it to the exponent bits.
  const ni = i64x2.sub(f64x2.add(n, k.magic), k.magic);
  const y = i64x2.add(p, i64x2.shl(ni, 52));
  return v128.andnot(y, f64x2.lt(x, k.floor));
}

/** log of both lanes of s (each ≥ 1 and finite). */
@inline
export function logAtLeastOne(s: v128, k: MathConstants): v128 {
  // s = 2^e · m with m in [1, 2); then m in [√½, √2) by moving a factor 2.
  let e = i64x2.sub(i64x2.shr_u(s, 52), k.bias);
  let m = v128.or(v128.and(s, k.mantissa), k.exponentOne);
  const big = f64x2.gt(m, k.sqrt2);
  m = v128.bitselect(f64x2.mul(m, f64x2.splat(0.5)), m, big);
  e = i64x2.sub(e, big); // big lanes are all ones: −(−1) = +1
  const ef = f64x2.sub(i64x2.add(k.magic, e), k.magic); // small integer → float: its bits added to 1.5·2^52's
  const f = f64x2.div(f64x2.sub(m, k.one), f64x2.add(m, k.one));
  const f2 = f64x2.mul(f, f);
  let t = fma(f2, k.l21, k.l19);
  t = fma(f2, t, k.l17);
  t = fma(f2, t, k.l15);
  t = fma(f2, t, k.l13);
  t = fma(f2, t, k.l11);
  t = fma(f2, t, k.l9);
  t = fma(f2, t, k.l7);
  t = fma(f2, t, k.l5);
  t = fma(f2, t, k.l3);
  // log m = 2f + f³·t ; log s = e·ln 2 + log m
  const logm = fma(f64x2.mul(f2, f), t, f64x2.mul(k.two, f));
  return fma(ef, k.ln2tail, fma(ef, k.ln2, logm));
}

/** exp of n values (n even), for tests and benchmarks. */
export function expNegArray(src: usize, dst: usize, n: i32): void {
  const k = mathConstants();
  for (let i = 0; i < n; i += 2) v128.store(dst + (<usize>i << 3), expNeg(v128.load(src + (<usize>i << 3)), k));
}

/** log of n values ≥ 1 (n even), for tests. */
export function logArray(src: usize, dst: usize, n: i32): void {
  const k = mathConstants();
  for (let i = 0; i < n; i += 2) v128.store(dst + (<usize>i << 3), logAtLeastOne(v128.load(src + (<usize>i << 3)), k));
}
