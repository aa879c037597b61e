/**
 * The assignment step of Lloyd's k-means: for every row, the nearest center
 * (the first on ties) and the weighted sums that make the next centers.
 *
 * As scikit-learn, the nearest center minimizes ‖c‖² − 2·x·c (one
 * multiply-add per feature), on data the caller has centered by its column
 * means so that the cancellation stays small. Centers sit in the vector
 * lanes (two per vector; a tile of 4 rows × 4 centers), so scores and the
 * running minimum stay in vectors. Exact squared distances, by differences, come from kmeansDistances
 * when needed.
 */
import { f64at, madd } from './block';

/**
 * @param x        rows [0, n), centered, padded to dx = even(d) with zeros
 * @param w        row weights, or 0 for unit weights
 * @param n        rows
 * @param dx       padded width
 * @param k        centers
 * @param centers  k × dx, centered the same way, zero-padded (for the sums)
 * @param lanes    scratch: dx × k4 (k4 = k rounded up to 4), the centers transposed: lanes[a][c]
 * @param norms    scratch: k4 values (receives ‖c‖², +∞ for padding)
 * @param labels   in: each row's previous label (−1: none); out: n i32, each row's nearest center
 * @param distances unused (see kmeansDistances)
 * @param sums     out: k × dx, Σ w·x per center (overwritten)
 * @param counts   out: k, Σ w per center (overwritten)
 * @returns the number of rows whose label changed
 */
export function kmeansAssign(
  x: usize, w: usize, n: i32, dx: i32, k: i32, centers: usize, lanes: usize, norms: usize,
  labels: usize, distances: usize, sums: usize, counts: usize,
): i32 {
  const k4 = (k + 3) & ~3;
  memory.fill(sums, 0, <usize>(k * dx) << 3);
  memory.fill(counts, 0, <usize>k << 3);
  // Centers transposed (two per vector), their squared norms; padding centers never win.
  for (let c = 0; c < k4; c++) {
    let norm = Infinity;
    if (c < k) {
      norm = 0.0;
      for (let a = 0; a < dx; a++) {
        const v = load<f64>(f64at(centers, c * dx + a));
        store<f64>(f64at(lanes, a * k4 + c), v);
        norm += v * v;
      }
    } else {
      for (let a = 0; a < dx; a++) store<f64>(f64at(lanes, a * k4 + c), 0);
    }
    store<f64>(f64at(norms, c), norm);
  }
  const laneStride = <usize>k4 << 3;
  const two = f64x2.splat(2);
  let changed = 0;
  let i = 0;
  for (; i < n; i += 4) {
    // Four rows at a time (rows past the end repeat the last one and are not recorded).
    const x0 = f64at(x, i * dx);
    const x1 = i + 1 < n ? x0 + (<usize>dx << 3) : x0;
    const x2 = i + 2 < n ? x1 + (<usize>dx << 3) : x1;
    const x3 = i + 3 < n ? x2 + (<usize>dx << 3) : x2;
    // Per row, per lane: the best score so far and its center.
    let best0 = f64x2.splat(Infinity), best1 = f64x2.splat(Infinity), best2 = f64x2.splat(Infinity), best3 = f64x2.splat(Infinity);
    let at0 = i64x2.splat(0), at1 = i64x2.splat(0), at2 = i64x2.splat(0), at3 = i64x2.splat(0);
    for (let g = 0; g < k4; g += 4) {
      let a00 = f64x2.splat(0), a01 = f64x2.splat(0), a10 = f64x2.splat(0), a11 = f64x2.splat(0);
      let a20 = f64x2.splat(0), a21 = f64x2.splat(0), a30 = f64x2.splat(0), a31 = f64x2.splat(0);
      let col = f64at(lanes, g);
      for (let a: usize = 0; a < (<usize>dx << 3); a += 8) {
        const c0 = v128.load(col);
        const c1 = v128.load(col, 16);
        col += laneStride;
        let e = v128.load64_splat(x0 + a);
        a00 = madd(e, c0, a00); a01 = madd(e, c1, a01);
        e = v128.load64_splat(x1 + a);
        a10 = madd(e, c0, a10); a11 = madd(e, c1, a11);
        e = v128.load64_splat(x2 + a);
        a20 = madd(e, c0, a20); a21 = madd(e, c1, a21);
        e = v128.load64_splat(x3 + a);
        a30 = madd(e, c0, a30); a31 = madd(e, c1, a31);
      }
      // score = ‖c‖² − 2·x·c; strict < keeps the first center of a lane on ties.
      const n0 = v128.load(f64at(norms, g));
      const n1 = v128.load(f64at(norms, g + 2));
      const idx0 = i64x2.replace_lane(i64x2.splat(<i64>g), 1, <i64>(g + 1));
      const idx1 = i64x2.replace_lane(i64x2.splat(<i64>(g + 2)), 1, <i64>(g + 3));
      let sc = f64x2.sub(n0, f64x2.mul(two, a00));
      let better = f64x2.lt(sc, best0);
      best0 = v128.bitselect(sc, best0, better); at0 = v128.bitselect(idx0, at0, better);
      sc = f64x2.sub(n1, f64x2.mul(two, a01));
      better = f64x2.lt(sc, best0);
      best0 = v128.bitselect(sc, best0, better); at0 = v128.bitselect(idx1, at0, better);
      sc = f64x2.sub(n0, f64x2.mul(two, a10));
      better = f64x2.lt(sc, best1);
      best1 = v128.bitselect(sc, best1, better); at1 = v128.bitselect(idx0, at1, better);
      sc = f64x2.sub(n1, f64x2.mul(two, a11));
      better = f64x2.lt(sc, best1);
      best1 = v128.bitselect(sc, best1, better); at1 = v128.bitselect(idx1, at1, better);
      sc = f64x2.sub(n0, f64x2.mul(two, a20));
      better = f64x2.lt(sc, best2);
      best2 = v128.bitselect(sc, best2, better); at2 = v128.bitselect(idx0, at2, better);
      sc = f64x2.sub(n1, f64x2.mul(two, a21));
      better = f64x2.lt(sc, best2);
      best2 = v128.bitselect(sc, best2, better); at2 = v128.bitselect(idx1, at2, better);
      sc = f64x2.sub(n0, f64x2.mul(two, a30));
      better = f64x2.lt(sc, best3);
      best3 = v128.bitselect(sc, best3, better); at3 = v128.bitselect(idx0, at3, better);
      sc = f64x2.sub(n1, f64x2.mul(two, a31));
      better = f64x2.lt(sc, best3);
      best3 = v128.bitselect(sc, best3, better); at3 = v128.bitselect(idx1, at3, better);
    }
    changed += finish(x0, i, pick(best0, at0), w, dx, labels, sums, counts);
    if (i + 1 < n) changed += finish(x1, i + 1, pick(best1, at1), w, dx, labels, sums, counts);
    if (i + 2 < n) changed += finish(x2, i + 2, pick(best2, at2), w, dx, labels, sums, counts);
    if (i + 3 < n) changed += finish(x3, i + 3, pick(best3, at3), w, dx, labels, sums, counts);
  }
  return changed;
}

/** The better of a row's two lanes: the lower score, the lower center index on ties. */
@inline
function pick(best: v128, at: v128): i32 {
  const s0 = f64x2.extract_lane(best, 0);
  const s1 = f64x2.extract_lane(best, 1);
  const c0 = <i32>i64x2.extract_lane(at, 0);
  const c1 = <i32>i64x2.extract_lane(at, 1);
  return s1 < s0 || (s1 == s0 && c1 < c0) ? c1 : c0;
}

/** Records row i's label and adds it to its center's sums; 1 if the label changed, else 0. */
@inline
function finish(xi: usize, i: i32, label: i32, w: usize, dx: i32, labels: usize, sums: usize, counts: usize): i32 {
  const sum = f64at(sums, label * dx);
  const wi = w == 0 ? 1.0 : load<f64>(f64at(w, i));
  const wv = f64x2.splat(wi);
  for (let a = 0; a < dx; a += 2) v128.store(f64at(sum, a), madd(wv, v128.load(f64at(xi, a)), v128.load(f64at(sum, a))));
  const at = labels + (<usize>i << 2);
  const changed = i32(load<i32>(at) != label);
  store<i32>(at, label);
  store<f64>(f64at(counts, label), load<f64>(f64at(counts, label)) + wi);
  return changed;
}

/**
 * Each row's exact squared distance (by differences) to its labelled center:
 * Lloyd needs it only to relocate empty clusters and for the final inertia.
 */
export function kmeansDistances(x: usize, n: i32, dx: i32, centers: usize, labels: usize, distances: usize): void {
  for (let i = 0; i < n; i++) {
    const xi = f64at(x, i * dx);
    const cc = f64at(centers, load<i32>(labels + (<usize>i << 2)) * dx);
    let s = f64x2.splat(0);
    for (let a = 0; a < dx; a += 2) {
      const t = f64x2.sub(v128.load(f64at(xi, a)), v128.load(f64at(cc, a)));
      s = madd(t, t, s);
    }
    store<f64>(f64at(distances, i), f64x2.extract_lane(s, 0) + f64x2.extract_lane(s, 1));
  }
}

/**
 * One distance pass of k-means++ seeding for t candidate centers at once (the
 * rows are read once for all of them): for each candidate r,
 * out_r[i] = min(closest[i], ‖x_i − x_{row_r}‖²) (closest = 0: no earlier
 * centers) and potential_r = Σ w·out_r[i], summed in row order.
 *
 * @param x          rows, padded to dx (centered or not: distances do not care)
 * @param w          row weights or 0
 * @param n          rows
 * @param dx         padded width
 * @param candidates t i32: the candidates' rows
 * @param t          candidates
 * @param closest    n values, or 0
 * @param outs       t × n values (candidate r's at r·n)
 * @param potentials out: t values
 */
export function seedDistances(
  x: usize, w: usize, n: i32, dx: i32, candidates: usize, t: i32, closest: usize, outs: usize, potentials: usize,
): void {
  memory.fill(potentials, 0, <usize>t << 3);
  // Candidates in pairs, one per lane; the first eight potentials stay in registers.
  const c0 = candidateRow(x, dx, candidates, t, 0), c1 = candidateRow(x, dx, candidates, t, 1);
  const c2 = candidateRow(x, dx, candidates, t, 2), c3 = candidateRow(x, dx, candidates, t, 3);
  const c4 = candidateRow(x, dx, candidates, t, 4), c5 = candidateRow(x, dx, candidates, t, 5);
  const c6 = candidateRow(x, dx, candidates, t, 6), c7 = candidateRow(x, dx, candidates, t, 7);
  let p0 = f64x2.splat(0), p1 = f64x2.splat(0), p2 = f64x2.splat(0), p3 = f64x2.splat(0);
  const row = <usize>n << 3;
  for (let i = 0; i < n; i++) {
    const xi = f64at(x, i * dx);
    const wv = f64x2.splat(w == 0 ? 1.0 : load<f64>(f64at(w, i)));
    const near = f64x2.splat(closest == 0 ? Infinity : load<f64>(f64at(closest, i)));
    const o = f64at(outs, i);
    let dv = f64x2.min(pairDistances(xi, c0, c1, dx), near);
    p0 = f64x2.add(p0, f64x2.mul(wv, dv));
    v128.store64_lane(o, dv, 0);
    if (t > 1) v128.store64_lane(o + row, dv, 1);
    if (t > 2) {
      dv = f64x2.min(pairDistances(xi, c2, c3, dx), near);
      p1 = f64x2.add(p1, f64x2.mul(wv, dv));
      v128.store64_lane(o + 2 * row, dv, 0);
      if (t > 3) v128.store64_lane(o + 3 * row, dv, 1);
    }
    if (t > 4) {
      dv = f64x2.min(pairDistances(xi, c4, c5, dx), near);
      p2 = f64x2.add(p2, f64x2.mul(wv, dv));
      v128.store64_lane(o + 4 * row, dv, 0);
      if (t > 5) v128.store64_lane(o + 5 * row, dv, 1);
    }
    if (t > 6) {
      dv = f64x2.min(pairDistances(xi, c6, c7, dx), near);
      p3 = f64x2.add(p3, f64x2.mul(wv, dv));
      v128.store64_lane(o + 6 * row, dv, 0);
      if (t > 7) v128.store64_lane(o + 7 * row, dv, 1);
    }
    // More than eight candidates (k > 1096): the rest one by one.
    for (let r = 8; r < t; r++) {
      const c = candidateRow(x, dx, candidates, t, r);
      let s = f64x2.splat(0);
      for (let a = 0; a < dx; a += 2) {
        const u = f64x2.sub(v128.load(f64at(xi, a)), v128.load(f64at(c, a)));
        s = madd(u, u, s);
      }
      const dist = min(f64x2.extract_lane(s, 0) + f64x2.extract_lane(s, 1), f64x2.extract_lane(near, 0));
      store<f64>(f64at(outs, r * n + i), dist);
      const pr = f64at(potentials, r);
      store<f64>(pr, load<f64>(pr) + f64x2.extract_lane(wv, 0) * dist);
    }
  }
  // (No arrays here: kernels allocate nothing, the caller owns all memory.)
  storePair(potentials, 0, t, p0);
  storePair(potentials, 2, t, p1);
  storePair(potentials, 4, t, p2);
  storePair(potentials, 6, t, p3);
}

/** potentials[r], potentials[r + 1] = the lanes of v, for those below t. */
@inline
function storePair(potentials: usize, r: i32, t: i32, v: v128): void {
  if (r < t) store<f64>(f64at(potentials, r), f64x2.extract_lane(v, 0));
  if (r + 1 < t) store<f64>(f64at(potentials, r + 1), f64x2.extract_lane(v, 1));
}

/** Candidate r's row (r ≥ t: the first candidate's, a harmless partner for a missing one). */
@inline
function candidateRow(x: usize, dx: i32, candidates: usize, t: i32, r: i32): usize {
  const at: i32 = r < t ? r : 0;
  return f64at(x, load<i32>(candidates + (<usize>at << 2)) * dx);
}

/** [‖xi − a‖², ‖xi − b‖²]. */
@inline
function pairDistances(xi: usize, a: usize, b: usize, dx: i32): v128 {
  let sa = f64x2.splat(0), sb = f64x2.splat(0);
  for (let k = 0; k < dx; k += 2) {
    const v = v128.load(f64at(xi, k));
    const u = f64x2.sub(v, v128.load(f64at(a, k)));
    const z = f64x2.sub(v, v128.load(f64at(b, k)));
    sa = madd(u, u, sa);
    sb = madd(z, z, sb);
  }
  // Horizontal sums: [sa0 + sa1, sb0 + sb1].
  return f64x2.add(v128.shuffle<f64>(sa, sb, 0, 2), v128.shuffle<f64>(sa, sb, 1, 3));
}
