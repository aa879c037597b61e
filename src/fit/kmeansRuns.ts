/**
 * k-means written once: `nInit` runs of Lloyd from k-means++ seeds, random
 * rows or given centers; the run of lowest inertia. `KMeans.fit`,
 * `KMeans.fitAsync` and a mixture's `'kmeans'` initialization drive it.
 *
 * @module
 */
import { NumericalError } from '../errors.js';
import { isMatrix, type Matrix } from '../matrix/matrix.js';
import type { Random } from '../random/random.js';
import { lloydRun, type LloydResult } from './lloyd.js';
import { ask, type FitSteps } from './rows.js';

/** How k-means chooses its initial centers. */
export type KMeansInit = 'k-means++' | 'random';

/** The validated settings of a k-means fit. */
export interface KMeansSettings {
  /** Clusters. */
  readonly k: number;
  /** Initialization method, or the initial centers (k × d). */
  readonly init: KMeansInit | Matrix;
  /** Runs (from different initial centers). */
  readonly nInit: number;
  /** Lloyd iterations per run. */
  readonly maxIter: number;
  /** Relative tolerance (scaled by the features' mean variance, as scikit-learn). */
  readonly tol: number;
}

/**
 * `nInit` runs of Lloyd; the one with the lowest inertia (the first of equals).
 *
 * @param X - Data, n × d (the rows the requests are about, or a sample of them: random rows come from it).
 * @param settings - Clusters, initialization, runs, iterations, tolerance.
 * @param rng - Random source (k-means++ seeds, random rows).
 * @param scale - What `settings.tol` is relative to: {@link meanVariance} of X (given when already known).
 * @returns The best run (as the generator's return value).
 * @throws {@link NumericalError} if distances overflow.
 */
export function* kmeansRuns(X: Matrix, settings: KMeansSettings, rng: Random, scale = meanVariance(X)): FitSteps<LloydResult> {
  const { k, init, nInit, maxIter } = settings;
  const tol = scale * settings.tol;
  let best: LloydResult | null = null;
  for (let run = 0; run < nInit; run++) {
    const centers = isMatrix(init)
      ? init.data
      : init === 'k-means++'
        ? (yield* ask({ kind: 'seed', k, rng })).centers
        : rowsAt(X, rng.sampleWithoutReplacement(X.rows, k));
    best = better(best, yield* lloydRun(X.cols, centers, k, maxIter, tol));
  }
  return best!;
}

/** The run with the lower inertia (the earlier on ties), after checking the new one is finite. */
function better(best: LloydResult | null, result: LloydResult): LloydResult {
  if (!Number.isFinite(result.inertia) || !result.centers.every(Number.isFinite)) {
    throw new NumericalError(
      'k-means: squared distances overflowed (data of extreme scale); scale the data, e.g. divide it by its standard deviation',
    );
  }
  return best === null || result.inertia < best.inertia ? result : best;
}

function rowsAt(X: Matrix, indices: Int32Array): Float64Array {
  const d = X.cols;
  const out = new Float64Array(indices.length * d);
  for (let c = 0; c < indices.length; c++) out.set(X.data.subarray(indices[c] * d, (indices[c] + 1) * d), c * d);
  return out;
}

/**
 * Mean over columns of each column's population variance, unweighted (scikit-learn's `_tolerance`).
 *
 * @param X - Data.
 * @returns The mean variance.
 */
export function meanVariance(X: Matrix): number {
  const { rows: n, cols: d, data } = X;
  let total = 0;
  for (let j = 0; j < d; j++) {
    let mean = 0;
    for (let i = 0; i < n; i++) mean += data[i * d + j];
    mean /= n;
    let v = 0;
    for (let i = 0; i < n; i++) {
      const t = data[i * d + j] - mean;
      v += t * t;
    }
    total += v / n;
  }
  return total / d;
}
