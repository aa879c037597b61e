/**
 * The assignment step of Lloyd's k-means: for every row, the nearest center
 * (the first on ties) and the weighted sums that make the next centers.
 *
 * As scikit-learn, the nearest center minimizes ‖c‖² − 2·x·c (one
 * multiply-add per feature; a register tile of 2 rows × 4 centers), on data
 * the caller has centered by its column means so that the cancellation stays
 * small; the squared distance to the chosen center is then computed by
 * differences.
 */
import { f64at, madd } from './block';

/**
 * @param x        rows [0, n), centered, padded to dx = even(d) with zeros
 * @param w        row weights, or 0 for unit weights
 * @param n        rows
 * @param dx       padded width
 * @param k        centers
 * @param centers  k × dx, centered the same way, zero-padded
 * @param norms    scratch: k values (receives ‖c‖²)
 * @param labels   out: n i32, each row's nearest center
 * @param distances out: n, each row's squared distance to it
 * @param sums     out: k × dx, Σ w·x per center (overwritten)
 * @param counts   out: k, Σ w per center (overwritten)
 */
export function kmeansAssign(
  x: usize, w: usize, n: i32, dx: i32, k: i32, centers: usize, norms: usize,
  labels: usize, distances: usize, sums: usize, counts: usize,
): void {
  memory.fill(sums, 0, <usize>(k * dx) << 3);
  memory.fill(counts, 0, <usize>k << 3);
  const row = <usize>dx << 3;
  for (let c = 0; c < k; c++) {
    const cc = f64at(centers, c * dx);
    let s = f64x2.splat(0);
    for (let a = 0; a < dx; a += 2) {
      const v = v128.load(f64at(cc, a));
      s = madd(v, v, s);
    }
    store<f64>(f64at(norms, c), f64x2.extract_lane(s, 0) + f64x2.extract_lane(s, 1));
  }
  let i = 0;
  for (; i + 1 < n; i += 2) {
    const x0 = f64at(x, i * dx);
    const x1 = x0 + row;
    let best0 = Infinity, best1 = Infinity;
    let label0 = 0, label1 = 0;
    let c = 0;
    for (; c + 3 < k; c += 4) {
      const c0 = f64at(centers, c * dx);
      let a00 = f64x2.splat(0), a01 = f64x2.splat(0), a02 = f64x2.splat(0), a03 = f64x2.splat(0);
      let a10 = f64x2.splat(0), a11 = f64x2.splat(0), a12 = f64x2.splat(0), a13 = f64x2.splat(0);
      for (let a: usize = 0; a < (<usize>dx << 3); a += 16) {
        const v0 = v128.load(x0 + a);
        const v1 = v128.load(x1 + a);
        let u = v128.load(c0 + a);
        a00 = madd(v0, u, a00); a10 = madd(v1, u, a10);
        u = v128.load(c0 + row + a);
        a01 = madd(v0, u, a01); a11 = madd(v1, u, a11);
        u = v128.load(c0 + 2 * row + a);
        a02 = madd(v0, u, a02); a12 = madd(v1, u, a12);
        u = v128.load(c0 + 3 * row + a);
        a03 = madd(v0, u, a03); a13 = madd(v1, u, a13);
      }
      // score = ‖c‖² − 2·x·c, compared in center order so the first minimum wins.
      let s = load<f64>(f64at(norms, c)) - 2 * (f64x2.extract_lane(a00, 0) + f64x2.extract_lane(a00, 1));
      if (s < best0) { best0 = s; label0 = c; }
      s = load<f64>(f64at(norms, c + 1)) - 2 * (f64x2.extract_lane(a01, 0) + f64x2.extract_lane(a01, 1));
      if (s < best0) { best0 = s; label0 = c + 1; }
      s = load<f64>(f64at(norms, c + 2)) - 2 * (f64x2.extract_lane(a02, 0) + f64x2.extract_lane(a02, 1));
      if (s < best0) { best0 = s; label0 = c + 2; }
      s = load<f64>(f64at(norms, c + 3)) - 2 * (f64x2.extract_lane(a03, 0) + f64x2.extract_lane(a03, 1));
      if (s < best0) { best0 = s; label0 = c + 3; }
      s = load<f64>(f64at(norms, c)) - 2 * (f64x2.extract_lane(a10, 0) + f64x2.extract_lane(a10, 1));
      if (s < best1) { best1 = s; label1 = c; }
      s = load<f64>(f64at(norms, c + 1)) - 2 * (f64x2.extract_lane(a11, 0) + f64x2.extract_lane(a11, 1));
      if (s < best1) { best1 = s; label1 = c + 1; }
      s = load<f64>(f64at(norms, c + 2)) - 2 * (f64x2.extract_lane(a12, 0) + f64x2.extract_lane(a12, 1));
      if (s < best1) { best1 = s; label1 = c + 2; }
      s = load<f64>(f64at(norms, c + 3)) - 2 * (f64x2.extract_lane(a13, 0) + f64x2.extract_lane(a13, 1));
      if (s < best1) { best1 = s; label1 = c + 3; }
    }
    for (; c < k; c++) {
      const cc = f64at(centers, c * dx);
      let a0 = f64x2.splat(0), a1 = f64x2.splat(0);
      for (let a: usize = 0; a < (<usize>dx << 3); a += 16) {
        const u = v128.load(cc + a);
        a0 = madd(v128.load(x0 + a), u, a0);
        a1 = madd(v128.load(x1 + a), u, a1);
      }
      let s = load<f64>(f64at(norms, c)) - 2 * (f64x2.extract_lane(a0, 0) + f64x2.extract_lane(a0, 1));
      if (s < best0) { best0 = s; label0 = c; }
      s = load<f64>(f64at(norms, c)) - 2 * (f64x2.extract_lane(a1, 0) + f64x2.extract_lane(a1, 1));
      if (s < best1) { best1 = s; label1 = c; }
    }
    finish(x0, i, label0, w, dx, centers, labels, distances, sums, counts);
    finish(x1, i + 1, label1, w, dx, centers, labels, distances, sums, counts);
  }
  if (i < n) {
    const x0 = f64at(x, i * dx);
    let best = Infinity;
    let label = 0;
    for (let c = 0; c < k; c++) {
      const cc = f64at(centers, c * dx);
      let a0 = f64x2.splat(0);
      for (let a: usize = 0; a < (<usize>dx << 3); a += 16) a0 = madd(v128.load(x0 + a), v128.load(cc + a), a0);
      const s = load<f64>(f64at(norms, c)) - 2 * (f64x2.extract_lane(a0, 0) + f64x2.extract_lane(a0, 1));
      if (s < best) { best = s; label = c; }
    }
    finish(x0, i, label, w, dx, centers, labels, distances, sums, counts);
  }
}

/** Records row i's label, its exact squared distance (by differences), and adds it to its center's sums. */
@inline
function finish(xi: usize, i: i32, label: i32, w: usize, dx: i32, centers: usize, labels: usize, distances: usize, sums: usize, counts: usize): void {
  const cc = f64at(centers, label * dx);
  const sum = f64at(sums, label * dx);
  const wi = w == 0 ? 1.0 : load<f64>(f64at(w, i));
  const wv = f64x2.splat(wi);
  let s = f64x2.splat(0);
  for (let a = 0; a < dx; a += 2) {
    const v = v128.load(f64at(xi, a));
    const t = f64x2.sub(v, v128.load(f64at(cc, a)));
    s = madd(t, t, s);
    v128.store(f64at(sum, a), madd(wv, v, v128.load(f64at(sum, a))));
  }
  store<i32>(labels + (<usize>i << 2), label);
  store<f64>(f64at(distances, i), f64x2.extract_lane(s, 0) + f64x2.extract_lane(s, 1));
  store<f64>(f64at(counts, label), load<f64>(f64at(counts, label)) + wi);
}

/**
 * One distance pass of k-means++ seeding: out[i] = min(closest[i], ‖x_i − x_row‖²)
 * (closest = 0: no earlier centers), returning Σ w·out[i].
 *
 * @param x        rows, padded to dx (centered or not: distances do not care)
 * @param w        row weights or 0
 * @param n        rows
 * @param dx       padded width
 * @param row      the candidate center's row
 * @param closest  n values, or 0
 * @param out      n values (may be `closest`)
 */
export function seedDistances(x: usize, w: usize, n: i32, dx: i32, row: i32, closest: usize, out: usize): f64 {
  const c = f64at(x, row * dx);
  let potential = 0.0;
  for (let i = 0; i < n; i++) {
    const xi = f64at(x, i * dx);
    let s = f64x2.splat(0);
    for (let a = 0; a < dx; a += 2) {
      const t = f64x2.sub(v128.load(f64at(xi, a)), v128.load(f64at(c, a)));
      s = madd(t, t, s);
    }
    let dist = f64x2.extract_lane(s, 0) + f64x2.extract_lane(s, 1);
    if (closest != 0) dist = min(dist, load<f64>(f64at(closest, i)));
    store<f64>(f64at(out, i), dist);
    potential += w == 0 ? dist : load<f64>(f64at(w, i)) * dist;
  }
  return potential;
}
