import { EigenvalueDecomposition, Matrix as MlMatrix } from 'ml-matrix';
import { InvalidDataError, InvalidParameterError } from '../errors.js';
import { asMatrix, checkColumns, matrix, type Matrix, type MatrixLike } from '../matrix/matrix.js';
import { checkOptionNames } from '../validate.js';

/** Options of {@link PCA}. */
export interface PCAOptions {
  /**
   * How many components to keep: an integer count, or a fraction 0 < f < 1
   * of the variance to explain (the fewest components whose cumulative
   * explained variance ratio exceeds f, as scikit-learn). Default: all,
   * min(n, d).
   */
  nComponents?: number;
  /** Scale the projections to unit variance. Default false. */
  whiten?: boolean;
}

/**
 * Principal component analysis: the orthogonal directions of largest
 * variance, by the symmetric eigendecomposition of the covariance matrix
 * (`ml-matrix`; d × d, so any number of rows costs one O(n·d²) pass).
 * scikit-learn's conventions: explained variance with n − 1, components
 * sorted by decreasing variance, the sign of each chosen so that the
 * largest-magnitude projection is positive.
 *
 * @example
 * ```ts
 * const pca = new PCA({ nComponents: 0.99, whiten: true }).fit(digits);
 * pca.nComponents;            // 41 on the 8×8 digits
 * const Y = pca.transform(digits);
 * const back = pca.inverseTransform(Y);
 * ```
 */
export class PCA {
  /** The requested count or variance fraction (undefined: all). */
  readonly nComponents: number | undefined;
  /** Whether projections are whitened. */
  readonly whiten: boolean;

  /**
   * @param options - See {@link PCAOptions}.
   * @throws {@link InvalidParameterError} for a count < 1, a fraction outside (0, 1), or unknown options.
   */
  constructor(options: PCAOptions = {}) {
    checkOptionNames(options, ['nComponents', 'whiten'], 'PCA');
    const n = options.nComponents;
    if (n !== undefined && (typeof n !== 'number' || !(n > 0) || (n >= 1 && !Number.isSafeInteger(n)))) {
      throw new InvalidParameterError(
        'nComponents',
        n,
        'a positive integer (a count) or a number in (0, 1) (a fraction of the variance)',
      );
    }
    if (options.whiten !== undefined && typeof options.whiten !== 'boolean') {
      throw new InvalidParameterError('whiten', options.whiten, 'true or false');
    }
    this.nComponents = n;
    this.whiten = options.whiten ?? false;
  }

  /**
   * Finds the principal components of X.
   *
   * @param X - Data, n × d (n ≥ 2).
   * @returns The fitted {@link PCAModel}.
   * @throws {@link InvalidDataError} for bad data or fewer than 2 rows;
   *   {@link InvalidParameterError} if the count exceeds min(n, d).
   */
  fit(X: MatrixLike): PCAModel {
    const data = asMatrix(X);
    const { rows: n, cols: d, data: x } = data;
    if (n < 2) throw new InvalidDataError('X', `X has ${n} row; PCA needs at least 2 rows`);
    const limit = Math.min(n, d);
    if (this.nComponents !== undefined && this.nComponents >= 1 && this.nComponents > limit) {
      throw new InvalidParameterError('nComponents', this.nComponents, `at most min(rows, columns) = ${limit}`);
    }
    const mean = new Float64Array(d);
    for (let i = 0; i < n; i++) for (let a = 0; a < d; a++) mean[a] += x[i * d + a];
    for (let a = 0; a < d; a++) mean[a] /= n;
    const cov = new Float64Array(d * d);
    const delta = new Float64Array(d);
    for (let i = 0; i < n; i++) {
      for (let a = 0; a < d; a++) delta[a] = x[i * d + a] - mean[a];
      for (let a = 0; a < d; a++) for (let b = a; b < d; b++) cov[a * d + b] += delta[a] * delta[b];
    }
    const rows: number[][] = [];
    for (let a = 0; a < d; a++) {
      rows.push([]);
      for (let b = 0; b < d; b++) rows[a]!.push((a <= b ? cov[a * d + b] : cov[b * d + a]) / (n - 1));
    }
    const evd = new EigenvalueDecomposition(new MlMatrix(rows), { assumeSymmetric: true });
    const values = evd.realEigenvalues;
    const vectors = evd.eigenvectorMatrix;
    const order = values.map((_, i) => i).sort((p, q) => values[q]! - values[p]!);
    let total = 0;
    for (const v of values) total += Math.max(v, 0);
    const variances = order.map((i) => Math.max(values[i]!, 0));
    const ratios = variances.map((v) => (total > 0 ? v / total : 0));
    let keep = limit;
    if (this.nComponents !== undefined && this.nComponents >= 1) keep = this.nComponents;
    else if (this.nComponents !== undefined) {
      // scikit-learn: searchsorted(cumsum(ratio), fraction, side='right') + 1.
      let cumulative = 0;
      keep = 0;
      while (keep < ratios.length && cumulative + ratios[keep]! <= this.nComponents) cumulative += ratios[keep++]!;
      keep = Math.min(keep + 1, limit);
    }
    const components = new Float64Array(keep * d);
    for (let c = 0; c < keep; c++) {
      const column = order[c]!;
      for (let a = 0; a < d; a++) components[c * d + a] = vectors.get(a, column);
      flipSign(components.subarray(c * d, (c + 1) * d), data, mean);
    }
    return new PCAModel({
      mean,
      components: matrix(keep, d, components),
      explainedVariance: Float64Array.from(variances.slice(0, keep)),
      explainedVarianceRatio: Float64Array.from(ratios.slice(0, keep)),
      nSamples: n,
      whiten: this.whiten,
    });
  }
}

/** Makes the largest-magnitude projection of the data on `v` positive (scikit-learn's svd_flip, U-based). */
function flipSign(v: Float64Array, X: Matrix, mean: Float64Array): void {
  const { rows: n, cols: d, data } = X;
  let best = 0;
  let bestAbs = -1;
  for (let i = 0; i < n; i++) {
    let p = 0;
    for (let a = 0; a < d; a++) p += (data[i * d + a] - mean[a]) * v[a];
    if (Math.abs(p) > bestAbs) {
      bestAbs = Math.abs(p);
      best = p;
    }
  }
  if (best < 0) for (let a = 0; a < d; a++) v[a] = -v[a];
}

/**
 * A fitted PCA (returned by `PCA.fit`).
 *
 * @example
 * ```ts
 * const model = new PCA({ nComponents: 2 }).fit(X);
 * model.explainedVarianceRatio; // share of the variance along each component
 * ```
 */
export class PCAModel {
  /** Number of components p. */
  readonly nComponents: number;
  /** Number of features d. */
  readonly nFeatures: number;
  /** Mean of the training data (d). */
  readonly mean: Float64Array;
  /** Principal axes, p × d, by decreasing explained variance. */
  readonly components: Matrix;
  /** Variance along each component (p), with n − 1. */
  readonly explainedVariance: Float64Array;
  /** Fraction of the total variance along each component (p). */
  readonly explainedVarianceRatio: Float64Array;
  /** Singular values of the centered data (p): √(variance·(n − 1)). */
  readonly singularValues: Float64Array;
  /** Whether projections are whitened. */
  readonly whiten: boolean;

  /**
   * @param fitted - What `PCA.fit` computed.
   */
  constructor(fitted: {
    mean: Float64Array;
    components: Matrix;
    explainedVariance: Float64Array;
    explainedVarianceRatio: Float64Array;
    nSamples: number;
    whiten: boolean;
  }) {
    this.mean = fitted.mean;
    this.components = fitted.components;
    this.nComponents = fitted.components.rows;
    this.nFeatures = fitted.components.cols;
    this.explainedVariance = fitted.explainedVariance;
    this.explainedVarianceRatio = fitted.explainedVarianceRatio;
    this.singularValues = fitted.explainedVariance.map((v) => Math.sqrt(v * (fitted.nSamples - 1)));
    this.whiten = fitted.whiten;
  }

  /**
   * Projects rows onto the components: (x − mean)·Vᵀ, divided by √variance if whitened.
   *
   * @param X - Data, n × d.
   * @returns n × p projections.
   * @throws {@link DimensionMismatchError} if X does not have d columns.
   */
  transform(X: MatrixLike): Matrix {
    const data = asMatrix(X);
    checkColumns(data, this.nFeatures);
    const { rows: n, cols: d } = data;
    const p = this.nComponents;
    const out = new Float64Array(n * p);
    const delta = new Float64Array(d);
    for (let i = 0; i < n; i++) {
      for (let a = 0; a < d; a++) delta[a] = data.data[i * d + a] - this.mean[a];
      for (let c = 0; c < p; c++) {
        let s = 0;
        for (let a = 0; a < d; a++) s += delta[a] * this.components.data[c * d + a];
        out[i * p + c] = this.whiten ? s / Math.sqrt(this.explainedVariance[c]) : s;
      }
    }
    return matrix(n, p, out);
  }

  /**
   * Maps projections back to the original space (the inverse of
   * {@link PCAModel.transform} on the kept components).
   *
   * @param Y - Projections, n × p.
   * @returns n × d reconstructions.
   * @throws {@link DimensionMismatchError} if Y does not have p columns.
   */
  inverseTransform(Y: MatrixLike): Matrix {
    const data = asMatrix(Y, 'Y');
    checkColumns(data, this.nComponents, 'Y');
    const { rows: n } = data;
    const p = this.nComponents;
    const d = this.nFeatures;
    const out = new Float64Array(n * d);
    for (let i = 0; i < n; i++) {
      for (let a = 0; a < d; a++) out[i * d + a] = this.mean[a];
      for (let c = 0; c < p; c++) {
        const y = data.data[i * p + c] * (this.whiten ? Math.sqrt(this.explainedVariance[c]) : 1);
        for (let a = 0; a < d; a++) out[i * d + a] += y * this.components.data[c * d + a];
      }
    }
    return matrix(n, d, out);
  }
}
