/**
 * Example 3 — covariance types: spherical (round, one width per component),
 * diag (axis-aligned ellipses), tied (one shared ellipse) and full (an
 * ellipse per component), on the same stretched blobs, with their BIC.
 *
 * Run: npx tsx examples/03-covariance-types.ts [--out DIR]
 */
import { GaussianMixture, adjustedRandIndex, plotClusters, type CovarianceFamily } from '../src/index.js';
import { loadDataset } from './lib/data.js';
import { fixed, Report, runIfMain, type ExampleOutput } from './lib/report.js';

/** Each covariance type's fit. */
export interface CovarianceTypes extends ExampleOutput {
  results: { type: CovarianceFamily; bic: number; logLikelihood: number; nParameters: number; ari: number }[];
  /** The type with the lowest BIC. */
  best: CovarianceFamily;
}

const TYPES: readonly CovarianceFamily[] = ['spherical', 'diag', 'tied', 'full'];
const SHAPES: Record<CovarianceFamily, string> = {
  spherical: 'round, one width per component',
  diag: 'ellipses along the axes',
  tied: 'one ellipse shared by all components',
  full: 'any ellipse per component',
};

export async function run(): Promise<CovarianceTypes> {
  const report = new Report();
  const { X, labels } = await loadDataset('stretched-blobs');
  const results = TYPES.map((type) => {
    const model = new GaussianMixture({ nComponents: 4, covarianceType: type, nInit: 20, seed: 0 }).fit(X);
    const { bic, logLikelihood, nParameters } = model.criteria(X);
    report.file(
      `covariance-${type}.svg`,
      plotClusters(model, X, { equalAspect: true, title: `covarianceType: '${type}' — ${SHAPES[type]}` }),
    );
    return { type, bic, logLikelihood, nParameters, ari: adjustedRandIndex(labels, model.predict(X)) };
  });
  const best = results.reduce((a, b) => (b.bic < a.bic ? b : a)).type;
  report.say('Example 3 — covariance types on the stretched blobs (data/stretched-blobs.csv, k = 4, best of 20 starts)');
  report.table(
    ['covariance', 'shape', 'parameters', 'log-likelihood', 'BIC', 'ARI vs truth'],
    results.map((r) => [r.type, SHAPES[r.type], r.nParameters, fixed(r.logLikelihood, 1), fixed(r.bic, 1), fixed(r.ari)]),
  );
  report.say();
  report.say(`Lowest BIC: '${best}'. The four blobs were stretched by the same linear map, so they share one`);
  report.say('covariance: tied fits them as well as full with 9 fewer parameters (one 2 × 2 covariance instead of');
  report.say('four), and BIC rewards it. Round or axis-aligned clusters cannot follow the stretch.');
  return { ...report.output(), results, best };
}

await runIfMain(import.meta, run);
