import { describe, expect, it } from 'vitest';
import {
  ALL_COVARIANCE_TYPES,
  GaussianMixture,
  OnlineGaussianMixture,
  activeBackend,
  setBackend,
  type CovarianceType,
} from '../src/index.js';
import { LocalRows } from '../src/fit/localRows.js';
import { covarianceStrategy } from '../src/mixture/covariance/index.js';
import { recenterStatistics } from '../src/mixture/statistics.js';
import { asMatrix, type Matrix } from '../src/matrix/matrix.js';
import { Random } from '../src/random/random.js';
import { stretchedBlobs } from './helpers/problems.js';

/** The rows of X in a seeded random order. */
function shuffled(X: Matrix, seed: number): Matrix {
  const rng = new Random(seed);
  const order = Array.from({ length: X.rows }, (_, i) => i);
  for (let i = order.length - 1; i > 0; i--) {
    const j = rng.integer(i + 1);
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  const data = new Float64Array(X.data.length);
  order.forEach((row, i) => data.set(X.data.subarray(row * X.cols, (row + 1) * X.cols), i * X.cols));
  return { rows: X.rows, cols: X.cols, data };
}

const slice = (X: Matrix, start: number, end: number): Matrix => ({
  rows: end - start,
  cols: X.cols,
  data: X.data.subarray(start * X.cols, end * X.cols),
});

describe('OnlineGaussianMixture: stepwise EM, chunk by chunk', () => {
  const X = shuffled(asMatrix(stretchedBlobs(20_000, 3, 4, 1, 3)), 1);

  it.each<CovarianceType>(['full', 'diag', 'spherical', 'tied'])(
    '%s: one pass of 40 chunks of 500 rows comes within 0.01 per row of the batch fit’s log-likelihood',
    (covarianceType) => {
      const batch = new GaussianMixture({ nComponents: 4, covarianceType, seed: 0, tol: 1e-8, maxIter: 500 }).fit(X);
      const online = new OnlineGaussianMixture({ nComponents: 4, covarianceType, seed: 0 });
      for (let start = 0; start < X.rows; start += 500) online.partialFit(slice(X, start, start + 500));
      expect(online.nChunks).toBe(40);
      const gap = batch.score(X) - online.model.score(X);
      expect(gap).toBeGreaterThan(-1e-6); // the batch fit is (nearly) the maximum
      expect(gap).toBeLessThan(0.01);
      // The trace: each chunk's log-likelihood before its update; late chunks near the batch optimum.
      expect(online.model.lowerBounds).toHaveLength(40);
      const late = online.model.lowerBounds.slice(-10).reduce((a, b) => a + b, 0) / 10;
      expect(Math.abs(late - batch.score(X))).toBeLessThan(0.05);
    },
  );

  it('with α = 1, the same chunk again and again walks to the batch EM fit of that chunk', () => {
    const chunk = slice(X, 0, 2000);
    const online = new OnlineGaussianMixture({ nComponents: 4, seed: 2, stepExponent: 1 });
    const batch = new GaussianMixture({ nComponents: 4, seed: 2, tol: 1e-12, maxIter: 2000 }).fit(chunk);
    const scores: number[] = [];
    for (let t = 0; t < 400; t++) {
      online.partialFit(chunk);
      scores.push(online.model.score(chunk));
    }
    expect(Math.abs(scores.at(-1)! - batch.score(chunk))).toBeLessThan(1e-4);
    // Stepwise EM on one chunk: each step is a partial EM step, so the likelihood climbs (to rounding).
    for (let t = 1; t < scores.length; t++) expect(scores[t]!).toBeGreaterThanOrEqual(scores[t - 1]! - 1e-9);
  });

  it('the same chunks and seed give the same model; sample weights count as repeated rows', () => {
    const fit = (weights?: boolean) => {
      const online = new OnlineGaussianMixture({ nComponents: 3, seed: 5 });
      for (let start = 0; start < 6000; start += 1000) {
        const chunk = slice(X, start, start + 1000);
        if (!weights) online.partialFit(chunk);
        else online.partialFit(chunk, { sampleWeight: new Float64Array(1000).fill(3) });
      }
      return online.model;
    };
    expect(JSON.stringify(fit())).toBe(JSON.stringify(fit()));
    const weighted = fit(true).means.data;
    fit().means.data.forEach((v, i) => expect(weighted[i]).toBeCloseTo(v, 9));
  });

  it.each(ALL_COVARIANCE_TYPES as readonly CovarianceType[])(
    '%s: statistics recentered equal those taken about the new centers',
    (type) => {
      const chunk = slice(X, 0, 3000);
      const parameters = new GaussianMixture({ nComponents: 3, covarianceType: type, seed: 1, maxIter: 3 }).fit(
        chunk,
      ).mixtureParameters;
      const strategy = covarianceStrategy(type);
      const other = strategy.statisticsCenters(
        Float64Array.from(parameters.means, (v, i) => v + 0.7 - (i % 3)),
        Float64Array.of(4, -3, 2),
        3,
        3,
      );
      const backend = activeBackend();
      setBackend('typescript'); // its kernels take the moments about any centers
      try {
        const rows = new LocalRows(chunk, null);
        const own = strategy.statisticsCenters(parameters.means, Float64Array.of(1, 1, 1), 3, 3);
        const moved = recenterStatistics(rows.expectation(strategy, parameters, own), other);
        const direct = rows.expectation(strategy, parameters, other);
        for (const key of ['weight', 'first', 'second'] as const) {
          const scale = Math.max(1, ...Array.from(direct[key], Math.abs));
          direct[key].forEach((v, i) => expect(Math.abs(moved[key][i]! - v)).toBeLessThan(1e-10 * scale));
        }
      } finally {
        setBackend(backend);
      }
    },
  );

  it('refuses bad options and chunks, naming them', () => {
    expect(() => new OnlineGaussianMixture({ stepExponent: 0.5 })).toThrow(/stepExponent.*\(0\.5, 1\]/);
    expect(() => new OnlineGaussianMixture({ prior: true } as never)).toThrow(/prior/);
    expect(() => new OnlineGaussianMixture().model).toThrow(/after the first partialFit/);
    const online = new OnlineGaussianMixture({ nComponents: 2 }).partialFit(slice(X, 0, 100));
    expect(() => online.partialFit([[1, 2]])).toThrow(/rows of 3 features/);
  });
});
