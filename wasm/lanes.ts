/**
 * 128-bit vector operations generic over the element type T (f64: 2 lanes,
 * f32: 4 lanes), so that one kernel source serves both precisions. Every
 * branch is on `sizeof<T>()`, a constant, so each instantiation compiles to
 * the plain instructions of its type.
 */

/** Values of T per vector: 2 (f64) or 4 (f32). */
@inline export function lanes<T>(): i32 {
  return 16 / <i32>sizeof<T>();
}

/** Byte address of element i of an array of T at `base`. */
@inline export function at<T>(base: usize, i: i32): usize {
  return base + <usize>i * sizeof<T>();
}

/** n rounded up to a multiple of m (a power of 2). */
@inline export function roundUp(n: i32, m: i32): i32 {
  return (n + m - 1) & ~(m - 1);
}

/** a − b. */
@inline export function vsub<T>(a: v128, b: v128): v128 {
  if (sizeof<T>() == 8) return f64x2.sub(a, b);
  return f32x4.sub(a, b);
}

/** a·b + c: fused (one rounding) in the relaxed-SIMD build, a multiply then an add in the plain SIMD build. */
@inline export function vmadd<T>(a: v128, b: v128, c: v128): v128 {
  if (sizeof<T>() == 8) {
    if (ASC_FEATURE_RELAXED_SIMD) return f64x2.relaxed_madd(a, b, c);
    return f64x2.add(f64x2.mul(a, b), c);
  }
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, c);
  return f32x4.add(f32x4.mul(a, b), c);
}

/** Every lane the T at `ptr`. */
@inline export function splatLoad<T>(ptr: usize): v128 {
  if (sizeof<T>() == 8) return v128.load64_splat(ptr);
  return v128.load32_splat(ptr);
}

/** Every lane the value v (rounded to T). */
@inline export function vsplat<T>(v: f64): v128 {
  if (sizeof<T>() == 8) return f64x2.splat(v);
  return f32x4.splat(<f32>v);
}

/** The sum of a vector's lanes, in f64. */
@inline export function laneSum<T>(v: v128): f64 {
  if (sizeof<T>() == 8) return f64x2.extract_lane(v, 0) + f64x2.extract_lane(v, 1);
  return <f64>f32x4.extract_lane(v, 0) + <f64>f32x4.extract_lane(v, 1) + (<f64>f32x4.extract_lane(v, 2) + <f64>f32x4.extract_lane(v, 3));
}

/** Lanes 0, 1 of a f32x4 as a f64x2. */
@inline export function lowHalf(v: v128): v128 {
  return f64x2.promote_low_f32x4(v);
}

/** Lanes 2, 3 of a f32x4 as a f64x2. */
@inline export function highHalf(v: v128): v128 {
  return f64x2.promote_low_f32x4(v128.shuffle<f32>(v, v, 2, 3, 2, 3));
}
