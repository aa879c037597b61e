import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  BayesianGaussianMixture,
  BayesianGaussianMixtureModel,
  COVARIANCE_TYPES,
  digamma,
  GaussianMixtureModel,
  InvalidParameterError,
  logBeta,
  logGamma,
  makeBlobs,
  toArrays,
  type CovarianceType,
  type WeightConcentrationPriorType,
} from '../src/node/index.js';
import { problems } from './helpers/problems.js';

interface Case {
  name: string;
  file: string;
  columns: number;
  n_components: number;
  covariance_type: CovarianceType;
  weight_concentration_prior_type: WeightConcentrationPriorType;
  tol: number;
  max_iter: number;
  reg_covar: number;
  priors: Record<string, number | number[] | number[][]>;
  labels?: number[];
  resp?: number[][];
  expected: Record<string, number | boolean | number[] | number[][] | number[][][]>;
}

const fixtures = JSON.parse(readFileSync(new URL('./fixtures/sklearn-bayesian/bgm.json', import.meta.url), 'utf8')) as {
  cases: Case[];
  special: { x: number[]; digamma: number[]; gammaln: number[]; betaln: [number, number, number][] };
};

function load(file: string, columns: number): number[][] {
  const lines = readFileSync(new URL(`../${file}`, import.meta.url), 'utf8')
    .trim()
    .split('\n')
    .slice(1);
  return lines.map((line) => line.split(',').slice(0, columns).map(Number));
}

const flat = (v: unknown): number[] => (Array.isArray(v) ? v.flatMap(flat) : [v as number]);

function close(actual: ArrayLike<number>, expected: unknown, rtol: number, what: string): void {
  const e = flat(expected);
  expect(actual.length, what).toBe(e.length);
  for (let i = 0; i < e.length; i++) {
    const tolerance = rtol * Math.max(1, Math.abs(e[i]!));
    if (!(Math.abs(actual[i]! - e[i]!) <= tolerance)) {
      throw new Error(`${what}[${i}]: ${actual[i]} vs scikit-learn ${e[i]} (|Δ| ${Math.abs(actual[i]! - e[i]!)} > ${tolerance})`);
    }
  }
}

describe('BayesianGaussianMixture matches scikit-learn 1.2.1', () => {
  for (const c of fixtures.cases) {
    it(c.name, () => {
      const X = load(c.file, c.columns);
      const k = c.n_components;
      const resp = c.resp ?? c.labels!.map((label) => Array.from({ length: k }, (_, j) => (j === label ? 1 : 0)));
      const p = c.priors;
      const model = new BayesianGaussianMixture({
        nComponents: k,
        covarianceType: c.covariance_type,
        weightConcentrationPriorType: c.weight_concentration_prior_type,
        tol: c.tol,
        maxIter: c.max_iter,
        regCovar: c.reg_covar,
        ...(p.weight_concentration_prior === undefined
          ? {}
          : { weightConcentrationPrior: p.weight_concentration_prior as number }),
        ...(p.mean_precision_prior === undefined ? {} : { meanPrecisionPrior: p.mean_precision_prior as number }),
        ...(p.mean_prior === undefined ? {} : { meanPrior: p.mean_prior as number[] }),
        ...(p.degrees_of_freedom_prior === undefined ? {} : { degreesOfFreedomPrior: p.degrees_of_freedom_prior as number }),
        ...(p.covariance_prior === undefined ? {} : { covariancePrior: p.covariance_prior as number[][] }),
      }).fit(X, { responsibilitiesInit: resp });
      const e = c.expected;
      expect(model.nIter).toBe(e.n_iter);
      expect(model.converged).toBe(e.converged);
      close(model.lowerBounds, e.lower_bounds, 1e-10, 'lower bounds');
      close([model.lowerBound], [e.lower_bound], 1e-10, 'lower bound');
      close(model.weights, e.weights, 1e-10, 'weights');
      close(model.means.data, e.means, 1e-10, 'means');
      close(model.covariances, e.covariances, 1e-10, 'covariances');
      close(model.precisionsCholesky, e.precisions_cholesky, 1e-10, 'precisionsCholesky');
      close(model.weightConcentration.data, e.weight_concentration, 1e-10, 'weightConcentration');
      close(model.meanPrecision, e.mean_precision, 1e-10, 'meanPrecision');
      close(model.degreesOfFreedom, e.degrees_of_freedom, 1e-10, 'degreesOfFreedom');
      close([model.weightConcentrationPrior], [e.weight_concentration_prior], 1e-15, 'weightConcentrationPrior');
      close(model.meanPrior, e.mean_prior, 1e-14, 'meanPrior');
      close(model.covariancePrior, e.covariance_prior, 1e-14, 'covariancePrior');
    });
  }
});

describe('special functions match scipy', () => {
  const { x, digamma: psi, gammaln, betaln } = fixtures.special;
  it('digamma and logGamma to 1e-14 (relative above 1, absolute below)', () => {
    close(x.map(digamma), psi, 1e-14, 'digamma');
    close(x.map(logGamma), gammaln, 1e-14, 'logGamma');
  });
  it('logBeta to 1e-13', () => {
    close(
      betaln.map(([a, b]) => logBeta(a, b)),
      betaln.map((row) => row[2]),
      1e-13,
      'logBeta',
    );
  });
  it('refuses arguments outside (0, ∞)', () => {
    for (const bad of [0, -1, NaN, Infinity]) {
      expect(() => digamma(bad)).toThrow(RangeError);
      expect(() => logGamma(bad)).toThrow(/x > 0/);
    }
  });
});

/** 600 rows around three well-separated centers. */
const threeBlobs = (): number[][] =>
  toArrays(
    makeBlobs({
      nSamples: 600,
      centers: [
        [0, 0],
        [6, 1],
        [2, 7],
      ],
      clusterStd: 1,
      seed: 1,
    }).X,
  );

describe('the Dirichlet process prunes components', () => {
  const X = threeBlobs();
  for (const covarianceType of COVARIANCE_TYPES) {
    it(`10 components on 3 blobs leave 7 with weight < 1e-2 (${covarianceType})`, () => {
      const model = new BayesianGaussianMixture({ nComponents: 10, covarianceType, maxIter: 500, seed: 0 }).fit(X);
      expect(model).toBeInstanceOf(BayesianGaussianMixtureModel);
      expect(model).toBeInstanceOf(GaussianMixtureModel);
      expect(model.converged).toBe(true);
      const small = [...model.weights].filter((w) => w < 1e-2).length;
      expect(small).toBe(7);
      const big = [...model.weights].filter((w) => w >= 1e-2);
      for (const w of big) expect(w).toBeGreaterThan(0.3);
      // The three kept components sit on the three centers.
      const kept = [...model.weights.keys()].filter((j) => model.weights[j]! >= 1e-2);
      const centers = kept.map((j) => [...model.componentMean(j)].map((v) => Math.round(v) + 0));
      expect(centers.sort((a, b) => a[0]! - b[0]! || a[1]! - b[1]!)).toEqual([
        [0, 0],
        [2, 7],
        [6, 1],
      ]);
    });
  }
  it('the Dirichlet distribution keeps small components smaller as α₀ falls', () => {
    const smallest = (alpha: number): number => {
      const model = new BayesianGaussianMixture({
        nComponents: 6,
        weightConcentrationPriorType: 'dirichlet_distribution',
        weightConcentrationPrior: alpha,
        maxIter: 500,
        seed: 0,
      }).fit(X);
      return [...model.weights]
        .sort((a, b) => a - b)
        .slice(0, 3)
        .reduce((a, b) => a + b, 0);
    };
    expect(smallest(1e-3)).toBeLessThan(smallest(10));
    expect(smallest(1e-3)).toBeLessThan(1e-2);
  });
});

describe('variational EM invariants', () => {
  it('the lower bound never decreases (regCovar 0: exact coordinate ascent), every type and prior', () => {
    fc.assert(
      fc.property(problems({ maxK: 4, maxD: 3, minN: 20 }), fc.boolean(), (p, process) => {
        const model = new BayesianGaussianMixture({
          nComponents: p.k,
          covarianceType: p.type,
          weightConcentrationPriorType: process ? 'dirichlet_process' : 'dirichlet_distribution',
          regCovar: 0,
          tol: 0,
          maxIter: 25,
          initParams: 'random',
          seed: p.seed,
        }).fit(p.X);
        const bounds = model.lowerBounds;
        expect(bounds.length).toBe(25);
        for (let i = 1; i < bounds.length; i++) {
          expect(bounds[i]!).toBeGreaterThanOrEqual(bounds[i - 1]! - 1e-9 * Math.max(1, Math.abs(bounds[i - 1]!)));
        }
        for (const w of model.weights) expect(Number.isFinite(w)).toBe(true);
        expect([...model.weights].reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
      }),
      { numRuns: 40 },
    );
  });

  it('fitAsync on 1 and 2 threads is bit-identical to fit, for every type', async () => {
    const X = threeBlobs();
    for (const covarianceType of COVARIANCE_TYPES) {
      const bgm = new BayesianGaussianMixture({ nComponents: 5, covarianceType, seed: 3 });
      const here = bgm.fit(X);
      for (const threads of [1, 2]) {
        const there = await bgm.fitAsync(X, { threads });
        expect(there.lowerBounds).toEqual(here.lowerBounds);
        expect(there.means.data).toEqual(here.means.data);
        expect(there.covariances).toEqual(here.covariances);
        expect(there.weightConcentration.data).toEqual(here.weightConcentration.data);
      }
    }
  });

  it('a weight of 2 counts as a duplicated row', () => {
    const X = threeBlobs().slice(0, 60);
    const doubled = [...X, ...X.slice(0, 10)];
    const weights = X.map((_, i) => (i < 10 ? 2 : 1));
    const labels = X.map((x) => (x[1]! > 4 ? 0 : x[0]! > 3 ? 1 : 2));
    const resp = (ls: number[]): number[][] => ls.map((l) => [0, 1, 2].map((j) => (j === l ? 1 : 0)));
    const bgm = new BayesianGaussianMixture({ nComponents: 3, tol: 0, maxIter: 10 });
    const a = bgm.fit(X, { sampleWeight: weights, responsibilitiesInit: resp(labels) });
    const b = bgm.fit(doubled, { responsibilitiesInit: resp([...labels, ...labels.slice(0, 10)]) });
    for (let i = 0; i < 10; i++) expect(a.lowerBounds[i]!).toBeCloseTo(b.lowerBounds[i]!, 9);
    for (let i = 0; i < a.means.data.length; i++) expect(a.means.data[i]!).toBeCloseTo(b.means.data[i]!, 12);
    expect(a.covariancePrior[0]!).toBeCloseTo(b.covariancePrior[0]!, 12);
  });
});

describe('bad input gets a clear error', () => {
  const X = threeBlobs().slice(0, 30);
  it('names the option and the value', () => {
    expect(() => new BayesianGaussianMixture({ weightConcentrationPrior: 0 })).toThrow(
      /weightConcentrationPrior must be a finite number > 0; got 0/,
    );
    expect(() => new BayesianGaussianMixture({ weightConcentrationPriorType: 'dp' as never })).toThrow(
      /weightConcentrationPriorType must be one of "dirichlet_process", "dirichlet_distribution"/,
    );
    expect(() => new BayesianGaussianMixture({ weight_concentration_prior: 1 } as never)).toThrow(
      /Did you mean "weightConcentrationPrior"/,
    );
    expect(() => new BayesianGaussianMixture({ meansInit: [[0, 0]] } as never)).toThrow(InvalidParameterError);
  });
  it('checks priors against the data', () => {
    expect(() => new BayesianGaussianMixture({ degreesOfFreedomPrior: 0.5 }).fit(X)).toThrow(
      /degreesOfFreedomPrior must be a number > 1/,
    );
    expect(() => new BayesianGaussianMixture({ meanPrior: [0, 0, 0] }).fit(X)).toThrow(/meanPrior/);
    expect(() =>
      new BayesianGaussianMixture({
        covariancePrior: [
          [1, 2],
          [2, 1],
        ],
      }).fit(X),
    ).toThrow(/covariancePrior must be a 2 × 2 symmetric positive-definite matrix/);
    expect(() =>
      new BayesianGaussianMixture({
        covariancePrior: [
          [1, 0.5],
          [0, 1],
        ],
      }).fit(X),
    ).toThrow(/symmetric/);
    expect(() => new BayesianGaussianMixture({ covarianceType: 'diag', covariancePrior: [1, -1] }).fit(X)).toThrow(
      /covariancePrior must be 2 positive numbers/,
    );
    expect(() => new BayesianGaussianMixture({ covarianceType: 'spherical', covariancePrior: [1] }).fit(X)).toThrow(
      /a positive number for 'spherical'/,
    );
  });
  it('checks responsibilitiesInit and sample weights', () => {
    const bgm = new BayesianGaussianMixture({ nComponents: 2 });
    expect(() => bgm.fit(X, { responsibilitiesInit: X.map(() => [0.5, 0.6]) })).toThrow(
      /responsibilitiesInit\[0\] must be a row summing to 1.*sums to 1.1/,
    );
    expect(() => bgm.fit(X, { responsibilitiesInit: X.slice(1).map(() => [0.5, 0.5]) })).toThrow(/30 × 2/);
    expect(() => bgm.fit(X, { responsibilitiesInit: X.map(() => [1.5, -0.5]) })).toThrow(/responsibilitiesInit\[0\]\[1\]/);
    expect(() => bgm.fit(X, { sampleWeight: X.map(() => 0.01) })).toThrow(/summing to more than 1/);
    expect(() => bgm.fit([[1, 2]])).toThrow(/at least 2 rows/);
    expect(() => bgm.fit(X, { initModel: undefined } as never)).toThrow(/BayesianGaussianMixture.fit option "initModel"/);
  });
});
