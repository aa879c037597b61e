/**
 * The conjugate prior (`prior`, mclust's `priorControl()`): its defaults are
 * mclust's `defaultPrior`, its MAP-EM reaches mclust's optimum where mclust's
 * M-step is the mode of the prior (VII, VVI, EEE, VVV; fixtures made by
 * test/fixtures/mclust/generate-prior.R), every model's M-step maximizes the
 * expected log-posterior, EM never decreases the log-posterior, and the prior
 * rescues the fits that fail without it.
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { resolvePrior } from '../src/estimators/mixturePrior.js';
import { fitData, statisticsFromResponsibilities } from '../src/fit/init.js';
import {
  GaussianMixture,
  IllConditionedCovarianceError,
  InvalidParameterError,
  logGamma,
  MCLUST_MODELS,
  makeBlobs,
  selectModel,
  type CovarianceType,
  type MclustModel,
} from '../src/index.js';
import { matrix, type Matrix } from '../src/matrix/matrix.js';
import { covarianceStrategy } from '../src/mixture/covariance/index.js';
import { maximize } from '../src/mixture/mstep.js';
import type { MixtureParameters } from '../src/mixture/parameters.js';
import { logPrior, type ConjugatePrior } from '../src/mixture/prior.js';

interface PriorCell {
  model: MclustModel;
  G: number;
  loglik: number | null;
  bic: number | null;
}
interface PriorDataset {
  name: string;
  priors: { G: number; shrinkage: number; mean: number[]; dof: number; scaleFull: number[][]; scaleDiagonal: number }[];
  cells: PriorCell[];
  mclustBIC: Record<MclustModel, (number | null)[]>;
  mclustBest: { model: MclustModel; G: number };
}
const read = (name: string) => JSON.parse(readFileSync(new URL(`./fixtures/mclust/${name}`, import.meta.url), 'utf8'));
const base = read('mclust.json') as { datasets: { name: string; n: number; d: number; data: number[][] }[] };
const fixture = read('prior.json') as { mclust: string; datasets: PriorDataset[] };
const datasets = fixture.datasets.map((p) => {
  const ds = base.datasets.find((b) => b.name === p.name)!;
  return { ...p, n: ds.n, d: ds.d, X: matrix(ds.n, ds.d, Float64Array.from(ds.data.flat())) };
});

/** Where mclust's MAP M-step is the mode of its prior, and so ours. */
const AGREEING: readonly MclustModel[] = ['VII', 'VVI', 'EEE', 'VVV'];

/**
 * MAP-EM from mclust's start (its hc partition, which `initParams: 'hc'` reproduces), as mclust's `me()`: by
 * default it stops as the fixtures' me() did, at a relative change of 1e-11 in the log-likelihood (`logL`, about).
 */
function mapFit(X: Matrix, k: number, type: CovarianceType, logL = 1e-2 * X.rows) {
  return new GaussianMixture({
    nComponents: k,
    covarianceType: type,
    regCovar: 0,
    tol: (1e-11 * Math.abs(logL)) / X.rows,
    maxIter: 100000,
    initParams: 'hc',
    prior: true,
  }).fit(X);
}

const relative = (a: number, b: number) => Math.abs(a - b) / Math.abs(b);

describe(`the prior's defaults are mclust ${fixture.mclust}'s defaultPrior`, () => {
  for (const ds of datasets) {
    it(`${ds.name}: shrinkage, mean, dof and scale for k = 1..9, full and diagonal`, () => {
      const data = fitData(ds.X, null);
      for (const p of ds.priors) {
        const full = resolvePrior({}, data, p.G, covarianceStrategy('VVV'), 1);
        const diagonal = resolvePrior({}, data, p.G, covarianceStrategy('VEI'), 1);
        for (const prior of [full, diagonal]) {
          expect(prior.shrinkage).toBe(p.shrinkage);
          expect(prior.dof).toBe(p.dof);
          prior.mean.forEach((v, a) => expect(relative(v, p.mean[a]!)).toBeLessThan(1e-14));
        }
        p.scaleFull
          .flat()
          .forEach((v, i) => expect(Math.abs(full.scale[i]! - v)).toBeLessThan(1e-12 * Math.abs(p.scaleFull[0]![0]!)));
        expect(diagonal.scale.length).toBe(1);
        expect(relative(diagonal.scale[0]!, p.scaleDiagonal)).toBeLessThan(1e-13);
      }
    });
  }
});

describe(`MAP-EM agrees with mclust ${fixture.mclust} where its M-step is the prior's mode`, () => {
  for (const ds of datasets) {
    for (const type of AGREEING) {
      it(`${ds.name} ${type}, k = 1..9: log-likelihood and BIC within 1e-6 of mclust's me(prior = priorControl())`, () => {
        const cells = ds.cells.filter((c) => c.model === type && c.loglik !== null);
        expect(cells.length).toBeGreaterThanOrEqual(ds.name === 'faithful' && type === 'VVI' ? 7 : 9);
        for (const c of cells) {
          const model = mapFit(ds.X, c.G, type, c.loglik!);
          const logL = model.score(ds.X) * ds.n;
          expect(relative(logL, c.loglik!), `${type} G=${c.G}: ${logL} vs ${c.loglik}`).toBeLessThan(1e-6);
          expect(relative(-model.bic(ds.X), c.bic!)).toBeLessThan(1e-6);
        }
      });
    }
  }
});

describe('the prior rescues fits that are singular without it', () => {
  for (const ds of datasets) {
    it(`${ds.name}: every one of the fourteen models fits for k = 1..9 from mclust's start`, () => {
      for (const type of MCLUST_MODELS) {
        for (let k = 1; k <= 9; k++) {
          const model = mapFit(ds.X, k, type);
          expect(Number.isFinite(model.score(ds.X)), `${type} G=${k}`).toBe(true);
        }
      }
    });
  }
  it('iris VEE, k = 5: fails without the prior (mclust too), fits with it', () => {
    const iris = datasets.find((d) => d.name === 'iris')!;
    expect(() =>
      new GaussianMixture({ nComponents: 5, covarianceType: 'VEE', regCovar: 0, initParams: 'hc' }).fit(iris.X),
    ).toThrow(IllConditionedCovarianceError);
    const model = new GaussianMixture({ nComponents: 5, covarianceType: 'VEE', regCovar: 0, initParams: 'hc', prior: true }).fit(
      iris.X,
    );
    expect(model.converged).toBe(true);
  });
  it('a component on two identical rows: singular by maximum likelihood, definite with the prior', () => {
    const X = [
      [0, 0],
      [0.5, 1],
      [1, 0.2],
      [0.3, 0.7],
      [5, 5],
      [5, 5],
    ];
    const meansInit = [
      [0.5, 0.5],
      [5, 5],
    ];
    const ml = new GaussianMixture({
      nComponents: 2,
      regCovar: 0,
      meansInit,
      weightsInit: [0.6, 0.4],
      precisionsInit: [
        [
          [1, 0],
          [0, 1],
        ],
        [
          [1, 0],
          [0, 1],
        ],
      ],
    });
    expect(() => ml.fit(X)).toThrow(IllConditionedCovarianceError);
    const map = new GaussianMixture({
      nComponents: 2,
      regCovar: 0,
      meansInit,
      weightsInit: [0.6, 0.4],
      precisionsInit: [
        [
          [1, 0],
          [0, 1],
        ],
        [
          [1, 0],
          [0, 1],
        ],
      ],
      prior: true,
    }).fit(X);
    const c = map.componentCovariance(1).data;
    expect(c[0]! * c[3]! - c[1]! * c[2]!).toBeGreaterThan(0);
  });
});

/** Σᵢ Σₖ rᵢₖ (log πₖ + log N(xᵢ | μₖ, Σₖ)) + log p(θ): what a MAP M-step maximizes for fixed responsibilities. */
function expectedLogPosterior(
  type: CovarianceType,
  X: Matrix,
  resp: Float64Array,
  params: MixtureParameters,
  prior: ConjugatePrior,
): number {
  const strategy = covarianceStrategy(type);
  const { nComponents: k } = params;
  const out = new Float64Array(X.rows * k);
  strategy.logProb(X.data, X.cols, 0, X.rows, strategy.prepare(params), out);
  let q = 0;
  for (let i = 0; i < out.length; i++) if (resp[i]! > 0) q += resp[i]! * out[i]!;
  return q + logPrior(strategy, prior, params);
}

/** The same parameters with every covariance times `factor` (which keeps every model's constraints). */
function scaled(type: CovarianceType, params: MixtureParameters, factor: number): MixtureParameters {
  const strategy = covarianceStrategy(type);
  const covariances = params.covariances.map((v) => v * factor);
  const precisionsCholesky = new Float64Array(covariances.length);
  strategy.precisionCholesky(covariances, params.nComponents, params.nFeatures, precisionsCholesky);
  return { ...params, covariances, precisionsCholesky };
}

describe('every model’s MAP M-step maximizes the expected log-posterior', () => {
  for (const type of MCLUST_MODELS) {
    it(`${type}: above the maximum-likelihood M-step's, shifted means and scaled covariances`, () => {
      fc.assert(
        fc.property(
          fc.integer({ min: 1, max: 4 }),
          fc.integer({ min: 1, max: 4 }),
          fc.integer({ min: 0, max: 1000 }),
          (k, d, seed) => {
            const { X } = makeBlobs({ nSamples: 60, nFeatures: d, nCenters: 3, clusterStd: 1.2, seed });
            for (let i = 0; i < X.rows; i++) if (d > 1) X.data[i * d + 1] += 0.7 * X.data[i * d];
            // Soft responsibilities from distances to k rows.
            const resp = new Float64Array(X.rows * k);
            for (let i = 0; i < X.rows; i++) {
              let sum = 0;
              for (let j = 0; j < k; j++) {
                let dist = 0;
                for (let a = 0; a < d; a++) dist += (X.data[i * d + a]! - X.data[((j * 7) % X.rows) * d + a]!) ** 2;
                resp[i * k + j] = Math.exp(-dist / 8) + 1e-3;
                sum += resp[i * k + j]!;
              }
              for (let j = 0; j < k; j++) resp[i * k + j]! /= sum;
            }
            const strategy = covarianceStrategy(type);
            const data = fitData(X, null);
            const prior = resolvePrior({ shrinkage: 0.5 }, data, k, strategy, 1);
            const stats = () => statisticsFromResponsibilities(strategy, data, resp, k);
            // The iterative M-steps start from the ML estimate and must improve on it.
            const ml = maximize(strategy, stats(), 0, 'test');
            const map = maximize(strategy, stats(), 0, 'test', { previous: ml.covariances, prior });
            const best = expectedLogPosterior(type, X, resp, map, prior);
            const tolerance = 1e-9 * Math.abs(best);
            expect(best).toBeGreaterThanOrEqual(expectedLogPosterior(type, X, resp, ml, prior) - tolerance);
            for (const factor of [0.97, 1.03]) {
              expect(best).toBeGreaterThanOrEqual(
                expectedLogPosterior(type, X, resp, scaled(type, map, factor), prior) - tolerance,
              );
            }
            for (let a = 0; a < d; a++) {
              for (const step of [-0.05, 0.05]) {
                const means = map.means.slice();
                means[a] += step;
                expect(best).toBeGreaterThanOrEqual(expectedLogPosterior(type, X, resp, { ...map, means }, prior) - tolerance);
              }
            }
          },
        ),
        { numRuns: 15, seed: 7 },
      );
    });
  }
});

describe('every model: MAP-EM never decreases the log-posterior', () => {
  for (const type of MCLUST_MODELS) {
    it(`${type}`, () => {
      fc.assert(
        fc.property(
          fc.integer({ min: 1, max: 5 }),
          fc.integer({ min: 1, max: 5 }),
          fc.integer({ min: 0, max: 1000 }),
          (k, d, seed) => {
            const { X } = makeBlobs({ nSamples: 100, nFeatures: d, nCenters: 3, clusterStd: 1.5, seed });
            for (let i = 0; i < X.rows; i++) {
              X.data[i * d] *= 3;
              if (d > 1) X.data[i * d + 1] += 0.8 * X.data[i * d];
            }
            const model = new GaussianMixture({
              nComponents: k,
              covarianceType: type,
              regCovar: 0,
              tol: 0,
              maxIter: 30,
              seed,
              prior: true,
            }).fit(X);
            const bounds = model.lowerBounds;
            for (let t = 1; t < bounds.length; t++) {
              expect(bounds[t]! - bounds[t - 1]!, `iteration ${t + 1}`).toBeGreaterThanOrEqual(-1e-10 * Math.abs(bounds[t]!));
            }
          },
        ),
        { numRuns: 20, seed: 11 },
      );
    });
  }
});

describe('the log-posterior', () => {
  it('is the log-likelihood plus log N(μ | μₚ, Σ/κ) + log IW(Σ | ν, Λ), per row (VVV, d = 2)', () => {
    const { X } = makeBlobs({ nSamples: 80, nFeatures: 2, nCenters: 2, seed: 3 });
    const start = new GaussianMixture({ nComponents: 2, seed: 1 }).fit(X);
    const [kappa, mu0, nu, L] = [0.3, [0.5, -1], 4.5, [2, 0.4, 0.4, 1]] as const;
    const one = new GaussianMixture({
      nComponents: 2,
      maxIter: 1,
      tol: 0,
      prior: {
        shrinkage: kappa,
        mean: mu0,
        dof: nu,
        scale: [
          [L[0], L[1]],
          [L[2], L[3]],
        ],
      },
    }).fit(X, { initModel: start });
    // By hand: 2×2 determinants and inverses.
    const lgamma = logGamma;
    let logPrior = 0;
    for (let j = 0; j < 2; j++) {
      const S = start.componentCovariance(j).data;
      const det = S[0]! * S[3]! - S[1]! * S[2]!;
      const inv = [S[3]! / det, -S[1]! / det, -S[2]! / det, S[0]! / det];
      const m = start.means.data.slice(j * 2, j * 2 + 2);
      const v = [m[0]! - mu0[0], m[1]! - mu0[1]];
      const q = v[0]! * (inv[0]! * v[0]! + inv[1]! * v[1]!) + v[1]! * (inv[2]! * v[0]! + inv[3]! * v[1]!);
      logPrior += -Math.log(2 * Math.PI) + Math.log(kappa) - 0.5 * Math.log(det) - 0.5 * kappa * q;
      const detL = L[0] * L[3] - L[1] * L[2];
      const trace = L[0] * inv[0]! + L[1] * inv[2]! + L[2] * inv[1]! + L[3] * inv[3]!;
      const logGamma2 = 0.5 * Math.log(Math.PI) + lgamma(nu / 2) + lgamma((nu - 1) / 2);
      logPrior += (nu / 2) * Math.log(detL) - nu * Math.LN2 - logGamma2 - ((nu + 3) / 2) * Math.log(det) - 0.5 * trace;
    }
    const expected = start.score(X) + logPrior / X.rows;
    expect(Math.abs(one.lowerBounds[0]! - expected)).toBeLessThan(1e-12 * Math.abs(expected));
  });
  it('a weight of 2 counts as two rows: weights fit the data with those rows repeated, prior and all', () => {
    const { X } = makeBlobs({ nSamples: 40, nFeatures: 2, nCenters: 2, seed: 5 });
    const repeated = matrix(X.rows + 10, 2, new Float64Array([...X.data, ...X.data.slice(0, 20)]));
    const weights = Array.from({ length: X.rows }, (_, i) => (i < 10 ? 2 : 1));
    for (const type of ['VVV', 'EEE', 'VEI', 'EII'] as const) {
      const gm = new GaussianMixture({ nComponents: 2, covarianceType: type, tol: 1e-12, prior: true });
      const initModel = new GaussianMixture({ nComponents: 2, covarianceType: type, seed: 0 }).fit(X);
      const a = gm.fit(X, { sampleWeight: weights, initModel });
      const b = gm.fit(repeated, { initModel });
      a.means.data.forEach((v, i) => expect(Math.abs(v - b.means.data[i]!)).toBeLessThan(1e-9));
      a.covariances.forEach((v, i) => expect(Math.abs(v - b.covariances[i]!)).toBeLessThan(1e-9));
    }
  });
});

describe('selection with the prior (mclustBIC(X, prior = priorControl()))', () => {
  for (const ds of datasets.filter((d) => d.name !== 'iris')) {
    it(`${ds.name}: the best model is mclust's, ${ds.mclustBest.model},${ds.mclustBest.G}`, () => {
      const result = selectModel(ds.X, {
        covarianceTypes: AGREEING,
        nComponents: [1, 2, 3, 4, 5, 6, 7, 8, 9],
        initParams: 'hc',
        nInit: 1,
        tol: 1e-8,
        prior: true,
      });
      expect(`${result.best.covarianceType},${result.best.nComponents}`).toBe(`${ds.mclustBest.model},${ds.mclustBest.G}`);
      // mclustBIC stops at its default tolerance (1e-5); its converged value is the me() fixture's.
      const converged = ds.cells.find((c) => c.model === ds.mclustBest.model && c.G === ds.mclustBest.G)!;
      expect(relative(result.best.bicMclust, converged.bic!)).toBeLessThan(1e-6);
    });
  }
});

describe('bad priors', () => {
  const X = [
    [0, 0],
    [1, 0.5],
    [0.2, 1],
    [3, 3],
    [3.5, 2.8],
    [2.9, 3.4],
  ];
  it('are refused, naming the value', () => {
    expect(() => new GaussianMixture({ prior: 'yes' as never })).toThrow(InvalidParameterError);
    expect(() => new GaussianMixture({ prior: { shrink: 1 } as never })).toThrow(/shrink/);
    expect(() => new GaussianMixture({ prior: { shrinkage: -1 } })).toThrow(/prior\.shrinkage/);
    expect(() => new GaussianMixture({ prior: { dof: 0 } })).toThrow(/prior\.dof/);
    expect(() => new GaussianMixture({ nComponents: 2, prior: { dof: 0.5 } }).fit(X)).toThrow(/prior\.dof.*> 1/);
    expect(() => new GaussianMixture({ nComponents: 2, prior: { mean: [1] } }).fit(X)).toThrow(/prior\.mean/);
    expect(() =>
      new GaussianMixture({
        nComponents: 2,
        prior: {
          scale: [
            [1, 2],
            [2, 1],
          ],
        },
      }).fit(X),
    ).toThrow(/prior\.scale/);
    expect(() =>
      new GaussianMixture({
        nComponents: 2,
        covarianceType: 'VEI',
        prior: {
          scale: [
            [1, 0],
            [0, 1],
          ],
        },
      }).fit(X),
    ).toThrow(/prior\.scale.*positive number for 'VEI'/);
  });
});
