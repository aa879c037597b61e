/**
 * The assignment step of Lloyd's k-means: for every row, the nearest center
 * (the first on ties) and the weighted sums that make the next centers.
 *
 * As scikit-learn, the nearest center minimizes ‖c‖² − 2·x·c (one
 * multiply-add per feature), on data the caller has centered by its column
 * means so that the cancellation stays small. Centers sit in the vector
 * lanes (two per vector; a tile of 4 rows × 4 centers), so scores and the
 * running minimum stay in vectors; Hamerly's bounds skip the rows whose
 * center provably stays. Exact squared distances, by differences, come from
 * kmeansDistances when needed.
 */
import { f64at, madd } from './block';

/*
 * Lane-wise min, max and select of finite scores and all-or-nothing masks:
 * one instruction each in the relaxed-SIMD build (where NaN and ±0 order are
 * the hardware's, which finite scores do not meet), the strict forms else.
 */
@inline function least(a: v128, b: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f64x2.relaxed_min(a, b);
  return f64x2.min(a, b);
}
@inline function most(a: v128, b: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f64x2.relaxed_max(a, b);
  return f64x2.max(a, b);
}
@inline function choose(a: v128, b: v128, mask: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return i64x2.relaxed_laneselect(a, b, mask);
  return v128.bitselect(a, b, mask);
}

/**
 * The assignment of rows [0, n) (one chunk) with Hamerly's bounds (Hamerly
 * 2010): each row keeps an upper bound on its distance to its center and a
 * lower bound on its distance to every other one; when the centers move the
 * bounds move by the centers' drifts, and a row whose bounds still prove its
 * center nearest skips the k-center scan. Exact: a row is skipped only when
 * the proof holds with room for the rounding of the scores, so the labels are
 * those of a full scan.
 *
 * The chunk's sums are kept between calls and updated by the rows that change
 * center (a skipped row is not read at all); they are rebuilt in row order on
 * a full call and whenever the updates since the last rebuild outnumber the
 * chunk's rows, so their rounding stays that of O(rows) additions. A center
 * left with no row of positive weight gets sums of exactly zero.
 *
 * @param x        rows [0, n), centered, padded to dx = even(d) with zeros
 * @param w        row weights, or 0 for unit weights
 * @param n        rows
 * @param dx       padded width
 * @param k        centers
 * @param centers  k × dx, centered the same way, zero-padded
 * @param lanes    scratch: dx × k4 (k4 = k rounded up to 4), the centers transposed: lanes[a][c]
 * @param norms    scratch: k4 values (receives ‖c‖², +∞ for padding)
 * @param scores   scratch: 4 × k4 values
 * @param labels   in: each row's previous label (−1: none); out: n i32, each row's nearest center
 * @param upper    n values: each row's upper bound on its distance to its center (out; in unless full)
 * @param lower    n values: each row's lower bound on its distance to every other center (same)
 * @param xnorms   n values: each row's ‖x‖²
 * @param moves    3k values (unless full): each center's drift since the last call, the largest
 *                 drift of the other centers, half the distance to its nearest other center
 * @param pending  scratch: n i32
 * @param sums     k × dx, Σ w·x per center (out; in unless full)
 * @param counts   k, Σ w per center (same)
 * @param members  2k + 1 i32: rows per center, rows of positive weight per center, updates since
 *                 the last rebuild (same)
 * @param full     1: no state yet (scan every row, build the sums), 0: state from the last call
 * @returns the number of rows whose label changed
 */
export function kmeansAssign(
  x: usize, w: usize, n: i32, dx: i32, k: i32, centers: usize, lanes: usize, norms: usize, scores: usize,
  labels: usize, upper: usize, lower: usize, xnorms: usize, moves: usize, pending: usize,
  sums: usize, counts: usize, members: usize, full: i32,
): i32 {
  const k4 = (k + 3) & ~3;
  // Centers transposed (two per vector), their squared norms; padding centers never win.
  let largest = 0.0;
  for (let c = 0; c < k4; c++) {
    let norm = Infinity;
    if (c < k) {
      norm = 0.0;
      for (let a = 0; a < dx; a++) {
        const v = load<f64>(f64at(centers, c * dx + a));
        store<f64>(f64at(lanes, a * k4 + c), v);
        norm += v * v;
      }
      largest = max(largest, norm);
    } else {
      for (let a = 0; a < dx; a++) store<f64>(f64at(lanes, a * k4 + c), 0);
    }
    store<f64>(f64at(norms, c), norm);
  }
  // A score ‖c‖² − 2·x·c (d multiply-adds) is within slack·(‖x‖² + max ‖c‖²) of the exact
  // ‖x − c‖² − ‖x‖²: (2d + 8)·2⁻⁵² bounds its rounding; twice that again for room.
  const slack = <f64>(4 * dx + 16) * 2.220446049250313e-16;
  // Rows whose bounds do not prove their center: pending.
  let m = 0;
  if (full != 0) {
    for (let i = 0; i < n; i++) store<i32>(pending + (<usize>i << 2), i);
    m = n;
  } else {
    for (let i = 0; i < n; i++) {
      const label = load<i32>(labels + (<usize>i << 2));
      const u = load<f64>(f64at(upper, i)) + load<f64>(f64at(moves, label));
      const l = load<f64>(f64at(lower, i)) - load<f64>(f64at(moves, k + label));
      store<f64>(f64at(upper, i), u);
      store<f64>(f64at(lower, i), l);
      const bound = max(l, load<f64>(f64at(moves, 2 * k + label)));
      // Every other center is ≥ bound away, this one ≤ u: their squared distances differ by
      // more than twice the scores' rounding, so the scan would pick this center too.
      const room = 2 * slack * (load<f64>(f64at(xnorms, i)) + largest);
      const proven = (bound > u) & (bound * bound * (1 - 1e-12) - u * u * (1 + 1e-12) > room);
      store<i32>(pending + (<usize>m << 2), i); // kept only if not proven
      m += i32(!proven);
    }
  }
  const laneStride = <usize>k4 << 3; // a row of lanes, and a row of scores
  const two = f64x2.splat(2);
  let changed = 0;
  let updates = load<i32>(members + (<usize>(2 * k) << 2));
  const inf = f64x2.splat(Infinity);
  for (let p = 0; p < m; p += 4) {
    // Four pending rows at a time (past the end: the last one again, not recorded).
    const r0 = load<i32>(pending + (<usize>p << 2));
    const r1 = p + 1 < m ? load<i32>(pending + (<usize>(p + 1) << 2)) : r0;
    const r2 = p + 2 < m ? load<i32>(pending + (<usize>(p + 2) << 2)) : r1;
    const r3 = p + 3 < m ? load<i32>(pending + (<usize>(p + 3) << 2)) : r2;
    const x0 = f64at(x, r0 * dx), x1 = f64at(x, r1 * dx), x2 = f64at(x, r2 * dx), x3 = f64at(x, r3 * dx);
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
      // score = ‖c‖² − 2·x·c, per row into its scratch row.
      const n0 = v128.load(f64at(norms, g));
      const n1 = v128.load(f64at(norms, g + 2));
      const o = f64at(scores, g);
      v128.store(o, f64x2.sub(n0, f64x2.mul(two, a00)));
      v128.store(o, f64x2.sub(n1, f64x2.mul(two, a01)), 16);
      v128.store(o + laneStride, f64x2.sub(n0, f64x2.mul(two, a10)));
      v128.store(o + laneStride, f64x2.sub(n1, f64x2.mul(two, a11)), 16);
      v128.store(o + 2 * laneStride, f64x2.sub(n0, f64x2.mul(two, a20)));
      v128.store(o + 2 * laneStride, f64x2.sub(n1, f64x2.mul(two, a21)), 16);
      v128.store(o + 3 * laneStride, f64x2.sub(n0, f64x2.mul(two, a30)));
      v128.store(o + 3 * laneStride, f64x2.sub(n1, f64x2.mul(two, a31)), 16);
    }
    for (let t = 0; t < 4 && p + t < m; t++) {
      const i = t == 0 ? r0 : t == 1 ? r1 : t == 2 ? r2 : r3;
      // Per lane (even, odd centers): the lowest score, its first center, the second lowest.
      const row = scores + <usize>t * laneStride;
      let b = v128.load(row);
      let sv = inf;
      let lv = f64x2(0, 1);
      let at = f64x2(2, 3);
      for (let c = 2; c < k4; c += 2) {
        const v = v128.load(f64at(row, c));
        sv = least(sv, most(v, b));
        lv = choose(at, lv, f64x2.lt(v, b));
        b = least(v, b);
        at = f64x2.add(at, two);
      }
      // The two lanes: the lower score wins, the lower center on a tie.
      const even = f64x2.extract_lane(b, 0), odd = f64x2.extract_lane(b, 1);
      const le = i32(f64x2.extract_lane(lv, 0)), lo = i32(f64x2.extract_lane(lv, 1));
      const oddWins = odd < even || (odd == even && lo < le);
      const best = oddWins ? odd : even;
      const label = oddWins ? lo : le;
      const second = min(max(even, odd), min(f64x2.extract_lane(sv, 0), f64x2.extract_lane(sv, 1)));
      const xn = load<f64>(f64at(xnorms, i));
      const room = slack * (xn + largest);
      store<f64>(f64at(upper, i), sqrt(max(0.0, xn + best + room)));
      store<f64>(f64at(lower, i), sqrt(max(0.0, xn + second - room)));
      const place = labels + (<usize>i << 2);
      const old = load<i32>(place);
      if (old != label) {
        changed++;
        store<i32>(place, label);
        if (full == 0) {
          move(f64at(x, i * dx), w == 0 ? 1.0 : load<f64>(f64at(w, i)), old, label, dx, k, sums, counts, members);
          updates++;
        }
      }
    }
  }
  if (full != 0 || updates > n) rebuild(x, w, n, dx, k, labels, sums, counts, members);
  else store<i32>(members + (<usize>(2 * k) << 2), updates);
  return changed;
}

/** Moves a row of weight wi from center a's sums to center b's. */
@inline
function move(xi: usize, wi: f64, a: i32, b: i32, dx: i32, k: i32, sums: usize, counts: usize, members: usize): void {
  const to = f64at(sums, b * dx);
  const from = f64at(sums, a * dx);
  const wv = f64x2.splat(wi);
  const minus = f64x2.splat(-wi);
  for (let j = 0; j < dx; j += 2) {
    const v = v128.load(f64at(xi, j));
    v128.store(f64at(to, j), madd(wv, v, v128.load(f64at(to, j))));
    v128.store(f64at(from, j), madd(minus, v, v128.load(f64at(from, j))));
  }
  store<f64>(f64at(counts, b), load<f64>(f64at(counts, b)) + wi);
  store<f64>(f64at(counts, a), load<f64>(f64at(counts, a)) - wi);
  store<i32>(members + (<usize>b << 2), load<i32>(members + (<usize>b << 2)) + 1);
  store<i32>(members + (<usize>a << 2), load<i32>(members + (<usize>a << 2)) - 1);
  if (wi > 0) {
    const pb = members + (<usize>(k + b) << 2);
    const pa = members + (<usize>(k + a) << 2);
    store<i32>(pb, load<i32>(pb) + 1);
    store<i32>(pa, load<i32>(pa) - 1);
    // No weight left: exactly nothing, not the residue of the subtractions.
    if (load<i32>(pa) == 0) {
      memory.fill(from, 0, <usize>dx << 3);
      store<f64>(f64at(counts, a), 0);
    }
  }
}

/** The chunk's sums, counts and members from scratch, in row order. */
function rebuild(x: usize, w: usize, n: i32, dx: i32, k: i32, labels: usize, sums: usize, counts: usize, members: usize): void {
  memory.fill(sums, 0, <usize>(k * dx) << 3);
  memory.fill(counts, 0, <usize>k << 3);
  memory.fill(members, 0, <usize>(2 * k + 1) << 2);
  for (let i = 0; i < n; i++) {
    const label = load<i32>(labels + (<usize>i << 2));
    const xi = f64at(x, i * dx);
    const sum = f64at(sums, label * dx);
    const wi = w == 0 ? 1.0 : load<f64>(f64at(w, i));
    const wv = f64x2.splat(wi);
    for (let a = 0; a < dx; a += 2) v128.store(f64at(sum, a), madd(wv, v128.load(f64at(xi, a)), v128.load(f64at(sum, a))));
    store<f64>(f64at(counts, label), load<f64>(f64at(counts, label)) + wi);
    const at = members + (<usize>label << 2);
    store<i32>(at, load<i32>(at) + 1);
    if (wi > 0) {
      const pos = members + (<usize>(k + label) << 2);
      store<i32>(pos, load<i32>(pos) + 1);
    }
  }
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
