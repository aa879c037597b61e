/**
 * Gaussian mixture regression (issue 14): `GaussianMixtureRegressor` and
 * `GaussianMixtureRegression`. With one component it is ordinary least
 * squares; with several it recovers a noisy sine; its mean and covariance are
 * those of `model.condition`'s mixture, row by row. (The Node entry point:
 * `fitAsync` runs on worker threads.)
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  DimensionMismatchError,
  GaussianMixture,
  GaussianMixtureModel,
  GaussianMixtureRegression,
  GaussianMixtureRegressor,
  InvalidDataError,
  InvalidParameterError,
  parseData,
} from '../src/node/index.js';
import { expectAllClose } from './helpers/allClose.js';
import { noisySine } from '../examples/08-regression.js';

const iris = parseData(readFileSync(fileURLToPath(new URL('../data/iris.csv', import.meta.url)), 'utf8'), 'iris.csv', {
  labelColumn: 'species',
});

describe('one component is ordinary least squares', () => {
  it('E[y | x] equals the least-squares line with intercept, to 1e-9', () => {
    const X = iris.X;
    // Inputs: sepal length and width; output: petal length.
    const inputs = Array.from({ length: X.rows }, (_, i) => [X.data[i * 4]!, X.data[i * 4 + 1]!]);
    const y = Array.from({ length: X.rows }, (_, i) => X.data[i * 4 + 2]!);
    const gmr = new GaussianMixtureRegressor({ nComponents: 1, regCovar: 0 }).fit(inputs, y);
    // Normal equations [1 x1 x2]ᵀ[1 x1 x2] β = [1 x1 x2]ᵀ y, solved by Cramer's rule (3 × 3).
    const A = [
      [0, 0, 0],
      [0, 0, 0],
      [0, 0, 0],
    ];
    const b = [0, 0, 0];
    for (let i = 0; i < X.rows; i++) {
      const row = [1, inputs[i]![0]!, inputs[i]![1]!];
      for (let p = 0; p < 3; p++) {
        b[p]! += row[p]! * y[i]!;
        for (let q = 0; q < 3; q++) A[p]![q]! += row[p]! * row[q]!;
      }
    }
    const det = (m: number[][]): number =>
      m[0]![0]! * (m[1]![1]! * m[2]![2]! - m[1]![2]! * m[2]![1]!) -
      m[0]![1]! * (m[1]![0]! * m[2]![2]! - m[1]![2]! * m[2]![0]!) +
      m[0]![2]! * (m[1]![0]! * m[2]![1]! - m[1]![1]! * m[2]![0]!);
    const beta = [0, 1, 2].map((c) => det(A.map((row, p) => row.map((v, q) => (q === c ? b[p]! : v)))) / det(A));
    const probe = [
      [5, 3],
      [6.5, 2.8],
      [7.7, 3.8],
    ];
    const expected = probe.map(([u, v]) => beta[0]! + beta[1]! * u! + beta[2]! * v!);
    expectAllClose(gmr.predict(probe).data, expected, { rtol: 1e-9 });
    // The conditional variance is the residual variance (MLE: divided by n), the same for every x.
    let rss = 0;
    for (let i = 0; i < X.rows; i++) rss += (y[i]! - (beta[0]! + beta[1]! * inputs[i]![0]! + beta[2]! * inputs[i]![1]!)) ** 2;
    const { covariance } = gmr.predictDistribution(probe);
    expectAllClose(covariance, [rss / X.rows, rss / X.rows, rss / X.rows], { rtol: 1e-9 });
  });
});

describe('a noisy sine', () => {
  const noise = 0.2;
  const { x, y } = noisySine(5000, noise, 7);
  const gmr = new GaussianMixtureRegressor({ nComponents: 10, covarianceType: 'full', seed: 0 }).fit(x, y);
  const grid = Array.from({ length: 200 }, (_, i) => [(2 * Math.PI * i) / 199]);
  const { mean, covariance } = gmr.predictDistribution(grid);

  it('recovers the curve: RMSE against sin x under 10% of the noise level, and the RMSE of the residuals is the noise level to 10%', () => {
    let curve = 0;
    for (let i = 0; i < grid.length; i++) curve += (mean.data[i]! - Math.sin(grid[i]![0]!)) ** 2;
    curve = Math.sqrt(curve / grid.length);
    expect(curve).toBeLessThan(0.1 * noise);
    const fitted = gmr.predict(x);
    let residual = 0;
    for (let i = 0; i < x.length; i++) residual += (fitted.data[i]! - y[i]!) ** 2;
    residual = Math.sqrt(residual / x.length);
    expect(Math.abs(residual - noise)).toBeLessThan(0.1 * noise);
  });

  it('its band: the predicted standard deviation is the noise level, to 25%, across the range', () => {
    const sds = Array.from(covariance, Math.sqrt).sort((a, b) => a - b);
    expect(sds[Math.floor(sds.length / 2)]!).toBeGreaterThan(0.8 * noise);
    expect(sds[Math.floor(sds.length / 2)]!).toBeLessThan(1.25 * noise);
    for (const sd of sds) expect(sd).toBeGreaterThan(0.5 * noise);
  });

  it('mean and covariance are those of the conditional mixture (law of total covariance), row by row', () => {
    for (const i of [0, 57, 123, 199]) {
      const conditional = gmr.conditional(grid[i]!);
      let m = 0;
      for (let j = 0; j < conditional.nComponents; j++) m += conditional.weights[j]! * conditional.componentMean(j)[0]!;
      let v = 0;
      for (let j = 0; j < conditional.nComponents; j++) {
        v +=
          conditional.weights[j]! * (conditional.componentCovariance(j).data[0]! + (conditional.componentMean(j)[0]! - m) ** 2);
      }
      expect(mean.data[i]).toBeCloseTo(m, 12);
      expect(covariance[i]).toBeCloseTo(v, 12);
    }
  });

  it('fitAsync gives the same regression, bit for bit', async () => {
    const other = await new GaussianMixtureRegressor({ nComponents: 10, covarianceType: 'full', seed: 0 }).fitAsync(x, y, {
      threads: 2,
    });
    expect(Array.from(other.predict(grid).data)).toEqual(Array.from(mean.data));
  });
});

describe('several outputs, names, standardization, a saved mixture', () => {
  it('predicts the petals from the sepals, with standardize in the data units', () => {
    const model = new GaussianMixture({ nComponents: 3, seed: 0 }).fit(iris.X, { featureNames: iris.featureNames });
    const gmr = GaussianMixtureRegression.fromMixture(model, ['sepal_length', 'sepal_width']);
    expect(gmr.outputs).toEqual([2, 3]);
    const { mean, covariance } = gmr.predictDistribution([[5.0, 3.4]]);
    // Setosa-like sepals: a setosa's petals (about 1.5 × 0.25).
    expect(mean.data[0]).toBeGreaterThan(1.2);
    expect(mean.data[0]).toBeLessThan(1.8);
    expect(mean.data[1]).toBeLessThan(0.5);
    // A 2 × 2 covariance per row, symmetric and positive definite.
    expect(covariance[1]).toBe(covariance[2]);
    expect(covariance[0]! * covariance[3]! - covariance[1]! ** 2).toBeGreaterThan(0);

    const scaled = new GaussianMixtureRegressor({ nComponents: 3, seed: 0, standardize: true }).fit(
      Array.from({ length: 150 }, (_, i) => [iris.X.data[i * 4]!, iris.X.data[i * 4 + 1]!]),
      Array.from({ length: 150 }, (_, i) => [iris.X.data[i * 4 + 2]!, iris.X.data[i * 4 + 3]!]),
      { featureNames: ['sepal_length', 'sepal_width'], targetNames: ['petal_length', 'petal_width'] },
    );
    expect(scaled.mixture.featureNames).toEqual(iris.featureNames);
    const probe = [6.3, 2.9];
    const conditional = scaled.conditional(probe);
    const m = [0, 0];
    for (let j = 0; j < 3; j++) for (let b = 0; b < 2; b++) m[b]! += conditional.weights[j]! * conditional.componentMean(j)[b]!;
    expectAllClose(scaled.predict([probe]).data, m, { rtol: 1e-12 });
    // Round trip through the model file.
    const again = GaussianMixtureRegression.fromMixture(
      GaussianMixtureModel.fromJSON(JSON.parse(JSON.stringify(scaled.mixture))),
      [0, 1],
    );
    expect(Array.from(again.predict([probe]).data)).toEqual(Array.from(scaled.predict([probe]).data));
  });
});

describe('bad input is an error naming it', () => {
  const { x, y } = noisySine(100, 0.2, 1);
  const regressor = new GaussianMixtureRegressor({ nComponents: 2, seed: 0 });
  it('at fit', () => {
    expect(() => regressor.fit(x, y.slice(1))).toThrow(InvalidDataError);
    expect(() => regressor.fit(x, y.slice(1))).toThrow(/y has 99 rows but X has 100/);
    expect(() => regressor.fit(x, y, { featureNames: ['a', 'b'] })).toThrow(/featureNames must be an array of 1 string/);
    expect(() => regressor.fit(x, y, { targetNames: ['a', 'b'] })).toThrow(/targetNames must be an array of 1 string/);
    expect(() => regressor.fit(x, [...y.slice(1), Number.NaN])).toThrow(/y/);
  });
  it('at predict', () => {
    const gmr = regressor.fit(x, y);
    expect(() => gmr.predict([[1, 2]])).toThrow(DimensionMismatchError);
    expect(() => gmr.predict([[1e200]])).toThrow(/X row 0: the values have density 0 under every component/);
    expect(() => GaussianMixtureRegression.fromMixture(gmr.mixture, [0, 1])).toThrow(InvalidParameterError);
  });
});
