import { NumericalError } from '../errors.js';
import type { Matrix } from '../matrix/matrix.js';
import type { Random } from '../random/random.js';
import type { AssignStep } from './assign.js';

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
 * @param step - The data's assignment step, whose distance kernel and buffers the seeding uses.
 * @returns `centers` (k × d, row-major) and the row `indices` they were taken from.
 * @example
 * ```ts
 * const { indices } = kmeansPlusPlus(X, 3, new Random(0), null, createAssignStep(X, null, 3));
 * ```
 */
export function kmeansPlusPlus(
  X: Matrix,
  k: number,
  rng: Random,
  weights: Float64Array | null,
  step: AssignStep,
): { centers: Float64Array; indices: Int32Array } {
  const { rows: n, cols: d, data } = X;
  const centers = new Float64Array(k * d);
  const indices = new Int32Array(k);
  const trials = 2 + Math.floor(Math.log(k));

  // One uniform either way, so all-ones weights draw exactly what no weights draw.
  const first = weights ? rng.categorical(weights) : Math.min(n - 1, Math.floor(rng.uniform() * n));
  indices[0] = first;
  centers.set(data.subarray(first * d, (first + 1) * d), 0);

  // Three distance buffers of the step (in the kernels' memory where they run): the current
  // closest distances, the candidate being tried, and the best candidate so far.
  let closest = 0;
  let candidate = 1;
  let best = 2;
  let potential = step.seedDistances(first, -1, closest);
  if (!Number.isFinite(potential)) {
    throw new NumericalError(
      'k-means++: the sum of squared distances overflowed (data of extreme scale); scale the data, e.g. divide it by its standard deviation',
    );
  }
  const cumulative = new Float64Array(n);
  for (let c = 1; c < k; c++) {
    const distances = step.seeding[closest];
    let acc = 0;
    for (let i = 0; i < n; i++) {
      acc += weightOf(weights, i) * distances[i];
      cumulative[i] = acc;
    }
    let bestPotential = Infinity;
    let bestIndex = -1;
    for (let t = 0; t < trials; t++) {
      const id = Math.min(searchSortedLeft(cumulative, rng.uniform() * potential), n - 1);
      const pot = step.seedDistances(id, closest, candidate);
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
