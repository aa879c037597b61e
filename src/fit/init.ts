/**
 * Initial parameters of an EM run: from responsibilities produced by k-means,
 * k-means++, random rows or random numbers (scikit-learn's
 * `_initialize_parameters`), then overridden by any user-given initial
 * weights, means or precisions.
 *
 * @module
 */
import { hierarchyPartition, hierarchyVVV, svdScaled, type Hierarchy } from './hierarchical.js';
import { kmeansRuns, meanVariance } from './kmeansRuns.js';
import { columnMoments } from '../matrix/standardize.js';
import { ask, type FitSteps } from './rows.js';
import { matrix, type Matrix } from '../matrix/matrix.js';
import { Random, type RandomState } from '../random/random.js';
import type { CovarianceStrategy } from '../mixture/covariance/index.js';
import { BLOCK_ROWS } from '../mixture/estep.js';
import { maximize } from '../mixture/mstep.js';
import { EPSILON, type MixtureParameters, type NoiseComponent } from '../mixture/parameters.js';
import type { ConjugatePrior } from '../mixture/prior.js';
import { createStatistics, type SufficientStatistics } from '../mixture/statistics.js';

/** How the initial responsibilities are chosen (scikit-learn's `init_params`, and mclust's `'hc'`). */
export type InitParams = 'kmeans' | 'k-means++' | 'random' | 'random_from_data' | 'hc';

/**
 * At most this many rows go into the hierarchical start (`'hc'`), as
 * mclust's `mclust.options("subset")`: its cost grows as n², its memory as n².
 */
export const HC_MAX_ROWS = 2000;

/** The hierarchy of the hierarchical start and the rows it covers. */
export interface RowHierarchy extends Hierarchy {
  /** The data rows of the hierarchy's n items, ascending. */
  readonly rows: Int32Array;
}

/** The data of a fit, validated, with what every run reuses. */
export interface FitData {
  /** Data, n × d. */
  readonly X: Matrix;
  /** Row weights, or null for all ones. */
  readonly weights: Float64Array | null;
  /** Σ w. */
  readonly totalWeight: number;
  /** Weighted mean of the rows (d). */
  readonly dataMean: Float64Array;
  /** Weighted population variance of every column (d; computed on first use, then kept). */
  readonly columnVariance: Float64Array;
  /** Mean over columns of each column's unweighted population variance: the scale of k-means' tolerance (computed on first use, then kept). */
  readonly kmeansScale: number;
  /** mclust's hierarchical clustering of the rows (for `'hc'`; computed on first use, then kept: one for a whole grid). */
  readonly hierarchy: RowHierarchy;
  /**
   * The `'kmeans'` starts already run on these rows, by k and the random generator's state before: a grid's
   * cells of one k and different covariance types start from the same k-means run, which then runs once.
   * Absent: every start runs (a single fit, whose runs all start from different states).
   */
  readonly kmeansStarts?: KMeansStarts;
}

/** Memoized k-means starts (see `FitData.kmeansStarts`): labels, and the generator's state after the run. */
export interface KMeansStarts {
  readonly runs: Map<string, { readonly labels: Int32Array; readonly after: RandomState }>;
  /** Bytes of labels kept so far (at most {@link KMEANS_STARTS_BYTES}: later runs are not kept). */
  bytes: number;
}

/** Most bytes of labels a {@link KMeansStarts} keeps (64 MiB). */
export const KMEANS_STARTS_BYTES = 1 << 26;

/**
 * Bundles validated data with its total weight and weighted mean, and (on
 * first use) the column variances the fit's warnings and its k-means start
 * need: a grid of fits sharing one FitData computes them once.
 *
 * @param X - Validated data.
 * @param weights - Validated row weights or null.
 * @param options - `shareStarts`: keep the `'kmeans'` starts for the other fits of a grid (`kmeansStarts`).
 * @returns The fit data.
 */
export function fitData(X: Matrix, weights: Float64Array | null, options: { shareStarts?: boolean } = {}): FitData {
  const { rows: n, cols: d, data } = X;
  const dataMean = new Float64Array(d);
  let totalWeight = 0;
  for (let i = 0; i < n; i++) {
    const w = weights === null ? 1 : weights[i];
    if (w === 0) continue;
    totalWeight += w;
    for (let a = 0; a < d; a++) dataMean[a] += w * data[i * d + a];
  }
  for (let a = 0; a < d; a++) dataMean[a] /= totalWeight;
  let columnVariance: Float64Array | undefined;
  let kmeansScale: number | undefined;
  let hierarchy: RowHierarchy | undefined;
  return {
    X,
    weights,
    totalWeight,
    dataMean,
    get columnVariance() {
      return (columnVariance ??= columnMoments(X, weights).variance);
    },
    get kmeansScale() {
      return (kmeansScale ??= meanVariance(X));
    },
    get hierarchy() {
      return (hierarchy ??= rowHierarchy(X, weights));
    },
    ...(options.shareStarts ? { kmeansStarts: { runs: new Map(), bytes: 0 } } : {}),
  };
}

/**
 * Initial responsibilities (n × k) by the chosen method.
 *
 * - `'kmeans'`: one k-means run (k-means++ seeding, Lloyd), one-hot labels;
 * - `'k-means++'`: k-means++ seeding only; the k chosen rows get one-hot rows;
 * - `'random'`: uniform random responsibilities, each row normalized;
 * - `'random_from_data'`: k distinct random rows (of positive weight) get one-hot rows;
 * - `'hc'`: mclust's start, the k-cluster level of the VVV model-based
 *   hierarchical clustering of the rows of positive weight (unweighted; at most
 *   {@link HC_MAX_ROWS} of them, the same seeded sample for every run, whose
 *   rows alone make the first M-step, as mclust's `subset`: each then counts
 *   Σw / Σw(sample), not 1, so that the weights sum to 1); it draws nothing
 *   from `rng`, so every run starts the same.
 *
 * @param method - The method.
 * @param data - The fit data.
 * @param k - Components.
 * @param rng - Random source.
 * @returns Responsibilities, n × k row-major (as the generator's return value).
 */
export function* initialResponsibilities(method: InitParams, data: FitData, k: number, rng: Random): FitSteps<Float64Array> {
  const { X, weights } = data;
  const n = X.rows;
  const resp = new Float64Array(n * k);
  switch (method) {
    case 'kmeans': {
      // A function of the rows, k and the generator's state alone: a run already made from the same state
      // (another cell of a grid) is taken with the state it left, exactly as if it ran again.
      const starts = data.kmeansStarts;
      const key = starts && `${k}|${rng.state().join(',')}`;
      const known = key === undefined ? undefined : starts!.runs.get(key);
      let labels: Int32Array;
      if (known) {
        labels = known.labels;
        rng.restore(known.after);
      } else {
        const settings = { k, init: 'k-means++', nInit: 1, maxIter: 300, tol: 1e-4 } as const;
        labels = (yield* kmeansRuns(X, settings, rng, data.kmeansScale)).labels;
        if (starts && starts.bytes + labels.byteLength <= KMEANS_STARTS_BYTES) {
          starts.runs.set(key!, { labels, after: rng.state() });
          starts.bytes += labels.byteLength;
        }
      }
      for (let i = 0; i < n; i++) resp[i * k + labels[i]] = 1;
      return resp;
    }
    case 'k-means++': {
      const { indices } = yield* ask({ kind: 'seed', k, rng });
      for (let j = 0; j < k; j++) resp[indices[j] * k + j] = 1;
      return resp;
    }
    case 'random': {
      for (let i = 0; i < n; i++) {
        let s = 0;
        for (let j = 0; j < k; j++) s += resp[i * k + j] = rng.uniform();
        for (let j = 0; j < k; j++) resp[i * k + j] /= s;
      }
      return resp;
    }
    case 'random_from_data': {
      const candidates: number[] = [];
      for (let i = 0; i < n; i++) if (weights === null || weights[i] > 0) candidates.push(i);
      const chosen = rng.sampleWithoutReplacement(candidates.length, k);
      for (let j = 0; j < k; j++) resp[candidates[chosen[j]] * k + j] = 1;
      return resp;
    }
    case 'hc': {
      const h = data.hierarchy;
      const labels = hierarchyPartition(h, k);
      // A sample stands for all rows: its one-hot rows count Σw / Σw(sample) each, so that the first M-step's
      // weights sum to 1 (its means and covariances are the sample's, as mclust's). Without a sample the two
      // sums add the same values in the same order: the share is exactly 1.
      let sampled = 0;
      for (let t = 0; t < h.n; t++) sampled += weights === null ? 1 : weights[h.rows[t]];
      const share = data.totalWeight / sampled;
      for (let t = 0; t < h.n; t++) resp[h.rows[t] * k + labels[t]] = share;
      return resp;
    }
    default: {
      const unreachable: never = method;
      throw new Error(`unknown init method ${String(unreachable)}`);
    }
  }
}

/**
 * Parameters estimated from given responsibilities (scikit-learn's
 * `_initialize`): means Σwr·x/nₖ, covariances about those means, weights
 * nₖ / Σw.
 *
 * @param strategy - Covariance strategy.
 * @param data - The fit data.
 * @param resp - Responsibilities, n × k (with a noise component, a row's 1 − Σₖ rᵢₖ is the noise's).
 * @param k - Components.
 * @param regCovar - Regularization.
 * @param prior - A conjugate prior, if any: the MAP estimate.
 * @param noise - A noise component, if any (its weight is estimated).
 * @returns The initial parameters.
 */
export function parametersFromResponsibilities(
  strategy: CovarianceStrategy,
  data: FitData,
  resp: Float64Array,
  k: number,
  regCovar: number,
  prior?: ConjugatePrior,
  noise?: NoiseComponent,
): MixtureParameters {
  const stats = statisticsFromResponsibilities(strategy, data, resp, k);
  return maximize(strategy, stats, regCovar, 'in the initialization', { weightDenominator: data.totalWeight, prior, noise });
}

/**
 * The sufficient statistics of given responsibilities, about centers the
 * strategy chooses for their means (what the first M-step of a fit is made of).
 *
 * @param strategy - Covariance strategy.
 * @param data - The fit data.
 * @param resp - Responsibilities, n × k; a row's 1 − Σₖ rᵢₖ counts as the noise's (`noiseWeight`).
 * @param k - Components.
 * @returns The statistics (`logLikelihood` 0: no E-step made them).
 */
export function statisticsFromResponsibilities(
  strategy: CovarianceStrategy,
  data: FitData,
  resp: Float64Array,
  k: number,
): SufficientStatistics {
  const { X, weights, dataMean } = data;
  const { rows: n, cols: d, data: x } = X;
  // Pass 1: the means, which the second pass centers its moments on.
  const nk = new Float64Array(k);
  const means = new Float64Array(k * d);
  for (let i = 0; i < n; i++) {
    const w = weights === null ? 1 : weights[i];
    for (let j = 0; j < k; j++) {
      const r = w * resp[i * k + j];
      if (r === 0) continue;
      nk[j] += r;
      for (let a = 0; a < d; a++) means[j * d + a] += r * x[i * d + a];
    }
  }
  for (let j = 0; j < k; j++) for (let a = 0; a < d; a++) means[j * d + a] /= nk[j] + 10 * EPSILON;
  // Pass 2: the statistics about those centers, then the usual M-step.
  const centers = strategy.statisticsCenters(means, dataMean, k, d);
  const stats = createStatistics(strategy.type, k, d, centers, strategy.secondMomentLength(k, d));
  const block = new Float64Array(BLOCK_ROWS * k);
  const scratch = new Float64Array(d);
  for (let start = 0; start < n; start += BLOCK_ROWS) {
    const end = Math.min(start + BLOCK_ROWS, n);
    for (let i = start; i < end; i++) {
      const w = weights === null ? 1 : weights[i];
      let rest = 1;
      for (let j = 0; j < k; j++) {
        block[(i - start) * k + j] = w * resp[i * k + j];
        rest -= resp[i * k + j];
      }
      if (rest > 0) stats.noiseWeight += w * rest;
    }
    strategy.accumulate(x, d, start, end, block, stats, scratch);
  }
  return stats;
}

/**
 * The hierarchy of the rows of positive weight (a sample of {@link HC_MAX_ROWS}
 * drawn by seed 0 of `Random` when there are more), on mclust's SVD scaling.
 */
function rowHierarchy(X: Matrix, weights: Float64Array | null): RowHierarchy {
  const candidates: number[] = [];
  for (let i = 0; i < X.rows; i++) if (weights === null || weights[i] > 0) candidates.push(i);
  let rows = Int32Array.from(candidates);
  if (rows.length > HC_MAX_ROWS) {
    rows = Int32Array.from(new Random(0).sampleWithoutReplacement(candidates.length, HC_MAX_ROWS), (c) => candidates[c]!).sort();
  }
  const d = X.cols;
  const subset = new Float64Array(rows.length * d);
  rows.forEach((r, t) => subset.set(X.data.subarray(r * d, (r + 1) * d), t * d));
  return { ...hierarchyVVV(svdScaled(matrix(rows.length, d, subset))), rows };
}

/**
 * Each row's most responsible component (first on ties).
 *
 * @param resp - Responsibilities, n × k.
 * @param k - Components.
 * @returns n labels.
 */
export function argmaxRows(resp: Float64Array, k: number): Int32Array {
  const n = resp.length / k;
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let j = 1; j < k; j++) if (resp[i * k + j] > resp[i * k + best]) best = j;
    labels[i] = best;
  }
  return labels;
}
