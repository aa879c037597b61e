/**
 * Example 12 — mclust's noise component and its conjugate prior. The
 * stretched blobs with 80 points scattered uniformly over their box: without
 * a noise component the Gaussians stretch to cover the scattered points;
 * with one (`noise: true`) the scattered points go to the noise and the
 * Gaussians keep the blobs' shapes. Then a fit that collapses by maximum
 * likelihood (iris, VEE with 5 components from mclust's start) and the same
 * fit with the prior (`prior: true`).
 *
 * Run: npx tsx examples/12-noise-and-prior.ts [--out DIR]
 */
import { adjustedRandIndex, GaussianMixture, GaussianMixtureModel, matrix, plotClusters, Random } from '../src/index.js';
import { loadDataset } from './lib/data.js';
import { fixed, Report, runIfMain, type ExampleOutput } from './lib/report.js';

/** Scattered points added to the blobs. */
const SCATTERED = 80;

/** What the example measured. */
export interface NoiseAndPrior extends ExampleOutput {
  /** ARI of the blob rows' clusters against their labels, without and with the noise component. */
  ari: { without: number; with: number };
  /** Of the scattered rows, how many the noise component takes; of the blob rows, how many. */
  noiseRows: { scattered: number; blobs: number };
  /** The noise component's fitted weight (the scattered rows are 80 / 480 = 0.167 of the data). */
  noiseWeight: number;
  /** iris, VEE, 5 components from mclust's start: the error without the prior, the BIC (mclust's sign) with it. */
  prior: { withoutError: string; bicMclust: number; converged: boolean };
}

export async function run(): Promise<NoiseAndPrior> {
  const report = new Report();
  const { X: blobs, labels } = await loadDataset('stretched-blobs');
  const n = blobs.rows;
  // Uniform points over the blobs' bounding box, seeded.
  const low = [Infinity, Infinity];
  const high = [-Infinity, -Infinity];
  for (let i = 0; i < n; i++) {
    for (let a = 0; a < 2; a++) {
      low[a] = Math.min(low[a]!, blobs.data[i * 2 + a]!);
      high[a] = Math.max(high[a]!, blobs.data[i * 2 + a]!);
    }
  }
  const rng = new Random(12);
  const data = new Float64Array((n + SCATTERED) * 2);
  data.set(blobs.data);
  for (let i = n; i < n + SCATTERED; i++)
    for (let a = 0; a < 2; a++) data[i * 2 + a] = low[a]! + (high[a]! - low[a]!) * rng.uniform();
  const X = matrix(n + SCATTERED, 2, data);
  const k = new Set(labels).size;

  const plain = new GaussianMixture({ nComponents: k, nInit: 3, seed: 0 }).fit(X);
  const noisy = new GaussianMixture({ nComponents: k, nInit: 3, seed: 0, noise: true }).fit(X);
  const blobLabels = (model: GaussianMixtureModel) => model.predict(X).subarray(0, n);
  const noiseLabels = noisy.predict(X);
  const ari = {
    without: adjustedRandIndex(labels, blobLabels(plain)),
    // The blob rows the noise took count as a cluster of their own: the ARI pays for them.
    with: adjustedRandIndex(labels, blobLabels(noisy)),
  };
  const noiseRows = {
    scattered: Array.from(noiseLabels.subarray(n)).filter((l) => l === -1).length,
    blobs: Array.from(noiseLabels.subarray(0, n)).filter((l) => l === -1).length,
  };
  report.say(`Example 12 — mclust’s noise component and its conjugate prior`);
  report.say();
  report.say(`Stretched blobs (data/stretched-blobs.csv, ${n} rows) with ${SCATTERED} rows scattered uniformly over their box:`);
  report.table(
    ['', 'ARI of the blob rows', 'scattered rows in the noise', 'blob rows in the noise', 'noise weight'],
    [
      ['without noise', fixed(ari.without, 3), '—', '—', '—'],
      [
        'noise: true',
        fixed(ari.with, 3),
        `${noiseRows.scattered} of ${SCATTERED}`,
        `${noiseRows.blobs} of ${n}`,
        fixed(noisy.noise!.weight, 3),
      ],
    ],
  );
  report.file(
    'without-noise.svg',
    plotClusters(plain, X, { equalAspect: true, title: 'No noise component: the scattered points stretch the Gaussians' }),
  );
  report.file(
    'with-noise.svg',
    plotClusters(noisy, X, {
      equalAspect: true,
      title: 'A noise component (grey): the Gaussians keep the blobs’ shapes',
    }),
  );

  const { X: iris } = await loadDataset('iris');
  const options = { nComponents: 5, covarianceType: 'VEE', regCovar: 0, initParams: 'hc' } as const;
  let withoutError = '';
  try {
    new GaussianMixture(options).fit(iris);
  } catch (e) {
    withoutError = (e as Error).message;
  }
  const map = new GaussianMixture({ ...options, prior: true }).fit(iris);
  const bicMclust = -map.bic(iris);
  report.say();
  report.say('iris, VEE with 5 components from mclust’s hierarchical start, no regularization:');
  report.say(`  maximum likelihood: ${withoutError.split(':')[0]}`);
  report.say(`  with prior: true (mclust’s priorControl()): converged, BIC ${fixed(bicMclust, 2)} in mclust’s sign`);
  return {
    ...report.output(),
    ari,
    noiseRows,
    noiseWeight: noisy.noise!.weight,
    prior: { withoutError, bicMclust, converged: map.converged },
  };
}

await runIfMain(import.meta, run);
