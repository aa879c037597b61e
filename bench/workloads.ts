/**
 * The benchmark's workloads, generated from a seed (no downloads): n × d data
 * from k well-separated Gaussians — centers uniform in [−10, 10]^d, random
 * full covariances Q·diag(λ)·Qᵀ with Q a random rotation and λ uniform in
 * [0.25, 1] — rows shuffled; and EM's fixed start: equal weights, k random
 * rows as means, the data's covariance for every component.
 */
import { covarianceStrategy } from '../src/mixture/covariance/index.js';
import { matrix, Random, type CovarianceFamily, type Matrix } from '../src/index.js';

/** A named problem size. */
export interface Workload {
  name: string;
  n: number;
  d: number;
  k: number;
}

/** The four workloads of the issue. */
export const WORKLOADS: Workload[] = [
  { name: 'blobs2d', n: 100_000, d: 2, k: 4 },
  { name: 'mid16', n: 100_000, d: 16, k: 8 },
  { name: 'wide64', n: 20_000, d: 64, k: 16 },
  { name: 'tall8', n: 1_000_000, d: 8, k: 10 },
];

/** A random rotation: Gram–Schmidt on Gaussian columns. */
function rotation(d: number, rng: Random): Float64Array {
  const q = new Float64Array(d * d);
  for (let c = 0; c < d; c++) {
    const v = Array.from({ length: d }, () => rng.normal());
    for (let p = 0; p < c; p++) {
      let dot = 0;
      for (let a = 0; a < d; a++) dot += v[a]! * q[a * d + p]!;
      for (let a = 0; a < d; a++) v[a]! -= dot * q[a * d + p]!;
    }
    const norm = Math.hypot(...v);
    for (let a = 0; a < d; a++) q[a * d + c] = v[a]! / norm;
  }
  return q;
}

/** The data of a workload (deterministic for a seed). */
export function generate({ n, d, k }: Workload, seed = 1): Matrix {
  const rng = new Random(seed);
  const centers = Array.from({ length: k }, () => Array.from({ length: d }, () => -10 + 20 * rng.uniform()));
  const factors = Array.from({ length: k }, () => {
    const q = rotation(d, rng);
    const scale = Array.from({ length: d }, () => Math.sqrt(0.25 + 0.75 * rng.uniform()));
    return q.map((v, i) => v * scale[i % d]!); // Q·diag(√λ): columns scaled
  });
  const X = matrix(n, d);
  const z = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    const c = Math.floor((i * k) / n);
    for (let a = 0; a < d; a++) z[a] = rng.normal();
    const L = factors[c]!;
    for (let a = 0; a < d; a++) {
      let s = centers[c]![a]!;
      for (let b = 0; b < d; b++) s += L[a * d + b]! * z[b]!;
      X.data[i * d + a] = s;
    }
  }
  for (let i = n - 1; i > 0; i--) {
    const j = rng.integer(i + 1);
    for (let a = 0; a < d; a++) [X.data[i * d + a], X.data[j * d + a]] = [X.data[j * d + a]!, X.data[i * d + a]!];
  }
  return X;
}

/** EM's fixed start in scikit-learn's shapes: equal weights, k random rows as means, the data's covariance everywhere. */
export function fixedStart(
  X: Matrix,
  k: number,
  type: CovarianceFamily,
  seed = 2,
): { weightsInit: number[]; meansInit: number[][]; precisionsInit: unknown[] } {
  const { rows: n, cols: d, data } = X;
  const rng = new Random(seed);
  const rows = Array.from(rng.sampleWithoutReplacement(n, k));
  const mean = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let a = 0; a < d; a++) mean[a] += data[i * d + a]! / n;
  const cov = new Float64Array(d * d);
  for (let i = 0; i < n; i++)
    for (let a = 0; a < d; a++)
      for (let b = 0; b < d; b++) cov[a * d + b] += ((data[i * d + a]! - mean[a]!) * (data[i * d + b]! - mean[b]!)) / n;
  // Precision = U·Uᵀ with U the precision Cholesky factor of the covariance.
  const u = new Float64Array(d * d);
  covarianceStrategy('full').precisionCholesky(cov, 1, d, u);
  const precision = Array.from({ length: d }, (_, a) =>
    Array.from({ length: d }, (_, b) => {
      let s = 0;
      for (let c = 0; c < d; c++) s += u[a * d + c]! * u[b * d + c]!;
      return s;
    }),
  );
  const variances = Array.from({ length: d }, (_, a) => cov[a * d + a]!);
  const meanVariance = variances.reduce((s, v) => s + v, 0) / d;
  return {
    weightsInit: Array.from({ length: k }, () => 1 / k),
    meansInit: rows.map((i) => Array.from(data.subarray(i * d, (i + 1) * d))),
    precisionsInit: {
      full: Array.from({ length: k }, () => precision),
      tied: precision,
      diag: Array.from({ length: k }, () => variances.map((v) => 1 / v)),
      spherical: Array.from({ length: k }, () => 1 / meanVariance),
    }[type],
  };
}
