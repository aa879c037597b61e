/**
 * Example 8 — conditioning a mixture, and regression with it (GMR). A mixture
 * fitted on the joint [x, y] gives p(y | x) in closed form, a mixture itself:
 * its mean is a smooth nonlinear regression and its spread a band that
 * follows the noise. Then the same operation on iris: given a flower's petals,
 * which species, and what sepals?
 *
 * Run: npx tsx examples/08-regression.ts [--out DIR]
 */
import { GaussianMixture, GaussianMixtureRegressor, plotRegression, Random } from '../src/index.js';
import { loadDataset } from './lib/data.js';
import { fixed, Report, runIfMain, type ExampleOutput } from './lib/report.js';

/** What the example measured. */
export interface RegressionExample extends ExampleOutput {
  /** The noise's standard deviation. */
  noise: number;
  /** Per number of components: RMSE of E[y | x] against sin x (on a grid), RMSE of the residuals, median sd[y | x]. */
  fits: { k: number; curve: number; residual: number; sd: number }[];
  /** Iris given petal length 4.9 and width 1.6: each species' weight, and the expected sepals. */
  iris: { weights: Record<string, number>; sepals: [number, number] };
}

/** n points x ~ U(0, 2π), y = sin x + noise·N(0, 1) from the project's seeded generator. */
export function noisySine(n: number, noise: number, seed: number): { x: number[][]; y: number[] } {
  const rng = new Random(seed);
  const x: number[][] = [];
  const y: number[] = [];
  for (let i = 0; i < n; i++) {
    const u = 2 * Math.PI * rng.uniform();
    x.push([u]);
    y.push(Math.sin(u) + noise * rng.normal());
  }
  return { x, y };
}

export async function run(): Promise<RegressionExample> {
  const report = new Report();
  const noise = 0.2;
  const { x, y } = noisySine(5000, noise, 7);
  const grid = Array.from({ length: 200 }, (_, i) => [(2 * Math.PI * i) / 199]);
  const fits: RegressionExample['fits'] = [];
  let best;
  for (const k of [1, 2, 4, 10]) {
    const gmr = new GaussianMixtureRegressor({ nComponents: k, seed: 0 }).fit(x, y);
    const { mean, covariance } = gmr.predictDistribution(grid);
    let curve = 0;
    for (let i = 0; i < grid.length; i++) curve += (mean.data[i]! - Math.sin(grid[i]![0]!)) ** 2;
    const fitted = gmr.predict(x);
    let residual = 0;
    for (let i = 0; i < x.length; i++) residual += (fitted.data[i]! - y[i]!) ** 2;
    const sds = Array.from(covariance, Math.sqrt).sort((a, b) => a - b);
    fits.push({
      k,
      curve: Math.sqrt(curve / grid.length),
      residual: Math.sqrt(residual / x.length),
      sd: sds[sds.length >> 1]!,
    });
    best = gmr;
  }
  report.say(`Example 8 — Gaussian mixture regression of y = sin x + noise (5000 points, noise sd ${noise})`);
  report.table(
    ['components', 'RMSE against sin x', 'RMSE of residuals', 'median sd[y | x]'],
    fits.map((f) => [f.k, fixed(f.curve), fixed(f.residual), fixed(f.sd)]),
  );
  report.file(
    'sine-regression.svg',
    plotRegression(best!, x, y, {
      reference: { label: 'sin x', f: Math.sin },
      maxPoints: 1500,
      title: 'E[y | x] ± 2 sd from 10 Gaussians on [x, y]',
    }),
  );

  const { X, featureNames, labels, classes } = await loadDataset('iris');
  const model = new GaussianMixture({ nComponents: 3, seed: 0 }).fit(X, { featureNames });
  // Name each component by the species most of its points belong to.
  const assigned = model.predict(X);
  const speciesOf = Array.from({ length: 3 }, (_, j) => {
    const counts = [0, 0, 0];
    for (let i = 0; i < X.rows; i++) if (assigned[i] === j) counts[labels[i]!]!++;
    return classes[counts.indexOf(Math.max(...counts))]!;
  });
  const given = model.condition(['petal_length', 'petal_width'], [4.9, 1.6]);
  const weights: Record<string, number> = {};
  const sepals: [number, number] = [0, 0];
  for (let j = 0; j < 3; j++) {
    weights[speciesOf[j]!] = given.weights[j]!;
    const mean = given.componentMean(j);
    sepals[0] += given.weights[j]! * mean[0]!;
    sepals[1] += given.weights[j]! * mean[1]!;
  }
  report.say();
  report.say('Iris, 3 full components: given petal_length 4.9 and petal_width 1.6 (model.condition),');
  report.table(
    ['component (its species)', 'weight'],
    speciesOf.map((s) => [s, fixed(weights[s]!, 4)]),
  );
  report.say(`expected sepal_length ${fixed(sepals[0])}, sepal_width ${fixed(sepals[1])}`);
  return { ...report.output(), noise, fits, iris: { weights, sepals } };
}

await runIfMain(import.meta, run);
