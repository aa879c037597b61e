/**
 * Example 2 — soft assignment and uncertainty: a Gaussian mixture gives every
 * point the probability of each cluster (`predictProba`), so it can say which
 * points it is unsure of: those between two clusters.
 *
 * Run: npx tsx examples/02-soft-assignment.ts [--out DIR]
 */
import { GaussianMixture, plotSoftAssignment, plotUncertainty } from '../src/index.js';
import { loadDataset } from './lib/data.js';
import { fixed, Report, runIfMain, type ExampleOutput } from './lib/report.js';

/** The uncertain points and where they lie. */
export interface SoftAssignment extends ExampleOutput {
  /** Rows whose uncertainty (1 − largest probability) exceeds 0.1. */
  uncertain: number[];
  /**
   * For each uncertain point, where it projects on the segment from its most
   * likely component's mean (0) to its second's (1).
   */
  between: number[];
  /** Largest probability of every point. */
  confidence: Float64Array;
}

export async function run(): Promise<SoftAssignment> {
  const report = new Report();
  const { X } = await loadDataset('blobs');
  const k = 4;
  const model = new GaussianMixture({ nComponents: k, covarianceType: 'full', seed: 0 }).fit(X);
  const proba = model.predictProba(X).data;
  const uncertainty = model.uncertainty(X);
  const means = model.means.data;
  const d = X.cols;
  const order = (i: number) => Array.from({ length: k }, (_, j) => j).sort((a, b) => proba[i * k + b]! - proba[i * k + a]!);

  report.say('Example 2 — soft assignment: the probability of each cluster for every point (data/blobs.csv, k = 4)');
  report.say('The first five points:');
  report.table(
    ['row', ...Array.from({ length: k }, (_, j) => `P(${j})`)],
    Array.from({ length: 5 }, (_, i) => [i, ...Array.from({ length: k }, (_, j) => fixed(proba[i * k + j]!))]),
  );
  report.say();

  const uncertain = Array.from(uncertainty.keys()).filter((i) => uncertainty[i]! > 0.1);
  const between = uncertain.map((i) => {
    const [a, b] = order(i);
    let dot = 0;
    let norm = 0;
    for (let c = 0; c < d; c++) {
      const seg = means[b! * d + c]! - means[a! * d + c]!;
      dot += (X.data[i * d + c]! - means[a! * d + c]!) * seg;
      norm += seg * seg;
    }
    return dot / norm;
  });
  report.say(`${uncertain.length} of ${X.rows} points have uncertainty > 0.1 (1 − largest probability). Each lies between`);
  report.say('its two most likely clusters: on the segment between their means, at (0 = the first mean, 1 = the second):');
  report.table(
    ['row', 'x', 'y', 'most likely', 'P', 'second', 'P', 'position'],
    uncertain.map((i, u) => {
      const [a, b] = order(i);
      return [
        i,
        fixed(X.data[i * d]!, 2),
        fixed(X.data[i * d + 1]!, 2),
        a!,
        fixed(proba[i * k + a!]!),
        b!,
        fixed(proba[i * k + b!]!),
        fixed(between[u]!, 2),
      ];
    }),
  );
  report.say();
  const confidence = Float64Array.from(uncertainty, (u) => 1 - u);
  const sure = confidence.filter((c) => c > 0.99).length;
  report.say(`${sure} points (${fixed((100 * sure) / X.rows, 1)}%) belong to one cluster with probability above 0.99.`);
  report.file('soft-assignment.svg', plotSoftAssignment(model, X, { equalAspect: true, title: 'Soft assignment on the blobs' }));
  report.file('uncertainty.svg', plotUncertainty(model, X, { equalAspect: true }));
  return { ...report.output(), uncertain, between, confidence };
}

await runIfMain(import.meta, run);
