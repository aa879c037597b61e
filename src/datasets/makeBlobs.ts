import { asMatrix, matrix, type Matrix, type MatrixLike } from '../matrix/matrix.js';
import { Random } from '../random/random.js';
import { checkOptionNames, integerAtLeast, nonNegativeNumber, seedValue } from '../validate.js';
import { InvalidParameterError } from '../errors.js';

/** Options of {@link makeBlobs}. */
export interface MakeBlobsOptions {
  /** Total number of points. Default 100. */
  nSamples?: number;
  /** Cluster centers (k × d). Default: 3 centers drawn uniformly in [−10, 10]² . */
  centers?: MatrixLike;
  /** Number of centers when `centers` is not given. Default 3. */
  nCenters?: number;
  /** Number of features when `centers` is not given. Default 2. */
  nFeatures?: number;
  /** Standard deviation of every cluster (isotropic). Default 1. */
  clusterStd?: number;
  /** Seed. Default 0. */
  seed?: number;
}

/**
 * Isotropic Gaussian blobs for examples and tests (scikit-learn's
 * `make_blobs`): `nSamples` points split as evenly as possible among the
 * centers, each cluster N(center, clusterStd²·I), in cluster order.
 *
 * @param options - See {@link MakeBlobsOptions}.
 * @returns The points (n × d) and the index of the blob each came from.
 * @throws {@link InvalidParameterError} for bad options.
 * @example
 * ```ts
 * const { X, labels } = makeBlobs({ nSamples: 300, centers: [[0, 0], [5, 5]], seed: 1 });
 * ```
 */
export function makeBlobs(options: MakeBlobsOptions = {}): {
  /** The points, n × d. */
  X: Matrix;
  /** The blob (or moon) each point was drawn from. */
  labels: Int32Array;
} {
  checkOptionNames(options, ['nSamples', 'centers', 'nCenters', 'nFeatures', 'clusterStd', 'seed'], 'makeBlobs');
  const n = integerAtLeast('nSamples', options.nSamples ?? 100);
  const std = nonNegativeNumber('clusterStd', options.clusterStd ?? 1);
  const rng = new Random(seedValue('seed', options.seed ?? 0));
  let centers: Matrix;
  if (options.centers !== undefined) {
    try {
      centers = asMatrix(options.centers, 'centers');
    } catch (e) {
      throw new InvalidParameterError('centers', options.centers, 'a k × d array of finite numbers', (e as Error).message);
    }
  } else {
    const k = integerAtLeast('nCenters', options.nCenters ?? 3);
    const d = integerAtLeast('nFeatures', options.nFeatures ?? 2);
    centers = matrix(k, d);
    for (let i = 0; i < k * d; i++) centers.data[i] = -10 + 20 * rng.uniform();
  }
  const { rows: k, cols: d } = centers;
  const X = matrix(n, d);
  const labels = new Int32Array(n);
  let row = 0;
  for (let c = 0; c < k; c++) {
    const count = Math.floor(n / k) + (c < n % k ? 1 : 0);
    for (let i = 0; i < count; i++, row++) {
      labels[row] = c;
      for (let a = 0; a < d; a++) X.data[row * d + a] = centers.data[c * d + a] + std * rng.normal();
    }
  }
  return { X, labels };
}
