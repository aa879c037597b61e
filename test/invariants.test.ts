import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { GaussianMixture, GaussianMixtureModel, type CovarianceFamily } from '../src/index.js';
import { expectAllClose } from './helpers/allClose.js';
import { emStep, weightedLogProb, type NaiveParams } from './helpers/naive.js';
import { fixedStart, moments, problems, stretchedBlobs, type Problem } from './helpers/problems.js';

const TYPES: CovarianceFamily[] = ['full', 'tied', 'diag', 'spherical'];

function fitFixed(
  p: Problem,
  extra: Record<string, unknown> = {},
  fitOptions: Record<string, unknown> = {},
): GaussianMixtureModel {
  return new GaussianMixture({ nComponents: p.k, covarianceType: p.type, tol: 0, maxIter: 15, ...fixedStart(p), ...extra }).fit(
    p.X,
    fitOptions,
  );
}

function naiveParams(m: GaussianMixtureModel): NaiveParams {
  const json = m.toJSON();
  return { weights: json.weights, means: json.means, covariances: json.covariances };
}

describe('kernels agree with naive reference code (scikit-learn formulas, Gaussian elimination)', () => {
  it('one EM iteration with random sample weights, every covariance type', () => {
    fc.assert(
      fc.property(problems(), fc.nat(), (p, wseed) => {
        const start = new GaussianMixture({ nComponents: p.k, covarianceType: p.type, maxIter: 0, ...fixedStart(p) }).fit(p.X);
        const sampleWeight = p.X.map((_, i) => ((i * 7919 + wseed) % 5) * 0.5 + (i === 0 ? 1 : 0));
        const one = new GaussianMixture({ nComponents: p.k, covarianceType: p.type, maxIter: 1, tol: 0, ...fixedStart(p) }).fit(
          p.X,
          {
            sampleWeight,
          },
        );
        const expected = emStep(p.X, sampleWeight, naiveParams(start), p.type, 1e-6);
        const json = one.toJSON();
        expectAllClose(json.weights, expected.params.weights, { rtol: 1e-9, atol: 1e-14, label: 'weights' });
        expectAllClose(json.means, expected.params.means, { rtol: 1e-9, atol: 1e-12, label: 'means' });
        expectAllClose(json.covariances, expected.params.covariances, { rtol: 1e-8, atol: 1e-12, label: 'covariances' });
        expectAllClose(one.lowerBound, expected.lowerBound, { rtol: 1e-10, label: 'lowerBound' });
      }),
      { numRuns: 60, seed: 1 },
    );
  });

  it('log-densities of fitted models', () => {
    fc.assert(
      fc.property(problems(), (p) => {
        const model = fitFixed(p);
        const wlp = weightedLogProb(p.X, naiveParams(model), p.type);
        const expected = wlp.map((row) => {
          const m = Math.max(...row);
          return m + Math.log(row.reduce((s, v) => s + Math.exp(v - m), 0));
        });
        expectAllClose(model.scoreSamples(p.X), expected, { rtol: 1e-9, atol: 1e-9, label: 'scoreSamples' });
      }),
      { numRuns: 60, seed: 2 },
    );
  });
});

describe('invariants', () => {
  it('the lower bound never decreases (up to rounding and regularization)', () => {
    fc.assert(
      fc.property(problems(), (p) => {
        const model = new GaussianMixture({ nComponents: p.k, covarianceType: p.type, tol: 0, maxIter: 40, seed: p.seed }).fit(
          p.X,
        );
        const lb = model.lowerBounds;
        for (let i = 1; i < lb.length; i++) expect(lb[i]!).toBeGreaterThanOrEqual(lb[i - 1]! - 1e-7 * (1 + Math.abs(lb[i - 1]!)));
      }),
      { numRuns: 80, seed: 3 },
    );
  });

  it('responsibility rows sum to 1, predict is their argmax, uncertainty is 1 − their max', () => {
    fc.assert(
      fc.property(problems(), (p) => {
        const model = fitFixed(p);
        const proba = model.predictProba(p.X);
        const labels = model.predict(p.X);
        const uncertainty = model.uncertainty(p.X);
        for (let i = 0; i < proba.rows; i++) {
          const row = Array.from(proba.data.subarray(i * p.k, (i + 1) * p.k));
          expect(Math.abs(row.reduce((a, b) => a + b, 0) - 1)).toBeLessThan(1e-12);
          for (const r of row) expect(r >= 0 && r <= 1).toBe(true);
          const max = Math.max(...row);
          expect(row[labels[i]!]).toBe(max);
          expect(uncertainty[i]!).toBeCloseTo(1 - max, 12);
        }
      }),
      { numRuns: 60, seed: 4 },
    );
  });

  it('permuting the rows changes nothing (from a fixed start)', () => {
    fc.assert(
      fc.property(problems(), fc.nat(), (p, shift) => {
        const n = p.X.length;
        const perm = Array.from({ length: n }, (_, i) => (i * 7 + shift) % n);
        fc.pre(new Set(perm).size === n); // 7 and n not coprime: not a permutation, so draw another case (never a vacuous pass)
        const model = fitFixed(p);
        const permuted = fitFixed({ ...p, X: perm.map((i) => p.X[i]!) }, fixedStart(p));
        const a = model.toJSON();
        const b = permuted.toJSON();
        expectAllClose(b.weights, a.weights, { rtol: 1e-9, atol: 1e-12, label: 'weights' });
        expectAllClose(b.means, a.means, { rtol: 1e-9, atol: 1e-9, label: 'means' });
        expectAllClose(b.covariances, a.covariances, { rtol: 1e-8, atol: 1e-9, label: 'covariances' });
        const labels = model.predict(p.X);
        const labelsPermuted = permuted.predict(perm.map((i) => p.X[i]!));
        const disagreements = perm.filter((i, r) => labels[i] !== labelsPermuted[r]).length;
        expect(disagreements).toBe(0);
      }),
      { numRuns: 60, seed: 5 },
    );
  });

  it('the same seed gives a bit-identical model, for every initialization', () => {
    for (const initParams of ['kmeans', 'k-means++', 'random', 'random_from_data'] as const) {
      const X = stretchedBlobs(200, 3, 3, 1, 11);
      const make = () => new GaussianMixture({ nComponents: 3, initParams, nInit: 2, seed: 42 }).fit(X).toJSON();
      expect(make()).toEqual(make());
    }
  });

  it('BIC is the same for every covariance type when d = 1 and k = 1', () => {
    const X = stretchedBlobs(150, 1, 1, 2, 3);
    const bics = TYPES.map((covarianceType) => new GaussianMixture({ covarianceType }).fit(X).bic(X));
    for (const b of bics) expectAllClose(b, bics[0], { rtol: 1e-12, label: 'bic' });
  });

  it('sampleChunks draws exactly sample’s points, chunk after chunk, for any chunk size; checks its arguments at once', () => {
    for (const type of TYPES) {
      const X = stretchedBlobs(120, 3, 3, 1, 9);
      const model = new GaussianMixture({ nComponents: 2, covarianceType: type, seed: 2, standardize: type === 'diag' }).fit(X);
      const whole = model.sample(1000, { seed: 5 });
      for (const chunkSize of [1, 7, 999, 1000, 4096]) {
        const chunks = [...model.sampleChunks(1000, { seed: 5, chunkSize })];
        expect(chunks).toHaveLength(Math.ceil(1000 / chunkSize));
        expect(chunks.every((c, i) => c.X.rows === Math.min(chunkSize, 1000 - i * chunkSize))).toBe(true);
        expect(new Float64Array(chunks.flatMap((c) => Array.from(c.X.data)))).toEqual(whole.X.data);
        expect(new Int32Array(chunks.flatMap((c) => Array.from(c.labels)))).toEqual(whole.labels);
      }
      expect(() => model.sampleChunks(10, { chunkSize: 0 })).toThrow(/chunkSize/);
      expect(() => model.sampleChunks(0)).toThrow(/\bn\b/);
    }
  });

  it('20,000 samples have the moments of the model', () => {
    for (const type of TYPES) {
      const X = stretchedBlobs(300, 3, 3, 1, 8);
      const model = new GaussianMixture({ nComponents: 3, covarianceType: type, seed: 1 }).fit(X);
      const { X: S, labels } = model.sample(20_000, { seed: 7 });
      const rows = Array.from({ length: S.rows }, (_, i) => Array.from(S.data.subarray(i * 3, i * 3 + 3)));
      for (let j = 0; j < 3; j++) {
        const mine = rows.filter((_, i) => labels[i] === j);
        // Component frequencies: binomial, 5 standard errors.
        const se = Math.sqrt((model.weights[j]! * (1 - model.weights[j]!)) / 20_000);
        expect(Math.abs(mine.length / 20_000 - model.weights[j]!)).toBeLessThan(5 * se);
        const { mean, cov } = moments(mine);
        const sigma = model.componentCovariance(j);
        for (let a = 0; a < 3; a++) {
          const sd = Math.sqrt(sigma.data[a * 3 + a]!);
          expect(Math.abs(mean[a]! - model.means.data[j * 3 + a]!)).toBeLessThan((5 * sd) / Math.sqrt(mine.length));
          for (let b = 0; b < 3; b++) {
            const sab = sigma.data[a * 3 + b]!;
            const scale = Math.sqrt(sigma.data[a * 3 + a]! * sigma.data[b * 3 + b]!);
            // Standard error of a sample covariance ≈ scale·√(2/m) at most.
            expect(Math.abs(cov[a]![b]! - sab)).toBeLessThan((6 * scale * Math.SQRT2) / Math.sqrt(mine.length));
          }
        }
      }
    }
  });

  it('fitPredict labels are the labels of predict on the fitted model', () => {
    const X = stretchedBlobs(120, 2, 3, 1, 4);
    const { model, labels } = new GaussianMixture({ nComponents: 3 }).fitPredict(X);
    expect(Array.from(labels)).toEqual(Array.from(model.predict(X)));
  });
});

describe('sample weights', () => {
  it('all-ones weights give the unweighted model, bit for bit', () => {
    const X = stretchedBlobs(150, 2, 3, 1, 5);
    for (const covarianceType of TYPES) {
      const gm = new GaussianMixture({ nComponents: 3, covarianceType, seed: 3 });
      expect(gm.fit(X, { sampleWeight: X.map(() => 1) }).toJSON()).toEqual(gm.fit(X).toJSON());
    }
  });

  it('an integer weight is the same as repeating the row', () => {
    fc.assert(
      fc.property(
        problems({ maxN: 40, wellConditioned: true }),
        fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 200, maxLength: 200 }),
        (p, counts) => {
          const sampleWeight = p.X.map((_, i) => counts[i % counts.length]!);
          const repeated = p.X.flatMap((x, i) => Array.from({ length: sampleWeight[i]! }, () => x));
          const start = fixedStart(p);
          const weighted = fitFixed(p, start, { sampleWeight });
          const expanded = fitFixed({ ...p, X: repeated }, start);
          const a = weighted.toJSON();
          const b = expanded.toJSON();
          expectAllClose(a.weights, b.weights, { rtol: 1e-9, atol: 1e-12, label: 'weights' });
          expectAllClose(a.means, b.means, { rtol: 1e-9, atol: 1e-9, label: 'means' });
          expectAllClose(a.covariances, b.covariances, { rtol: 1e-8, atol: 1e-9, label: 'covariances' });
          expectAllClose(weighted.lowerBound, expanded.lowerBound, { rtol: 1e-10, label: 'lowerBound' });
        },
      ),
      { numRuns: 40, seed: 6 },
    );
  });

  it('scaling every weight by a constant changes nothing', () => {
    const p: Problem = { type: 'full', k: 3, X: stretchedBlobs(90, 2, 3, 1, 9), seed: 9 };
    const w = p.X.map((_, i) => 1 + (i % 4));
    const a = fitFixed(p, {}, { sampleWeight: w }).toJSON();
    const b = fitFixed(p, {}, { sampleWeight: w.map((v) => v * 1000) }).toJSON();
    expectAllClose(b.means, a.means, { rtol: 1e-10, label: 'means' });
    expectAllClose(b.covariances, a.covariances, { rtol: 1e-9, label: 'covariances' });
  });

  it('zero-weight rows are ignored, even far outliers', () => {
    const p: Problem = { type: 'diag', k: 2, X: stretchedBlobs(60, 2, 2, 1, 10), seed: 10 };
    const withOutliers = [...p.X, [1e6, -1e6], [1e7, 1e7]];
    const a = fitFixed(p).toJSON();
    const b = fitFixed({ ...p, X: withOutliers }, fixedStart(p), {
      sampleWeight: withOutliers.map((_, i) => (i < 60 ? 1 : 0)),
    }).toJSON();
    expectAllClose(b.means, a.means, { rtol: 1e-12, label: 'means' });
    expectAllClose(b.covariances, a.covariances, { rtol: 1e-12, label: 'covariances' });
  });
});

describe('warm start', () => {
  it('10 + 15 iterations from a fixed start equal 25 iterations', () => {
    for (const type of TYPES) {
      const p: Problem = { type, k: 3, X: stretchedBlobs(100, 3, 3, 1.5, 12), seed: 12 };
      const start = fixedStart(p);
      const first = new GaussianMixture({ nComponents: 3, covarianceType: type, tol: 0, maxIter: 10, ...start }).fit(p.X);
      const continued = new GaussianMixture({ nComponents: 3, covarianceType: type, tol: 0, maxIter: 15 }).fit(p.X, {
        initModel: first,
      });
      const direct = new GaussianMixture({ nComponents: 3, covarianceType: type, tol: 0, maxIter: 25, ...start }).fit(p.X);
      expect(continued.toJSON().means).toEqual(direct.toJSON().means);
      expect(continued.lowerBounds).toEqual(direct.lowerBounds.slice(10));
    }
  });
});

describe('iterate: EM one step at a time', () => {
  it('yields the start and every iteration, with the lower bounds of fit, and returns fit’s model bit for bit', () => {
    for (const covarianceType of TYPES) {
      const X = stretchedBlobs(300, 3, 4, 1.0, 5);
      const gm = new GaussianMixture({ nComponents: 4, covarianceType, seed: 2, tol: 1e-6 });
      const steps = gm.iterate(X);
      const snapshots = [];
      let next = steps.next();
      while (!next.done) {
        snapshots.push(next.value);
        next = steps.next();
      }
      const fitted = gm.fit(X);
      expect(next.value.toJSON()).toEqual(fitted.toJSON());
      expect(snapshots.map((s) => s.iteration)).toEqual(Array.from({ length: fitted.nIter + 1 }, (_, t) => t));
      // Snapshot t's log-likelihood is the E-step of iteration t + 1: fit's lower bound t.
      expect(snapshots.slice(0, -1).map((s) => s.logLikelihood)).toEqual(fitted.lowerBounds);
      expect(snapshots.at(-1)!.logLikelihood).toBeCloseTo(fitted.score(X), 12);
      expect(snapshots.at(-1)!.model.toJSON()).toEqual(fitted.toJSON());
      for (let t = 1; t < snapshots.length; t++) {
        expect(snapshots[t]!.logLikelihood).toBeGreaterThanOrEqual(snapshots[t - 1]!.logLikelihood - 1e-9);
        expect(snapshots[t]!.model.nIter).toBe(t);
      }
    }
  });

  it('is lazy, can be abandoned, and reports bad input at the first step', () => {
    const X = stretchedBlobs(200, 2, 3, 1.0, 1);
    const steps = new GaussianMixture({ nComponents: 3, maxIter: 50 }).iterate(X);
    expect(steps.next().value).toMatchObject({ iteration: 0 });
    expect(steps.next().value).toMatchObject({ iteration: 1 });
    expect(steps.return(undefined as never).done).toBe(true);
    const bad = new GaussianMixture({ nComponents: 5 }).iterate([[0], [1]]);
    expect(() => bad.next()).toThrow(/X has 2 rows but nComponents is 5/);
  });
});
