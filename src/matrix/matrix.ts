/**
 * The dense matrix type used everywhere inside the package, and the one
 * conversion from what users pass (`number[][]` or a {@link Matrix}).
 *
 * @module
 */
import { DimensionMismatchError, InvalidDataError } from '../errors.js';

/**
 * A dense row-major matrix of 64-bit floats: element (i, j) is
 * `data[i * cols + j]`. A plain object, so it is serializable and cheap to
 * pass to workers.
 *
 * @example
 * ```ts
 * const m: Matrix = { rows: 2, cols: 3, data: new Float64Array([1, 2, 3, 4, 5, 6]) };
 * ```
 */
export interface Matrix {
  /** Number of rows (samples). */
  readonly rows: number;
  /** Number of columns (features). */
  readonly cols: number;
  /** `rows * cols` values, row after row. */
  readonly data: Float64Array;
}

/**
 * What the public API accepts as data: an array of equal-length rows of
 * numbers (`number[][]`), or a {@link Matrix}.
 */
export type MatrixLike = Matrix | ReadonlyArray<ArrayLike<number>>;

/**
 * Creates a matrix, zero-filled or wrapping `data` (not copied).
 *
 * @param rows - Number of rows.
 * @param cols - Number of columns.
 * @param data - Optional `rows * cols` values, row-major.
 * @returns The matrix.
 * @throws {@link InvalidDataError} if `data` has the wrong length.
 * @example
 * ```ts
 * const zeros = matrix(3, 2);
 * ```
 */
export function matrix(rows: number, cols: number, data?: Float64Array): Matrix {
  const values = data ?? new Float64Array(rows * cols);
  if (values.length !== rows * cols) {
    throw new InvalidDataError('data', `a ${rows}×${cols} matrix needs ${rows * cols} values; got ${values.length}`);
  }
  return { rows, cols, data: values };
}

/** True if `x` has the shape of a {@link Matrix} object (not validated). */
export function isMatrix(x: unknown): x is Matrix {
  return typeof x === 'object' && x !== null && !Array.isArray(x) && 'data' in x && 'rows' in x && 'cols' in x;
}

/**
 * Converts and validates user data: an array of rows or a {@link Matrix}.
 * Nested arrays are copied once into a flat `Float64Array`; a valid `Matrix`
 * with a `Float64Array` is returned as is (not copied).
 *
 * @param x - The data, n rows × d columns.
 * @param name - Argument name used in error messages (default `"X"`).
 * @param allowMissing - Accept NaN as a missing cell (±Infinity is still an error). Default false.
 * @returns A validated matrix.
 * @throws {@link InvalidDataError} if `x` is not 2-D, is empty, has ragged
 *   rows, or holds a value that is not a finite number (the message names the
 *   0-based row and column).
 * @example
 * ```ts
 * const X = asMatrix([[1, 2], [3, 4]]); // { rows: 2, cols: 2, data: Float64Array [1, 2, 3, 4] }
 * ```
 */
export function asMatrix(x: MatrixLike, name = 'X', allowMissing = false): Matrix {
  if (isMatrix(x)) return validateMatrix(x, name, allowMissing);
  if (!Array.isArray(x)) {
    throw new InvalidDataError(name, `${name} must be an array of rows (number[][]) or a Matrix {rows, cols, data}`);
  }
  const rows = x.length;
  if (rows === 0) throw new InvalidDataError(name, `${name} is empty; it needs at least one row`);
  const first: unknown = x[0];
  if (typeof first === 'number') {
    throw new InvalidDataError(
      name,
      `${name} must be 2-D (an array of rows); got a 1-D array of numbers. For 1-D data wrap each value in its own row: values.map((v) => [v])`,
    );
  }
  const cols = rowLength(first, name, 0);
  if (cols === 0) throw new InvalidDataError(name, `${name} has rows with no values; it needs at least one column`);
  const data = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) {
    const r = x[i];
    const len = rowLength(r, name, i);
    if (len !== cols) {
      throw new InvalidDataError(name, `${name} is ragged: row 0 has ${cols} values but row ${i} has ${len}`, { row: i });
    }
    const row = r as ArrayLike<unknown>;
    for (let j = 0; j < cols; j++) {
      const v = row[j];
      if (typeof v !== 'number' || !(Number.isFinite(v) || (allowMissing && Number.isNaN(v)))) throw nonFinite(name, i, j, v);
      data[i * cols + j] = v;
    }
  }
  return { rows, cols, data };
}

function rowLength(row: unknown, name: string, i: number): number {
  if (Array.isArray(row) || ArrayBuffer.isView(row)) return (row as ArrayLike<unknown>).length;
  throw new InvalidDataError(name, `${name}[${i}] must be an array of numbers; got ${row === null ? 'null' : typeof row}`, {
    row: i,
  });
}

function validateMatrix(m: Matrix, name: string, allowMissing: boolean): Matrix {
  const { rows, cols } = m;
  if (!Number.isSafeInteger(rows) || !Number.isSafeInteger(cols) || rows < 0 || cols < 0) {
    throw new InvalidDataError(name, `${name}.rows and ${name}.cols must be non-negative integers; got ${rows}×${cols}`);
  }
  if (rows === 0) throw new InvalidDataError(name, `${name} is empty; it needs at least one row`);
  if (cols === 0) throw new InvalidDataError(name, `${name} has no columns; it needs at least one`);
  const source = m.data as unknown;
  if (!(source instanceof Float64Array) && !Array.isArray(source) && !ArrayBuffer.isView(source)) {
    throw new InvalidDataError(name, `${name}.data must be a Float64Array`);
  }
  const values = source as ArrayLike<unknown>;
  if (values.length !== rows * cols) {
    throw new InvalidDataError(
      name,
      `${name} is ${rows}×${cols} so ${name}.data needs ${rows * cols} values; got ${values.length}`,
    );
  }
  for (let idx = 0; idx < values.length; idx++) {
    const v = values[idx];
    if (typeof v !== 'number' || !(Number.isFinite(v) || (allowMissing && Number.isNaN(v)))) {
      throw nonFinite(name, Math.floor(idx / cols), idx % cols, v);
    }
  }
  return source instanceof Float64Array ? m : { rows, cols, data: Float64Array.from(values as ArrayLike<number>) };
}

function nonFinite(name: string, row: number, column: number, value: unknown): InvalidDataError {
  const shown = typeof value === 'number' ? String(value) : value === undefined ? 'missing' : JSON.stringify(value);
  return new InvalidDataError(
    name,
    `${name} has a value that is not a finite number at row ${row}, column ${column} (0-based): ${shown}${
      Number.isNaN(value) ? " (a missing value: GaussianMixture's missing: 'marginalize' fits with missing cells)" : ''
    }`,
    { row, column },
  );
}

/**
 * Rows [from, to) of X, as a view (no copy).
 *
 * @param X - The matrix.
 * @param from - First row.
 * @param to - One past the last row.
 * @returns The rows, sharing X's values.
 */
export function rowRange(X: Matrix, from: number, to: number): Matrix {
  return { rows: to - from, cols: X.cols, data: X.data.subarray(from * X.cols, to * X.cols) };
}

/**
 * Checks that `X` has the number of columns a model expects.
 *
 * @param X - Validated data.
 * @param nFeatures - Number of features of the model.
 * @param name - Argument name for the message.
 * @throws {@link DimensionMismatchError} if they differ.
 */
export function checkColumns(X: Matrix, nFeatures: number, name = 'X'): void {
  if (X.cols !== nFeatures) throw new DimensionMismatchError(name, nFeatures, X.cols);
}

/**
 * Copies a matrix into nested arrays (`number[][]`).
 *
 * @param m - The matrix.
 * @returns `m.rows` arrays of `m.cols` numbers.
 * @example
 * ```ts
 * toArrays(matrix(1, 2, new Float64Array([5, 6]))); // [[5, 6]]
 * ```
 */
export function toArrays(m: Matrix): number[][] {
  const out: number[][] = new Array(m.rows);
  for (let i = 0; i < m.rows; i++) out[i] = Array.from(m.data.subarray(i * m.cols, (i + 1) * m.cols));
  return out;
}
