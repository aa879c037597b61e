import type { Matrix } from '../matrix/matrix.js';
import type { AssignStep } from './assign.js';

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
 * Complexity: O(n·k·d) per iteration, O(n + k·d) memory.
 *
 * @param X - Data, n × d.
 * @param weights - Non-negative row weights, or null for all ones.
 * @param step - The assignment step bound to X (WebAssembly or TypeScript).
 * @param init - Initial centers, k × d row-major (not modified).
 * @param k - Number of clusters.
 * @param maxIter - Maximum iterations (≥ 1).
 * @param tol - Absolute tolerance on Σ‖Δcenter‖² (scikit-learn scales its
 *   relative `tol` by the mean feature variance before calling this).
 * @returns The run's outcome.
 */
export function lloyd(
  X: Matrix,
  weights: Float64Array | null,
  step: AssignStep,
  init: Float64Array,
  k: number,
  maxIter: number,
  tol: number,
): LloydResult {
  const { rows: n, cols: d } = X;
  let centers = Float64Array.from(init);
  let centersNew = new Float64Array(k * d);
  const labelsOld = new Int32Array(n).fill(-1);
  const weightIn = new Float64Array(k);
  let strict = false;
  let converged = false;
  let iter = 0;
  while (iter < maxIter) {
    iter++;
    step.assign(centers);
    centersNew.set(step.sums);
    weightIn.set(step.counts);
    if (weightIn.includes(0)) {
      step.computeDistances(centers);
      relocateEmptyClusters(X, weights, step, centersNew, weightIn, k);
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
    if (arraysEqual(step.labels, labelsOld)) {
      strict = true;
      converged = true;
      break;
    }
    if (shift <= tol) {
      converged = true;
      break;
    }
    labelsOld.set(step.labels);
  }
  // Labels against the final centers (strict convergence: they already are), then exact distances.
  if (!strict) step.assign(centers);
  step.computeDistances(centers);
  let inertia = 0;
  for (let i = 0; i < n; i++) inertia += (weights ? weights[i] : 1) * step.distances[i];
  return { centers, labels: Int32Array.from(step.labels), inertia, nIter: iter, converged };
}

/**
 * Gives every empty cluster one of the rows farthest from their current
 * center (scikit-learn's `_relocate_empty_clusters_dense`): the row's
 * weighted contribution moves from its cluster's sum to the empty one.
 * Works on weighted sums (before the division by `weightIn`).
 */
function relocateEmptyClusters(
  X: Matrix,
  weights: Float64Array | null,
  step: AssignStep,
  sums: Float64Array,
  weightIn: Float64Array,
  k: number,
): void {
  const empty: number[] = [];
  for (let c = 0; c < k; c++) if (weightIn[c] === 0) empty.push(c);
  if (empty.length === 0) return;
  const { rows: n, cols: d, data } = X;
  const { labels, distances } = step;
  const order: number[] = [];
  for (let i = 0; i < n; i++) if (!weights || weights[i] > 0) order.push(i);
  order.sort((a, b) => distances[b] - distances[a] || a - b);
  for (let e = 0; e < empty.length && e < order.length; e++) {
    const target = empty[e]!;
    const far = order[e]!;
    const w = weights ? weights[far] : 1;
    const source = labels[far];
    for (let j = 0; j < d; j++) {
      const v = data[far * d + j] * w;
      sums[source * d + j] -= v;
      sums[target * d + j] = v;
    }
    weightIn[target] = w;
    weightIn[source] -= w;
  }
}

function arraysEqual(a: Int32Array, b: Int32Array): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
