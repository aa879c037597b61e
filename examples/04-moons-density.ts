/**
 * Example 4 — a mixture as a density model (Python Data Science Handbook
 * §5.12): two interleaved half-moons are not two Gaussians, but sixteen
 * Gaussians together model their density well, and points drawn from that
 * density look like moons.
 *
 * Run: npx tsx examples/04-moons-density.ts [--out DIR]
 */
import { GaussianMixture, plotClusters, plotDensity, plotSamples, type Matrix } from '../src/index.js';
import { loadDataset } from './lib/data.js';
import { fixed, Report, runIfMain, type ExampleOutput } from './lib/report.js';

/** Column means, standard deviations and the correlation of 2-D points. */
export interface Moments {
  mean: [number, number];
  std: [number, number];
  correlation: number;
}

/** What the example measured. */
export interface MoonsDensity extends ExampleOutput {
  /** Mean log-likelihood per point of the 2- and 16-component mixtures. */
  score: { two: number; sixteen: number };
  data: Moments;
  samples: Moments;
  /** Mean distance from a point to its nearest data point: for the data themselves, for samples of each model. */
  nearest: { data: number; two: number; sixteen: number };
}

export function moments(X: Matrix): Moments {
  const n = X.rows;
  const m = [0, 0];
  for (let i = 0; i < n; i++) for (let c = 0; c < 2; c++) m[c]! += X.data[i * X.cols + c]! / n;
  let sxx = 0;
  let syy = 0;
  let sxy = 0;
  for (let i = 0; i < n; i++) {
    const dx = X.data[i * X.cols]! - m[0]!;
    const dy = X.data[i * X.cols + 1]! - m[1]!;
    sxx += dx * dx;
    syy += dy * dy;
    sxy += dx * dy;
  }
  return {
    mean: [m[0]!, m[1]!],
    std: [Math.sqrt(sxx / (n - 1)), Math.sqrt(syy / (n - 1))],
    correlation: sxy / Math.sqrt(sxx * syy),
  };
}

/** Mean over the rows of `points` of the distance to the nearest row of `X` (other than itself when `points` is `X`). */
function meanNearest(points: Matrix, X: Matrix): number {
  let total = 0;
  for (let i = 0; i < points.rows; i++) {
    let best = Infinity;
    for (let r = 0; r < X.rows; r++) {
      if (points === X && r === i) continue;
      const dist = Math.hypot(points.data[i * 2]! - X.data[r * 2]!, points.data[i * 2 + 1]! - X.data[r * 2 + 1]!);
      if (dist < best) best = dist;
    }
    total += best;
  }
  return total / points.rows;
}

export async function run(): Promise<MoonsDensity> {
  const report = new Report();
  const { X } = await loadDataset('moons');
  const two = new GaussianMixture({ nComponents: 2, covarianceType: 'full', seed: 0 }).fit(X);
  const sixteen = new GaussianMixture({ nComponents: 16, covarianceType: 'full', seed: 0 }).fit(X);
  const fromTwo = two.sample(400, { seed: 1 });
  const fromSixteen = sixteen.sample(400, { seed: 1 });
  const score = { two: two.score(X), sixteen: sixteen.score(X) };
  const data = moments(X);
  const samples = moments(fromSixteen.X);
  const nearest = { data: meanNearest(X, X), two: meanNearest(fromTwo.X, X), sixteen: meanNearest(fromSixteen.X, X) };

  report.say(`Example 4 — density estimation on two half-moons (data/moons.csv, ${X.rows} points)`);
  report.table(
    ['model', 'log-likelihood per point', 'BIC'],
    [
      ['2 full components', fixed(score.two), fixed(two.bic(X), 1)],
      ['16 full components', fixed(score.sixteen), fixed(sixteen.bic(X), 1)],
    ],
  );
  report.say();
  report.say('400 points drawn from the 16-component mixture against the data:');
  const row = (name: string, m: Moments) => [
    name,
    ...m.mean.map((v) => fixed(v)),
    ...m.std.map((v) => fixed(v)),
    fixed(m.correlation),
  ];
  report.table(['', 'mean x', 'mean y', 'std x', 'std y', 'correlation'], [row('data', data), row('samples', samples)]);
  report.say();
  report.say('Do the samples lie on the moons? Mean distance to the nearest data point:');
  report.table(
    ['points', 'distance'],
    [
      ['data (to the nearest other data point)', fixed(nearest.data)],
      ['400 samples of the 16-component mixture', fixed(nearest.sixteen)],
      ['400 samples of the 2-component mixture', fixed(nearest.two)],
    ],
  );
  report.file('moons-2-components.svg', plotClusters(two, X, { equalAspect: true, title: 'Two Gaussians do not fit two moons' }));
  report.file(
    'moons-16-components.svg',
    plotClusters(sixteen, X, { equalAspect: true, title: 'Sixteen Gaussians tile the moons' }),
  );
  report.file('moons-density.svg', plotDensity(sixteen, X, { equalAspect: true, levels: 12 }));
  report.file(
    'moons-samples.svg',
    plotSamples(sixteen, X, fromSixteen, { equalAspect: true, title: '400 new points drawn from the 16-component mixture' }),
  );
  return { ...report.output(), score, data, samples, nearest };
}

await runIfMain(import.meta, run);
