/**
 * Conversions between nested arrays in scikit-learn's shapes (what users
 * write and what the JSON model format stores) and flat `Float64Array`s.
 *
 * @module
 */

/** A number, or an array of arrays of … numbers. */
export type Nested = number | Nested[];

/**
 * Reads a rectangular nested array of finite numbers of the expected shape.
 *
 * @param value - The nested array.
 * @param shape - Expected shape, e.g. `[3, 2, 2]`.
 * @param name - Path used in messages, e.g. `"precisionsInit"`.
 * @param fail - Builds the error to throw from a path and a problem description.
 * @returns The values, flattened row-major.
 */
export function readNested(
  value: unknown,
  shape: readonly number[],
  name: string,
  fail: (path: string, problem: string) => Error,
): Float64Array {
  const out = new Float64Array(shape.reduce((a, b) => a * b, 1));
  let next = 0;
  const visit = (v: unknown, depth: number, path: string): void => {
    if (depth === shape.length) {
      if (typeof v !== 'number' || !Number.isFinite(v)) throw fail(path, `must be a finite number; got ${show(v)}`);
      out[next++] = v;
      return;
    }
    const expected = shape[depth];
    if (!Array.isArray(v) && !ArrayBuffer.isView(v)) {
      throw fail(path, `must be an array of length ${expected} (expected shape [${shape.join(', ')}]); got ${show(v)}`);
    }
    const arr = v as ArrayLike<unknown>;
    if (arr.length !== expected) {
      throw fail(path, `must have length ${expected} (expected shape [${shape.join(', ')}]); got length ${arr.length}`);
    }
    for (let i = 0; i < expected; i++) visit(arr[i], depth + 1, `${path}[${i}]`);
  };
  visit(value, 0, name);
  return out;
}

/**
 * Shape of a nested array, following first elements (not validated).
 *
 * @param value - A nested array (or number).
 * @returns Its shape, e.g. `[3, 2]`.
 */
export function nestedShape(value: unknown): number[] {
  const shape: number[] = [];
  let v = value;
  while (Array.isArray(v) || ArrayBuffer.isView(v)) {
    const arr = v as ArrayLike<unknown>;
    shape.push(arr.length);
    if (arr.length === 0) break;
    v = arr[0];
  }
  return shape;
}

/**
 * Nests flat values into arrays of the given shape.
 *
 * @param flat - Values, row-major.
 * @param shape - Shape, e.g. `[3, 2, 2]` (an empty shape gives the single number).
 * @returns Nested arrays.
 */
export function toNested(flat: ArrayLike<number>, shape: readonly number[]): Nested {
  let offset = 0;
  const build = (depth: number): Nested => {
    if (depth === shape.length) return flat[offset++];
    const out: Nested[] = new Array(shape[depth]);
    for (let i = 0; i < shape[depth]; i++) out[i] = build(depth + 1);
    return out;
  };
  return build(0);
}

function show(v: unknown): string {
  if (typeof v === 'number' || typeof v === 'boolean' || v === null || v === undefined) return String(v);
  if (typeof v === 'string') return JSON.stringify(v.length > 30 ? `${v.slice(0, 30)}…` : v);
  return typeof v;
}
