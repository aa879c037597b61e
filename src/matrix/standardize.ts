/**
 * Column standardization, as scikit-learn's `StandardScaler`: each feature
 * centered on its (weighted) mean and divided by its (weighted, population)
 * standard deviation, so that a column in thousands (wine's proline) does not
 * outweigh one in units. A constant column keeps scale 1, as in scikit-learn.
 *
 * @module
 */
import { matrix, type Matrix } from './matrix.js';

/**
 * A fitted standardization: z = (x − mean) / scale, column by column. Models
 * fitted with `standardize: true` keep one and apply it to every input.
 */
export interface Scaler {
  /** Column means, d values. */
  readonly mean: Float64Array;
  /** Column standard deviations (1 for a constant column), d values, all > 0. */
  readonly scale: Float64Array;
}

/**
 * The standardization of X's columns.
 *
 * @param X - Data, n × d (n ≥ 1).
 * @param weights - Row weights (n values ≥ 0, some > 0), or null for 1 each.
 * @returns The scaler: weighted means and population standard deviations.
 * @example
 * ```ts
 * const scaler = fitScaler(matrix(3, 1, Float64Array.of(1, 2, 3)), null); // mean [2], scale [0.816…]
 * ```
 */
export function fitScaler(X: Matrix, weights: Float64Array | null): Scaler {
  const { mean, variance } = columnMoments(X, weights);
  return scalerOf(mean, variance);
}

/**
 * The scaler of columns of these moments: each column divided by its
 * standard deviation, but a (near-)constant column left unscaled
 * (scikit-learn's rule).
 *
 * @param mean - The columns' means (d; kept by the scaler).
 * @param variance - Their population variances (d).
 * @returns The scaler.
 */
export function scalerOf(mean: Float64Array, variance: Float64Array): Scaler {
  const scale = variance.map((v, a) => {
    const sd = Math.sqrt(v);
    return sd > 10 * Number.EPSILON * Math.max(1, Math.abs(mean[a]!)) ? sd : 1;
  });
  return { mean, scale };
}

/**
 * The weighted mean and population variance of every column, over its
 * observed cells (NaN cells, missing values, are left out).
 *
 * @param X - Data, n × d (n ≥ 1).
 * @param weights - Row weights (n values ≥ 0, some > 0), or null for 1 each.
 * @returns d means and d variances.
 */
export function columnMoments(X: Matrix, weights: Float64Array | null): { mean: Float64Array; variance: Float64Array } {
  const { rows: n, cols: d, data } = X;
  const mean = new Float64Array(d);
  const variance = new Float64Array(d);
  // Per column: a NaN cell (missing) counts for nothing. Without NaN every column's total is the same sum.
  const total = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    const w = weights ? weights[i]! : 1;
    for (let a = 0; a < d; a++) {
      const v = data[i * d + a]!;
      if (v !== v) continue;
      total[a] += w;
      mean[a] += w * v;
    }
  }
  for (let a = 0; a < d; a++) mean[a] /= total[a]!;
  // Two passes: the squared deviations from the mean, not E[x²] − E[x]², which cancels for large offsets.
  for (let i = 0; i < n; i++) {
    const w = weights ? weights[i]! : 1;
    for (let a = 0; a < d; a++) {
      const delta = data[i * d + a]! - mean[a]!;
      if (delta !== delta) continue;
      variance[a] += w * delta * delta;
    }
  }
  for (let a = 0; a < d; a++) variance[a] /= total[a]!;
  return { mean, variance };
}

/**
 * Rows in standardized units: (x − mean) / scale.
 *
 * @param scaler - The scaler (d columns).
 * @param X - Data, n × d, in the data's units.
 * @returns A new n × d matrix.
 */
export function standardizeRows(scaler: Scaler, X: Matrix): Matrix {
  const { rows: n, cols: d, data } = X;
  const out = new Float64Array(n * d);
  const { mean, scale } = scaler;
  for (let i = 0; i < n; i++) {
    for (let a = 0; a < d; a++) out[i * d + a] = (data[i * d + a]! - mean[a]!) / scale[a]!;
  }
  return matrix(n, d, out);
}

/**
 * Rows back in the data's units, in place: x = z · scale + mean.
 *
 * @param scaler - The scaler (d columns).
 * @param values - n × d values, row-major, in standardized units; overwritten.
 */
export function unstandardizeInPlace(scaler: Scaler, values: Float64Array): void {
  const { mean, scale } = scaler;
  const d = mean.length;
  for (let o = 0; o < values.length; o += d) {
    for (let a = 0; a < d; a++) values[o + a] = values[o + a]! * scale[a]! + mean[a]!;
  }
}

/**
 * log |det| of the map from the data's units to standardized ones, per row:
 * −Σ log scale. A density in standardized units plus this is the density in
 * the data's units.
 *
 * @param scaler - The scaler.
 * @returns The log Jacobian.
 */
export function logJacobian(scaler: Scaler): number {
  let s = 0;
  for (let a = 0; a < scaler.scale.length; a++) s -= Math.log(scaler.scale[a]!);
  return s;
}
