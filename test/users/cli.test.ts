/**
 * What real users hit (issue 15), end to end on the built command line and
 * real files: each test would have caught the defect it is named after.
 */
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BayesianGaussianMixture, GaussianMixture, GaussianMixtureModel, parseData } from '../../src/node/index.js';
import { runGmm, type CliResult } from '../helpers/cli.js';

const data = (name: string): string => fileURLToPath(new URL(`../../data/${name}`, import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'gmm-users-'));
const gmm = (args: string[], input?: string): CliResult => runGmm(dir, args, input === undefined ? {} : { input });
const read = (file: string): string => readFileSync(join(dir, file), 'utf8');
const irisText = readFileSync(data('iris.csv'), 'utf8');

beforeAll(() => {
  copyFileSync(data('iris.csv'), join(dir, 'iris.csv'));
  copyFileSync(data('wine.csv'), join(dir, 'wine.csv'));
  copyFileSync(data('blobs.csv'), join(dir, 'blobs.csv'));
  expect(gmm(['fit', 'iris.csv', '-k', '3', '-o', 'iris.json']).code).toBe(0);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('a column of the model missing from the data is an error, not a silent fall back to positions (#2)', () => {
  beforeAll(() => writeFileSync(join(dir, 'renamed.csv'), irisText.replace('petal_width', 'petal_w')));
  for (const command of [
    ['predict', 'iris.json', 'renamed.csv'],
    ['score', 'iris.json', 'renamed.csv'],
    ['plot', 'iris.json', 'renamed.csv', '-o', 'fig.svg'],
  ]) {
    it(`gmm ${command[0]} names the missing column and exits 1, writing nothing`, () => {
      writeFileSync(join(dir, 'fig.svg'), 'old');
      const r = gmm(command);
      expect(r.code).toBe(1);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(
        /^gmm: renamed\.csv: has no column named 'petal_width', which the model in iris\.json was fitted on \(its features: sepal_length, sepal_width, petal_length, petal_width; the file's columns: sepal_length, sepal_width, petal_length, petal_w, species\): rename the column, or choose the columns by name or position with --columns\n$/,
      );
      expect(read('fig.svg')).toBe('old');
    });
  }
  it('--columns says otherwise: the same labels as the original file', () => {
    const original = gmm(['predict', 'iris.json', 'iris.csv']);
    const renamed = gmm(['predict', 'iris.json', 'renamed.csv', '--columns', '1,2,3,4']);
    expect(renamed.code).toBe(0);
    expect(renamed.stdout).toBe(original.stdout);
  });
  it('data without a header is taken by position', () => {
    writeFileSync(join(dir, 'headless.csv'), irisText.split('\n').slice(1).join('\n'));
    const r = gmm(['predict', 'iris.json', 'headless.csv']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(gmm(['predict', 'iris.json', 'iris.csv']).stdout);
  });
});

describe('missing values in files: --na drop (#4)', () => {
  const lines = irisText.trim().split('\n');
  // Row 5 has an empty cell, row 9 an NA, row 40 a '?': three rows out of 150.
  const holed = lines
    .map((line, i) => {
      const cells = line.split(',');
      if (i === 5) cells[1] = '';
      if (i === 9) cells[2] = 'NA';
      if (i === 40) cells[0] = '?';
      return cells.join(',');
    })
    .join('\n');
  beforeAll(() => writeFileSync(join(dir, 'holed.csv'), `${holed}\n`));

  it('by default the first missing cell is an error naming it, and saying how to go on', () => {
    const r = gmm(['fit', 'holed.csv', '-k', '3']);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      "gmm: holed.csv:6:2: an empty cell is not a number (a missing value: the na: 'drop' option, --na drop on the command line, leaves such rows out; na: 'marginalize', --na marginalize, keeps them for a fit that marginalizes missing cells)\n",
    );
  });

  it('--na drop fits the rows left, says how many were dropped, and equals a fit on those rows', () => {
    const r = gmm(['fit', 'holed.csv', '-k', '3', '--na', 'drop', '--json', '-o', 'holed.json']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('holed.csv: dropped 3 rows with missing values (lines 6, 10, 41); 147 left\n');
    const summary = JSON.parse(r.stdout) as { n: number };
    expect(summary.n).toBe(147);
    const kept = lines
      .slice(1)
      .filter((_, i) => ![4, 8, 39].includes(i))
      .map((l) => l.split(',').slice(0, 4).map(Number));
    const expected = new GaussianMixture({ nComponents: 3 }).fit(kept);
    const written = JSON.parse(read('holed.json')) as { means: number[][] };
    expect(written.means.flat()).toEqual(Array.from(expected.means.data));
  });

  it('a missing value in the first data row does not turn a column into text', () => {
    writeFileSync(join(dir, 'first.csv'), 'a,b\nNA,2\n3,4\n5,6.5\n1,1\n');
    const r = gmm(['fit', 'first.csv', '-k', '1', '--na', 'drop', '--json']);
    expect(r.code).toBe(0);
    const summary = JSON.parse(r.stdout) as { n: number; featureNames: string[] };
    expect(summary.n).toBe(3);
    expect(summary.featureNames).toEqual(['a', 'b']);
  });

  it('--na marginalize fits every row, counting the missing cells out, and equals the library fit', () => {
    const r = gmm(['fit', 'holed.csv', '-k', '3', '--na', 'marginalize', '--json', '-o', 'marginalized.json']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('holed.csv: 3 missing cells (0.5%) in 3 of 150 rows, marginalized\n');
    expect((JSON.parse(r.stdout) as { n: number }).n).toBe(150);
    const X = lines.slice(1).map((l, i) =>
      l
        .split(',')
        .slice(0, 4)
        .map((v, a) => ((i === 4 && a === 1) || (i === 8 && a === 2) || (i === 39 && a === 0) ? Number.NaN : Number(v))),
    );
    const expected = new GaussianMixture({ nComponents: 3, missing: 'marginalize' }).fit(X);
    const written = JSON.parse(read('marginalized.json')) as { means: number[][] };
    expect(written.means.flat()).toEqual(Array.from(expected.means.data));
    // predict and score take the same option: one label and one density per row, the holed ones included.
    const predicted = gmm(['predict', 'marginalized.json', 'holed.csv', '--na', 'marginalize']);
    expect(predicted.code).toBe(0);
    expect(predicted.stdout.trim().split('\n').slice(1)).toEqual(
      Array.from(expected.predict(X, { missing: 'marginalize' }), String),
    );
    const scored = gmm(['score', 'marginalized.json', 'holed.csv', '--na', 'marginalize', '--per-sample']);
    expect(scored.stdout.trim().split('\n').slice(1).map(Number)).toEqual(
      Array.from(expected.scoreSamples(X, { missing: 'marginalize' })),
    );
    // k-means has no such option: refused by the argument parser.
    expect(gmm(['kmeans', 'holed.csv', '-k', '3', '--na', 'marginalize']).code).not.toBe(0);
  });

  it('all rows missing is an error that says so', () => {
    writeFileSync(join(dir, 'none.csv'), 'a,b\nNA,2\n3,\n');
    const r = gmm(['fit', 'none.csv', '--na', 'drop']);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('gmm: none.csv: no data rows left: all 2 have a missing value\n');
  });
});

describe('command-line details (#8)', () => {
  it('predict --keep echoes input columns, row for row, to join on', () => {
    const r = gmm(['predict', 'iris.json', 'iris.csv', '--keep', 'species,1']);
    expect(r.code).toBe(0);
    const rows = r.stdout.trim().split('\n');
    expect(rows[0]).toBe('species,sepal_length,component');
    const input = irisText.trim().split('\n').slice(1);
    expect(rows).toHaveLength(151);
    const labels = gmm(['predict', 'iris.json', 'iris.csv']).stdout.trim().split('\n').slice(1);
    rows.slice(1).forEach((row, i) => {
      const cells = input[i]!.split(',');
      expect(row).toBe(`${cells[4]},${cells[0]},${labels[i]}`);
    });
  });

  it('score --per-sample --keep puts the kept columns first; --keep alone is an error', () => {
    const r = gmm(['score', 'iris.json', 'iris.csv', '--per-sample', '--keep', 'species']);
    expect(r.code).toBe(0);
    const rows = r.stdout.trim().split('\n');
    expect(rows[0]).toBe('species,log_density');
    expect(rows[1]).toMatch(/^setosa,-?\d/);
    const bad = gmm(['score', 'iris.json', 'iris.csv', '--keep', 'species']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/--keep/);
    expect(gmm(['predict', 'iris.json', 'iris.csv', '--keep', 'id']).stderr).toMatch(
      /^gmm: iris\.csv: no column to keep named 'id' \(columns: sepal_length, sepal_width, petal_length, petal_width, species\)\n$/,
    );
  });

  it('reads a semicolon-delimited CSV with decimal commas, as spreadsheets in many locales write it', () => {
    const european = irisText
      .trim()
      .split('\n')
      .map((line) =>
        line
          .split(',')
          .map((cell) => cell.replace('.', ','))
          .join(';'),
      )
      .join('\n');
    writeFileSync(join(dir, 'iris-eu.csv'), `${european}\n`);
    const r = gmm(['predict', 'iris.json', 'iris-eu.csv']);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(gmm(['predict', 'iris.json', 'iris.csv']).stdout);
  });

  it('help prints each default once', () => {
    for (const command of ['fit', 'predict', 'score', 'sample', 'select', 'kmeans', 'plot']) {
      const help = gmm([command, '--help']).stdout;
      // One option per entry: an entry starts with two spaces and a dash.
      const entries = help.split(/\n(?= {2}-)/);
      for (const entry of entries) expect(entry.match(/\(default/g)?.length ?? 0, `${command}: ${entry}`).toBeLessThanOrEqual(1);
      expect(help, command).not.toMatch(/default: \[|default: "-"/);
    }
    expect(gmm(['select', '--help']).stdout).toMatch(/numbers of components: 1-10, 2,4,8, … \(default:\s+1-10\)/);
  });

  it('plot --kind bic takes the data alone, and its k axis has whole-number ticks', () => {
    const r = gmm(['plot', 'iris.csv', '--kind', 'bic', '--components', '1-3', '--covariance', 'full,diag', '-o', 'bic.svg']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const svg = read('bic.svg');
    const bottom = Number(/data-plot="[\d.]+ [\d.]+ [\d.]+ ([\d.]+)"/.exec(svg)![1]);
    // Tick labels sit 17 px below the plot.
    const xTicks = [...svg.matchAll(/<text x="[\d.]+" y="([\d.]+)">([^<]*)<\/text>/g)]
      .filter((m) => Number(m[1]) === bottom + 17)
      .map((m) => m[2]);
    expect(xTicks).toEqual(['1', '2', '3']);
    // As mclust finds for iris (VEV, 2 components): BIC prefers two full-covariance components.
    expect(svg).toMatch(/best BIC: k = 2, full/);
    const needsModel = gmm(['plot', 'iris.csv', '--kind', 'clusters']);
    expect(needsModel.code).toBe(1);
    expect(needsModel.stderr).toMatch(/a model and a data file for --kind clusters: gmm plot MODEL DATA/);
  });
});

describe('--standardize (#3)', () => {
  it('kmeans and fit on wine: ARI from 0.37 to 0.90; the model file keeps the scaler and predict, score and plot use it', () => {
    const ari = (r: CliResult): number => Number(/adjusted Rand index against class: ([\d.]+)/.exec(r.stdout)![1]);
    expect(ari(gmm(['kmeans', 'wine.csv', '-k', '3', '--label-column', 'class']))).toBeCloseTo(0.3711, 4);
    const kmeans = gmm(['kmeans', 'wine.csv', '-k', '3', '--label-column', 'class', '--standardize']);
    expect(kmeans.stdout).toMatch(/\(standardized columns; centers in the data’s units\)/);
    expect(ari(kmeans)).toBeCloseTo(0.8975, 4);
    const fit = gmm(['fit', 'wine.csv', '-k', '3', '--label-column', 'class', '--standardize', '-o', 'wine-std.json']);
    expect(fit.code).toBe(0);
    expect(fit.stdout).toMatch(
      /13 features \(alcohol, .*, proline\); fitted on standardized columns, shown in the data’s units\n/,
    );
    expect(ari(fit)).toBeGreaterThan(0.85);
    // Means in the data's units: proline's are in the hundreds, as in the file.
    const model = JSON.parse(read('wine-std.json'));
    expect(model.scaler.mean[12]).toBeCloseTo(746.893, 2);
    expect(gmm(['info', 'wine-std.json']).stdout).toMatch(/fitted on standardized columns, shown in the data’s units/);
    const labels = gmm(['predict', 'wine-std.json', 'wine.csv']).stdout.trim().split('\n').slice(1).map(Number);
    const loaded = GaussianMixtureModel.fromJSON(model);
    const text = readFileSync(data('wine.csv'), 'utf8');
    const { X } = parseData(text, 'wine.csv', { labelColumn: 'class' });
    expect(labels).toEqual(Array.from(loaded.predict(X)));
    const score = gmm(['score', 'wine-std.json', 'wine.csv', '--json']);
    expect(JSON.parse(score.stdout).meanLogLikelihood).toBeCloseTo(loaded.score(X), 10);
    const plot = gmm(['plot', 'wine-std.json', 'wine.csv', '--x', 'proline', '--y', 'color_intensity', '-o', 'wine-std.svg']);
    expect(plot.code).toBe(0);
    const [x0, x1] = /data-domain="(\S+) (\S+)/.exec(read('wine-std.svg'))!.slice(1).map(Number);
    expect(x0).toBeLessThan(300);
    expect(x1).toBeGreaterThan(1600);
  });
});

describe('gmm fit --prior: the Bayesian mixture on the command line', () => {
  it('10 components on the 4 blobs: the Dirichlet process uses 4, and the model file is the library fit', () => {
    const args = ['fit', 'blobs.csv', '-k', '10', '--prior', 'dirichlet_process', '--max-iter', '500', '--label-column', 'label'];
    const r = gmm([...args, '--json', '-o', 'bayes.json']);
    expect(r.code).toBe(0);
    const summary = JSON.parse(r.stdout) as { prior: string; componentsUsed: number; adjustedRandIndex: number };
    expect(summary.prior).toBe('dirichlet_process');
    expect(summary.componentsUsed).toBe(4);
    expect(summary.adjustedRandIndex).toBeGreaterThan(0.99);
    const X = readFileSync(data('blobs.csv'), 'utf8')
      .trim()
      .split('\n')
      .slice(1)
      .map((l) => l.split(',').slice(0, 2).map(Number));
    const expected = new BayesianGaussianMixture({ nComponents: 10, maxIter: 500 }).fit(X);
    const written = GaussianMixtureModel.fromJSON(JSON.parse(read('bayes.json')));
    expect(Array.from(written.means.data)).toEqual(Array.from(expected.means.data));
    expect(Array.from(written.weights)).toEqual(Array.from(expected.weights));
    const text = gmm(args);
    expect(text.stdout).toMatch(/variational lower bound \(ELBO, a sum over the rows\) -?\d/);
    expect(text.stdout).toMatch(/dirichlet_process prior: 4 of 10 components have weight ≥ 0\.01\n/);
    // A large concentration on a Dirichlet distribution spreads the weight over all ten.
    const spread = gmm([
      ...args.map((a) => (a === 'dirichlet_process' ? 'dirichlet_distribution' : a)),
      '--weight-concentration',
      '100',
      '--json',
    ]);
    expect((JSON.parse(spread.stdout) as { componentsUsed: number }).componentsUsed).toBe(10);
  });
  it('refuses what a variational fit does not take, naming the flag', () => {
    const refused = (args: string[], message: RegExp): void => {
      const r = gmm(['fit', 'blobs.csv', '--label-column', 'label', ...args]);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(message);
    };
    refused(['--weight-concentration', '2'], /--weight-concentration must be given with --prior; got 2/);
    refused(['--prior', 'dirichlet_process', '--standardize'], /--standardize must be left out with --prior/);
    refused(['--prior', 'dirichlet_process', '--na', 'marginalize'], /--na must be 'drop' or left out with --prior/);
    const bad = gmm(['fit', 'blobs.csv', '--prior', 'dirichlet_process', '--weight-concentration', '0']);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/expected a number > 0, got '0'/);
  });
});
