import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const dir = fileURLToPath(new URL('../fixtures/sklearn/', import.meta.url));

/** A scikit-learn 1.2.1 GaussianMixture fixture (see test/fixtures/sklearn/README.md). */
export interface MixtureFixture {
  name: string;
  covariance_type: 'full' | 'tied' | 'diag' | 'spherical';
  n_components: number;
  max_iter: number;
  tol: number;
  reg_covar: number;
  X: number[][];
  weights_init: number[];
  means_init: number[][];
  precisions_init: number[] | number[][] | number[][][];
  expected: {
    weights: number[];
    means: number[][];
    covariances: unknown;
    precisions_cholesky: unknown;
    lower_bound: number;
    n_iter: number;
    converged: boolean;
    bic: number;
    aic: number;
    score: number;
    query: number[][];
    score_samples: number[];
    predict_proba: number[][];
    predict: number[];
  };
}

/** The k-means fixture: Lloyd from fixed centers. */
export interface KMeansFixture {
  n_clusters: number;
  X: number[][];
  centers_init: number[][];
  expected: { centers: number[][]; labels: number[]; inertia: number; n_iter: number };
}

/** Every GaussianMixture fixture. */
export function mixtureFixtures(): MixtureFixture[] {
  return readdirSync(dir)
    .filter((f) => f.startsWith('gmm-') && f.endsWith('.json'))
    .sort()
    .map((f) => JSON.parse(readFileSync(dir + f, 'utf8')) as MixtureFixture);
}

/** The k-means fixture. */
export function kmeansFixture(): KMeansFixture {
  return JSON.parse(readFileSync(`${dir}kmeans-2d.json`, 'utf8')) as KMeansFixture;
}
