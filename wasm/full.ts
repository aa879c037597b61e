/**
 * E-step + statistics for 'full' covariances over one chunk of rows, in f64
 * (`fullChunk`) or with the rows, means and factors in f32 (`fullChunk32`):
 * one source, generic over the element type T (wasm/lanes.ts).
 *
 * Per block of rows and per component j: center the rows on μⱼ, multiply by
 * the upper-triangular precision factor Uⱼ with a 4-row × (2 vectors)-column
 * register tile (only the triangle: row p of U contributes to columns ≥ p),
 * and sum the squares, in f64 for both types. After the log-sum-exp (f64),
 * per component: gather the rows whose responsibility is not exactly 0 and
 * add r·δδᵀ with a 4 × 4 tiled weighted SYRK into padded accumulators, in f64
 * for both types (δ widened from f32 exactly): f32 only perturbs the
 * responsibilities, never the statistics' sums, so a narrow component's
 * covariance stays as definite as in f64; at the end of the chunk, write the
 * public statistics layout.
 */
import { BLOCK_ROWS, TOTALS, blockColumns, centerRowOf, f64at, listNonZero, blockStep, lseScratch, madd, maxBlockColumns, padColumns } from './block';
import { at, highHalf, laneSum, lanes, lowHalf, roundUp, splatLoad, vmadd, vsplat, vsub } from './lanes';

/** Columns of a register tile: two vectors of T (4 in f64, 8 in f32). */
@inline function tileWidth<T>(): i32 {
  return 2 * lanes<T>();
}

/** Bytes of scratch `fullChunk` needs. */
export function fullScratchBytes(d: i32, k: i32): i32 {
  return scratchBytes<f64>(d, k);
}

/** Bytes of scratch `fullChunk32` needs. */
export function fullScratchBytes32(d: i32, k: i32): i32 {
  return scratchBytes<f32>(d, k);
}

@inline
function scratchBytes<T>(d: i32, k: i32): i32 {
  const dp = roundUp(d, tileWidth<T>());
  const kp = maxBlockColumns(k);
  const b = BLOCK_ROWS;
  // D (T); DC, RD; LP; S2; S1; Q; M; THR, IDX, BEST, PART; PQ (f64)
  return b * dp * <i32>sizeof<T>() + ((2 * b * dp + b * kp + k * dp * dp + k * dp + 8 + lseScratch(b) + 4 * b + 2 * b) << 3);
}

/**
 * A component's log-density for a row stops being computed as soon as it is
 * certain to lie more than this below the row's best: its exponential would
 * be below TINY = 2^-600 (ln = −415.9), which both back ends count as exactly
 * 0, so stopping changes nothing. Certain because the partial sum of squares
 * over the columns done so far never exceeds the full sum.
 */
const PRUNE: f64 = 416.5;

/**
 * @param x        data, row-major, rows padded to dx = d rounded up to even (zeros)
 * @param w        row weights, or 0 for unit weights
 * @param start    first row of the chunk
 * @param end      one past its last row
 * @param d        features
 * @param k        components
 * @param means    k × dx means (also the statistics' centers), padded with zeros
 * @param factors  k × d × dp: Uⱼ row-major, upper triangular, columns padded with zeros (dp: d rounded up to 4)
 * @param consts   k: log πⱼ + log det Uⱼ − (d/2)·log 2π
 * @param guide    k: gⱼ = d / (2·trace Σⱼ), to guess a row's best component as the largest
 *                 constⱼ − gⱼ·‖x − μⱼ‖² when it has none from the previous E-step (a guess
 *                 only: it orders the work, never changes a result); or 0 to compute every
 *                 component in full
 * @param previous with a guide: n i32, each row's best component in the previous E-step (−1: none
 *                 yet), updated here
 * @param out      statistics: weight (k), first (k × d), second (k × d × d, upper triangle), then Σw·log p, Σw
 * @param scratch  fullScratchBytes(d, k) bytes
 * @param logOut   0 for the statistics; or an array of (end − start) × k that receives, instead,
 *                 every row's weighted log-densities log πⱼ + log N(x | μⱼ, Σⱼ) (for scoring a model)
 * @param noise    the noise component's log π₀ + log V⁻¹ (its column k of the block), or −∞ without one
 * @returns 0, or 1 + the row whose log-likelihood is not finite
 */
export function fullChunk(
  x: usize, w: usize, start: i32, end: i32, d: i32, k: i32,
  means: usize, factors: usize, consts: usize, guide: usize, previous: usize, out: usize, scratch: usize, logOut: usize,
  noise: f64,
): i32 {
  return chunkOf<f64>(x, w, start, end, d, k, means, factors, consts, guide, previous, out, scratch, logOut, noise);
}

/**
 * `fullChunk` with x, means and factors in f32: rows padded to dx = d rounded
 * up to 4, factors to dp = d rounded up to 8; everything else as there, in
 * f64. Scratch: fullScratchBytes32(d, k) bytes.
 */
export function fullChunk32(
  x: usize, w: usize, start: i32, end: i32, d: i32, k: i32,
  means: usize, factors: usize, consts: usize, guide: usize, previous: usize, out: usize, scratch: usize, logOut: usize,
  noise: f64,
): i32 {
  return chunkOf<f32>(x, w, start, end, d, k, means, factors, consts, guide, previous, out, scratch, logOut, noise);
}

@inline
function chunkOf<T>(
  x: usize, w: usize, start: i32, end: i32, d: i32, k: i32,
  means: usize, factors: usize, consts: usize, guide: usize, previous: usize, out: usize, scratch: usize, logOut: usize,
  noise: f64,
): i32 {
  const L = lanes<T>();
  const W = tileWidth<T>();
  const dp = roundUp(d, W);
  const dx = roundUp(d, L);
  const kp = blockColumns(k, noise);
  const B = BLOCK_ROWS;
  const D = scratch; // B × dp of T: centered rows (row tiles of 4: rows ≥ the block's are zero)
  const DC = D + <usize>(B * dp) * sizeof<T>(); // B × dp: gathered centered rows
  const RD = DC + (<usize>(B * dp) << 3); // B × dp: gathered r·δ
  const LP = RD + (<usize>(B * dp) << 3); // B × kp: log-densities, then responsibilities
  const S2 = LP + (<usize>(B * kp) << 3); // k × dp × dp
  const S1 = S2 + (<usize>(k * dp * dp) << 3); // k × dp
  const Q = S1 + (<usize>(k * dp) << 3); // 8: running sums of squares of a row tile
  const M = Q + 64; // lseScratch(B): log-sum-exp scratch
  const THR = M + (<usize>lseScratch(B) << 3); // B: per gathered row, the sum of squares beyond which it cannot matter
  const IDX = THR + (<usize>B << 3); // B i32: rows gathered for one component
  const BEST = IDX + (<usize>B << 3); // B i32: each row's guessed best component
  const PART = BEST + (<usize>B << 3); // B: partial sums of squares over the screening columns
  const PQ = PART + (<usize>B << 3); // B × 2: the same sums as two lanes, to resume from
  memory.fill(S2, 0, <usize>(k * dp * dp + k * dp) << 3);
  const outWeight = out;
  const outFirst = f64at(out, k);
  const outSecond = f64at(out, k + k * d);
  const outTotals = f64at(out, k + k * d + k * d * d);
  memory.fill(outTotals, 0, TOTALS << 3); // the running [Σ w·log p, Σ w, entropy, Σ w·r₀]
  memory.fill(outWeight, 0, <usize>k << 3);

  for (let b0 = start; b0 < end; b0 += B) {
    const rows = min(B, end - b0);
    const rows4 = (rows + 3) & ~3;
    if (guide == 0) {
      // Every component, every row, in full.
      for (let i = 0; i < rows; i++) store<i32>(IDX + (<usize>i << 2), i);
      for (let j = 0; j < k; j++) {
        center<T>(x, b0, rows, rows4, dx, dp, at<T>(means, j * dx), D);
        logDensities<T>(D, rows, U_<T>(factors, j, d, dp), d, dp, load<f64>(f64at(consts, j)), LP, kp, j, IDX, Q, 0, 0, 0);
      }
    } else {
      // Guess each row's best component; compute it in full; then the others, stopping early
      // where a row certainly falls more than PRUNE below its best (−∞ then).
      for (let i = 0; i < rows; i++) {
        let bestJ = load<i32>(previous + (<usize>(b0 + i) << 2));
        if (bestJ < 0) {
          const xi = at<T>(x, (b0 + i) * dx);
          let best = -Infinity;
          for (let j = 0; j < k; j++) {
            const mu = at<T>(means, j * dx);
            let s2 = vsplat<T>(0);
            for (let a = 0; a < dx; a += L) {
              const t = vsub<T>(v128.load(at<T>(xi, a)), v128.load(at<T>(mu, a)));
              s2 = vmadd<T>(t, t, s2);
            }
            const score = load<f64>(f64at(consts, j)) - load<f64>(f64at(guide, j)) * laneSum<T>(s2);
            if (score > best) {
              best = score;
              bestJ = j;
            }
          }
        }
        store<i32>(BEST + (<usize>i << 2), bestJ);
      }
      for (let j = 0; j < k; j++) {
        let m = 0;
        for (let i = 0; i < rows; i++) {
          if (load<i32>(BEST + (<usize>i << 2)) != j) continue;
          store<i32>(IDX + (<usize>m << 2), i);
          centerRowOf<T>(at<T>(x, (b0 + i) * dx), at<T>(means, j * dx), at<T>(D, m * dp), dx, dp);
          m++;
        }
        if (m > 0) logDensities<T>(D, m, U_<T>(factors, j, d, dp), d, dp, load<f64>(f64at(consts, j)), LP, kp, j, IDX, Q, 0, 0, 0);
      }
      // Screening over the first quarter of the columns (a sixteenth of the triangle's work), then
      // the first half (a quarter), settles most far components; the survivors are computed in full.
      // Each stage resumes the sums of squares of the last (same order, so the same bits as one
      // pass), and rows are centered only as far as a stage reads them.
      const screen = max(8, roundUp(d >> 2, W));
      const first = min(screen, dx);
      for (let j = 0; j < k; j++) {
        const cj = load<f64>(f64at(consts, j));
        let m = 0;
        for (let i = 0; i < rows; i++) {
          const bj = load<i32>(BEST + (<usize>i << 2));
          if (bj == j) continue;
          store<i32>(IDX + (<usize>m << 2), i);
          // cj − q/2 < best − PRUNE  ⇔  q > 2·(cj − best + PRUNE)
          store<f64>(f64at(THR, m), 2 * (cj - load<f64>(f64at(LP, i * kp + bj)) + PRUNE));
          centerColumns<T>(at<T>(x, (b0 + i) * dx), at<T>(means, j * dx), at<T>(D, m * dp), 0, first);
          m++;
        }
        if (m == 0) continue;
        const U = U_<T>(factors, j, d, dp);
        const mu = at<T>(means, j * dx);
        let survivors = m;
        let done = 0; // columns whose squares are in PQ
        for (let stage = screen; stage < d && survivors > 0; stage *= 2) {
          if (done > 0) centerSurvivors<T>(x, b0, dx, dp, mu, D, IDX, survivors, done, stage);
          partialSums<T>(D, survivors, U, done, stage, dp, PART, PQ, Q);
          done = stage;
          survivors = settle<T>(D, survivors, dp, done, PART, PQ, THR, IDX, LP, kp, j);
        }
        if (survivors > 0) {
          centerSurvivors<T>(x, b0, dx, dp, mu, D, IDX, survivors, max(done, first), dx);
          if (dx < dp) for (let r = 0; r < survivors; r++) v128.store(at<T>(D, r * dp + dx), f64x2.splat(0));
          logDensities<T>(D, survivors, U, d, dp, cj, LP, kp, j, IDX, Q, THR, done, PQ);
        }
      }
    }
    padColumns(LP, rows, k, kp, noise);
    // Scoring: the log-densities are handed back, no statistics.
    const step = blockStep(LP, rows, k, kp, w, b0, start, logOut, outTotals, M, noise);
    if (step > 0) return step;
    if (step < 0) continue;
    if (guide != 0) {
      for (let i = 0; i < rows; i++) {
        let best = 0;
        for (let j = 1; j < k; j++) if (load<f64>(f64at(LP, i * kp + j)) > load<f64>(f64at(LP, i * kp + best))) best = j;
        store<i32>(previous + (<usize>(b0 + i) << 2), best);
      }
    }

    // Statistics, component by component, over the rows with r ≠ 0 (listNonZero): in f64 for both types,
    // on δ = x − μ taken in f64 (exact for f32 rows and means).
    for (let j = 0; j < k; j++) {
      const mu = at<T>(means, j * dx);
      const s1 = f64at(S1, j * dp);
      const m = listNonZero(LP, rows, kp, j, IDX);
      let wj = 0.0;
      for (let t = 0; t < m; t++) {
        const i = load<i32>(IDX + (<usize>t << 2));
        const r = load<f64>(f64at(LP, i * kp + j));
        wj += r;
        const dc = f64at(DC, t * dp);
        const rd = f64at(RD, t * dp);
        centerRowWide<T>(at<T>(x, (b0 + i) * dx), mu, dc, dx, dp);
        const rv = f64x2.splat(r);
        for (let a = 0; a < dp; a += 2) {
          const v = f64x2.mul(rv, v128.load(f64at(dc, a)));
          v128.store(f64at(rd, a), v);
          v128.store(f64at(s1, a), f64x2.add(v128.load(f64at(s1, a)), v));
        }
      }
      store<f64>(f64at(outWeight, j), load<f64>(f64at(outWeight, j)) + wj);
      if (m > 0) weightedSyrk(DC, RD, m, dp, f64at(S2, j * dp * dp));
    }
  }

  if (logOut != 0) return 0;

  // Public layout: first moments unpadded, second moments' upper triangle.
  for (let j = 0; j < k; j++) {
    for (let a = 0; a < d; a++) store<f64>(f64at(outFirst, j * d + a), load<f64>(f64at(S1, j * dp + a)));
    for (let a = 0; a < d; a++) {
      for (let b = 0; b < d; b++) {
        store<f64>(f64at(outSecond, j * d * d + a * d + b), b >= a ? load<f64>(f64at(S2, j * dp * dp + a * dp + b)) : 0.0);
      }
    }
  }
  return 0;
}

/** out (f64) = x − μ as centerRow, in f64 whatever T (for f32, exact: both widened first). */
@inline
function centerRowWide<T>(xi: usize, mu: usize, out: usize, dx: i32, dp: i32): void {
  if (sizeof<T>() == 8) {
    centerRowOf<f64>(xi, mu, out, dx, dp);
    return;
  }
  for (let a = 0; a < dx; a += 4) {
    const xv = v128.load(at<f32>(xi, a));
    const mv = v128.load(at<f32>(mu, a));
    v128.store(f64at(out, a), f64x2.sub(lowHalf(xv), lowHalf(mv)));
    v128.store(f64at(out, a + 2), f64x2.sub(highHalf(xv), highHalf(mv)));
  }
  if (dx < dp) memory.fill(f64at(out, dx), 0, <usize>(dp - dx) << 3);
}

/** D[i, :] = x[b0 + i, :] − μ for i < rows, zero elsewhere (padding columns, and rows up to rows4). */
@inline
function center<T>(x: usize, b0: i32, rows: i32, rows4: i32, dx: i32, dp: i32, mu: usize, D: usize): void {
  for (let i = 0; i < rows; i++) centerRowOf<T>(at<T>(x, (b0 + i) * dx), mu, at<T>(D, i * dp), dx, dp);
  if (rows4 > rows) memory.fill(at<T>(D, rows * dp), 0, <usize>((rows4 - rows) * dp) * sizeof<T>());
}

/** Address of component j's factor (d × dp). */
@inline
function U_<T>(factors: usize, j: i32, d: i32, dp: i32): usize {
  return at<T>(factors, j * d * dp);
}

/**
 * For the m centered rows of D (padded with zero rows to a multiple of 4):
 * LP[IDX[r], j] = c − ½‖D[r]·U‖², with U upper triangular (d × dp), in
 * 4-row register tiles over the triangle only. With thresholds (THR ≠ 0), a
 * tile stops as soon as every row's partial sum of squares exceeds its
 * THR[r], and those rows get −∞.
 */
function logDensities<T>(
  D: usize, m: i32, U: usize, d: i32, dp: i32, c: f64, LP: usize, kp: i32, j: i32, IDX: usize, Q: usize, THR: usize,
  from: i32, PQ: usize,
): void {
  const W = tileWidth<T>();
  const m4 = (m + 3) & ~3;
  if (m4 > m) memory.fill(at<T>(D, m * dp), 0, <usize>((m4 - m) * dp) * sizeof<T>());
  const stride = <usize>dp * sizeof<T>();
  for (let r0 = 0; r0 < m4; r0 += 4) {
    const d0 = at<T>(D, r0 * dp);
    // Q: 4 rows × 2 lanes of running sums of squares, in memory to leave registers to the tile.
    startSums(Q, PQ, r0, from);
    let stopped = false;
    for (let c0 = from; c0 < dp; c0 += W) {
      columnTileOf<T>(d0, stride, U, c0, min(c0 + W, d), Q, 0, true);
      if (THR != 0 && c0 + W < dp && beyond(Q, THR, r0, m)) {
        stopped = true;
        break;
      }
    }
    for (let r = 0; r < 4 && r0 + r < m; r++) {
      const q = v128.load(Q + (<usize>r << 4));
      const row = load<i32>(IDX + (<usize>(r0 + r) << 2));
      store<f64>(f64at(LP, row * kp + j), stopped ? -Infinity : c - 0.5 * (f64x2.extract_lane(q, 0) + f64x2.extract_lane(q, 1)));
    }
  }
}

/**
 * Rows whose partial sum of squares already exceeds their threshold get −∞;
 * the others are moved to the front of D (their first `columns` columns, with
 * their IDX, THR and PQ). Returns their number.
 */
function settle<T>(D: usize, m: i32, dp: i32, columns: i32, PART: usize, PQ: usize, THR: usize, IDX: usize, LP: usize, kp: i32, j: i32): i32 {
  let survivors = 0;
  for (let r = 0; r < m; r++) {
    const row = load<i32>(IDX + (<usize>r << 2));
    if (load<f64>(f64at(PART, r)) > load<f64>(f64at(THR, r))) {
      store<f64>(f64at(LP, row * kp + j), -Infinity);
      continue;
    }
    if (survivors != r) {
      memory.copy(at<T>(D, survivors * dp), at<T>(D, r * dp), <usize>columns * sizeof<T>());
      v128.store(PQ + (<usize>survivors << 4), v128.load(PQ + (<usize>r << 4)));
      store<i32>(IDX + (<usize>survivors << 2), row);
      store<f64>(f64at(THR, survivors), load<f64>(f64at(THR, r)));
    }
    survivors++;
  }
  return survivors;
}

/**
 * Sums of squares of the first `limit` columns (a multiple of the tile width)
 * of D[r]·U for the m rows of D (padded to a multiple of 4 with zero rows): a
 * lower bound of the full sum, since the other columns only add squares.
 * Resumes the sums of the first `from` columns in PQ (two lanes per row) and
 * leaves them there; PART gets each row's total.
 */
function partialSums<T>(D: usize, m: i32, U: usize, from: i32, limit: i32, dp: i32, PART: usize, PQ: usize, Q: usize): void {
  const W = tileWidth<T>();
  const m4 = (m + 3) & ~3;
  if (m4 > m) memory.fill(at<T>(D, m * dp), 0, <usize>((m4 - m) * dp) * sizeof<T>());
  const stride = <usize>dp * sizeof<T>();
  for (let r0 = 0; r0 < m4; r0 += 4) {
    const d0 = at<T>(D, r0 * dp);
    startSums(Q, PQ, r0, from);
    for (let c0 = from; c0 < limit; c0 += W) {
      columnTileOf<T>(d0, stride, U, c0, c0 + W, Q, 0, true); // c0 + W ≤ limit < d
    }
    for (let r = 0; r < 4; r++) {
      const q = v128.load(Q + (<usize>r << 4));
      v128.store(PQ + (<usize>(r0 + r) << 4), q);
      store<f64>(f64at(PART, r0 + r), f64x2.extract_lane(q, 0) + f64x2.extract_lane(q, 1));
    }
  }
}

/**
 * One 4-row × 4-column register tile of the product D·U over p < pend in f64
 * (see {@link columnTileOf}): the tied kernel's whitening (`square` false).
 */
@inline
export function columnTile(d0: usize, stride: usize, U: usize, c0: i32, pend: i32, out: usize, outStride: usize, square: bool): void {
  columnTileOf<f64>(d0, stride, U, c0, pend, out, outStride, square);
}

/**
 * One 4-row × (2 vectors)-column register tile of the product D·U over
 * p < pend (rows of D from d0 and rows of U, `stride` bytes apart; U read
 * from column c0), in T: with `square`, adds each row's sum of squares to Q
 * (4 rows × 2 lanes, in f64); else stores the tile to `out` (rows
 * `outStride` bytes apart). Inlined with a constant `square`, so each caller
 * gets its own branch-free loop.
 */
@inline
function columnTileOf<T>(d0: usize, stride: usize, U: usize, c0: i32, pend: i32, out: usize, outStride: usize, square: bool): void {
  const d1 = d0 + stride;
  const d2 = d1 + stride;
  const d3 = d2 + stride;
  let a00 = f64x2.splat(0), a01 = f64x2.splat(0), a10 = f64x2.splat(0), a11 = f64x2.splat(0);
  let a20 = f64x2.splat(0), a21 = f64x2.splat(0), a30 = f64x2.splat(0), a31 = f64x2.splat(0);
  let u = at<T>(U, c0);
  const bytes = <usize>pend * sizeof<T>();
  for (let pp: usize = 0; pp < bytes; pp += sizeof<T>()) {
    const u0 = v128.load(u);
    const u1 = v128.load(u, 16);
    u += stride;
    let e = splatLoad<T>(d0 + pp);
    a00 = vmadd<T>(e, u0, a00); a01 = vmadd<T>(e, u1, a01);
    e = splatLoad<T>(d1 + pp);
    a10 = vmadd<T>(e, u0, a10); a11 = vmadd<T>(e, u1, a11);
    e = splatLoad<T>(d2 + pp);
    a20 = vmadd<T>(e, u0, a20); a21 = vmadd<T>(e, u1, a21);
    e = splatLoad<T>(d3 + pp);
    a30 = vmadd<T>(e, u0, a30); a31 = vmadd<T>(e, u1, a31);
  }
  if (square) {
    const Q = out;
    addSquares<T>(Q, a00, a01);
    addSquares<T>(Q + 16, a10, a11);
    addSquares<T>(Q + 32, a20, a21);
    addSquares<T>(Q + 48, a30, a31);
  } else {
    v128.store(out, a00);
    v128.store(out, a01, 16);
    v128.store(out + outStride, a10);
    v128.store(out + outStride, a11, 16);
    v128.store(out + 2 * outStride, a20);
    v128.store(out + 2 * outStride, a21, 16);
    v128.store(out + 3 * outStride, a30);
    v128.store(out + 3 * outStride, a31, 16);
  }
}

/** q (2 f64 lanes at `q`) += the squares of the values of a0 and a1 (vectors of T), in f64. */
@inline
function addSquares<T>(q: usize, a0: v128, a1: v128): void {
  if (sizeof<T>() == 8) {
    v128.store(q, madd(a1, a1, madd(a0, a0, v128.load(q))));
    return;
  }
  const l0 = lowHalf(a0), h0 = highHalf(a0), l1 = lowHalf(a1), h1 = highHalf(a1);
  v128.store(q, madd(h1, h1, madd(l1, l1, madd(h0, h0, madd(l0, l0, v128.load(q))))));
}

/** Q (4 rows × 2 lanes) = zeros, or (from > 0) rows r0..r0+3 of PQ. */
@inline
function startSums(Q: usize, PQ: usize, r0: i32, from: i32): void {
  if (from == 0) {
    v128.store(Q, f64x2.splat(0));
    v128.store(Q, f64x2.splat(0), 16);
    v128.store(Q, f64x2.splat(0), 32);
    v128.store(Q, f64x2.splat(0), 48);
  } else {
    const p = PQ + (<usize>r0 << 4);
    v128.store(Q, v128.load(p));
    v128.store(Q, v128.load(p, 16), 16);
    v128.store(Q, v128.load(p, 32), 32);
    v128.store(Q, v128.load(p, 48), 48);
  }
}

/** out[a] = xi[a] − mu[a] for a in [from, to) (whole vectors). */
@inline
function centerColumns<T>(xi: usize, mu: usize, out: usize, from: i32, to: i32): void {
  for (let a = from; a < to; a += lanes<T>()) v128.store(at<T>(out, a), vsub<T>(v128.load(at<T>(xi, a)), v128.load(at<T>(mu, a))));
}

/** Centers columns [from, to) of the m rows of D, whose data rows are b0 + IDX[r]. */
function centerSurvivors<T>(x: usize, b0: i32, dx: i32, dp: i32, mu: usize, D: usize, IDX: usize, m: i32, from: i32, to: i32): void {
  for (let r = 0; r < m; r++) {
    const i = load<i32>(IDX + (<usize>r << 2));
    centerColumns<T>(at<T>(x, (b0 + i) * dx), mu, at<T>(D, r * dp), from, to);
  }
}

/** Whether every real row of the tile at r0 has a partial sum of squares above its threshold. */
@inline
function beyond(Q: usize, THR: usize, r0: i32, m: i32): bool {
  for (let r = 0; r < 4 && r0 + r < m; r++) {
    const q = v128.load(Q + (<usize>r << 4));
    if (!(f64x2.extract_lane(q, 0) + f64x2.extract_lane(q, 1) > load<f64>(f64at(THR, r0 + r)))) return false;
  }
  return true;
}

/**
 * S[a, b] += Σᵢ RD[i, a]·DC[i, b] for the 4 × 4 tiles on or above the
 * diagonal (dp × dp, row-major), in f64.
 */
export function weightedSyrk(DC: usize, RD: usize, m: i32, dp: i32, S: usize): void {
  for (let a0 = 0; a0 < dp; a0 += 4) {
    for (let c0 = a0; c0 < dp; c0 += 4) {
      let a00 = f64x2.splat(0), a01 = f64x2.splat(0), a10 = f64x2.splat(0), a11 = f64x2.splat(0);
      let a20 = f64x2.splat(0), a21 = f64x2.splat(0), a30 = f64x2.splat(0), a31 = f64x2.splat(0);
      let v = f64at(DC, c0);
      let sp = f64at(RD, a0);
      const stride = <usize>dp << 3;
      for (let i = 0; i < m; i++) {
        const v0 = v128.load(v);
        const v1 = v128.load(v, 16);
        let e = v128.load64_splat(sp);
        a00 = madd(e, v0, a00); a01 = madd(e, v1, a01);
        e = v128.load64_splat(sp, 8);
        a10 = madd(e, v0, a10); a11 = madd(e, v1, a11);
        e = v128.load64_splat(sp, 16);
        a20 = madd(e, v0, a20); a21 = madd(e, v1, a21);
        e = v128.load64_splat(sp, 24);
        a30 = madd(e, v0, a30); a31 = madd(e, v1, a31);
        v += stride;
        sp += stride;
      }
      const t = f64at(S, a0 * dp + c0);
      const row = <usize>dp << 3;
      v128.store(t, f64x2.add(v128.load(t), a00));
      v128.store(t, f64x2.add(v128.load(t, 16), a01), 16);
      v128.store(t + row, f64x2.add(v128.load(t + row), a10));
      v128.store(t + row, f64x2.add(v128.load(t + row, 16), a11), 16);
      v128.store(t + 2 * row, f64x2.add(v128.load(t + 2 * row), a20));
      v128.store(t + 2 * row, f64x2.add(v128.load(t + 2 * row, 16), a21), 16);
      v128.store(t + 3 * row, f64x2.add(v128.load(t + 3 * row), a30));
      v128.store(t + 3 * row, f64x2.add(v128.load(t + 3 * row, 16), a31), 16);
    }
  }
}
