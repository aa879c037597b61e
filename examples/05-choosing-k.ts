/**
 * Example 5 — choosing the number of components (Python Data Science
 * Handbook §5.12): fit 1 to 20 full-covariance components to the moons and
 * score each by BIC and AIC (lower is better). BIC's penalty grows with
 * ln n, AIC's does not, so AIC favours more components.
 *
 * Run: npx tsx examples/05-choosing-k.ts [--out DIR]
 */
import { plotCriteria, selectModel, type SelectionResult } from '../src/index.js';
import { loadDataset } from './lib/data.js';
import { fixed, Report, runIfMain, type ExampleOutput } from './lib/report.js';

/** The curves and their minima. */
export interface ChoosingK extends ExampleOutput {
  results: readonly SelectionResult[];
  bestBic: number;
  bestAic: number;
}

export async function run(): Promise<ChoosingK> {
  const report = new Report();
  const { X } = await loadDataset('moons');
  const ks = Array.from({ length: 20 }, (_, i) => i + 1);
  const { results } = selectModel(X, { nComponents: ks, covarianceTypes: ['full'], seed: 0 });
  const argmin = (key: 'bic' | 'aic') => results.reduce((a, b) => (b[key] < a[key] ? b : a)).nComponents;
  const bestBic = argmin('bic');
  const bestAic = argmin('aic');
  report.say(
    `Example 5 — BIC and AIC against the number of components (data/moons.csv, full covariances, best of 10 starts each)`,
  );
  report.table(
    ['k', 'parameters', 'log-likelihood', 'BIC', 'AIC'],
    results.map((r) => [
      r.nComponents,
      r.nParameters,
      fixed(r.logLikelihood, 1),
      `${fixed(r.bic, 1)}${r.nComponents === bestBic ? ' *' : ''}`,
      `${fixed(r.aic, 1)}${r.nComponents === bestAic ? ' *' : ''}`,
    ]),
  );
  report.say();
  report.say(`Lowest BIC: k = ${bestBic}. Lowest AIC: k = ${bestAic}. Each component adds 6 parameters; BIC charges`);
  report.say(`ln ${X.rows} ≈ ${fixed(Math.log(X.rows), 1)} per parameter, AIC 2, so AIC keeps more components for density`);
  const minAic = Math.min(...results.map((r) => r.aic));
  const near = results.filter((r) => r.aic - minAic < 10).map((r) => r.nComponents);
  report.say(`estimation. AIC is nearly flat near its minimum (within 10 of it for k = ${near.join(', ')}): for drawing new`);
  report.say('points any of these does; to count clusters, BIC is the usual choice.');
  report.file(
    'moons-bic-aic.svg',
    plotCriteria(results, { criteria: ['bic', 'aic'], title: 'Choosing k on the moons: BIC and AIC' }),
  );
  return { ...report.output(), results, bestBic, bestAic };
}

await runIfMain(import.meta, run);
