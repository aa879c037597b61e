import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { componentEllipse, ellipseOf, GaussianMixture, makeMoons, matrix, PCA, principalAxes } from '../src/index.js';
import { expectAllClose } from './helpers/allClose.js';
import { stretchedBlobs } from './helpers/problems.js';

interface PcaFixture {
  name: string;
  file: string;
  columns: number;
  nComponents: number;
  whiten: boolean;
  expected: Record<string, number | number[] | number[][]>;
}
const pcaFixtures = (
  JSON.parse(readFileSync(new URL('./fixtures/sklearn-extra/pca.json', import.meta.url), 'utf8')) as { pca: PcaFixture[] }
).pca;
const csv = (file: string, columns: number): number[][] =>
  readFileSync(new URL(`../${file}`, import.meta.url), 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .map((line) => line.split(',').slice(0, columns).map(Number));

describe('PCA against scikit-learn 1.2.1', () => {
  it.each(pcaFixtures.map((f) => [f.name, f] as const))('%s', (_name, f) => {
    const X = csv(f.file, f.columns);
    const pca = new PCA({ nComponents: f.nComponents, whiten: f.whiten }).fit(X);
    const e = f.expected;
    expect(pca.nComponents).toBe(e.nComponents);
    expectAllClose(pca.mean, e.mean, { rtol: 1e-12, label: 'mean' });
    expectAllClose(pca.explainedVariance, e.explainedVariance, { rtol: 1e-9, label: 'explainedVariance' });
    expectAllClose(pca.explainedVarianceRatio, e.explainedVarianceRatio, { rtol: 1e-9, label: 'explainedVarianceRatio' });
    expectAllClose(pca.singularValues, e.singularValues, { rtol: 1e-9, label: 'singularValues' });
    // Same sign convention as scikit-learn's svd_flip, so the components agree exactly, not just up to sign.
    expectAllClose(pca.components.data, e.components, { rtol: 1e-6, atol: 1e-9, label: 'components' });
    const Y = pca.transform(X.slice(0, 5));
    expectAllClose(Y.data, e.transformFirst5, { rtol: 1e-6, atol: 1e-9, label: 'transform' });
    expectAllClose(pca.inverseTransform(Y).data, e.inverseFirst5, { rtol: 1e-9, atol: 1e-9, label: 'inverseTransform' });
  });

  it('rejects a count above min(rows, columns) and fractions outside (0, 1)', () => {
    expect(() =>
      new PCA({ nComponents: 5 }).fit([
        [1, 2],
        [3, 4],
        [5, 7],
      ]),
    ).toThrow(/nComponents must be at most min\(rows, columns\) = 2/);
    expect(() => new PCA({ nComponents: -0.5 })).toThrow(
      /nComponents must be a positive integer \(a count\) or a number in \(0, 1\)/,
    );
    expect(() => new PCA({ nComponents: 1.5 })).toThrow(/nComponents must be/);
  });
});

describe('principal axes and ellipses', () => {
  it('principalAxes reconstructs the covariance from orthonormal directions, largest first', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 6 }), fc.nat(), (d, seed) => {
        const model = new GaussianMixture({ nComponents: 1 }).fit(stretchedBlobs(60, d, 1, 1, seed));
        const cov = model.componentCovariance(0);
        const { standardDeviations: s, directions: v } = principalAxes(cov);
        for (let i = 1; i < d; i++) expect(s[i]!).toBeLessThanOrEqual(s[i - 1]!);
        const rebuilt = new Float64Array(d * d);
        for (let r = 0; r < d; r++)
          for (let a = 0; a < d; a++)
            for (let b = 0; b < d; b++) rebuilt[a * d + b] += s[r]! ** 2 * v.data[r * d + a]! * v.data[r * d + b]!;
        expectAllClose(rebuilt, cov.data, { rtol: 1e-9, atol: 1e-12 });
        for (let r = 0; r < d; r++) {
          for (let q = 0; q < d; q++) {
            let dot = 0;
            for (let a = 0; a < d; a++) dot += v.data[r * d + a]! * v.data[q * d + a]!;
            expect(dot).toBeCloseTo(r === q ? 1 : 0, 10);
          }
        }
      }),
      { numRuns: 30, seed: 1 },
    );
  });

  it('ellipseOf: axis-aligned and rotated cases', () => {
    expect(ellipseOf(1, 2, 4, 0, 1)).toEqual({ cx: 1, cy: 2, rx: 2, ry: 1, angle: 0 });
    const e = ellipseOf(0, 0, 2, 1, 2, 3); // eigenvalues 3 and 1 along ±45°
    expect(e.rx).toBeCloseTo(3 * Math.sqrt(3), 12);
    expect(e.ry).toBeCloseTo(3, 12);
    expect(e.angle).toBeCloseTo(Math.PI / 4, 12);
  });

  it('componentEllipse projects a component on two features, for every covariance type', () => {
    for (const covarianceType of ['full', 'tied', 'diag', 'spherical'] as const) {
      const model = new GaussianMixture({ nComponents: 2, covarianceType }).fit(stretchedBlobs(200, 3, 2, 1, 6));
      const cov = model.componentCovariance(1);
      const e = componentEllipse(model, 1, { x: 2, y: 0, scale: 2 });
      const axes = principalAxes(matrix(2, 2, Float64Array.from([cov.data[8]!, cov.data[6]!, cov.data[2]!, cov.data[0]!])));
      expectAllClose([e.rx, e.ry], [2 * axes.standardDeviations[0]!, 2 * axes.standardDeviations[1]!], { rtol: 1e-9 });
      expectAllClose([e.cx, e.cy], [model.means.data[5]!, model.means.data[3]!], { rtol: 1e-15 });
    }
    const model = new GaussianMixture({ nComponents: 1 }).fit([
      [0, 0],
      [1, 1],
      [2, 0],
    ]);
    expect(() => componentEllipse(model, 0, { x: 2 })).toThrow(/x must be a feature index from 0 to 1; got 2/);
  });
});

describe('makeMoons', () => {
  it('puts noise-free points on the two half circles, half each', () => {
    const { X, labels } = makeMoons({ nSamples: 101, seed: 1 });
    let upper = 0;
    for (let i = 0; i < 101; i++) {
      const [x, y] = [X.data[2 * i]!, X.data[2 * i + 1]!];
      if (labels[i] === 0) {
        upper++;
        expect(Math.hypot(x, y)).toBeCloseTo(1, 12);
        expect(y).toBeGreaterThanOrEqual(-1e-12);
      } else {
        expect(Math.hypot(x - 1, y - 0.5)).toBeCloseTo(1, 12);
        expect(y).toBeLessThanOrEqual(0.5 + 1e-12);
      }
    }
    expect(upper).toBe(50);
  });
});
