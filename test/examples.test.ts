import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { run as kmeansVsGmm } from '../examples/01-kmeans-vs-gmm.js';
import { run as softAssignment } from '../examples/02-soft-assignment.js';
import { run as covarianceTypes } from '../examples/03-covariance-types.js';
import { run as moonsDensity } from '../examples/04-moons-density.js';
import { run as choosingK } from '../examples/05-choosing-k.js';
import { run as digits } from '../examples/06-digits.js';
import { run as emStepByStep } from '../examples/07-em-step-by-step.js';
import { run as regression } from '../examples/08-regression.js';
import { run as missingValues } from '../examples/09-missing-values.js';
import { run as bayesian } from '../examples/10-bayesian.js';
import { run as mclustModels } from '../examples/11-mclust-models.js';
import { run as noiseAndPrior } from '../examples/12-noise-and-prior.js';
import type { ExampleOutput } from '../examples/lib/report.js';
import { expectCommittedFigure } from './helpers/figures.js';

/** scikit-learn's numbers on the same bundled data (test/fixtures/handbook/generate.py). */
const sklearn = JSON.parse(readFileSync(new URL('./fixtures/handbook/sklearn.json', import.meta.url), 'utf8')) as {
  ari: Record<'blobs' | 'stretched', { kmeans: number; gmm: number }>;
  covarianceBic: Record<'spherical' | 'diag' | 'tied' | 'full', number>;
  moons: { bic: number[]; aic: number[] };
  digits: { dimensions: number; explainedVariance: number };
};

/** Every figure an example drew is the one committed under docs/figures/NAME/. */
function expectFigures(name: string, output: ExampleOutput, count: number): void {
  const svgs = Object.entries(output.files).filter(([file]) => file.endsWith('.svg'));
  expect(svgs).toHaveLength(count);
  for (const [file, svg] of svgs) {
    expect(svg).not.toMatch(/NaN|undefined|Infinity/);
    expectCommittedFigure(svg, `${name}/${file}`);
  }
}

describe('example 1: k-means vs GMM on blobs and stretched blobs', async () => {
  const result = await kmeansVsGmm();
  it('both recover round blobs; on stretched blobs only the mixture does', () => {
    expect(result.blobs.kmeans).toBeGreaterThan(0.95);
    expect(result.blobs.gmm).toBeGreaterThan(0.95);
    expect(result.stretched.kmeans).toBeCloseTo(0.8131, 3);
    expect(result.stretched.gmm).toBeCloseTo(0.9866, 3);
    expect(result.stretched.gmm - result.stretched.kmeans).toBeGreaterThan(0.15);
    // scikit-learn finds the same mixture (same partition); its k-means too is well below the mixture.
    expect(result.stretched.gmm).toBeCloseTo(sklearn.ari.stretched.gmm, 6);
    expect(sklearn.ari.stretched.gmm - sklearn.ari.stretched.kmeans).toBeGreaterThan(0.15);
    expect(result.text).toMatch(/data\/stretched-blobs\.csv \(400 points\)\s+0\.813\s+0\.987/);
  });
  it('draws the committed figures', () => expectFigures('01-kmeans-vs-gmm', result, 3));
});

describe('example 2: soft assignment', async () => {
  const result = await softAssignment();
  it('finds the points between clusters and gives them intermediate probabilities', () => {
    expect(result.uncertain).toEqual([0, 120, 224, 353, 385, 398]);
    for (const t of result.between) {
      expect(t).toBeGreaterThan(0.3);
      expect(t).toBeLessThan(0.7);
    }
    for (const i of result.uncertain) expect(result.confidence[i]).toBeLessThan(0.9);
    expect(result.confidence.filter((c) => c > 0.99).length).toBe(381);
  });
  it('draws the committed figures', () => expectFigures('02-soft-assignment', result, 2));
});

describe('example 3: covariance types', async () => {
  const result = await covarianceTypes();
  it('has the BIC of scikit-learn for every type, and picks tied', () => {
    for (const r of result.results) expect(r.bic).toBeCloseTo(sklearn.covarianceBic[r.type], 2);
    expect(result.best).toBe('tied');
    expect(result.results.map((r) => r.nParameters)).toEqual([15, 19, 14, 23]);
  });
  it('draws the committed figures', () => expectFigures('03-covariance-types', result, 4));
});

describe('example 4: density of the moons', async () => {
  const result = await moonsDensity();
  it('16 components model the density far better than 2', () => {
    expect(result.score.sixteen).toBeCloseTo(-0.1754, 3);
    expect(result.score.two).toBeCloseTo(-1.7092, 3);
  });
  it('samples have the moments of the data and lie on the moons', () => {
    for (let c = 0; c < 2; c++) {
      expect(Math.abs(result.samples.mean[c]! - result.data.mean[c]!)).toBeLessThan(0.05);
      expect(Math.abs(result.samples.std[c]! / result.data.std[c]! - 1)).toBeLessThan(0.06);
    }
    expect(Math.abs(result.samples.correlation - result.data.correlation)).toBeLessThan(0.03);
    // As close to the data as data points are to each other; the 2-component samples fall off the moons.
    expect(result.nearest.sixteen).toBeLessThan(1.2 * result.nearest.data);
    expect(result.nearest.two).toBeGreaterThan(3 * result.nearest.sixteen);
  });
  it('draws the committed figures', () => expectFigures('04-moons-density', result, 4));
});

describe('example 5: choosing k on the moons', async () => {
  const result = await choosingK();
  it('reports the minima of BIC and AIC', () => {
    expect(result.bestBic).toBe(6);
    expect(result.bestAic).toBe(16);
    expect(result.text).toContain('Lowest BIC: k = 6. Lowest AIC: k = 16.');
  });
  it('with 10 starts per k, is never worse than scikit-learn with one', () => {
    result.results.forEach((r, i) => {
      expect(r.bic).toBeLessThanOrEqual(sklearn.moons.bic[i]! + 0.01);
      expect(r.aic).toBeLessThanOrEqual(sklearn.moons.aic[i]! + 0.01);
    });
    // One component has a single optimum; two components, one that both find (to EM's tolerance).
    expect(result.results[0]!.bic).toBeCloseTo(sklearn.moons.bic[0]!, 8);
    expect(result.results[1]!.bic).toBeCloseTo(sklearn.moons.bic[1]!, 1);
  });
  it('draws the committed figures', () => expectFigures('05-choosing-k', result, 1));
});

describe('example 6: new handwritten digits', async () => {
  const result = await digits();
  it('keeps 41 principal components, as scikit-learn', () => {
    expect(result.dimensions).toBe(41);
    expect(sklearn.digits.dimensions).toBe(41);
  });
  it('finds the AIC minimum in the handbook’s region and draws digits like the real ones', () => {
    expect(result.best).toBe(150);
    const aic = new Map(result.results.map((r) => [r.nComponents, r.aic]));
    expect(aic.get(150)!).toBeLessThan(aic.get(50)! - 250000);
    expect(result.generated.rows).toBe(100);
    expect(result.generated.cols).toBe(64);
    expect(result.nearest.generated).toBeLessThan(1.2 * result.nearest.real);
    expect(result.classes.every((c) => c >= 3)).toBe(true); // every digit 0–9 among the generated
    expect(result.classes.reduce((s, c) => s + c, 0)).toBe(100);
  });
  it('draws the committed figures', () => expectFigures('06-digits', result, 2));
});

describe('example 7: EM step by step in 1-D', async () => {
  const result = await emStepByStep();
  it('prints every iteration with a log-likelihood that never decreases, ending near the truth', () => {
    const ll = result.snapshots.map((s) => s.logLikelihood);
    for (let t = 1; t < ll.length; t++) expect(ll[t]).toBeGreaterThanOrEqual(ll[t - 1]!);
    expect(result.snapshots).toHaveLength(15);
    const last = result.snapshots.at(-1)!.model;
    const means = Array.from(last.means.data).sort((a, b) => a - b);
    expect(means[0]).toBeCloseTo(-5.32, 2);
    expect(means[1]).toBeCloseTo(-0.08, 2);
    expect(means[2]).toBeCloseTo(5.31, 2);
    for (const [m, truth] of means.map((m, i) => [m, [-5, 0, 5][i]!])) expect(Math.abs(m! - truth!)).toBeLessThan(0.4);
    expect(result.text.split('\n').filter((l) => /^\s+\d+\s+-2\.\d{4}\s/.test(l) || /^\s+0\s+-3\.\d{4}/.test(l))).toHaveLength(
      15,
    );
  });
  it('draws the committed figures', () => expectFigures('07-em-step-by-step', result, 1));
});

describe('example 8: conditioning and Gaussian mixture regression', async () => {
  const result = await regression();
  it('10 components recover sin x to under a tenth of the noise, and the band is the noise', () => {
    const ten = result.fits.find((f) => f.k === 10)!;
    expect(ten.curve).toBeLessThan(0.1 * result.noise);
    expect(Math.abs(ten.residual - result.noise)).toBeLessThan(0.1 * result.noise);
    expect(Math.abs(ten.sd - result.noise)).toBeLessThan(0.1 * result.noise);
    // One component is a straight line: it cannot follow the sine.
    expect(result.fits[0]!.curve).toBeGreaterThan(0.4);
    for (let i = 1; i < result.fits.length; i++) expect(result.fits[i]!.curve).toBeLessThan(result.fits[i - 1]!.curve);
    expect(result.text).toMatch(/^\s+10\s+0\.01\d\s+0\.20\d\s+0\.20\d$/m);
  });
  it('on iris, petals of 4.9 × 1.6 point to versicolor or virginica, never setosa', () => {
    const { weights, sepals } = result.iris;
    expect(weights.setosa).toBeLessThan(1e-6);
    expect(weights.versicolor! + weights.virginica!).toBeCloseTo(1, 6);
    expect(weights.versicolor).toBeCloseTo(0.5912, 3);
    expect(sepals[0]).toBeCloseTo(6.333, 2);
    expect(sepals[1]).toBeCloseTo(2.975, 2);
  });
  it('draws the committed figures', () => expectFigures('08-regression', result, 1));
});

describe('example 9: missing values', async () => {
  const result = await missingValues();
  it('imputes better than column means at every rate, near a fit on the complete data, with EM monotone', () => {
    expect(result.rows).toHaveLength(6);
    for (const row of result.rows) {
      expect(row.monotone).toBe(true);
      expect(row.mixture).toBeLessThan(row.columnMean * (row.dataset === 'iris' ? 0.6 : 0.85));
      expect(row.mixture).toBeLessThan(row.fullData * 1.25);
      expect(row.fullData).toBeLessThan(row.columnMean);
      // Removed at random: about the rate of the cells.
      const cells = row.dataset === 'iris' ? 600 : 178 * 13;
      expect(Math.abs(row.removed / cells - row.rate)).toBeLessThan(0.04);
    }
    // More holes, worse imputations.
    for (const dataset of ['iris', 'wine']) {
      const errors = result.rows.filter((r) => r.dataset === dataset).map((r) => r.mixture);
      expect(errors[0]!).toBeLessThan(errors[1]!);
      expect(errors[1]!).toBeLessThan(errors[2]!);
    }
    expect(result.text).toMatch(/iris \(3 full\)\s+20%\s+126\s+0\.449\s+0\.960\s+0\.437\s+yes/);
  });
  it('draws the committed figures', () => expectFigures('09-missing-values', result, 1));
});

describe('example 10: the Bayesian mixture chooses k', async () => {
  const result = await bayesian();
  it('of 10 components, maximum likelihood uses all and the Dirichlet process the 4 true clusters', () => {
    const [ml, dp, dd] = result.fits;
    expect(ml!.used).toBe(10);
    expect(dp!.used).toBe(4);
    expect(dd!.used).toBe(4);
    expect(dp!.smallest).toBeLessThan(1e-3);
    // The four kept components are the true clusters; ten maximum-likelihood ones split them.
    expect(dp!.ari).toBeGreaterThan(0.99);
    expect(ml!.ari).toBeLessThan(0.7);
    expect(result.bicK).toBe(4);
  });
  it('a Dirichlet distribution with a large concentration uses every component; the process stays at 4', () => {
    const used = (type: string, prior: number) => result.concentration.find((c) => c.type === type && c.prior === prior)!.used;
    for (const prior of [1e-3, 1e-2, 1e-1, 1]) expect(used('dirichlet_distribution', prior)).toBe(4);
    for (const prior of [10, 100, 1000]) expect(used('dirichlet_distribution', prior)).toBe(10);
    for (const c of result.concentration.filter((c) => c.type === 'dirichlet_process')) expect(c.used).toBe(4);
    expect(result.text).toMatch(/dirichlet_distribution\s+4\s+4\s+4\s+4\s+10\s+10\s+10/);
  });
  it('draws the committed figures', () => expectFigures('10-bayesian', result, 2));
});

describe('example 11: mclust’s fourteen models on iris', async () => {
  const result = await mclustModels();
  it('ranks the same top three as mclust, with its BIC values', () => {
    // mclust 6.0.0, summary(mclustBIC(iris[, 1:4])): VEV,2 -561.7285; VEV,3 -562.5514; VVV,2 -574.0178.
    expect(result.top.map((r) => `${r.covarianceType},${r.nComponents}`)).toEqual(['VEV,2', 'VEV,3', 'VVV,2']);
    // Ours at tol 1e-8; mclust's EM stops at a relative change of 1e-5, so it may end a little lower, never higher.
    [-561.7285, -562.5514, -574.0178].forEach((bic, i) => {
      expect(result.top[i]!.bicMclust).toBeGreaterThanOrEqual(bic - 1e-4);
      expect(result.top[i]!.bicMclust).toBeCloseTo(bic, 2);
    });
    expect(result.results).toHaveLength(14 * 9);
    expect(result.ari).toBeCloseTo(0.568, 3);
    expect(result.text).toMatch(/1\s+VEV,2\s+-561\.73\s+VEV,2\s+-561\.73/);
  });
  it('draws the committed figure', () => expectFigures('11-mclust-models', result, 1));
});

describe('example 12: mclust’s noise component and its conjugate prior', async () => {
  const result = await noiseAndPrior();
  it('the noise component takes the scattered rows and leaves the blobs to the Gaussians', () => {
    expect(result.ari.without).toBeLessThan(0.7);
    expect(result.ari.with).toBeGreaterThan(0.95);
    expect(result.noiseRows.scattered).toBeGreaterThanOrEqual(65);
    expect(result.noiseRows.blobs).toBeLessThanOrEqual(10);
    // The scattered rows are 80 of 480 (0.167); the noise also takes the blobs' loosest rows.
    expect(result.noiseWeight).toBeGreaterThan(0.15);
    expect(result.noiseWeight).toBeLessThan(0.25);
  });
  it('the prior rescues the VEE fit that collapses without it', () => {
    expect(result.prior.withoutError).toMatch(/not positive definite at EM iteration 26/);
    expect(result.prior.converged).toBe(true);
    expect(result.prior.bicMclust).toBeCloseTo(-690.31, 2);
  });
  it('draws the committed figures', () => expectFigures('12-noise-and-prior', result, 2));
});
