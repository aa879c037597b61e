import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { expectAllClose } from './helpers/allClose.js';
import {
  adjustedRandIndex,
  GaussianMixture,
  GmmError,
  KMeans,
  makeBlobs,
  NumericalError,
  toArrays,
  type CovarianceType,
  GaussianMixtureModel,
} from '../src/index.js';

const TYPES: CovarianceType[] = ['full', 'tied', 'diag', 'spherical'];
const blobs = makeBlobs({
  nSamples: 300,
  centers: [
    [0, 0],
    [6, 6],
    [-6, 6],
  ],
  seed: 1,
});
const scaled = (s: number): number[][] => toArrays(blobs.X).map((r) => r.map((v) => v * s));

/** Every output of a model on X, all of which must be finite numbers. */
function outputs(model: GaussianMixtureModel, X: number[][]): number[] {
  return [
    ...model.scoreSamples(X),
    ...model.predictProba(X).data,
    ...model.uncertainty(X),
    ...model.predict(X),
    model.score(X),
    model.bic(X),
    model.aic(X),
    ...model.weights,
    ...model.means.data,
    ...model.covariances,
    ...model.precisionsCholesky,
    ...model.lowerBounds,
    ...model.sample(50).X.data,
  ];
}

describe('extreme but finite input', () => {
  it.each(TYPES)('data at 1e150 scale fits exactly as at unit scale (%s)', (covarianceType) => {
    const X = scaled(1e150);
    const model = new GaussianMixture({ nComponents: 3, covarianceType }).fit(X);
    expect(outputs(model, X).every(Number.isFinite)).toBe(true);
    expect(adjustedRandIndex(blobs.labels, model.predict(X))).toBe(1);
  });

  it('data beyond float64 range for squares raises a NumericalError that says to scale the data', () => {
    for (const covarianceType of TYPES) {
      for (const init of ['kmeans', 'random'] as const) {
        expect(() => new GaussianMixture({ nComponents: 3, covarianceType, initParams: init }).fit(scaled(1e160))).toThrow(
          NumericalError,
        );
      }
    }
    expect(() => new KMeans({ nClusters: 3 }).fit(scaled(1e160))).toThrow(/scale the data/);
    expect(() =>
      new KMeans({
        nClusters: 2,
        init: [
          [0, 0],
          [1e300, 1e300],
        ],
      }).fit(scaled(1e300)),
    ).toThrow(/overflowed.*scale the data/);
  });

  it('constant columns work: the constant feature gets variance regCovar', () => {
    const X = toArrays(blobs.X).map((r) => [r[0]!, 5, r[1]!]);
    for (const covarianceType of TYPES) {
      const model = new GaussianMixture({ nComponents: 3, covarianceType }).fit(X);
      expect(outputs(model, X).every(Number.isFinite)).toBe(true);
      for (let j = 0; j < 3; j++)
        expect(model.componentCovariance(j).data[4]).toBeCloseTo(
          covarianceType === 'spherical' ? model.covariances[j]! : 1e-6,
          12,
        );
    }
  });

  it('duplicate rows, even fewer distinct rows than components, work', () => {
    const X = Array.from(
      { length: 60 },
      (_, i) =>
        [
          [0, 0],
          [3, 1],
          [1, 4],
        ][i % 3]!,
    );
    for (const covarianceType of TYPES) {
      for (const nComponents of [3, 5]) {
        const model = new GaussianMixture({ nComponents, covarianceType }).fit(X);
        expect(outputs(model, X).every(Number.isFinite)).toBe(true);
      }
    }
  });

  it('a point astronomically far from every component gets a NumericalError naming its row', () => {
    const model = new GaussianMixture({ nComponents: 3 }).fit(scaled(1));
    expect(() =>
      model.scoreSamples([
        [0, 0],
        [1e200, 1e200],
      ]),
    ).toThrow(/the log-density of row 1 is -Infinity.*Scale the data/);
    expect(() => model.predict([[1e200, 0]])).toThrow(NumericalError);
  });

  it('never returns NaN: any finite input either fits with finite outputs or raises a GmmError', () => {
    const value = fc.oneof(
      fc.double({ min: -1e6, max: 1e6, noNaN: true }),
      fc.double({ min: -1e150, max: 1e150, noNaN: true }),
      fc.constantFrom(0, 1, -1, 1e-300, 5e-324),
    );
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 3 }),
        fc.array(fc.array(value, { minLength: 2, maxLength: 2 }), { minLength: 4, maxLength: 30 }),
        fc.constantFrom(...TYPES),
        fc.constantFrom('kmeans', 'k-means++', 'random', 'random_from_data' as const),
        (k, rows, covarianceType, initParams) => {
          const X = [...rows, ...rows.slice(0, 2)]; // some duplicates
          try {
            const model = new GaussianMixture({ nComponents: k, covarianceType, initParams, maxIter: 20 }).fit(X);
            expect(outputs(model, X).every(Number.isFinite)).toBe(true);
          } catch (e) {
            expect(e).toBeInstanceOf(GmmError);
          }
        },
      ),
      { numRuns: 300, seed: 7 },
    );
  });
});

describe('weights of extreme scale (issue 16): only their ratios matter', () => {
  const X = makeBlobs({ nSamples: 300, nCenters: 3, nFeatures: 2, seed: 5 }).X;
  const fitWith = (w: number) =>
    new GaussianMixture({ nComponents: 3, seed: 0 }).fit(X, { sampleWeight: new Float64Array(300).fill(w) });
  const ones = fitWith(1);

  it('equal weights that are powers of two, down to subnormal and up to 2^1000, give the same model bit for bit', () => {
    for (const w of [2 ** -1070, 2 ** -1000, 2 ** 1000]) {
      const model = fitWith(w);
      expect(Array.from(model.means.data), String(w)).toEqual(Array.from(ones.means.data));
      expect(model.lowerBound).toBe(ones.lowerBound);
    }
  });

  it('equal weights of 1e-320, 1e-300, 1e300 and 1e308 fit as weights of 1 do', () => {
    for (const w of [1e-320, 1e-300, 1e300, 1e308]) {
      const model = fitWith(w);
      expectAllClose(model.means.data, ones.means.data, { rtol: 1e-9, label: String(w) });
      expect(model.lowerBound).toBeCloseTo(ones.lowerBound, 9);
      const kmeans = new KMeans({ nClusters: 3, seed: 0 }).fit(X, { sampleWeight: new Float64Array(300).fill(w) });
      expect(Array.from(kmeans.labels)).toEqual(Array.from(new KMeans({ nClusters: 3, seed: 0 }).fit(X).labels));
    }
    // The inertia is in the caller's weights.
    const tiny = new KMeans({ nClusters: 3, seed: 0 }).fit(X, { sampleWeight: new Float64Array(300).fill(1e-300) });
    expect(tiny.inertia / 1e-300).toBeCloseTo(new KMeans({ nClusters: 3, seed: 0 }).fit(X).inertia, 6);
  });
});

describe('warnings (issue 16), as scikit-learn’s ConvergenceWarning and more', () => {
  const X = makeBlobs({ nSamples: 300, nCenters: 3, nFeatures: 2, seed: 5 }).X;

  it('say when EM stopped at maxIter before converging, and are kept in the model file', () => {
    const model = new GaussianMixture({ nComponents: 3, maxIter: 2, tol: 0 }).fit(X);
    expect(model.converged).toBe(false);
    expect(model.warnings).toEqual([
      'EM did not converge in 2 iterations (the lower bound still changed by more than tol): raise maxIter or tol, or try other starts',
    ]);
    expect(GaussianMixtureModel.fromJSON(JSON.parse(JSON.stringify(model))).warnings).toEqual(model.warnings);
    expect(new GaussianMixture({ nComponents: 3 }).fit(X).warnings).toEqual([]);
    expect(new GaussianMixture({ nComponents: 3, maxIter: 0 }).fit(X).warnings).toEqual([]); // asked for no EM
  });

  it('say when regCovar swamps a feature’s variance, as on data scaled to 1e-10, where clusters merge', () => {
    const { X: blobsX, labels } = makeBlobs({ nSamples: 300, nCenters: 3, nFeatures: 2, seed: 5, clusterStd: 0.5 });
    const scaled = (s: number) => ({ rows: blobsX.rows, cols: 2, data: blobsX.data.map((v) => v * s) });
    const fit = (s: number, standardize = false) => {
      const model = new GaussianMixture({ nComponents: 3, seed: 0, standardize }).fit(scaled(s), { featureNames: ['u', 'v'] });
      return { model, ari: adjustedRandIndex(labels, model.predict(scaled(s))) };
    };
    const plain = fit(1);
    expect(plain.ari).toBeGreaterThan(0.95);
    expect(plain.model.warnings).toEqual([]);
    for (const s of [1e-4, 1e-10]) {
      const tiny = fit(s);
      expect(tiny.ari).toBeLessThan(0.5); // merged
      expect(tiny.model.warnings).toHaveLength(1);
      expect(tiny.model.warnings[0]).toMatch(
        /^regCovar \(0\.000001\) is \S+ times the variance of feature [01] \('[uv]'\), \S+: it swamps the data's spread, so components merge; standardize the data \(standardize: true\) or lower regCovar$/,
      );
      const rescued = fit(s, true);
      expect(rescued.ari).toBeCloseTo(plain.ari, 10);
      expect(rescued.model.warnings).toEqual([]);
    }
    expect(new GaussianMixture({ nComponents: 3, seed: 0, regCovar: 0 }).fit(scaled(1e-10)).warnings).toEqual([]);
  });

  it('say when a component holds less than one row’s weight', () => {
    const rows = Array.from({ length: 30 }, (_, i) => [i % 5, (i * 7) % 5]);
    const identity = [
      [1, 0],
      [0, 1],
    ];
    const model = new GaussianMixture({
      nComponents: 2,
      weightsInit: [1 - 1e-14, 1e-14],
      meansInit: [
        [2, 2],
        [40, 40],
      ],
      precisionsInit: [identity, identity],
    }).fit(rows);
    expect(model.weights[1]! * 30).toBeLessThan(1);
    expect(model.warnings).toHaveLength(1);
    expect(model.warnings[0]).toMatch(/^component 1 has weight 0\.000128, less than one row's: /);
  });
});
