import { describe, expect, it } from 'vitest';
import {
  GaussianMixture,
  InvalidParameterError,
  makeBlobs,
  Random,
  selectModel,
  selectModelAsync,
  toArrays,
  type CovarianceType,
} from '../src/node/index.js';
import { expectAllClose } from './helpers/allClose.js';

const TYPES: CovarianceType[] = ['full', 'tied', 'diag', 'spherical'];

/** Old-Faithful-like data: 272 eruptions, two elongated, correlated groups (duration vs waiting time). */
function faithfulLike(seed = 3): number[][] {
  const rng = new Random(seed);
  return Array.from({ length: 272 }, (_, i) => {
    const long = i % 3 !== 0; // about two thirds long eruptions
    const z1 = rng.normal();
    const z2 = rng.normal();
    return long ? [4.3 + 0.4 * z1, 80 + 5.9 * (0.6 * z1 + 0.8 * z2)] : [2.0 + 0.27 * z1, 54 + 5.9 * (0.5 * z1 + 0.87 * z2)];
  });
}

describe('selectModel', () => {
  it('finds three well-separated blobs and reports every cell of the grid', () => {
    const { X } = makeBlobs({
      nSamples: 300,
      centers: [
        [0, 0],
        [8, 8],
        [-8, 8],
      ],
      seed: 1,
    });
    const selection = selectModel(X, { nComponents: [1, 2, 3, 4, 5] });
    expect(selection.best.nComponents).toBe(3);
    expect(selection.results).toHaveLength(20);
    expect(selection.results.map((r) => `${r.covarianceType}${r.nComponents}`)).toEqual(
      TYPES.flatMap((t) => [1, 2, 3, 4, 5].map((k) => `${t}${k}`)),
    );
    const data = toArrays(X);
    for (const r of selection.results) {
      expect(r.error).toBeUndefined();
      expect(r.icl).toBeGreaterThanOrEqual(r.bic);
      expectAllClose(r.bic - r.aic, r.nParameters * (Math.log(300) - 2), { rtol: 1e-9, label: 'bic − aic' });
    }
    expectAllClose(selection.best.bic, selection.model.bic(data), { rtol: 1e-12, label: 'best bic' });
    expect(selection.results.every((r) => r.bic >= selection.best.bic)).toBe(true);
  });

  it('reaches the log-likelihood of a careful EM on Old-Faithful-like data', () => {
    const X = faithfulLike();
    const selection = selectModel(X, { nComponents: [1, 2, 3, 4], covarianceTypes: ['full'] });
    const careful = new GaussianMixture({
      nComponents: 2,
      nInit: 100,
      initParams: 'random',
      seed: 9,
      tol: 1e-8,
      maxIter: 1000,
    }).fit(X);
    const cell = selection.results.find((r) => r.nComponents === 2)!;
    expect(cell.logLikelihood).toBeGreaterThanOrEqual(careful.score(X) * X.length - 1e-3);
    expect(selection.best.nComponents).toBe(2);
  });

  it('chooses by AIC or ICL when asked, and ICL = BIC + 2·entropy', () => {
    const X = faithfulLike(5);
    const byIcl = selectModel(X, { nComponents: [1, 2, 3], covarianceTypes: ['full', 'diag'], criterion: 'icl' });
    expect(byIcl.criterion).toBe('icl');
    expect(byIcl.results.every((r) => r.icl >= byIcl.best.icl)).toBe(true);
    expectAllClose(byIcl.best.icl, byIcl.model.bic(X) + 2 * byIcl.model.entropy(X), { rtol: 1e-12, label: 'icl' });
    const byAic = selectModel(X, { nComponents: [1, 2, 3], covarianceTypes: ['full'], criterion: 'aic' });
    expect(byAic.results.every((r) => r.aic >= byAic.best.aic)).toBe(true);
  });

  it('model.criteria gives, in one pass, what bic, aic, entropy and icl give one by one', () => {
    const X = faithfulLike(6);
    const model = new GaussianMixture({ nComponents: 2, seed: 1 }).fit(X);
    const c = model.criteria(X);
    expectAllClose(c.bic, model.bic(X), { rtol: 1e-13, label: 'bic' });
    expectAllClose(c.aic, model.aic(X), { rtol: 1e-13, label: 'aic' });
    expectAllClose(c.entropy, model.entropy(X), { rtol: 1e-12, label: 'entropy' });
    expectAllClose(c.icl, model.icl(X), { rtol: 1e-13, label: 'icl' });
    expectAllClose(c.logLikelihood, model.score(X) * X.length, { rtol: 1e-13, label: 'logLikelihood' });
    expect(c.nParameters).toBe(11);
    const w = X.map((_, i) => (i % 3) + 1);
    const repeated = X.flatMap((x, i) => Array.from({ length: w[i]! }, () => x));
    const weighted = model.criteria(X, { sampleWeight: w });
    const byRepeat = model.criteria(repeated);
    for (const key of ['logLikelihood', 'bic', 'aic', 'entropy', 'icl'] as const)
      expectAllClose(weighted[key], byRepeat[key], { rtol: 1e-11, label: key });
    expect(() => model.criteria(X, { sampleWeight: [1] })).toThrow(/sampleWeight/);
  });

  it('records cells that cannot be fitted without choosing them', () => {
    const X = toArrays(
      makeBlobs({
        nSamples: 6,
        centers: [
          [0, 0],
          [5, 5],
        ],
        seed: 2,
      }).X,
    );
    const selection = selectModel(X, { nComponents: [1, 2, 10], covarianceTypes: ['diag'] });
    const failed = selection.results.find((r) => r.nComponents === 10)!;
    expect(failed.error).toMatch(/X has 6 rows but nComponents is 10/);
    expect(failed.bic).toBe(Infinity);
    expect(selection.best.nComponents).not.toBe(10);
  });

  it('with integer weights, scores every criterion as on the repeated rows (n = Σw)', () => {
    const X = toArrays(
      makeBlobs({
        nSamples: 120,
        centers: [
          [0, 0],
          [6, 0],
        ],
        seed: 4,
      }).X,
    );
    for (const seed of [1, 2, 3]) {
      const rng = new Random(seed);
      const counts = X.map(() => 1 + rng.integer(3));
      const repeated = X.flatMap((x, i) => Array.from({ length: counts[i]! }, () => x));
      const selection = selectModel(X, {
        nComponents: [1, 2, 3],
        covarianceTypes: ['spherical', 'full'],
        nInit: 2,
        sampleWeight: counts,
      });
      const cell = selection.best;
      const model = selection.model;
      expectAllClose(cell.logLikelihood, model.score(repeated) * repeated.length, { rtol: 1e-10, label: 'log-likelihood' });
      expectAllClose(cell.bic, model.bic(repeated), { rtol: 1e-10, label: 'bic' });
      expectAllClose(cell.aic, model.aic(repeated), { rtol: 1e-10, label: 'aic' });
      expectAllClose(cell.icl, model.icl(repeated), { rtol: 1e-10, label: 'icl' });
    }
  });

  it('reports for every cell the criteria its model gives, with scaled weights and standardized columns', () => {
    // Overlapping groups, so that the responsibilities' entropy (ICL − BIC) is far from 0; weights of 2^40 scale; a
    // third column the sum of the others, so that every covariance is as ill-conditioned as regCovar lets it be.
    const X = faithfulLike(11).map(([a, b]) => [a!, b!, a! * 3 + b! / 10]);
    const rng = new Random(5);
    const weights = X.map(() => (1 + rng.integer(4)) * 2 ** 40);
    const options = { nInit: 2, seed: 3, standardize: true };
    const selection = selectModel(X, { ...options, nComponents: [1, 2, 3, 4], sampleWeight: weights });
    let overlapping = 0;
    for (const cell of selection.results) {
      const model = new GaussianMixture({ ...options, nComponents: cell.nComponents, covarianceType: cell.covarianceType }).fit(
        X,
        { sampleWeight: weights },
      );
      const c = model.criteria(X, { sampleWeight: weights });
      const label = `${cell.covarianceType} ${cell.nComponents}`;
      for (const key of ['logLikelihood', 'bic', 'aic', 'icl'] as const)
        expectAllClose(cell[key], c[key], { rtol: 1e-12, label: `${label} ${key}` });
      expect(cell.nParameters).toBe(c.nParameters);
      expectAllClose((cell.icl - cell.bic) / 2, c.entropy, { rtol: 1e-9, atol: 1e-3, label: `${label} entropy` });
      if (c.entropy > 1e10) overlapping++;
    }
    expect(overlapping).toBeGreaterThan(4);
  });

  it("a cell is the fit of its k and type alone, bit for bit, though the grid's other types share its k-means starts", () => {
    const X = faithfulLike(3);
    const options = { nInit: 3, seed: 9 };
    const selection = selectModel(X, { ...options, nComponents: [2, 3], covarianceTypes: ['spherical', 'tied', 'full'] });
    for (const cell of selection.results) {
      const alone = new GaussianMixture({ ...options, nComponents: cell.nComponents, covarianceType: cell.covarianceType }).fit(
        X,
      );
      expect([cell.covarianceType, cell.nComponents, cell.nIter]).toEqual([cell.covarianceType, cell.nComponents, alone.nIter]);
      if (cell === selection.best) expect(JSON.stringify(selection.model)).toBe(JSON.stringify(alone));
    }
    expect(selection.best.covarianceType).not.toBe('spherical'); // the best is a cell whose k-means starts were reused
  });

  it('gives the same results on worker threads', async () => {
    const X = faithfulLike(7);
    const options = { nComponents: [1, 2, 3], covarianceTypes: ['full', 'spherical'] as CovarianceType[], nInit: 3 };
    const sync = selectModel(X, options);
    const async = await selectModelAsync(X, { ...options, threads: 2 });
    expect(async.results).toEqual(sync.results);
    expect(JSON.stringify(async.model)).toBe(JSON.stringify(sync.model));
  });

  it('rejects bad options', () => {
    expect(() => selectModel([[1], [2], [3]], { criterion: 'mdl' as never })).toThrow(InvalidParameterError);
    expect(() => selectModel([[1], [2], [3]], { nComponents: [] })).toThrow(/nComponents must be a non-empty list/);
    expect(() => selectModel([[1], [2], [3]], { nComponents: [0] })).toThrow(/nComponents\[0\] must be a positive integer/);
    expect(() => selectModel([[1], [2], [3]], { covarianceTypes: ['round' as never] })).toThrow(
      /covarianceTypes\[0\] must be one of/,
    );
  });
});
