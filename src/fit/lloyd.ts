import type { Matrix } from '../matrix/matrix.js';
import { ask, type FarRows, type FitSteps } from './rows.js';

/** Outcome of one run of Lloyd's algorithm. */
export interface LloydResult {
  /** Final centers, k × d row-major. */
  centers: Float64Array;
  /** Index of the nearest final center of every row. */
  labels: Int32Array;
  /** Σ w·‖x − center(x)‖² with the final centers and labels. */
  inertia: number;
  /** Iterations run. */
  nIter: number;
  /** True if the labels stopped changing or the centers moved less than `tol`. */
  converged: boolean;
}

/**
 * Lloyd's algorithm exactly as scikit-learn's `_kmeans_single_lloyd`: assign
 * every row to its nearest center, move each center to the (weighted) mean of
 * its rows, relocate empty clusters to the rows farthest from their centers;
 * stop when the labels repeat (strict convergence) or when the total squared
 * center shift is ≤ `tol`; then, unless strictly converged, relabel the rows
 * against the final centers so that labels and centers agree.
 *
 * A generator of what it needs of the rows (assignments, the farthest rows,
 * labels, the inertia; see `Rows`), so the same loop runs on this thread, on
 * a worker pool or over a stream: it never reads the rows itself.
 *
 * Complexity: O(n·k·d) per iteration, O(n + k·d) memory.
 *
 * @param d - Features.
 * @param init - Initial centers, k × d row-major (not modified).
 * @param k - Number of clusters.
 * @param maxIter - Maximum iterations (≥ 1).
 * @param tol - Absolute tolerance on Σ‖Δcenter‖² (scikit-learn scales its
 *   relative `tol` by the mean feature variance before calling this).
 * @returns The run's outcome (as the generator's return value).
 */
export function* lloydRun(d: number, init: Float64Array, k: number, maxIter: number, tol: number): FitSteps<LloydResult> {
  let centers = Float64Array.from(init);
  let centersNew = new Float64Array(k * d);
  const weightIn = new Float64Array(k);
  let strict = false;
  let converged = false;
  let iter = 0;
  while (iter < maxIter) {
    iter++;
    const assigned = yield* ask({ kind: 'assign', k, centers, fresh: iter === 1 });
    centersNew.set(assigned.sums);
    weightIn.set(assigned.counts);
    const empty = weightIn.reduce((count, w) => count + (w === 0 ? 1 : 0), 0);
    if (empty > 0) {
      const far = yield* ask({ kind: 'farthest', k, centers, count: empty });
      relocateEmptyClusters(far, d, centersNew, weightIn, k);
    }
    let shift = 0;
    for (let c = 0; c < k; c++) {
      const co = c * d;
      if (weightIn[c] > 0) {
        const alpha = 1 / weightIn[c];
        for (let j = 0; j < d; j++) centersNew[co + j] *= alpha;
      }
      for (let j = 0; j < d; j++) {
        const t = centersNew[co + j] - centers[co + j];
        shift += t * t;
      }
    }
    [centers, centersNew] = [centersNew, centers];
    // Strict convergence: no label changed (a run's first assignment changes them all).
    if (assigned.changed === 0) {
      strict = true;
      converged = true;
      break;
    }
    if (shift <= tol) {
      converged = true;
      break;
    }
  }
  // Labels against the final centers (strict convergence: they already are), then exact distances.
  if (!strict) yield* ask({ kind: 'assign', k, centers, fresh: false });
  const finalLabels = Int32Array.from(yield* ask({ kind: 'labels', k }));
  const inertia = yield* ask({ kind: 'inertia', k, centers });
  return { centers, labels: finalLabels, inertia, nIter: iter, converged };
}

/**
 * Gives every empty cluster one of the rows farthest from their current
 * center (scikit-learn's `_relocate_empty_clusters_dense`): the row's
 * weighted contribution moves from its cluster's sum to the empty one.
 * Works on weighted sums (before the division by `weightIn`).
 */
function relocateEmptyClusters(far: FarRows, d: number, sums: Float64Array, weightIn: Float64Array, k: number): void {
  const empty: number[] = [];
  for (let c = 0; c < k; c++) if (weightIn[c] === 0) empty.push(c);
  for (let e = 0; e < empty.length && e < far.labels.length; e++) {
    const target = empty[e]!;
    const w = far.weights[e]!;
    const source = far.labels[e]!;
    for (let j = 0; j < d; j++) {
      const v = far.rows[e * d + j]! * w;
      sums[source * d + j] -= v;
      sums[target * d + j] = v;
    }
    weightIn[target] = w;
    weightIn[source] -= w;
  }
}

/**
 * The `count` rows of positive weight farthest from their centers, from
 * every row's distance: what rows holding the whole data answer
 * `'farthest'` with (distance descending, the earlier row first on ties).
 *
 * @param X - Data, n × d.
 * @param weights - Row weights or null.
 * @param labels - Each row's cluster.
 * @param distances - Each row's squared distance to its center.
 * @param count - Rows wanted.
 * @returns The rows, their weights and labels.
 */
export function farthestRows(
  X: Matrix,
  weights: Float64Array | null,
  labels: Int32Array,
  distances: Float64Array,
  count: number,
): FarRows {
  const { rows: n, cols: d, data } = X;
  const order: number[] = [];
  for (let i = 0; i < n; i++) if (!weights || weights[i]! > 0) order.push(i);
  order.sort((a, b) => distances[b]! - distances[a]! || a - b);
  const picked = order.slice(0, count);
  const rows = new Float64Array(picked.length * d);
  picked.forEach((i, e) => rows.set(data.subarray(i * d, (i + 1) * d), e * d));
  return {
    rows,
    weights: Float64Array.from(picked, (i) => (weights ? weights[i]! : 1)),
    labels: Int32Array.from(picked, (i) => labels[i]!),
  };
}

/**
 * Σ w·distance in row order: the inertia.
 *
 * @param weights - Row weights or null.
 * @param distances - Each row's squared distance to its center.
 * @returns The weighted sum.
 */
export function weightedSum(weights: Float64Array | null, distances: Float64Array): number {
  let total = 0;
  for (let i = 0; i < distances.length; i++) total += (weights ? weights[i]! : 1) * distances[i]!;
  return total;
}
