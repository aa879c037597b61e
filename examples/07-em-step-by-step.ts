/**
 * Example 7 — EM step by step in one dimension (after Carrasco, "Gaussian
 * Mixture Models Explained"): three Gaussians, a rough start (means at three
 * random data points, variances 1, equal weights), then one E-step and one
 * M-step at a time, printing the parameters after each iteration. The
 * log-likelihood never decreases.
 *
 * Run: npx tsx examples/07-em-step-by-step.ts [--out DIR]
 */
import { GaussianMixture, matrix, plotDensity1D, Random, type EMSnapshot } from '../src/index.js';
import { fixed, Report, runIfMain, type ExampleOutput } from './lib/report.js';

/** The truth, the data and EM's path. */
export interface StepByStep extends ExampleOutput {
  /** Means, variances and weights the data were drawn from. */
  truth: { means: number[]; variances: number[]; weights: number[] };
  /** The snapshots of EM, from the start to convergence. */
  snapshots: EMSnapshot[];
}

/** 100 points from each of N(−5, 1.2), N(5, 1.8) and N(0, 1.6) (variances), shuffled; seeded. */
export function threeGaussians(seed = 7): { x: number[]; truth: StepByStep['truth'] } {
  const truth = { means: [-5, 5, 0], variances: [1.2, 1.8, 1.6], weights: [1 / 3, 1 / 3, 1 / 3] };
  const rng = new Random(seed);
  const x = truth.means.flatMap((m, j) => Array.from({ length: 100 }, () => m + Math.sqrt(truth.variances[j]!) * rng.normal()));
  for (let i = x.length - 1; i > 0; i--) {
    const r = rng.integer(i + 1);
    [x[i], x[r]] = [x[r]!, x[i]!];
  }
  return { x, truth };
}

export async function run(): Promise<StepByStep> {
  const report = new Report();
  const { x, truth } = threeGaussians();
  const X = matrix(x.length, 1, Float64Array.from(x));
  // The article's start: three data points as means, unit variances, equal weights.
  const rng = new Random(3);
  const starts = [rng.integer(x.length), rng.integer(x.length), rng.integer(x.length)];
  const gm = new GaussianMixture({
    nComponents: 3,
    covarianceType: 'full',
    tol: 1e-6,
    weightsInit: [1 / 3, 1 / 3, 1 / 3],
    meansInit: starts.map((i) => [x[i]!]),
    precisionsInit: [[[1]], [[1]], [[1]]],
  });
  const snapshots = [...gm.iterate(X)];

  report.say(`Example 7 — EM step by step on ${x.length} points from three 1-D Gaussians`);
  report.say(
    `Truth: means ${truth.means.join(', ')}; variances ${truth.variances.join(', ')}; weights 1/3 each. Start: means at rows ${starts.join(', ')}, variances 1.`,
  );
  const params = (s: EMSnapshot) => {
    const order = [0, 1, 2].sort((a, b) => s.model.means.data[a]! - s.model.means.data[b]!);
    return order.map(
      (j) =>
        `${fixed(s.model.weights[j]!, 2)} N(${fixed(s.model.means.data[j]!, 2)}, ${fixed(s.model.componentCovariance(j).data[0]!, 2)})`,
    );
  };
  report.table(
    ['iteration', 'log-likelihood per point', 'component 1: π N(μ, σ²)', 'component 2', 'component 3'],
    snapshots.map((s) => [s.iteration, fixed(s.logLikelihood, 4), ...params(s)]),
  );
  const last = snapshots.at(-1)!;
  report.say();
  report.say(`Converged after ${last.iteration} iterations (change of the log-likelihood below 1e-6).`);
  const shown = [0, 1, 3, last.iteration].filter((t, i, a) => a.indexOf(t) === i && t <= last.iteration);
  report.file(
    'em-1d.svg',
    plotDensity1D(
      X,
      shown.map((t) => ({ label: `iteration ${t}`, model: snapshots[t]!.model })),
      { title: 'EM on three 1-D Gaussians: the mixture density as it converges', bins: 40 },
    ),
  );
  return { ...report.output(), truth, snapshots };
}

await runIfMain(import.meta, run);
