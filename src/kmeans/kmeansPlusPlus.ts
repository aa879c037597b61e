import { NumericalError } from '../errors.js';
import type { Matrix } from '../matrix/matrix.js';
import type { Random } from '../random/random.js';
import { squaredDistance } from './distance.js';

/**
 * Greedy k-means++ seeding, as scikit-learn's `kmeans_plusplus`: the first
 * center is a random row (drawn in proportion to `weights` when given); each
 * next center is the best, by resulting potential Σ w·D², of `2 + ⌊ln k⌋`
 * candidates drawn with probability proportional to w·D² (D: distance to the
 * nearest chosen center).
 *
 * Complexity: O(n·d·k·(2 + ln k)) time, O(n) extra memory.
 *
 * @param X - Data, n × d.
 * @param k - Number of centers, 1 ≤ k ≤ n.
 * @param rng - Random source.
 * @param weights - Optional non-negative row weights (length n).
 * @returns `centers` (k × d, row-major) and the row `indices` they were taken from.
 * @example
 * ```ts
 * const { indices } = kmeansPlusPlus(asMatrix(points), 3, new Random(0), null);
 * ```
 */
export function kmeansPlusPlus(
  X: Matrix,
  k: number,
  rng: Random,
  weights: Float64Array | null,
): { centers: Float64Array; indices: Int32Array } {
  const { rows: n, cols: d, data } = X;
  const centers = new Float64Array(k * d);
  const indices = new Int32Array(k);
  const trials = 2 + Math.floor(Math.log(k));

  // One uniform either way, so all-ones weights draw exactly what no weights draw.
  const first = weights ? rng.categorical(weights) : Math.min(n - 1, Math.floor(rng.uniform() * n));
  indices[0] = first;
  centers.set(data.subarray(first * d, (first + 1) * d), 0);

  let closest = new Float64Array(n);
  let candidate = new Float64Array(n);
  let best = new Float64Array(n);
  const cumulative = new Float64Array(n);
  let potential = 0;
  for (let i = 0; i < n; i++) {
    closest[i] = squaredDistance(data, i, centers, 0, d);
    potential += weightOf(weights, i) * closest[i];
  }
  if (!Number.isFinite(potential)) {
    throw new NumericalError(
      'k-means++: the sum of squared distances overflowed (data of extreme scale); scale the data, e.g. divide it by its standard deviation',
    );
  }

  for (let c = 1; c < k; c++) {
    let acc = 0;
    for (let i = 0; i < n; i++) {
      acc += weightOf(weights, i) * closest[i];
      cumulative[i] = acc;
    }
    let bestPotential = Infinity;
    let bestIndex = -1;
    for (let t = 0; t < trials; t++) {
      const id = Math.min(searchSortedLeft(cumulative, rng.uniform() * potential), n - 1);
      let pot = 0;
      for (let i = 0; i < n; i++) {
        const dist = Math.min(closest[i], squaredDistance(data, i, data, id, d));
        candidate[i] = dist;
        pot += weightOf(weights, i) * dist;
      }
      if (t === 0 || pot < bestPotential) {
        bestPotential = pot;
        bestIndex = id;
        [best, candidate] = [candidate, best];
      }
    }
    [closest, best] = [best, closest];
    potential = bestPotential;
    indices[c] = bestIndex;
    centers.set(data.subarray(bestIndex * d, (bestIndex + 1) * d), c * d);
  }
  return { centers, indices };
}

function weightOf(weights: Float64Array | null, i: number): number {
  return weights ? weights[i] : 1;
}

/** First index i with sorted[i] ≥ value (numpy's searchsorted, side 'left'). */
function searchSortedLeft(sorted: Float64Array, value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
