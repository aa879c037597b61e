import { describe, expect, it } from 'vitest';
import { activeBackend, GaussianMixture, InvalidParameterError, matrixSource } from '../src/node/index.js';
import { stretchedBlobs } from './helpers/problems.js';

/** The rows rounded to f32, as `dtype: 'float32'` rounds them. */
function rounded(X: number[][]): number[][] {
  return X.map((row) => Array.from(new Float32Array(row)));
}

/** Share of rows two models label alike. */
function agreement(a: Int32Array, b: Int32Array): number {
  let same = 0;
  for (let i = 0; i < a.length; i++) if (a[i] === b[i]) same++;
  return same / a.length;
}

describe("dtype: 'float32'", () => {
  const mid = stretchedBlobs(20_000, 16, 6, 1.2, 11);
  const wide = stretchedBlobs(6_000, 64, 4, 1.5, 12);

  it.each([
    ['16 features', mid, 6],
    ['64 features (pruned E-step)', wide, 4],
  ] as const)('full, %s: the f64 fit of the rounded rows to f32 accuracy, and the same clusters', (_name, X, k) => {
    const options = { nComponents: k, covarianceType: 'full', seed: 5, maxIter: 30, tol: 0 } as const;
    const single = new GaussianMixture({ ...options, dtype: 'float32' }).fit(X);
    const double = new GaussianMixture(options).fit(rounded(X));
    expect(single.nIter).toBe(double.nIter);
    // Per-row log-likelihood: f32 products of ~d terms, summed in f64.
    expect(Math.abs(single.lowerBound - double.lowerBound)).toBeLessThan(1e-4 * Math.abs(double.lowerBound) + 1e-4);
    const scale = Math.max(...double.means.data.map(Math.abs));
    const meanError = Math.max(...single.means.data.map((v, i) => Math.abs(v - double.means.data[i]!)));
    expect(meanError).toBeLessThan(1e-3 * scale);
    expect(agreement(single.predict(X), double.predict(X))).toBeGreaterThan(0.999);
    if (activeBackend() === 'typescript') {
      // No f32 kernels: the f64 kernels on the rounded rows, so the very same bits.
      expect(single.toJSON()).toEqual(double.toJSON());
    } else {
      // The f32 kernels ran: not the f64 bits.
      expect(single.lowerBound).not.toBe(double.lowerBound);
    }
  });

  it.each(['diag', 'tied', 'spherical'] as const)('%s (no f32 kernel): exactly the f64 fit of the rounded rows', (type) => {
    const options = { nComponents: 6, covarianceType: type, seed: 2, maxIter: 20 } as const;
    const single = new GaussianMixture({ ...options, dtype: 'float32' }).fit(mid);
    expect(single.toJSON()).toEqual(new GaussianMixture(options).fit(rounded(mid)).toJSON());
  });

  it('few features (d ≤ 4): exactly the f64 fit of the rounded rows', () => {
    const X = stretchedBlobs(3000, 3, 3, 0.8, 4);
    const options = { nComponents: 3, seed: 1 } as const;
    const single = new GaussianMixture({ ...options, dtype: 'float32' }).fit(X);
    expect(single.toJSON()).toEqual(new GaussianMixture(options).fit(rounded(X)).toJSON());
  });

  it('fitAsync on 2 workers gives the bits of fit', async () => {
    const estimator = new GaussianMixture({ nComponents: 6, seed: 9, maxIter: 15, dtype: 'float32' });
    const sync = estimator.fit(mid);
    const pooled = await estimator.fitAsync(mid, { threads: 2 });
    expect(pooled.toJSON()).toEqual(sync.toJSON());
  });

  it('standardize: the standardized rows are rounded, the model still takes the data units', () => {
    const X = mid.map((row) => row.map((v, a) => v * 10 ** (a % 4) + 1000));
    const single = new GaussianMixture({ nComponents: 6, seed: 3, standardize: true, dtype: 'float32' }).fit(X);
    const double = new GaussianMixture({ nComponents: 6, seed: 3, standardize: true }).fit(X);
    expect(agreement(single.predict(X), double.predict(X))).toBeGreaterThan(0.999);
    expect(Math.abs(single.score(X) - double.score(X))).toBeLessThan(1e-4 * Math.abs(double.score(X)));
  });

  it('refuses a bad dtype, and float32 over a data source, naming the option', async () => {
    expect(() => new GaussianMixture({ dtype: 'float16' as never })).toThrow(InvalidParameterError);
    expect(() => new GaussianMixture({ dtype: 'float16' as never })).toThrow(/dtype/);
    const source = matrixSource({ rows: 100, cols: 16, data: Float64Array.from(mid.slice(0, 100).flat()) });
    await expect(new GaussianMixture({ nComponents: 2, dtype: 'float32' }).fitAsync(source)).rejects.toThrow(
      /dtype must be 'float64' to fit a data source/,
    );
  });
});
