import { NumericalError } from '../errors.js';
import type { Matrix } from '../matrix/matrix.js';
import type { Random } from '../random/random.js';
import { seedTrialCount, type AssignStep } from './assign.js';

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
  const trials = seedTrialCount(k);

  // One uniform either way, so all-ones weights draw exactly what no weights draw.
  const first = weights ? rng.categorical(weights) : Math.min(n - 1, Math.floor(rng.uniform() * n));
  indices[0] = first;
  centers.set(data.subarray(first * d, (first + 1) * d), 0);

  let potential = step.seedFirst(first);
  if (!Number.isFinite(potential)) {
    throw new NumericalError(
      'k-means++: the sum of squared distances overflowed (data of extreme scale); scale the data, e.g. divide it by its standard deviation',
    );
  }
  const cumulative = new Float64Array(n);
  const candidates = new Int32Array(trials);
  for (let c = 1; c < k; c++) {
    const distances = step.closest;
    let acc = 0;
    for (let i = 0; i < n; i++) {
      acc += weightOf(weights, i) * distances[i];
      cumulative[i] = acc;
    }
    // The candidates' draws do not depend on their potentials: draw them all, then try them in one pass.
    for (let t = 0; t < trials; t++) candidates[t] = Math.min(searchSortedLeft(cumulative, rng.uniform() * potential), n - 1);
    const potentials = step.seedTrials(candidates);
    let best = 0;
    for (let t = 1; t < trials; t++) if (potentials[t] < potentials[best]) best = t;
    potential = potentials[best];
    step.seedAccept(best);
    indices[c] = candidates[best];
    centers.set(data.subarray(candidates[best] * d, (candidates[best] + 1) * d), c * d);
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
