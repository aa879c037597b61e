/**
 * Symmetric eigendecompositions and the orthogonal factor of a polar
 * decomposition, on small flat row-major d × d matrices (the M-steps of
 * mclust's models with an orientation). They run once per component per
 * M-step, never per row, so they delegate to `ml-matrix` rather than being
 * written by hand.
 *
 * @module
 */
import { EigenvalueDecomposition, Matrix as MlMatrix, SingularValueDecomposition } from 'ml-matrix';

/** A symmetric matrix's eigenvalues, largest first, and the matching unit eigenvectors. */
export interface SymmetricEigen {
  /** d eigenvalues, descending. */
  readonly values: Float64Array;
  /** d × d, row r the eigenvector of `values[r]` (so the matrix is Vᵀ·diag(values)·V for V these rows). */
  readonly vectors: Float64Array;
}

function toMl(a: Float64Array, offset: number, d: number): MlMatrix {
  const m = new MlMatrix(d, d);
  for (let r = 0; r < d; r++) for (let c = 0; c < d; c++) m.set(r, c, a[offset + r * d + c]!);
  return m;
}

/**
 * Eigendecomposition of the symmetric d × d block of `a` at `offset`.
 *
 * @param a - Row-major storage.
 * @param offset - Where the block starts.
 * @param d - Its order.
 * @returns Eigenvalues (descending) and eigenvectors (as rows).
 * @example
 * ```ts
 * symmetricEigen(Float64Array.of(2, 0, 0, 3), 0, 2).values; // Float64Array [3, 2]
 * ```
 */
export function symmetricEigen(a: Float64Array, offset: number, d: number): SymmetricEigen {
  const evd = new EigenvalueDecomposition(toMl(a, offset, d), { assumeSymmetric: true });
  const raw = evd.realEigenvalues;
  const order = raw.map((_, i) => i).sort((p, q) => raw[q]! - raw[p]! || p - q);
  const values = new Float64Array(d);
  const vectors = new Float64Array(d * d);
  order.forEach((column, r) => {
    values[r] = raw[column]!;
    for (let c = 0; c < d; c++) vectors[r * d + c] = evd.eigenvectorMatrix.get(c, column);
  });
  return { values, vectors };
}

/**
 * The orthogonal matrix V·Uᵀ, where F = U·S·Vᵀ is a singular value
 * decomposition of the d × d matrix F: the step of the MM algorithms for a
 * common orientation (Browne & McNicholas 2014, as mclust's EVE and VVE).
 *
 * @param f - F, row-major d × d.
 * @param d - Its order.
 * @returns V·Uᵀ, row-major d × d.
 */
export function polarTransposed(f: Float64Array, d: number): Float64Array {
  const svd = new SingularValueDecomposition(toMl(f, 0, d), { autoTranspose: false });
  const u = svd.leftSingularVectors;
  const v = svd.rightSingularVectors;
  const out = new Float64Array(d * d);
  for (let r = 0; r < d; r++) {
    for (let c = 0; c < d; c++) {
      let s = 0;
      for (let t = 0; t < d; t++) s += v.get(r, t) * u.get(c, t);
      out[r * d + c] = s;
    }
  }
  return out;
}
