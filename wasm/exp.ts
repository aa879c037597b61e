/**
 * exp(x) for x ≤ 0, two lanes at a time: fdlibm's e_exp.c (the algorithm of
 * V8's Math.exp) operation for operation, so results equal Math.exp to the
 * last bit (a test checks millions of inputs). V8 rematerializes v128
 * constants inside loops, so the constants live in a static table instead.
 */

// prettier-ignore
const TABLE = memory.data<i64>([
  reinterpret<i64>(1.66666666666666019037e-1), reinterpret<i64>(1.66666666666666019037e-1), // P1
  reinterpret<i64>(-2.77777777770155933842e-3), reinterpret<i64>(-2.77777777770155933842e-3), // P2
  reinterpret<i64>(6.61375632143793436117e-5), reinterpret<i64>(6.61375632143793436117e-5), // P3
  reinterpret<i64>(-1.65339022054652515390e-6), reinterpret<i64>(-1.65339022054652515390e-6), // P4
  reinterpret<i64>(4.13813679705723846039e-8), reinterpret<i64>(4.13813679705723846039e-8), // P5
  reinterpret<i64>(6.93147180369123816490e-1), reinterpret<i64>(6.93147180369123816490e-1), // ln 2, high part
  reinterpret<i64>(1.90821492927058770002e-10), reinterpret<i64>(1.90821492927058770002e-10), // ln 2, low part
  reinterpret<i64>(1.44269504088896338700e0), reinterpret<i64>(1.44269504088896338700e0), // 1 / ln 2
  reinterpret<i64>(9.33263618503218878990e-302), reinterpret<i64>(9.33263618503218878990e-302), // 2^-1000
  reinterpret<i64>(6755399441055744.0), reinterpret<i64>(6755399441055744.0), // 1.5 · 2^52: float → integer
  reinterpret<i64>(-7.45133219101941108420e2), reinterpret<i64>(-7.45133219101941108420e2), // exp underflows below
  reinterpret<i64>(1.0), reinterpret<i64>(1.0),
  reinterpret<i64>(2.0), reinterpret<i64>(2.0),
  reinterpret<i64>(0.5), reinterpret<i64>(0.5),
  reinterpret<i64>(-1.0), reinterpret<i64>(-1.0),
  0x3fd62e42, 0x3fd62e42, // high word of ln2 / 2
  0x3ff0a2b2, 0x3ff0a2b2, // high word of 1.5 ln2
  0x3e300000, 0x3e300000, // high word of 2^-28
  -1021, -1021,
  1000, 1000,
], 16);

/** The constants of `expNeg`, laid over a static table: field reads are cheap memory operands, nothing is allocated. */
@final @unmanaged
export class ExpConstants {
  p1: v128; p2: v128; p3: v128; p4: v128; p5: v128; ln2hi: v128; ln2lo: v128; invln2: v128; twom1000: v128; magic: v128;
  under: v128; one: v128; two: v128; half: v128; minusOne: v128; big: v128; mid: v128; small: v128; tiny: v128; c1000: v128;
}

/** The constants of `expNeg`. */
@inline export function expConstants(): ExpConstants {
  return changetype<ExpConstants>(TABLE);
}

/** exp of both lanes of x (each ≤ 0, or -Infinity), equal to Math.exp bit for bit. */
// prettier-ignore
@inline
export function expNeg(x: v128, k: ExpConstants): v128 {
  const hx = i64x2.shr_u(f64x2.abs(x), 32); // high word of |x|
  const big = i64x2.gt_s(hx, k.big); // |x| > ln2 / 2
  const mid = v128.and(big, i64x2.lt_s(hx, k.mid)); // ... and |x| < 1.5 ln2: k = -1
  const kGen = f64x2.trunc(f64x2.sub(f64x2.mul(k.invln2, x), k.half));
  const kf = v128.bitselect(k.minusOne, v128.and(kGen, big), mid);
  const hi = f64x2.sub(x, f64x2.mul(kf, k.ln2hi));
  const lo = f64x2.mul(kf, k.ln2lo);
  const r = v128.bitselect(f64x2.sub(hi, lo), x, big);
  const t = f64x2.mul(r, r);
  const poly = f64x2.add(k.p1, f64x2.mul(t, f64x2.add(k.p2, f64x2.mul(t, f64x2.add(k.p3, f64x2.mul(t, f64x2.add(k.p4, f64x2.mul(t, k.p5))))))));
  const c = f64x2.sub(r, f64x2.mul(t, poly));
  // One division serves both branches: (r·c)/(2 − c) is exactly −(r·c)/(c − 2).
  const q = f64x2.div(f64x2.mul(r, c), f64x2.sub(c, k.two));
  const y0 = f64x2.sub(k.one, f64x2.sub(q, r));
  const yk = f64x2.sub(k.one, f64x2.sub(f64x2.add(lo, q), hi));
  const kInt = i64x2.sub(f64x2.add(kf, k.magic), k.magic);
  const tiny = i64x2.lt_s(kInt, k.tiny); // result subnormal: scale in two steps
  const shift = i64x2.add(kInt, v128.and(tiny, k.c1000));
  const scaled = f64x2.mul(i64x2.add(yk, i64x2.shl(shift, 52)), v128.bitselect(k.twom1000, k.one, tiny));
  let y = v128.bitselect(scaled, y0, big);
  y = v128.bitselect(f64x2.add(k.one, x), y, i64x2.lt_s(hx, k.small)); // |x| < 2^-28
  return v128.andnot(y, f64x2.lt(x, k.under));
}

/** exp of n values (n even), for tests and benchmarks. */
export function expNegArray(src: usize, dst: usize, n: i32): void {
  const k = expConstants();
  for (let i = 0; i < n; i += 2) v128.store(dst + (<usize>i << 3), expNeg(v128.load(src + (<usize>i << 3)), k));
}
