import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BayesianGaussianMixture, type CovarianceType, type WeightConcentrationPriorType } from '../src/index.js';

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
