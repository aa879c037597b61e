/**
 * Missing values (issue 14): `missing: 'marginalize'`, `impute`,
 * `sampleMissing`, and scoring rows with NaN cells. Checked against the
 * closed-form maximum-likelihood estimate of a bivariate normal with a
 * monotone missing pattern (Anderson 1957), numerical integration of the
 * density over a missing cell, EM's monotone observed-data likelihood, and
 * bit-identity with the ordinary fit when nothing is missing.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  COVARIANCE_TYPES,
  GaussianMixture,
  InvalidDataError,
  matrix,
  parseData,
  Random,
  type Matrix,
} from '../src/node/index.js';
import { expectAllClose } from './helpers/allClose.js';

const read = (name: string, labelColumn: string) =>
  parseData(readFileSync(fileURLToPath(new URL(`../data/${name}.csv`, import.meta.url)), 'utf8'), `${name}.csv`, {
    labelColumn,
  });
const iris = read('iris', 'species');

/** X with each cell removed (NaN) with probability `rate`, seeded; rows keep at least one cell. */
function holes(X: Matrix, rate: number, seed: number): Matrix {
  const rng = new Random(seed);
  const data = Float64Array.from(X.data);
  for (let i = 0; i < X.rows; i++) {
    for (let a = 0; a < X.cols; a++) if (rng.uniform() < rate) data[i * X.cols + a] = Number.NaN;
  }
  return matrix(X.rows, X.cols, data);
}

describe('nothing missing: the same fit, bit for bit', () => {
  it.each(COVARIANCE_TYPES)('%s', (covarianceType) => {
    for (const standardize of [false, true]) {
      const plain = new GaussianMixture({ nComponents: 3, covarianceType, seed: 0, standardize }).fit(iris.X);
      const marginalized = new GaussianMixture({
        nComponents: 3,
        covarianceType,
        seed: 0,
        standardize,
        missing: 'marginalize',
      }).fit(iris.X);
      expect(JSON.stringify(marginalized)).toBe(JSON.stringify(plain));
    }
  });
});

describe('one Gaussian, a monotone pattern: the closed-form maximum-likelihood estimate', () => {
  it('EM converges to Anderson’s estimate to 1e-9', () => {
    // x always observed, y observed on the first 120 of 200 rows.
    const rng = new Random(3);
    const n = 200;
    const m = 120;
    const x: number[] = [];
    const y: number[] = [];
    for (let i = 0; i < n; i++) {
      const u = 2 + 1.5 * rng.normal();
      x.push(u);
      y.push(-1 + 0.8 * u + 0.6 * rng.normal());
    }
    const mean = (v: number[]) => v.reduce((s, t) => s + t, 0) / v.length;
    const muX = mean(x);
    const sxx = x.reduce((s, u) => s + (u - muX) ** 2, 0) / n;
    const xc = x.slice(0, m);
    const yc = y.slice(0, m);
    const mxc = mean(xc);
    const myc = mean(yc);
    let cxy = 0;
    let cxx = 0;
    for (let i = 0; i < m; i++) {
      cxy += (xc[i]! - mxc) * (yc[i]! - myc);
      cxx += (xc[i]! - mxc) ** 2;
    }
    const beta = cxy / cxx;
    const alpha = myc - beta * mxc;
    const residual = yc.reduce((s, v, i) => s + (v - alpha - beta * xc[i]!) ** 2, 0) / m;
    const muY = alpha + beta * muX;
    const syy = residual + beta * beta * sxx;
    const sxy = beta * sxx;

    const data = Float64Array.from({ length: 2 * n }, (_, t) =>
      t % 2 === 0 ? x[t >> 1]! : t >> 1 < m ? y[t >> 1]! : Number.NaN,
    );
    const model = new GaussianMixture({ nComponents: 1, regCovar: 0, tol: 0, maxIter: 2000, missing: 'marginalize' }).fit(
      matrix(n, 2, data),
    );
    expectAllClose(model.means.data, [muX, muY], { rtol: 1e-9 });
    expectAllClose(model.covariances, [sxx, sxy, sxy, syy], { rtol: 1e-9 });
  });
});

describe.each(COVARIANCE_TYPES)('%s mixture on iris with cells missing', (covarianceType) => {
  it.each([0.1, 0.2, 0.3])('the observed-data log-likelihood never decreases (%s missing)', (rate) => {
    const X = holes(iris.X, rate, 11);
    const model = new GaussianMixture({
      nComponents: 3,
      covarianceType,
      seed: 0,
      missing: 'marginalize',
      tol: 1e-10,
      maxIter: 300,
      // No regularization: the M-step is then the exact maximizer, and EM's guarantee holds to rounding.
      regCovar: 0,
    }).fit(X);
    const lb = model.lowerBounds;
    expect(lb.length).toBeGreaterThan(5);
    for (let t = 1; t < lb.length; t++) expect(lb[t]!).toBeGreaterThanOrEqual(lb[t - 1]! - 1e-12 * Math.abs(lb[t - 1]!));
    // The lower bound is the mean observed-data log-likelihood: the model's marginal score of the holed data,
    // under the parameters of the last E-step, which at convergence are the model's own (to tol).
    expect(model.score(X, { missing: 'marginalize' })).toBeCloseTo(model.lowerBound, 6);
  });

  it('imputes far better than column means, and close to a model fitted on the full data', () => {
    const X = holes(iris.X, 0.2, 5);
    const model = new GaussianMixture({ nComponents: 3, covarianceType, seed: 0, missing: 'marginalize' }).fit(X);
    const full = new GaussianMixture({ nComponents: 3, covarianceType, seed: 0 }).fit(iris.X);
    const rmse = (filled: Matrix) => {
      let s = 0;
      let count = 0;
      for (let t = 0; t < X.data.length; t++) {
        if (!Number.isNaN(X.data[t]!)) continue;
        s += (filled.data[t]! - iris.X.data[t]!) ** 2;
        count++;
      }
      return Math.sqrt(s / count);
    };
    const ours = rmse(model.impute(X));
    const columnMeans = rmse(
      new GaussianMixture({ nComponents: 1, covarianceType: 'diag', missing: 'marginalize' }).fit(X).impute(X),
    );
    const oracle = rmse(full.impute(X));
    expect(ours).toBeLessThan(0.75 * columnMeans);
    expect(ours).toBeLessThan(1.25 * oracle);
  });
});

describe('scoring rows with missing cells', () => {
  const model = new GaussianMixture({ nComponents: 3, seed: 0 }).fit(iris.X, { featureNames: iris.featureNames });

  it('a row missing one cell has the joint density integrated over that cell (quadrature, 1e-8)', () => {
    const row = [6.1, Number.NaN, 4.7, 1.4];
    const logDensity = model.scoreSamples([row], { missing: 'marginalize' })[0]!;
    const steps = 8000;
    const [lo, hi] = [-4, 10];
    const h = (hi - lo) / steps;
    const grid = Array.from({ length: steps + 1 }, (_, i) => [6.1, lo + i * h, 4.7, 1.4]);
    const joint = model.scoreSamples(grid);
    let integral = 0;
    for (let i = 0; i <= steps; i++) integral += (i === 0 || i === steps ? 1 : i % 2 === 1 ? 4 : 2) * Math.exp(joint[i]!);
    integral *= h / 3;
    expect(Math.abs(Math.exp(logDensity) - integral) / integral).toBeLessThan(1e-8);
  });

  it('complete rows score as without the option; responsibilities sum to 1; an empty row has the weights', () => {
    const rows = [
      [5.1, 3.5, 1.4, 0.2],
      [Number.NaN, 3.0, Number.NaN, 1.8],
      [Number.NaN, Number.NaN, Number.NaN, Number.NaN],
    ];
    const scores = model.scoreSamples(rows, { missing: 'marginalize' });
    expect(scores[0]).toBe(model.scoreSamples([rows[0]!])[0]);
    expect(scores[2]).toBe(0);
    const proba = model.predictProba(rows, { missing: 'marginalize' });
    for (let i = 0; i < 3; i++) {
      let s = 0;
      for (let j = 0; j < 3; j++) s += proba.data[i * 3 + j]!;
      expect(s).toBeCloseTo(1, 14);
    }
    expectAllClose(proba.data.subarray(6, 9), model.weights, { rtol: 1e-14 });
    expect(model.predict(rows, { missing: 'marginalize' })[1]).toBe(model.predict([[6.5, 3.0, 5.5, 1.8]])[0]);
  });

  it('with a scaler, densities are in the data units, as without missing cells', () => {
    const scaled = new GaussianMixture({ nComponents: 3, seed: 0, standardize: true }).fit(iris.X);
    const row = [6.1, Number.NaN, 4.7, 1.4];
    const got = scaled.scoreSamples([row], { missing: 'marginalize' })[0]!;
    const expected = scaled.marginal([0, 2, 3]).scoreSamples([[6.1, 4.7, 1.4]])[0]!;
    expect(got).toBeCloseTo(expected, 12);
  });

  it('NaN without the option is an error that says how to go on', () => {
    expect(() => model.predict([[5, Number.NaN, 1, 0.2]])).toThrow(/row 0, column 1.*NaN.*marginalize/);
    expect(() => model.predict([[5, Infinity, 1, 0.2]], { missing: 'marginalize' })).toThrow(InvalidDataError);
    expect(() => model.predict([[5, 3, 1, 0.2]], { missing: 'yes' as never })).toThrow(
      /missing must be one of "error", "marginalize"/,
    );
  });
});

describe('impute and sampleMissing', () => {
  const model = new GaussianMixture({ nComponents: 3, seed: 0 }).fit(iris.X, { featureNames: iris.featureNames });
  const rows = [
    [5.1, Number.NaN, 1.4, 0.2],
    [Number.NaN, Number.NaN, 5.8, 2.2],
    [6.3, 3.3, 6.0, 2.5],
  ];

  it('fills a cell with E[x_m | x_o] (the conditional mixture’s mean) and keeps observed cells exactly', () => {
    const filled = model.impute(rows);
    const conditional = model.condition([0, 2, 3], [5.1, 1.4, 0.2]);
    let expected = 0;
    for (let j = 0; j < 3; j++) expected += conditional.weights[j]! * conditional.componentMean(j)[0]!;
    expect(filled.data[1]).toBeCloseTo(expected, 12);
    expect(filled.data[0]).toBe(5.1);
    expect(Array.from(filled.data.subarray(8, 12))).toEqual(rows[2]);
    expect(filled.data.some(Number.isNaN)).toBe(false);
  });

  it('draws average to the imputation, and the same seed draws the same cells', () => {
    const many = Array.from({ length: 4000 }, () => rows[1]!);
    const draws = model.sampleMissing(many, { seed: 9 });
    const expected = model.impute([rows[1]!]);
    for (const a of [0, 1]) {
      let mean = 0;
      let square = 0;
      for (let i = 0; i < many.length; i++) {
        mean += draws.data[i * 4 + a]! / many.length;
        square += draws.data[i * 4 + a]! ** 2 / many.length;
      }
      const se = Math.sqrt((square - mean * mean) / many.length);
      expect(Math.abs(mean - expected.data[a]!)).toBeLessThan(4 * se);
    }
    expect(Array.from(model.sampleMissing(rows, { seed: 9 }).data)).toEqual(
      Array.from(model.sampleMissing(rows, { seed: 9 }).data),
    );
    expect(Array.from(model.sampleMissing(rows, { seed: 9 }).data)).not.toEqual(
      Array.from(model.sampleMissing(rows, { seed: 10 }).data),
    );
  });
});

describe('fits with missing cells', () => {
  const X = holes(iris.X, 0.2, 2);
  it('fitAsync gives the fit of fit, bit for bit; sample weights act as repeated rows', async () => {
    const options = { nComponents: 3, seed: 0, missing: 'marginalize' } as const;
    const sync = new GaussianMixture(options).fit(X);
    const async_ = await new GaussianMixture(options).fitAsync(X, { threads: 2 });
    expect(JSON.stringify(async_)).toBe(JSON.stringify(sync));
    // Weight 2 on every row with an even index equals those rows written twice.
    const weights = Float64Array.from({ length: X.rows }, (_, i) => (i % 2 === 0 ? 2 : 1));
    const doubled: number[] = [];
    for (let i = 0; i < X.rows; i++) {
      const row = Array.from(X.data.subarray(i * 4, i * 4 + 4));
      doubled.push(...row);
      if (i % 2 === 0) doubled.push(...row);
    }
    const weighted = new GaussianMixture({ ...options, tol: 1e-12, maxIter: 1000 }).fit(X, { sampleWeight: weights });
    const repeated = new GaussianMixture({ ...options, tol: 1e-12, maxIter: 1000 }).fit(
      matrix(doubled.length / 4, 4, Float64Array.from(doubled)),
    );
    const order = (m: typeof weighted) =>
      Array.from({ length: 3 }, (_, j) => j).sort((a, b) => m.means.data[a * 4]! - m.means.data[b * 4]!);
    const [ow, or] = [order(weighted), order(repeated)];
    for (let j = 0; j < 3; j++) {
      expectAllClose(weighted.componentMean(ow[j]!), repeated.componentMean(or[j]!), { rtol: 1e-6 });
    }
  });

  it('standardize: the fit runs in standardized units, imputations come back in the data units', () => {
    const model = new GaussianMixture({ nComponents: 3, seed: 0, missing: 'marginalize', standardize: true }).fit(X);
    const filled = model.impute(X);
    for (let t = 0; t < X.data.length; t++) {
      if (Number.isNaN(X.data[t]!)) expect(Math.abs(filled.data[t]! - iris.X.data[t]!)).toBeLessThan(3);
      else expect(filled.data[t]).toBe(X.data[t]);
    }
  });

  it('errors: NaN without the option names the cell and the option; a column with nothing observed', () => {
    expect(() => new GaussianMixture({ nComponents: 2 }).fit(X)).toThrow(
      /not a finite number at row \d+, column \d+ .*NaN.*marginalize/,
    );
    const empty = Float64Array.from(iris.X.data);
    for (let i = 0; i < 150; i++) empty[i * 4 + 2] = Number.NaN;
    expect(() => new GaussianMixture({ nComponents: 2, missing: 'marginalize' }).fit(matrix(150, 4, empty))).toThrow(
      /column 2 of X has no observed value/,
    );
    expect(() => new GaussianMixture({ missing: 'drop' as never })).toThrow(/missing must be one of "error", "marginalize"/);
  });
});
