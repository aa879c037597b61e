import { describe, expect, it } from 'vitest';
import {
  createStatistics,
  GaussianMixture,
  InvalidParameterError,
  matrix,
  mergeStatistics,
  type CovarianceType,
  type SufficientStatistics,
} from '../src/index.js';
import { covarianceStrategy } from '../src/mixture/covariance/index.js';
import { createEngine, expectation } from '../src/engines/mixtureEngine.js';
import type { MixtureParameters } from '../src/mixture/parameters.js';
import { stretchedBlobs } from './helpers/problems.js';

const TYPES: CovarianceType[] = ['full', 'tied', 'diag', 'spherical'];
const X = stretchedBlobs(3000, 4, 3, 1, 11);

function parametersOf(type: CovarianceType): MixtureParameters {
  const m = new GaussianMixture({ nComponents: 3, covarianceType: type, maxIter: 5, seed: 2 }).fit(X);
  return {
    covarianceType: type,
    nComponents: 3,
    nFeatures: 4,
    weights: m.weights,
    means: m.means.data,
    covariances: m.covariances,
    precisionsCholesky: m.precisionsCholesky,
  };
}

function statisticsOf(rows: number[][], p: MixtureParameters, centers: Float64Array): SufficientStatistics {
  const strategy = covarianceStrategy(p.covarianceType);
  const engine = createEngine(strategy, matrix(rows.length, 4, Float64Array.from(rows.flat())), null, 3, 0, 'typescript');
  try {
    return expectation(engine, strategy, p, centers);
  } finally {
    engine.release();
  }
}

describe('mergeStatistics', () => {
  it.each(TYPES)('the statistics of two halves merge into those of the whole (%s)', (type) => {
    const p = parametersOf(type);
    const strategy = covarianceStrategy(type);
    // Centers away from the means, so that no sum is near zero by cancellation.
    const centers = strategy.statisticsCenters(p.means, new Float64Array([0.5, -1, 2, 0]), 3, 4).map((c) => c + 0.5);
    const whole = statisticsOf(X, p, centers);
    const merged = mergeStatistics(statisticsOf(X.slice(0, 1234), p, centers), statisticsOf(X.slice(1234), p, centers));
    expect(merged.totalWeight).toBe(3000);
    expect(merged.logLikelihood).toBeCloseTo(whole.logLikelihood, 8);
    for (const key of ['weight', 'first', 'second'] as const) {
      const scale = Math.max(...whole[key].map(Math.abs));
      whole[key].forEach((v, i) => expect(Math.abs(merged[key][i]! - v)).toBeLessThanOrEqual(1e-12 * scale));
    }
  });

  it('adds the upper triangles of full second moments only, in the order of the calls', () => {
    const centers = new Float64Array(4);
    const a = createStatistics('full', 2, 2, centers, 8);
    const b = createStatistics('full', 2, 2, centers, 8);
    a.second.set([1, 2, 99, 3, 4, 5, 99, 6]);
    b.second.set([0.1, 0.2, 7, 0.3, 0.4, 0.5, 7, 0.6]);
    b.weight.set([1, 2]);
    b.first.set([1, 2, 3, 4]);
    b.logLikelihood = -5;
    b.totalWeight = 3;
    mergeStatistics(a, b);
    expect(Array.from(a.second)).toEqual([1 + 0.1, 2 + 0.2, 99, 3 + 0.3, 4 + 0.4, 5 + 0.5, 99, 6 + 0.6]);
    expect(Array.from(a.weight)).toEqual([1, 2]);
    expect(Array.from(a.first)).toEqual([1, 2, 3, 4]);
    expect([a.logLikelihood, a.totalWeight]).toEqual([-5, 3]);
  });

  it('refuses statistics of another shape or about other centers', () => {
    const a = createStatistics('diag', 2, 3, new Float64Array(6), 6);
    expect(() => mergeStatistics(a, createStatistics('diag', 3, 3, new Float64Array(9), 9))).toThrow(InvalidParameterError);
    expect(() => mergeStatistics(a, createStatistics('spherical', 2, 3, new Float64Array(6), 2))).toThrow(/statistics/);
    expect(() => mergeStatistics(a, createStatistics('diag', 2, 3, new Float64Array(6).fill(1), 6))).toThrow(
      /statistics\.centers/,
    );
  });
});
