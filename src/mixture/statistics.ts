/**
 * Sufficient statistics of a Gaussian mixture's M-step: the unit of work of
 * EM. Any set of rows yields statistics; statistics of disjoint sets of rows
 * merge by addition; the M-step turns merged statistics into parameters. This
 * is what lets a fit run over chunks, workers or a stream with the same code.
 *
 * @module
 */
import { InvalidParameterError } from '../errors.js';
import { covarianceStrategy } from './covariance/index.js';
import type { CovarianceType } from './parameters.js';

/**
 * Weighted sufficient statistics of a set of rows for a k-component,
 * d-feature mixture, taken about fixed centers cₖ (for numerical accuracy:
 * raw moments Σ w·x·xᵀ lose every digit on data far from the origin):
 *
 * - `weight[k]` = Σ wᵢ rᵢₖ
 * - `first[k, :]` = Σ wᵢ rᵢₖ (xᵢ − cₖ)
 * - `second`: the second moments, shaped by the covariance type —
 *   full: k×d×d, Σ wᵢ rᵢₖ (xᵢ − cₖ)(xᵢ − cₖ)ᵀ, upper triangle filled;
 *   tied: d×d, Σᵢ wᵢ (Σₖ rᵢₖ) (xᵢ − c)(xᵢ − c)ᵀ about one shared center c, upper triangle;
 *   diag: k×d, Σ wᵢ rᵢₖ (xᵢ − cₖ)²;
 *   spherical: k, Σ wᵢ rᵢₖ ‖xᵢ − cₖ‖².
 *
 * where wᵢ is the row weight and rᵢₖ the responsibility of component k for
 * row i. Also `logLikelihood` = Σ wᵢ log p(xᵢ) under the parameters of the
 * E-step that produced the statistics, `totalWeight` = Σ wᵢ, `entropy` =
 * −Σ wᵢ Σₖ rᵢₖ log rᵢₖ, the responsibilities' entropy (ICL's penalty, the
 * variational bound's entropy term; the noise component's included), and
 * `noiseWeight` = Σ wᵢ rᵢ₀, the noise component's share (0 without one).
 *
 * Two statistics with identical `centers` merge with {@link mergeStatistics}.
 */
export interface SufficientStatistics {
  /** Covariance type the second moments are shaped for. */
  readonly covarianceType: CovarianceType;
  /** Number of components k. */
  readonly nComponents: number;
  /** Number of features d. */
  readonly nFeatures: number;
  /** The centers cₖ the moments are taken about (k × d). */
  readonly centers: Float64Array;
  /** Σ w·r per component (k). */
  readonly weight: Float64Array;
  /** Σ w·r·(x − c) per component (k × d). */
  readonly first: Float64Array;
  /** Second moments, shaped by the covariance type (see above). */
  readonly second: Float64Array;
  /** Σ w·log p(x) over the rows. */
  logLikelihood: number;
  /** Σ w over the rows. */
  totalWeight: number;
  /** −Σ w Σₖ r log r over the rows (0 for statistics that no E-step made). */
  entropy: number;
  /** Σ w·r₀: the noise component's responsibilities (0 without a noise component). */
  noiseWeight: number;
}

/**
 * Zeroed statistics about the given centers.
 *
 * @param covarianceType - Shapes the second moments.
 * @param k - Components.
 * @param d - Features.
 * @param centers - k × d centers (kept by reference).
 * @param secondLength - Length of the second-moment array for this type.
 * @returns Empty statistics.
 * @example
 * ```ts
 * const stats = createStatistics('diag', 3, 2, centers, 3 * 2); // k = 3, d = 2
 * ```
 */
export function createStatistics(
  covarianceType: CovarianceType,
  k: number,
  d: number,
  centers: Float64Array,
  secondLength: number,
): SufficientStatistics {
  return {
    covarianceType,
    nComponents: k,
    nFeatures: d,
    centers,
    weight: new Float64Array(k),
    first: new Float64Array(k * d),
    second: new Float64Array(secondLength),
    logLikelihood: 0,
    totalWeight: 0,
    entropy: 0,
    noiseWeight: 0,
  };
}

/**
 * Sets every sum of `stats` back to zero (the centers are kept).
 *
 * @param stats - Statistics to clear.
 * @example
 * ```ts
 * resetStatistics(chunkStats); // reuse the arrays for the next chunk of rows
 * ```
 */
export function resetStatistics(stats: SufficientStatistics): void {
  stats.weight.fill(0);
  stats.first.fill(0);
  stats.second.fill(0);
  stats.logLikelihood = 0;
  stats.totalWeight = 0;
  stats.entropy = 0;
  stats.noiseWeight = 0;
}

/**
 * Adds `source` into `target`: the statistics of the union of their rows.
 * The order of merges is the order of floating-point additions, so merging
 * the same pieces in the same order always gives the same bits. For full and
 * tied statistics only the upper triangles of the second moments are added
 * (the lower ones are not part of the statistics; `target`'s stay as they are).
 *
 * @param target - Accumulator, modified.
 * @param source - Statistics to add.
 * @returns `target`.
 * @throws {@link InvalidParameterError} if the two differ in type, shape or centers.
 * @example
 * ```ts
 * const total = mergeStatistics(statsOfFirstHalf, statsOfSecondHalf);
 * ```
 */
export function mergeStatistics(target: SufficientStatistics, source: SufficientStatistics): SufficientStatistics {
  if (
    target.covarianceType !== source.covarianceType ||
    target.nComponents !== source.nComponents ||
    target.nFeatures !== source.nFeatures ||
    target.second.length !== source.second.length
  ) {
    throw new InvalidParameterError(
      'statistics',
      `${source.covarianceType} k=${source.nComponents} d=${source.nFeatures}`,
      `statistics of the same shape (${target.covarianceType} k=${target.nComponents} d=${target.nFeatures})`,
    );
  }
  for (let i = 0; i < target.centers.length; i++) {
    if (target.centers[i] !== source.centers[i]) {
      throw new InvalidParameterError(
        'statistics.centers',
        source.centers[i],
        `the same centers as the target (${target.centers[i]} at ${i})`,
      );
    }
  }
  addInto(target.weight, source.weight);
  addInto(target.first, source.first);
  if (covarianceStrategy(target.covarianceType).matrices) {
    addUpperTriangles(target.second, source.second, target.nFeatures);
  } else {
    addInto(target.second, source.second);
  }
  target.logLikelihood += source.logLikelihood;
  target.totalWeight += source.totalWeight;
  target.entropy += source.entropy;
  target.noiseWeight += source.noiseWeight;
  return target;
}

function addInto(a: Float64Array, b: Float64Array): void {
  for (let i = 0; i < a.length; i++) a[i] += b[i];
}

/** a += b over the upper triangle (diagonal included) of each d × d block; the rest of a is left as it is. */
function addUpperTriangles(a: Float64Array, b: Float64Array, d: number): void {
  for (let base = 0; base < a.length; base += d * d) {
    for (let r = 0; r < d; r++) {
      const end = base + r * d + d;
      for (let i = base + r * d + r; i < end; i++) a[i] += b[i];
    }
  }
}

/**
 * The same statistics taken about other centers, exactly in exact
 * arithmetic: with Δ = c − c′, Σ w·r·(x − c′) = F + n·Δ and
 * Σ w·r·(x − c′)(x − c′)ᵀ = S + F·Δᵀ + Δ·Fᵀ + n·Δ·Δᵀ (and their diagonal,
 * or its trace, for diag and spherical second moments; one shared center for
 * tied). What lets statistics taken about different centers (each E-step's
 * means) be mixed, as online EM does.
 *
 * @param stats - The statistics (not modified).
 * @param centers - The new centers (k × d; for tied, every row the same).
 * @returns New statistics about `centers`.
 */
export function recenterStatistics(stats: SufficientStatistics, centers: Float64Array): SufficientStatistics {
  const { covarianceType, nComponents: k, nFeatures: d } = stats;
  const family = covarianceStrategy(covarianceType).family;
  const out = createStatistics(covarianceType, k, d, centers, stats.second.length);
  out.logLikelihood = stats.logLikelihood;
  out.totalWeight = stats.totalWeight;
  out.entropy = stats.entropy;
  out.noiseWeight = stats.noiseWeight;
  out.weight.set(stats.weight);
  out.second.set(stats.second);
  const delta = new Float64Array(d);
  let sharedWeight = 0;
  for (let j = 0; j < k; j++) {
    const n = stats.weight[j]!;
    sharedWeight += n;
    for (let a = 0; a < d; a++) {
      delta[a] = stats.centers[j * d + a]! - centers[j * d + a]!;
      out.first[j * d + a] = stats.first[j * d + a]! + n * delta[a]!;
    }
    const F = stats.first.subarray(j * d, (j + 1) * d);
    if (family === 'full') {
      const S = out.second.subarray(j * d * d, (j + 1) * d * d);
      for (let a = 0; a < d; a++) {
        for (let b = a; b < d; b++) S[a * d + b] += F[a]! * delta[b]! + delta[a]! * F[b]! + n * delta[a]! * delta[b]!;
      }
    } else if (family === 'diag') {
      for (let a = 0; a < d; a++) out.second[j * d + a] += 2 * F[a]! * delta[a]! + n * delta[a]! * delta[a]!;
    } else if (family === 'spherical') {
      for (let a = 0; a < d; a++) out.second[j] += 2 * F[a]! * delta[a]! + n * delta[a]! * delta[a]!;
    }
  }
  if (family === 'tied') {
    // One shared center: the second moments about it, weighted by every component's share.
    const F = new Float64Array(d);
    for (let j = 0; j < k; j++) for (let a = 0; a < d; a++) F[a] += stats.first[j * d + a]!;
    for (let a = 0; a < d; a++) delta[a] = stats.centers[a]! - centers[a]!;
    for (let a = 0; a < d; a++) {
      for (let b = a; b < d; b++)
        out.second[a * d + b] += F[a]! * delta[b]! + delta[a]! * F[b]! + sharedWeight * delta[a]! * delta[b]!;
    }
  }
  return out;
}

/**
 * Length of the flat form of statistics: weight (k), first (k·d), second
 * (`secondLength`), log-likelihood, total weight, entropy, noise weight. The WebAssembly kernels write
 * this form and workers post it.
 *
 * @param k - Components.
 * @param d - Features.
 * @param secondLength - Length of the second moments for the covariance type.
 * @returns The number of values.
 * @example
 * ```ts
 * statisticsLength(3, 2, 3 * 2 * 2); // 3 + 6 + 12 + 4 = 25
 * ```
 */
export function statisticsLength(k: number, d: number, secondLength: number): number {
  return k + k * d + secondLength + 4;
}

/**
 * Statistics over a flat buffer (see {@link statisticsLength}): the arrays
 * are views into `flat`, the four totals are read now.
 *
 * @param flat - The buffer.
 * @param offset - Index of the first value.
 * @param covarianceType - Covariance type.
 * @param k - Components.
 * @param d - Features.
 * @param centers - The centers the statistics were taken about.
 * @param secondLength - Length of the second moments.
 * @returns Statistics sharing memory with `flat`.
 * @example
 * ```ts
 * const stats = statisticsView(buffer, 0, 'full', k, d, means, k * d * d);
 * ```
 */
export function statisticsView(
  flat: Float64Array,
  offset: number,
  covarianceType: CovarianceType,
  k: number,
  d: number,
  centers: Float64Array,
  secondLength: number,
): SufficientStatistics {
  const second = offset + k + k * d;
  const totals = second + secondLength;
  return {
    covarianceType,
    nComponents: k,
    nFeatures: d,
    centers,
    weight: flat.subarray(offset, offset + k),
    first: flat.subarray(offset + k, second),
    second: flat.subarray(second, totals),
    logLikelihood: flat[totals],
    totalWeight: flat[totals + 1],
    entropy: flat[totals + 2],
    noiseWeight: flat[totals + 3],
  };
}

/**
 * Writes statistics in flat form (see {@link statisticsLength}).
 *
 * @param stats - The statistics.
 * @param flat - Destination.
 * @param offset - Index of the first value to write.
 * @example
 * ```ts
 * writeStatistics(stats, buffer, c * statisticsLength(k, d, secondLength));
 * ```
 */
export function writeStatistics(stats: SufficientStatistics, flat: Float64Array, offset: number): void {
  flat.set(stats.weight, offset);
  flat.set(stats.first, offset + stats.weight.length);
  const totals = offset + stats.weight.length + stats.first.length;
  flat.set(stats.second, totals);
  flat[totals + stats.second.length] = stats.logLikelihood;
  flat[totals + stats.second.length + 1] = stats.totalWeight;
  flat[totals + stats.second.length + 2] = stats.entropy;
  flat[totals + stats.second.length + 3] = stats.noiseWeight;
}
