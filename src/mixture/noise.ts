/**
 * mclust's noise component: a uniform density over the data's region, beside
 * the Gaussians (Banfield & Raftery 1993; mclust's `Vinv`). The region is the
 * smaller, by volume, of the data's bounding box and its bounding box along
 * its principal axes (mclust's `hypvol`); the box is kept so that a model can
 * draw noise points from it.
 *
 * @module
 */
import { InvalidDataError } from '../errors.js';
import type { Matrix } from '../matrix/matrix.js';
import { symmetricEigen } from '../matrix/eigen.js';
import type { Random } from '../random/random.js';
import type { NoiseBox } from './parameters.js';

/** A region's log-volume and its box. */
export interface Hypervolume {
  /** log V. */
  readonly logVolume: number;
  /** The box of volume V the noise is uniform over. */
  readonly box: NoiseBox;
}

/**
 * mclust's `hypvol(X)`: the smaller of the volume of the rows' bounding box
 * and that of their bounding box along their principal axes (the
 * eigenvectors of their covariance, as `princomp`'s scores). Rows of zero
 * weight are left out.
 *
 * @param X - The rows, n × d.
 * @param weights - Row weights, or null for all ones.
 * @returns The log-volume and the box.
 * @throws {@link InvalidDataError} if the volume is 0 (a constant column, or rows on a hyperplane).
 */
export function hypervolume(X: Matrix, weights: Float64Array | null): Hypervolume {
  const { rows: n, cols: d, data: x } = X;
  const used = (i: number) => weights === null || weights[i]! > 0;
  // The weighted mean and covariance, for the principal axes.
  const mean = new Float64Array(d);
  let total = 0;
  for (let i = 0; i < n; i++) {
    if (!used(i)) continue;
    const w = weights === null ? 1 : weights[i]!;
    total += w;
    for (let a = 0; a < d; a++) mean[a] += w * x[i * d + a]!;
  }
  for (let a = 0; a < d; a++) mean[a] /= total;
  const cov = new Float64Array(d * d);
  for (let i = 0; i < n; i++) {
    if (!used(i)) continue;
    const w = weights === null ? 1 : weights[i]!;
    for (let a = 0; a < d; a++) {
      const da = x[i * d + a]! - mean[a]!;
      for (let b = a; b < d; b++) cov[a * d + b] += w * da * (x[i * d + b]! - mean[b]!);
    }
  }
  for (let a = 0; a < d; a++) for (let b = a; b < d; b++) cov[b * d + a] = cov[a * d + b] = cov[a * d + b]! / total;
  const identity = new Float64Array(d * d);
  for (let a = 0; a < d; a++) identity[a * d + a] = 1;
  const boxes = [
    boundingBox(X, used, identity, new Float64Array(d)),
    boundingBox(X, used, symmetricEigen(cov, 0, d).vectors, mean),
  ];
  const best = boxes[1]!.logVolume < boxes[0]!.logVolume ? boxes[1]! : boxes[0]!;
  if (!(best.logVolume > -Infinity)) {
    throw new InvalidDataError(
      'X',
      "the data's hypervolume is 0 (a constant column, or rows on a hyperplane), so a uniform noise component has no density: give noise.hypervolume",
    );
  }
  return best;
}

/** The rows' bounding box along the given axes (rows of `axes`), coordinates taken about `origin`. */
function boundingBox(X: Matrix, used: (i: number) => boolean, axes: Float64Array, origin: Float64Array): Hypervolume {
  const { rows: n, cols: d, data: x } = X;
  const low = new Float64Array(d).fill(Infinity);
  const high = new Float64Array(d).fill(-Infinity);
  for (let i = 0; i < n; i++) {
    if (!used(i)) continue;
    for (let r = 0; r < d; r++) {
      let t = 0;
      for (let a = 0; a < d; a++) t += axes[r * d + a]! * (x[i * d + a]! - origin[a]!);
      if (t < low[r]!) low[r] = t;
      if (t > high[r]!) high[r] = t;
    }
  }
  const sides = new Float64Array(d);
  const center = Float64Array.from(origin);
  let logVolume = 0;
  for (let r = 0; r < d; r++) {
    sides[r] = high[r]! - low[r]!;
    logVolume += Math.log(sides[r]!);
    const mid = (high[r]! + low[r]!) / 2;
    for (let a = 0; a < d; a++) center[a] += mid * axes[r * d + a]!;
  }
  return { logVolume, box: { center, axes: Float64Array.from(axes), sides } };
}

/**
 * A point drawn uniformly from a box, written to `out` (d values).
 *
 * @param box - The box.
 * @param rng - The generator (d uniforms per point).
 * @param out - Receives the point.
 * @param offset - Where in `out`.
 */
export function drawFromBox(box: NoiseBox, rng: Random, out: Float64Array, offset: number): void {
  const d = box.sides.length;
  for (let a = 0; a < d; a++) out[offset + a] = box.center[a]!;
  for (let r = 0; r < d; r++) {
    const t = (rng.uniform() - 0.5) * box.sides[r]!;
    for (let a = 0; a < d; a++) out[offset + a] += t * box.axes[r * d + a]!;
  }
}
