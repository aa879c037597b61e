/**
 * Model-based agglomerative hierarchical clustering, mclust's default start
 * (`hc(data, modelName = "VVV", use = "SVD")`, Fraley 1998; Banfield &
 * Raftery 1993): every row starts as its own cluster, and the two clusters
 * whose merge costs the least classification likelihood of the VVV model
 * merge, until one is left.
 *
 * The cost of a cluster of l rows with scatter W (mclust's `vvvtij`, with α
 * and β its regularization) is
 *   l·log(β(tr W + α)/l)                 when l ≤ d (too few rows for a determinant),
 *   l·log(det(W/l) + β(tr W + α)/l)      otherwise,
 * and a merge costs the merged cluster's term minus its parts'. α is the
 * trace of the data's scatter over n·d (`alpha = 1` times `traceW(data/√(n·d))`),
 * β = 1. A pair of identical rows costs −2 log 2, the least any first merge
 * can, so duplicates need no special case (mclust's `hc` does not group them
 * either).
 *
 * The rows are first transformed as mclust's `use = "SVD"`: each column
 * centered and divided by its standard deviation, then Z = X·V·S^(−1/2) for
 * X = U·S·Vᵀ. The criterion is invariant under rotations, so V is taken from
 * the eigenvectors of XᵀX (S² its eigenvalues) and its signs do not matter.
 *
 * Exact ties (equal costs: duplicate rows, or data rounded to a grid) go to
 * the pair that comes last in mclust's first scan (the larger cluster number
 * highest, then the smaller), as its `dij .le. dopt`. After merges mclust
 * renumbers its clusters in storage, so ties between merged clusters can
 * still go another way than mclust's.
 *
 * @module
 */
import { choleskyLower } from '../matrix/cholesky.js';
import { symmetricEigen } from '../matrix/eigen.js';
import { matrix, type Matrix } from '../matrix/matrix.js';
import { columnMoments } from '../matrix/standardize.js';

/** The merges of a hierarchy, in order. */
export interface Hierarchy {
  /** Rows. */
  readonly n: number;
  /** Merge t joined clusters `merges[2t] < merges[2t + 1]`; the joint cluster keeps the smaller number. */
  readonly merges: Int32Array;
}

/**
 * mclust's `use = "SVD"` transformation of the rows (see the module notes).
 * Constant columns are dropped, as mclust's.
 *
 * @param X - n × d data (n ≥ 2).
 * @returns n × r, r the number of non-constant columns (at most n).
 */
export function svdScaled(X: Matrix): Matrix {
  const { rows: n, cols: d, data } = X;
  // R's scale(): the sample standard deviation (n − 1).
  const { mean, variance } = columnMoments(X, null);
  const sd = Float64Array.from(variance, (v) => Math.sqrt((v * n) / (n - 1)));
  const keep: number[] = [];
  for (let a = 0; a < d; a++) if (sd[a] > 0 && Number.isFinite(sd[a])) keep.push(a);
  const p = keep.length;
  if (p === 0) return matrix(n, 0, new Float64Array(0));
  const y = new Float64Array(n * p);
  for (let i = 0; i < n; i++) keep.forEach((a, c) => (y[i * p + c] = (data[i * d + a] - mean[a]) / sd[a]));
  const gram = new Float64Array(p * p);
  for (let i = 0; i < n; i++)
    for (let a = 0; a < p; a++) for (let b = a; b < p; b++) gram[a * p + b] += y[i * p + a] * y[i * p + b];
  for (let a = 0; a < p; a++) for (let b = 0; b < a; b++) gram[a * p + b] = gram[b * p + a];
  const { values, vectors } = symmetricEigen(gram, 0, p);
  const r = Math.min(n, p);
  const out = new Float64Array(n * r);
  for (let c = 0; c < r; c++) {
    // S = √eigenvalue; the column is scaled by S^(−1/2).
    const scale = values[c] > 0 ? Math.pow(values[c], -0.25) : 0;
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let a = 0; a < p; a++) s += y[i * p + a] * vectors[c * p + a];
      out[i * r + c] = s * scale;
    }
  }
  return matrix(n, r, out);
}

/**
 * The VVV hierarchy of the rows of Z (already transformed).
 *
 * @param Z - n × d rows, n ≥ 1.
 * @returns The n − 1 merges.
 */
export function hierarchyVVV(Z: Matrix): Hierarchy {
  const { rows: n, cols: d, data } = Z;
  const dd = d * d;
  // α: the trace of the data's scatter over n·d; β = 1.
  let alpha = 0;
  for (let a = 0; a < d; a++) {
    let s = 0;
    for (let i = 0; i < n; i++) s += data[i * d + a];
    const m = s / n;
    for (let i = 0; i < n; i++) alpha += (data[i * d + a] - m) ** 2;
  }
  // (No column left, d = 0, when every column was constant: α is then eps, and every merge costs the same.)
  alpha = d > 0 ? Math.max(alpha / (n * d), 2.220446049250313e-16) : 2.220446049250313e-16;
  const count = new Float64Array(n).fill(1);
  const means = Float64Array.from(data);
  const scatter = new Float64Array(n * dd);
  const term = new Float64Array(n).fill(Math.log(alpha));
  const chol = new Float64Array(dd);
  const joint = new Float64Array(dd);
  const jointMean = new Float64Array(d);

  const traces = new Float64Array(n);
  /** tr W of a ∪ b: tr Wₐ + tr W_b + (nₐn_b/l)·‖μₐ − μ_b‖², as mclust updates it. */
  const mergedTrace = (a: number, b: number): number => {
    let q = 0;
    for (let r = 0; r < d; r++) q += (means[a * d + r] - means[b * d + r]) ** 2;
    return traces[a] + traces[b] + ((count[a] * count[b]) / (count[a] + count[b])) * q;
  };
  /** The scatter and mean of a ∪ b, into `joint` and `jointMean`. */
  const join = (a: number, b: number): void => {
    const na = count[a];
    const nb = count[b];
    const l = na + nb;
    const f = (na * nb) / l;
    for (let r = 0; r < d; r++) {
      const dr = means[a * d + r] - means[b * d + r];
      jointMean[r] = (na * means[a * d + r] + nb * means[b * d + r]) / l;
      for (let c = 0; c < d; c++) {
        const dc = means[a * d + c] - means[b * d + c];
        joint[r * d + c] = scatter[a * dd + r * d + c] + scatter[b * dd + r * d + c] + f * dr * dc;
      }
    }
  };
  /** The term of clusters a ∪ b (the scatter is only formed when the determinant is needed). */
  const mergedTerm = (a: number, b: number): number => {
    const na = count[a];
    const nb = count[b];
    const l = na + nb;
    const ridge = (mergedTrace(a, b) + alpha) / l;
    // Two single rows: the trace form whatever d (as mclust, which special-cases them).
    if (l <= d || (na === 1 && nb === 1)) return l * Math.log(ridge);
    join(a, b);
    if (choleskyLower(joint, 0, d, chol, 0) >= 0) return l * Math.log(ridge);
    let logDet = 0;
    for (let r = 0; r < d; r++) logDet += 2 * Math.log(chol[r * d + r] / Math.sqrt(l));
    // log(det + ridge), stably.
    return l * (logDet <= 0 ? Math.log(Math.exp(logDet) + ridge) : logDet + Math.log1p(Math.exp(-logDet) * ridge));
  };

  const cost = new Float64Array(n * n);
  const best = new Int32Array(n).fill(-1);
  const bestCost = new Float64Array(n).fill(Infinity);
  const active = new Uint8Array(n).fill(1);
  // Row c keeps its best partner among the clusters numbered above it (ties: the highest), so that a merge,
  // which keeps the lower number, sends few rows back to a full scan.
  const rescan = (c: number): void => {
    best[c] = -1;
    bestCost[c] = Infinity;
    for (let e = c + 1; e < n; e++) {
      if (!active[e]) continue;
      const v = cost[c * n + e];
      if (v <= bestCost[c]) {
        bestCost[c] = v;
        best[c] = e;
      }
    }
  };
  for (let a = 0; a < n; a++) {
    for (let b = a + 1; b < n; b++) {
      const v = mergedTerm(a, b) - term[a] - term[b];
      cost[a * n + b] = v;
      cost[b * n + a] = v;
    }
  }
  for (let a = 0; a < n; a++) rescan(a);

  /** Whether pair {c, e} comes after {i, f} in mclust's scan order (by the larger number, then the smaller). */
  const later = (c: number, e: number, i: number, f: number): boolean => {
    const hi = Math.max(c, e);
    const hf = Math.max(i, f);
    return hi !== hf ? hi > hf : Math.min(c, e) > Math.min(i, f);
  };
  const merges = new Int32Array(2 * Math.max(n - 1, 0));
  for (let t = 0; t < n - 1; t++) {
    let i = -1;
    for (let c = 0; c < n; c++) {
      if (!active[c] || best[c] < 0) continue;
      if (i < 0 || bestCost[c] < bestCost[i] || (bestCost[c] === bestCost[i] && later(c, best[c], i, best[i]))) i = c;
    }
    const a = i;
    const b = best[i];
    merges[2 * t] = a;
    merges[2 * t + 1] = b;
    term[a] = mergedTerm(a, b);
    traces[a] = mergedTrace(a, b);
    join(a, b);
    scatter.set(joint, a * dd);
    means.set(jointMean, a * d);
    count[a] += count[b];
    active[b] = 0;
    for (let c = 0; c < n; c++) {
      if (!active[c] || c === a) continue;
      const v = mergedTerm(a, c) - term[a] - term[c];
      cost[a * n + c] = v;
      cost[c * n + a] = v;
    }
    rescan(a);
    for (let c = 0; c < a; c++) {
      if (!active[c]) continue;
      if (best[c] === a || best[c] === b) rescan(c);
      else if (cost[c * n + a] < bestCost[c] || (cost[c * n + a] === bestCost[c] && a > best[c])) {
        bestCost[c] = cost[c * n + a];
        best[c] = a;
      }
    }
    // Rows between a and b lost b from their partners; rows above b see neither.
    for (let c = a + 1; c < b; c++) if (active[c] && best[c] === b) rescan(c);
  }
  return { n, merges };
}

/**
 * The hierarchy's partition into k clusters (mclust's `hclass`): labels
 * 0..k−1, numbered in order of first appearance.
 *
 * @param hierarchy - From {@link hierarchyVVV}.
 * @param k - Clusters, 1 ≤ k ≤ n.
 * @returns n labels.
 */
export function hierarchyPartition(hierarchy: Hierarchy, k: number): Int32Array {
  const { n, merges } = hierarchy;
  const owner = Int32Array.from({ length: n }, (_, i) => i);
  for (let t = 0; t < n - k; t++) {
    const a = merges[2 * t];
    const b = merges[2 * t + 1];
    for (let i = 0; i < n; i++) if (owner[i] === b) owner[i] = a;
  }
  const label = new Map<number, number>();
  return Int32Array.from(owner, (o) => {
    let l = label.get(o);
    if (l === undefined) label.set(o, (l = label.size));
    return l;
  });
}
