/**
 * Example 10 — the Bayesian mixture: let the data choose k. Ten components
 * fitted by maximum likelihood use all ten; fitted by variational inference
 * under a Dirichlet-process prior, the components the data do not need are
 * emptied, leaving the four true clusters — no grid of fits and no BIC. Then
 * how the prior's concentration moves that number, for both weight priors.
 *
 * Run: npx tsx examples/10-bayesian.ts [--out DIR]
 */
import {
  adjustedRandIndex,
  BayesianGaussianMixture,
  GaussianMixture,
  plotClusters,
  plotWeights,
  selectModel,
  type WeightConcentrationPriorType,
} from '../src/index.js';
import { loadDataset } from './lib/data.js';
import { fixed, Report, runIfMain, type ExampleOutput } from './lib/report.js';

/** Components of weight at least this count as used. */
const USED = 0.01;

/** What the example measured. */
export interface BayesianExample extends ExampleOutput {
  /** Per fit of 10 components: components of weight ≥ 0.01, smallest weight, ARI against the true labels. */
  fits: { name: string; used: number; smallest: number; ari: number }[];
  /** The number of components BIC chooses over k = 1..10 (full). */
  bicK: number;
  /** Per weight prior and concentration: components of weight ≥ 0.01. */
  concentration: { type: WeightConcentrationPriorType; prior: number; used: number }[];
}

export async function run(): Promise<BayesianExample> {
  const report = new Report();
  const { X, labels } = await loadDataset('blobs');
  const k = 10;
  const ml = new GaussianMixture({ nComponents: k, seed: 0 }).fit(X);
  const dp = new BayesianGaussianMixture({ nComponents: k, maxIter: 500, seed: 0 }).fit(X);
  const dd = new BayesianGaussianMixture({
    nComponents: k,
    weightConcentrationPriorType: 'dirichlet_distribution',
    maxIter: 500,
    seed: 0,
  }).fit(X);
  const models = [
    { name: 'maximum likelihood (GaussianMixture)', model: ml },
    { name: 'Dirichlet process, γ₀ = 1/k', model: dp },
    { name: 'Dirichlet distribution, α₀ = 1/k', model: dd },
  ];
  const fits = models.map(({ name, model }) => ({
    name,
    used: model.weights.filter((w) => w >= USED).length,
    smallest: Math.min(...model.weights),
    ari: adjustedRandIndex(labels, model.predict(X)),
  }));
  const bicK = selectModel(X, { nComponents: Array.from({ length: 10 }, (_, i) => i + 1), covarianceTypes: ['full'], seed: 0 })
    .best.nComponents;

  report.say(`Example 10 — ${k} full components on data/blobs.csv (400 points, 4 true clusters)`);
  report.table(
    ['fit', `weights ≥ ${USED}`, 'smallest weight', 'ARI'],
    fits.map((f) => [f.name, f.used, f.smallest.toExponential(1), fixed(f.ari, 3)]),
  );
  report.say(`BIC over k = 1..10 (full, 10 starts each) chooses k = ${bicK}.`);
  report.file(
    'weights.svg',
    plotWeights(
      models.map(({ name, model }) => ({ label: name.replace(/ \(.*| = .*|, .*/, ''), weights: model.weights })),
      { threshold: USED, title: `The weights of ${k} components: which ones the fit uses` },
    ),
  );
  report.file(
    'clusters.svg',
    plotClusters(dp, X, {
      minWeight: USED,
      equalAspect: true,
      title: `Dirichlet-process mixture of ${k}: the components it uses`,
    }),
  );

  const priors = [1e-3, 1e-2, 1e-1, 1, 10, 100, 1000];
  const concentration: BayesianExample['concentration'] = [];
  for (const type of ['dirichlet_process', 'dirichlet_distribution'] as const) {
    for (const prior of priors) {
      const model = new BayesianGaussianMixture({
        nComponents: k,
        weightConcentrationPriorType: type,
        weightConcentrationPrior: prior,
        maxIter: 500,
        seed: 0,
      }).fit(X);
      concentration.push({ type, prior, used: model.weights.filter((w) => w >= USED).length });
    }
  }
  report.say();
  report.say(`Components of weight ≥ ${USED} against the weight prior's concentration (${k} full components):`);
  report.table(
    ['concentration', ...priors.map(String)],
    (['dirichlet_process', 'dirichlet_distribution'] as const).map((type) => [
      type,
      ...concentration.filter((c) => c.type === type).map((c) => c.used),
    ]),
  );
  return { ...report.output(), fits, bicK, concentration };
}

await runIfMain(import.meta, run);
