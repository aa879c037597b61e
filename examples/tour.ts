/**
 * The tour (`npm start`): k-means versus a Gaussian mixture on Fisher's iris.
 *
 * k-means gives hard clusters with round boundaries; a Gaussian mixture gives
 * elliptical clusters and, for every flower, the probability of each cluster,
 * so it can say how sure it is. Then the mixture as a density model: choose
 * the number of components by BIC and draw new flowers from it.
 */
import { pathToFileURL } from 'node:url';
import { adjustedRandIndex, GaussianMixture, KMeans, type CovarianceType } from '../src/index.js';
import { loadIris } from './lib/iris.js';
import { fixed, table } from './lib/table.js';

/** What the tour found, for its test. */
export interface TourResult {
  /** The printed report. */
  text: string;
  /** Adjusted Rand index of k-means (k = 3) against the species. */
  kmeansAri: number;
  /** Adjusted Rand index of the full-covariance mixture (k = 3) against the species. */
  gmmAri: number;
  /** The (k, covariance type) with the lowest BIC. */
  best: { k: number; type: CovarianceType; bic: number };
}

/** Runs the tour and returns its report and numbers. */
export function tour(): TourResult {
  const iris = loadIris();
  const { X, labels: species } = iris;
  const out: string[] = [];
  const say = (line = ''): void => void out.push(line);

  /** Rows: species; columns: clusters; cells: counts. */
  function confusion(predicted: ArrayLike<number>, k: number): string {
    const rows = iris.species.map((name, s) => [
      name,
      ...Array.from({ length: k }, (_, c) => species.filter((t, i) => t === s && predicted[i] === c).length),
    ]);
    return table(['species', ...Array.from({ length: k }, (_, c) => `cluster ${c}`)], rows, '    ');
  }

  say(`gmm tour: k-means vs a Gaussian mixture on Fisher's iris (${X.length} flowers, ${iris.features.length} measurements)`);
  say();

  const kmeans = new KMeans({ nClusters: 3, seed: 0 }).fit(X);
  const kmeansAri = adjustedRandIndex(species, kmeans.labels);
  say('1. k-means, k = 3 (hard clusters, round boundaries)');
  say(
    `   inertia ${fixed(kmeans.inertia, 2)} after ${kmeans.nIter} iterations; adjusted Rand index vs species: ${fixed(kmeansAri)}`,
  );
  say(confusion(kmeans.labels, 3));
  say();

  const gmm = new GaussianMixture({ nComponents: 3, covarianceType: 'full', nInit: 5, seed: 0 }).fit(X, {
    featureNames: iris.features,
  });
  const gmmLabels = gmm.predict(X);
  const gmmAri = adjustedRandIndex(species, gmmLabels);
  say('2. Gaussian mixture, k = 3, full covariances (soft clusters, ellipses)');
  say(
    `   ${gmm.converged ? 'converged' : 'did not converge'} after ${gmm.nIter} EM iterations; ` +
      `log-likelihood per flower ${fixed(gmm.lowerBound)}; adjusted Rand index vs species: ${fixed(gmmAri)}`,
  );
  say(confusion(gmmLabels, 3));
  say(
    table(
      ['component', 'weight', ...iris.features.map((f) => `mean ${f}`)],
      Array.from({ length: 3 }, (_, j) => [
        j,
        fixed(gmm.weights[j]!),
        ...Array.from(gmm.means.data.subarray(j * 4, j * 4 + 4), (v) => fixed(v, 2)),
      ]),
      '    ',
    ),
  );
  say(`   convergence trace (lower bound per iteration): ${gmm.lowerBounds.map((v) => fixed(v)).join(' → ')}`);
  say();

  const proba = gmm.predictProba(X);
  const uncertainty = gmm.uncertainty(X);
  const unsure = Array.from(uncertainty.keys())
    .sort((a, b) => uncertainty[b]! - uncertainty[a]!)
    .slice(0, 6);
  say(
    `3. Soft assignment: the mixture knows which flowers it is unsure of (${Array.from(uncertainty).filter((u) => u > 0.1).length} with uncertainty > 0.1)`,
  );
  say(
    table(
      ['row', 'species', 'P(cluster 0)', 'P(cluster 1)', 'P(cluster 2)', 'uncertainty'],
      unsure.map((i) => [
        i,
        iris.species[species[i]!]!,
        ...Array.from(proba.data.subarray(i * 3, i * 3 + 3), (p) => fixed(p)),
        fixed(uncertainty[i]!),
      ]),
      '    ',
    ),
  );
  say();

  say('4. Choosing the number of components by BIC (lower is better)');
  const types: CovarianceType[] = ['full', 'tied', 'diag', 'spherical'];
  let best = { bic: Infinity, k: 0, type: 'full' as CovarianceType };
  const grid = [1, 2, 3, 4, 5, 6].map((k) => [
    k,
    ...types.map((covarianceType) => {
      const bic = new GaussianMixture({ nComponents: k, covarianceType, nInit: 5, seed: 0 }).fit(X).bic(X);
      if (bic < best.bic) best = { bic, k, type: covarianceType };
      return fixed(bic, 1);
    }),
  ]);
  say(table(['k', ...types.map((t) => `BIC ${t}`)], grid, '    '));
  say(
    `   best: k = ${best.k}, ${best.type} covariances (BIC ${fixed(best.bic, 1)}). BIC weighs fit against parameters; it need not find one component per species.`,
  );
  say();

  const { X: fresh, labels: from } = gmm.sample(5, { seed: 1 });
  say('5. A fitted mixture is a density model: five new flowers drawn from it');
  say(
    table(
      ['component', ...iris.features],
      Array.from({ length: 5 }, (_, i) => [from[i]!, ...Array.from(fresh.data.subarray(i * 4, i * 4 + 4), (v) => fixed(v, 2))]),
      '    ',
    ),
  );
  say();
  say(`Summary: adjusted Rand index vs species — k-means ${fixed(kmeansAri)}, Gaussian mixture ${fixed(gmmAri)}.`);

  return { text: out.join('\n'), kmeansAri, gmmAri, best };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) console.log(tour().text);
