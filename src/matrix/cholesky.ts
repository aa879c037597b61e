/**
 * Small dense symmetric-positive-definite kernels on d×d row-major blocks of a
 * `Float64Array` (a block starts at an offset, so the k covariances of a
 * mixture live in one array). Hand-written: d is small (≤ a few hundred), the
 * blocks are many, and a general linear-algebra package would allocate per
 * call. No explicit inverse of a covariance is ever formed: the model keeps
 * the Cholesky factor of the precision, as scikit-learn does.
 *
 * @module
 */

/**
 * Lower Cholesky factor L of a symmetric positive-definite matrix A (A = L Lᵀ).
 * Only the lower triangle of A is read; the strict upper triangle of `out`
 * is set to 0.
 *
 * @param a - Array holding A at `aOffset` (d×d row-major).
 * @param aOffset - Index of A(0,0) in `a`.
 * @param d - Order of A.
 * @param out - Array receiving L at `outOffset` (may be `a` with the same offset).
 * @param outOffset - Index of L(0,0) in `out`.
 * @returns -1 on success, otherwise the 0-based pivot where A is found not
 *   positive definite (pivot ≤ 0 or not finite).
 */
export function choleskyLower(a: Float64Array, aOffset: number, d: number, out: Float64Array, outOffset: number): number {
  for (let j = 0; j < d; j++) {
    const rowJ = outOffset + j * d;
    let s = a[aOffset + j * d + j];
    for (let k = 0; k < j; k++) s -= out[rowJ + k] * out[rowJ + k];
    if (!(s > 0) || !Number.isFinite(s)) return j;
    const ljj = Math.sqrt(s);
    out[rowJ + j] = ljj;
    for (let i = j + 1; i < d; i++) {
      const rowI = outOffset + i * d;
      let t = a[aOffset + i * d + j];
      for (let k = 0; k < j; k++) t -= out[rowI + k] * out[rowJ + k];
      out[rowI + j] = t / ljj;
    }
    for (let k = j + 1; k < d; k++) out[rowJ + k] = 0;
  }
  return -1;
}

/**
 * The precision Cholesky factor of a covariance: the upper-triangular U with
 * U Uᵀ = Σ⁻¹, computed as U = L⁻ᵀ where Σ = L Lᵀ (scikit-learn's
 * `precisions_cholesky_`).
 *
 * @param cov - Array holding Σ at `offset` (d×d row-major, symmetric).
 * @param offset - Index of Σ(0,0) in `cov`; U is written at the same offset of `out`.
 * @param d - Order of Σ.
 * @param out - Array receiving U.
 * @param scratch - At least d×d values of scratch space.
 * @returns -1 on success, else the pivot at which Σ is not positive definite.
 */
export function precisionCholeskyFromCovariance(
  cov: Float64Array,
  offset: number,
  d: number,
  out: Float64Array,
  scratch: Float64Array,
): number {
  const failed = choleskyLower(cov, offset, d, scratch, 0);
  if (failed >= 0) return failed;
  // Column c of M = L⁻¹ by forward substitution; U(c, i) = M(i, c).
  for (let c = 0; c < d; c++) {
    for (let i = 0; i < c; i++) out[offset + c * d + i] = 0;
    out[offset + c * d + c] = 1 / scratch[c * d + c];
    for (let i = c + 1; i < d; i++) {
      let s = 0;
      for (let j = c; j < i; j++) s += scratch[i * d + j] * out[offset + c * d + j];
      out[offset + c * d + i] = -s / scratch[i * d + i];
    }
  }
  return -1;
}

/**
 * Upper-triangular U with U Uᵀ = P for a symmetric positive-definite P (the
 * "reverse" Cholesky factorization, working from the bottom-right corner).
 * This is how an initial precision matrix becomes a precision Cholesky
 * factor without inverting anything.
 *
 * @param p - Array holding P at `offset` (d×d row-major, symmetric).
 * @param offset - Index of P(0,0); U is written at the same offset of `out`.
 * @param d - Order of P.
 * @param out - Array receiving U (must not alias `p`).
 * @returns -1 on success, else the pivot at which P is not positive definite.
 */
export function reverseCholeskyUpper(p: Float64Array, offset: number, d: number, out: Float64Array): number {
  for (let j = d - 1; j >= 0; j--) {
    const rowJ = offset + j * d;
    let s = p[rowJ + j];
    for (let k = j + 1; k < d; k++) s -= out[rowJ + k] * out[rowJ + k];
    if (!(s > 0) || !Number.isFinite(s)) return j;
    const ujj = Math.sqrt(s);
    out[rowJ + j] = ujj;
    for (let i = 0; i < j; i++) {
      const rowI = offset + i * d;
      let t = p[rowI + j];
      for (let k = j + 1; k < d; k++) t -= out[rowI + k] * out[rowJ + k];
      out[rowI + j] = t / ujj;
    }
    for (let k = 0; k < j; k++) out[rowJ + k] = 0;
  }
  return -1;
}

/**
 * The covariance Σ = (U Uᵀ)⁻¹ = U⁻ᵀ U⁻¹ from a precision Cholesky factor U,
 * through the triangular V = U⁻¹ (back substitution).
 *
 * @param u - Array holding U at `offset` (upper triangular, positive diagonal).
 * @param offset - Index of U(0,0); Σ is written at the same offset of `out`.
 * @param d - Order.
 * @param out - Array receiving Σ (must not alias `u`).
 * @param scratch - At least d×d values of scratch space (receives V).
 */
export function covarianceFromPrecisionCholesky(
  u: Float64Array,
  offset: number,
  d: number,
  out: Float64Array,
  scratch: Float64Array,
): void {
  // V = U⁻¹, upper triangular: column c solves U v = e_c from the bottom up.
  scratch.fill(0, 0, d * d);
  for (let c = 0; c < d; c++) {
    scratch[c * d + c] = 1 / u[offset + c * d + c];
    for (let i = c - 1; i >= 0; i--) {
      let s = 0;
      for (let j = i + 1; j <= c; j++) s += u[offset + i * d + j] * scratch[j * d + c];
      scratch[i * d + c] = -s / u[offset + i * d + i];
    }
  }
  // Σ(i, j) = Σ_k V(k, i) V(k, j), k ≤ min(i, j).
  for (let i = 0; i < d; i++) {
    for (let j = i; j < d; j++) {
      let s = 0;
      for (let k = 0; k <= i; k++) s += scratch[k * d + i] * scratch[k * d + j];
      out[offset + i * d + j] = s;
      out[offset + j * d + i] = s;
    }
  }
}

/**
 * Solves Uᵀ y = z for y, U upper triangular (forward substitution). With z
 * standard normal, y has covariance (U Uᵀ)⁻¹: this is how samples are drawn
 * from a component given its precision Cholesky factor.
 *
 * @param u - Array holding U at `offset`.
 * @param offset - Index of U(0,0).
 * @param d - Order.
 * @param z - Right-hand side (d values); overwritten by y.
 */
export function solveUpperTransposedInPlace(u: Float64Array, offset: number, d: number, z: Float64Array): void {
  for (let i = 0; i < d; i++) {
    let s = z[i];
    for (let k = 0; k < i; k++) s -= u[offset + k * d + i] * z[k];
    z[i] = s / u[offset + i * d + i];
  }
}
