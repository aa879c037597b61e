/**
 * The tour (`npm start`): the handbook's story on the bundled stretched blobs
 * (data/stretched-blobs.csv) — k-means versus a Gaussian mixture, soft
 * assignment and uncertainty, choosing the number of components and the
 * covariance type by BIC, and new points drawn from the chosen model. Prints
 * a summary and writes its figures and model files to output/tour/ (or
 * `--out DIR`).
 *
 * Run: npm start   (or: npx tsx examples/tour.ts --out DIR)
 */
import {
  adjustedRandIndex,
  GaussianMixture,
  KMeans,
  plotClusters,
  plotCriteria,
  plotKMeans,
  plotSamples,
  plotSoftAssignment,
  selectModel,
  type CovarianceType,
} from '../src/index.js';
import { loadDataset } from './lib/data.js';
import { moments } from './04-moons-density.js';
import { fixed, Report, runIfMain, type ExampleOutput } from './lib/report.js';

/** What the tour found, for its test. */
export interface TourResult extends ExampleOutput {
  /** Adjusted Rand index against the true clusters: k-means and the full-covariance mixture, k = 4. */
  ari: { kmeans: number; gmm: number };
  /** Points with uncertainty above 0.1 under the mixture. */
  uncertain: number;
  /** The (k, covariance type) with the lowest BIC, and its ARI. */
  best: { k: number; type: CovarianceType; bic: number; ari: number };
  /** Means and standard deviations of the data and of 400 points drawn from the chosen model. */
  sampleCheck: { data: ReturnType<typeof moments>; samples: ReturnType<typeof moments> };
}

export async function tour(): Promise<TourResult> {
  const report = new Report();
  const { X, labels } = await loadDataset('stretched-blobs');
  const say = report.say.bind(report);
  say(`gmm tour: the Python Data Science Handbook's Gaussian-mixture story on data/stretched-blobs.csv`);
  say(`(${X.rows} points in 4 clusters, made round and then stretched by one linear map; the true cluster of each is known)`);
  say();

  // 1. k-means vs a Gaussian mixture.
  const kmeans = new KMeans({ nClusters: 4, seed: 0 }).fit(X);
  const gmm = new GaussianMixture({ nComponents: 4, covarianceType: 'full', seed: 0 }).fit(X, { featureNames: ['x', 'y'] });
  const ari = { kmeans: adjustedRandIndex(labels, kmeans.labels), gmm: adjustedRandIndex(labels, gmm.predict(X)) };
  say('1. k-means vs a Gaussian mixture, k = 4');
  report.table(
    ['method', 'clusters are', 'agreement with the truth (adjusted Rand index)'],
    [
      ['k-means', 'round (nearest center)', fixed(ari.kmeans)],
      ['Gaussian mixture, full covariances', 'ellipses', fixed(ari.gmm)],
    ],
  );
  say('   k-means cuts the stretched clusters across; the mixture follows their shape.');
  say();
  report.file('1-kmeans.svg', plotKMeans(kmeans, X, { title: 'k-means, k = 4: round clusters cut the stretched blobs' }));
  report.file(
    '1-gmm.svg',
    plotClusters(gmm, X, { equalAspect: true, title: 'Gaussian mixture, k = 4: one ellipse per cluster' }),
  );

  // 2. Soft assignment.
  const proba = gmm.predictProba(X).data;
  const uncertainty = gmm.uncertainty(X);
  const unsure = Array.from(uncertainty.keys())
    .sort((a, b) => uncertainty[b]! - uncertainty[a]!)
    .slice(0, 5);
  const uncertain = uncertainty.filter((u) => u > 0.1).length;
  say(`2. Soft assignment: every point gets the probability of each cluster. ${uncertain} points have uncertainty > 0.1;`);
  say('   the five least certain, all between two clusters:');
  report.table(
    ['row', 'x', 'y', 'P(0)', 'P(1)', 'P(2)', 'P(3)', 'uncertainty'],
    unsure.map((i) => [
      i,
      fixed(X.data[2 * i]!, 2),
      fixed(X.data[2 * i + 1]!, 2),
      ...Array.from(proba.subarray(4 * i, 4 * i + 4), (p) => fixed(p)),
      fixed(uncertainty[i]!),
    ]),
  );
  say();
  report.file(
    '2-soft-assignment.svg',
    plotSoftAssignment(gmm, X, { equalAspect: true, title: 'Soft assignment: uncertain points ringed' }),
  );

  // 3. Choosing k and the covariance type by BIC.
  const selection = selectModel(X, { nComponents: [1, 2, 3, 4, 5, 6, 7, 8], seed: 0, featureNames: ['x', 'y'] });
  const { best: cell, model: chosen } = selection;
  const types: CovarianceType[] = ['full', 'tied', 'diag', 'spherical'];
  say('3. How many components, which shapes? BIC for k = 1…8 and every covariance type (lower is better, best of 10 starts):');
  report.table(
    ['k', ...types],
    [1, 2, 3, 4, 5, 6, 7, 8].map((k) => [
      k,
      ...types.map((t) => {
        const r = selection.results.find((c) => c.nComponents === k && c.covarianceType === t)!;
        return `${fixed(r.bic, 1)}${r === cell ? ' *' : ''}`;
      }),
    ]),
  );
  const best = {
    k: cell.nComponents,
    type: cell.covarianceType,
    bic: cell.bic,
    ari: adjustedRandIndex(labels, chosen.predict(X)),
  };
  say(
    `   Chosen: k = ${best.k}, '${best.type}' (BIC ${fixed(best.bic, 1)}; adjusted Rand index ${fixed(best.ari)}). The blobs were stretched`,
  );
  say('   by one map, so they share one covariance: tied fits as well as full with fewer parameters.');
  say();
  report.file('3-bic.svg', plotCriteria(selection.results, { title: 'BIC by number of components and covariance type' }));
  report.file(
    '3-chosen.svg',
    plotClusters(chosen, X, { equalAspect: true, title: `The BIC choice: k = ${best.k}, ${best.type} covariance` }),
  );

  // 4. A density model generates new data.
  const drawn = chosen.sample(400, { seed: 1 });
  const sampleCheck = { data: moments(X), samples: moments(drawn.X) };
  say('4. The chosen model is a density: 400 new points drawn from it, against the data:');
  const row = (name: string, m: ReturnType<typeof moments>) => [
    name,
    ...m.mean.map((v) => fixed(v)),
    ...m.std.map((v) => fixed(v)),
    fixed(m.correlation),
  ];
  report.table(
    ['', 'mean x', 'mean y', 'std x', 'std y', 'correlation'],
    [row('data', sampleCheck.data), row('samples', sampleCheck.samples)],
  );
  say();
  report.file(
    '4-samples.svg',
    plotSamples(chosen, X, drawn, { equalAspect: true, title: '400 new points drawn from the chosen model' }),
  );

  report.file('model-full-k4.json', `${JSON.stringify(gmm, null, 2)}\n`);
  report.file(`model-best-${best.type}-k${best.k}.json`, `${JSON.stringify(chosen, null, 2)}\n`);
  say('The same from a shell, with the command line this package installs:');
  say('  npx gmm select data/stretched-blobs.csv --columns x,y --components 1-8 --covariance all -o best.json');
  say('  npx gmm predict best.json data/stretched-blobs.csv --proba');
  say('  npx gmm plot best.json data/stretched-blobs.csv --kind proba -o soft.svg');
  report.file('summary.txt', `${report.output().text}\n`);
  return { ...report.output(), ari, uncertain, best, sampleCheck };
}

await runIfMain(import.meta, tour);
