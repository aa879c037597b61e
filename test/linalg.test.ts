import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  choleskyLower,
  covarianceFromPrecisionCholesky,
  precisionCholeskyFromCovariance,
  reverseCholeskyUpper,
  solveUpperTransposedInPlace,
} from '../src/matrix/cholesky.js';
import { logSumExp } from '../src/index.js';
import { expectAllClose } from './helpers/allClose.js';

/** A random SPD matrix A = B Bᵀ + d·I, flat. */
const spd = fc.integer({ min: 1, max: 8 }).chain((d) =>
  fc.array(fc.double({ min: -2, max: 2, noNaN: true }), { minLength: d * d, maxLength: d * d }).map((b) => {
    const a = new Float64Array(d * d);
    for (let i = 0; i < d; i++)
      for (let j = 0; j < d; j++) for (let m = 0; m < d; m++) a[i * d + j] += b[i * d + m]! * b[j * d + m]!;
    for (let i = 0; i < d; i++) a[i * d + i] += d;
    return { d, a };
  }),
);

function multiply(a: Float64Array, b: Float64Array, d: number, transposeB = false): Float64Array {
  const out = new Float64Array(d * d);
  for (let i = 0; i < d; i++)
    for (let j = 0; j < d; j++)
      for (let m = 0; m < d; m++) out[i * d + j] += a[i * d + m]! * (transposeB ? b[j * d + m]! : b[m * d + j]!);
  return out;
}
const identity = (d: number): Float64Array => Float64Array.from({ length: d * d }, (_, i) => (i % (d + 1) === 0 ? 1 : 0));

describe('Cholesky kernels', () => {
  it('choleskyLower: L Lᵀ = A with L lower triangular', () => {
    fc.assert(
      fc.property(spd, ({ d, a }) => {
        const l = new Float64Array(d * d);
        expect(choleskyLower(a, 0, d, l, 0)).toBe(-1);
        for (let i = 0; i < d; i++) for (let j = i + 1; j < d; j++) expect(l[i * d + j]).toBe(0);
        expectAllClose(multiply(l, l, d, true), a, { rtol: 1e-12, atol: 1e-12 });
      }),
      { seed: 1 },
    );
  });

  it('precision Cholesky U: upper, U Uᵀ Σ = I; and back to Σ', () => {
    fc.assert(
      fc.property(spd, ({ d, a }) => {
        const u = new Float64Array(d * d);
        expect(precisionCholeskyFromCovariance(a, 0, d, u, new Float64Array(d * d))).toBe(-1);
        for (let i = 0; i < d; i++) for (let j = 0; j < i; j++) expect(u[i * d + j]).toBe(0);
        expectAllClose(multiply(multiply(u, u, d, true), a, d), identity(d), { atol: 1e-10 });
        const back = new Float64Array(d * d);
        covarianceFromPrecisionCholesky(u, 0, d, back, new Float64Array(d * d));
        expectAllClose(back, a, { rtol: 1e-10, atol: 1e-10 });
      }),
      { seed: 2 },
    );
  });

  it('reverseCholeskyUpper: U upper with U Uᵀ = P', () => {
    fc.assert(
      fc.property(spd, ({ d, a }) => {
        const u = new Float64Array(d * d);
        expect(reverseCholeskyUpper(a, 0, d, u)).toBe(-1);
        for (let i = 0; i < d; i++) for (let j = 0; j < i; j++) expect(u[i * d + j]).toBe(0);
        expectAllClose(multiply(u, u, d, true), a, { rtol: 1e-12, atol: 1e-12 });
      }),
      { seed: 3 },
    );
  });

  it('solveUpperTransposedInPlace solves Uᵀ y = z', () => {
    fc.assert(
      fc.property(spd, ({ d, a }) => {
        const u = new Float64Array(d * d);
        reverseCholeskyUpper(a, 0, d, u);
        const z = Float64Array.from({ length: d }, (_, i) => i - 1.5);
        const y = Float64Array.from(z);
        solveUpperTransposedInPlace(u, 0, d, y);
        const uty = Array.from({ length: d }, (_, i) =>
          Array.from({ length: d }, (_, m) => u[m * d + i]! * y[m]!).reduce((s, v) => s + v, 0),
        );
        expectAllClose(uty, z, { atol: 1e-10 });
      }),
      { seed: 4 },
    );
  });

  it('reports the failing pivot of a matrix that is not positive definite', () => {
    const a = new Float64Array([1, 2, 0, 2, 1, 0, 0, 0, 1]);
    expect(choleskyLower(a, 0, 3, new Float64Array(9), 0)).toBe(1);
    expect(reverseCholeskyUpper(new Float64Array([1, 0, 0, -1]), 0, 2, new Float64Array(4))).toBe(1);
  });
});

describe('logSumExp', () => {
  it('is shift-invariant: lse(v + c) = lse(v) + c', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -700, max: 700, noNaN: true }), { minLength: 1, maxLength: 20 }),
        fc.double({ min: -1e3, max: 1e3, noNaN: true }),
        (v, c) => {
          const base = logSumExp(Float64Array.from(v), 0, v.length);
          const shifted = logSumExp(
            Float64Array.from(v, (x) => x + c),
            0,
            v.length,
          );
          expect(Math.abs(shifted - (base + c))).toBeLessThanOrEqual(1e-12 * (1 + Math.abs(base) + Math.abs(c)));
        },
      ),
      { seed: 5 },
    );
  });
  it('handles -Infinity entries, an all -Infinity row, and huge values without overflow', () => {
    expect(logSumExp(new Float64Array([-Infinity, Math.log(2)]), 0, 2)).toBeCloseTo(Math.log(2), 15);
    expect(logSumExp(new Float64Array([-Infinity, -Infinity]), 0, 2)).toBe(-Infinity);
    expect(logSumExp(new Float64Array([1000, 1000]), 0, 2)).toBeCloseTo(1000 + Math.LN2, 12);
  });
});
