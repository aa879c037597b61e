/**
 * Deliberately naive reference code for the tests: scikit-learn's formulas
 * written literally on nested arrays, with Gaussian elimination instead of
 * Cholesky factors. Slow and simple, so that it is easy to trust.
 */
export type Mat = number[][];
export type CovType = 'full' | 'tied' | 'diag' | 'spherical';

const EPS = 2.220446049250313e-16;

/** Solves A y = b and returns y with log|det A| (partial pivoting). */
export function solve(A: Mat, b: number[]): { y: number[]; logDet: number } {
  const n = A.length;
  const M = A.map((r, i) => [...r, b[i]!]);
  let logDet = 0;
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(M[r]![c]!) > Math.abs(M[p]![c]!)) p = r;
    [M[c], M[p]] = [M[p]!, M[c]!];
    logDet += Math.log(Math.abs(M[c]![c]!));
    for (let r = c + 1; r < n; r++) {
      const f = M[r]![c]! / M[c]![c]!;
      for (let j = c; j <= n; j++) M[r]![j]! -= f * M[c]![j]!;
    }
  }
  const y = new Array<number>(n).fill(0);
  for (let r = n - 1; r >= 0; r--) {
    let s = M[r]![n]!;
    for (let j = r + 1; j < n; j++) s -= M[r]![j]! * y[j]!;
    y[r] = s / M[r]![r]!;
  }
  return { y, logDet };
}

/** log N(x | μ, Σ) computed from Σ directly. */
export function logGaussian(x: number[], mu: number[], cov: Mat): number {
  const d = x.length;
  const diff = x.map((v, i) => v - mu[i]!);
  const { y, logDet } = solve(cov, diff);
  const maha = diff.reduce((s, v, i) => s + v * y[i]!, 0);
  return -0.5 * (d * Math.log(2 * Math.PI) + logDet + maha);
}

/** Full d×d covariance of component j from scikit-learn-shaped covariances. */
export function fullCovariance(type: CovType, covariances: unknown, j: number, d: number): Mat {
  switch (type) {
    case 'full':
      return (covariances as Mat[])[j]!;
    case 'tied':
      return covariances as Mat;
    case 'diag':
      return Array.from({ length: d }, (_, a) =>
        Array.from({ length: d }, (_, b) => (a === b ? (covariances as Mat)[j]![a]! : 0)),
      );
    case 'spherical':
      return Array.from({ length: d }, (_, a) =>
        Array.from({ length: d }, (_, b) => (a === b ? (covariances as number[])[j]! : 0)),
      );
  }
}

export interface NaiveParams {
  weights: number[];
  means: Mat;
  covariances: unknown; // scikit-learn shape
}

/** Weighted log-probabilities log πₖ + log N(x | k), n × k. */
export function weightedLogProb(X: Mat, p: NaiveParams, type: CovType): Mat {
  const d = X[0]!.length;
  return X.map((x) =>
    p.weights.map((w, j) => Math.log(w) + logGaussian(x, p.means[j]!, fullCovariance(type, p.covariances, j, d))),
  );
}

function logSumExp(v: number[]): number {
  const m = Math.max(...v);
  return m + Math.log(v.reduce((s, x) => s + Math.exp(x - m), 0));
}

/** One EM iteration with sample weights, scikit-learn's formulas literally. */
export function emStep(
  X: Mat,
  sampleWeight: number[],
  p: NaiveParams,
  type: CovType,
  regCovar: number,
): { params: NaiveParams; lowerBound: number } {
  const n = X.length;
  const d = X[0]!.length;
  const k = p.weights.length;
  const wlp = weightedLogProb(X, p, type);
  const lpn = wlp.map(logSumExp);
  const resp = wlp.map((row, i) => row.map((v) => sampleWeight[i]! * Math.exp(v - lpn[i]!)));
  const W = sampleWeight.reduce((a, b) => a + b, 0);
  const lowerBound = lpn.reduce((s, v, i) => s + sampleWeight[i]! * v, 0) / W;
  const nk = Array.from({ length: k }, (_, j) => resp.reduce((s, r) => s + r[j]!, 0) + 10 * EPS);
  const means = Array.from({ length: k }, (_, j) =>
    Array.from({ length: d }, (_, a) => resp.reduce((s, r, i) => s + r[j]! * X[i]![a]!, 0) / nk[j]!),
  );
  let covariances: unknown;
  if (type === 'full') {
    covariances = Array.from({ length: k }, (_, j) =>
      Array.from({ length: d }, (_, a) =>
        Array.from({ length: d }, (_, b) => {
          let s = 0;
          for (let i = 0; i < n; i++) s += resp[i]![j]! * (X[i]![a]! - means[j]![a]!) * (X[i]![b]! - means[j]![b]!);
          return s / nk[j]! + (a === b ? regCovar : 0);
        }),
      ),
    );
  } else if (type === 'tied') {
    const total = nk.reduce((a, b) => a + b, 0);
    covariances = Array.from({ length: d }, (_, a) =>
      Array.from({ length: d }, (_, b) => {
        let s = 0;
        for (let i = 0; i < n; i++) s += sampleWeight[i]! * X[i]![a]! * X[i]![b]!;
        for (let j = 0; j < k; j++) s -= nk[j]! * means[j]![a]! * means[j]![b]!;
        return s / total + (a === b ? regCovar : 0);
      }),
    );
  } else {
    const diag = Array.from({ length: k }, (_, j) =>
      Array.from({ length: d }, (_, a) => {
        let s = 0;
        for (let i = 0; i < n; i++) s += resp[i]![j]! * (X[i]![a]! - means[j]![a]!) ** 2;
        return s / nk[j]! + regCovar;
      }),
    );
    covariances = type === 'diag' ? diag : diag.map((row) => row.reduce((a, b) => a + b, 0) / d);
  }
  const nkSum = nk.reduce((a, b) => a + b, 0);
  return { params: { weights: nk.map((v) => v / nkSum), means, covariances }, lowerBound };
}

/** Inverts an SPD matrix column by column (for building precisionsInit in tests). */
export function inverse(A: Mat): Mat {
  const n = A.length;
  const cols = Array.from(
    { length: n },
    (_, c) =>
      solve(
        A,
        Array.from({ length: n }, (_, r) => (r === c ? 1 : 0)),
      ).y,
  );
  return Array.from({ length: n }, (_, r) => Array.from({ length: n }, (_, c) => cols[c]![r]!));
}
