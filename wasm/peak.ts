/**
 * The machine's peak for the kernels' arithmetic, for the benchmark's "% of
 * peak": f64x2 multiply-adds on registers only (eight independent chains),
 * 32 flops per iteration. With relaxed SIMD the multiply-adds are fused.
 */
import { madd } from './block';

export function peakMultiplyAdd(iterations: i32, seed: f64): f64 {
  const m = f64x2.splat(0.9999999);
  const c = f64x2.splat(seed);
  let a0 = f64x2.splat(1.0), a1 = f64x2.splat(1.1), a2 = f64x2.splat(1.2), a3 = f64x2.splat(1.3);
  let a4 = f64x2.splat(1.4), a5 = f64x2.splat(1.5), a6 = f64x2.splat(1.6), a7 = f64x2.splat(1.7);
  for (let i = 0; i < iterations; i++) {
    a0 = madd(a0, m, c); a1 = madd(a1, m, c); a2 = madd(a2, m, c); a3 = madd(a3, m, c);
    a4 = madd(a4, m, c); a5 = madd(a5, m, c); a6 = madd(a6, m, c); a7 = madd(a7, m, c);
  }
  const s = f64x2.add(f64x2.add(f64x2.add(a0, a1), f64x2.add(a2, a3)), f64x2.add(f64x2.add(a4, a5), f64x2.add(a6, a7)));
  return f64x2.extract_lane(s, 0) + f64x2.extract_lane(s, 1);
}
