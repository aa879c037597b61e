import { expect } from 'vitest';

/** Flattens nested arrays / typed arrays into one number[]. */
export function flat(x: unknown): number[] {
  if (typeof x === 'number') return [x];
  if (Array.isArray(x)) return x.flatMap(flat);
  if (ArrayBuffer.isView(x)) return Array.from(x as unknown as ArrayLike<number>);
  throw new Error(`not numeric: ${String(x)}`);
}

/**
 * Asserts |actual − expected| ≤ atol + rtol·|expected| elementwise (numpy's
 * allclose), reporting the worst element.
 */
export function expectAllClose(actual: unknown, expected: unknown, { rtol = 1e-8, atol = 0, label = '' } = {}): void {
  const a = flat(actual);
  const e = flat(expected);
  expect(a.length, `${label} length`).toBe(e.length);
  let worst = -1;
  let worstExcess = 0;
  for (let i = 0; i < e.length; i++) {
    const excess = Math.abs(a[i]! - e[i]!) - (atol + rtol * Math.abs(e[i]!));
    if (!(excess <= 0) && (worst < 0 || excess > worstExcess)) {
      worst = i;
      worstExcess = excess;
    }
  }
  if (worst >= 0) {
    expect.fail(`${label}[${worst}] = ${a[worst]} but expected ${e[worst]} (rtol ${rtol}, atol ${atol})`);
  }
}
