/**
 * Squared Euclidean distances between rows and centers, by direct
 * differences (accurate for data far from the origin, unlike the
 * ‖x‖² − 2x·c + ‖c‖² expansion).
 *
 * @module
 */

/**
 * ‖X[row] − C[center]‖².
 *
 * @param x - Row-major data (d columns).
 * @param row - Row index into `x`.
 * @param c - Row-major centers (d columns).
 * @param center - Row index into `c`.
 * @param d - Number of columns.
 * @returns The squared distance.
 */
export function squaredDistance(x: Float64Array, row: number, c: Float64Array, center: number, d: number): number {
  const xo = row * d;
  const co = center * d;
  let s = 0;
  for (let j = 0; j < d; j++) {
    const t = x[xo + j] - c[co + j];
    s += t * t;
  }
  return s;
}

/**
 * Index of the nearest center of a row (the first one on ties), and its squared distance.
 *
 * @param x - Row-major data.
 * @param row - Row index.
 * @param c - Row-major centers.
 * @param k - Number of centers.
 * @param d - Number of columns.
 * @param out - `out[0]` receives the squared distance to the nearest center.
 * @returns The index of the nearest center.
 */
export function nearestCenter(x: Float64Array, row: number, c: Float64Array, k: number, d: number, out: Float64Array): number {
  let best = 0;
  let bestDist = Infinity;
  for (let j = 0; j < k; j++) {
    const dist = squaredDistance(x, row, c, j, d);
    if (dist < bestDist) {
      bestDist = dist;
      best = j;
    }
  }
  out[0] = bestDist;
  return best;
}
