import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GaussianMixture, GaussianMixtureModel, KMeans, MCLUST_MODELS, makeBlobs, toArrays } from '../src/node/index.js';
import { mixtureFixtures } from './helpers/fixtures.js';

// The real command line, as built by `npm run build` (npm test builds first).
const MAIN = fileURLToPath(new URL('../dist/cli/main.js', import.meta.url));
const IRIS = fileURLToPath(new URL('../data/iris.csv', import.meta.url));
let dir = '';

interface Result {
  code: number | null;
  stdout: string;
  stderr: string;
}

function gmm(args: string[], input?: string): Result {
  const r = spawnSync(process.execPath, [MAIN, ...args], { cwd: dir, input, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function csvRows(text: string): string[][] {
  return text
    .trim()
    .split('\n')
    .map((line) => line.split(','));
}

/** No temporary files of atomic writes left in the folder. */
function expectNoLeftovers(): void {
  expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'gmm-cli-'));
  copyFileSync(IRIS, join(dir, 'iris.csv'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('gmm command line: round trips on real files', () => {
  it('fit → info → predict → score → sample on iris', () => {
    const fit = gmm(['fit', 'iris.csv', '-k', '3', '--label-column', 'species', '-o', 'iris.json']);
    expect(fit.code).toBe(0);
    expect(fit.stderr).toBe('');
    expect(fit.stdout).toMatch(
      /Gaussian mixture: 3 components, full covariances, 4 features \(sepal_length, sepal_width, petal_length, petal_width\)/,
    );
    expect(fit.stdout).toMatch(/adjusted Rand index against species: 0\.9039/);
    expect(fit.stdout).toMatch(/model written to iris\.json/);

    const model = GaussianMixtureModel.fromJSON(JSON.parse(readFileSync(join(dir, 'iris.json'), 'utf8')));
    expect(model.featureNames).toEqual(['sepal_length', 'sepal_width', 'petal_length', 'petal_width']);
    const X = csvRows(readFileSync(IRIS, 'utf8'))
      .slice(1)
      .map((r) => r.slice(0, 4).map(Number));
    // The library, same options: the same model.
    const library = new GaussianMixture({ nComponents: 3 }).fit(X, {
      featureNames: ['sepal_length', 'sepal_width', 'petal_length', 'petal_width'],
    });
    expect(model.toJSON()).toEqual(library.toJSON());

    const info = gmm(['info', 'iris.json']);
    expect(info.code).toBe(0);
    expect(info.stdout).toMatch(/EM: converged after 17 iterations/);
    expect(info.stdout).toMatch(/σ along the covariance's axes/);

    const predict = gmm(['predict', 'iris.json', 'iris.csv', '--proba', '--uncertainty']);
    expect(predict.code).toBe(0);
    const rows = csvRows(predict.stdout);
    expect(rows[0]).toEqual(['component', 'p0', 'p1', 'p2', 'uncertainty']);
    expect(rows.slice(1).map((r) => Number(r[0]))).toEqual(Array.from(model.predict(X)));
    const proba = model.predictProba(X).data;
    rows.slice(1).forEach((r, i) => r.slice(1, 4).forEach((p, j) => expect(Number(p)).toBe(proba[i * 3 + j])));

    const score = gmm(['score', 'iris.json', 'iris.csv', '--json']);
    expect(JSON.parse(score.stdout)).toMatchObject({
      n: 150,
      meanLogLikelihood: model.score(X),
      bic: model.bic(X),
      aic: model.aic(X),
    });
    const perSample = gmm(['score', 'iris.json', 'iris.csv', '--per-sample']);
    expect(
      csvRows(perSample.stdout)
        .slice(1)
        .map((r) => Number(r[0])),
    ).toEqual(Array.from(model.scoreSamples(X)));

    const sample = gmm(['sample', 'iris.json', '-n', '20', '--seed', '4']);
    expect(sample.code).toBe(0);
    const drawn = model.sample(20, { seed: 4 });
    const sampled = csvRows(sample.stdout);
    expect(sampled[0]).toEqual(['sepal_length', 'sepal_width', 'petal_length', 'petal_width', 'component']);
    sampled.slice(1).forEach((r, i) => {
      expect(r.slice(0, 4).map(Number)).toEqual(Array.from(drawn.X.data.subarray(i * 4, i * 4 + 4)));
      expect(Number(r[4])).toBe(drawn.labels[i]);
    });
    expectNoLeftovers();
  });

  it('reads standard input and writes standard output (pipes)', () => {
    const iris = readFileSync(IRIS, 'utf8');
    const fit = gmm(['fit', '-', '-k', '2', '--json'], iris);
    expect(fit.code).toBe(0);
    expect(JSON.parse(fit.stdout)).toMatchObject({ command: 'fit', nComponents: 2, nFeatures: 4, n: 150 });
    gmm(['fit', 'iris.csv', '-k', '2', '-o', 'two.json']);
    const predicted = gmm(['predict', 'two.json', '-'], iris);
    expect(csvRows(predicted.stdout)).toHaveLength(151);
    const tsv = gmm(['sample', 'two.json', '-n', '5', '--format', 'tsv']);
    expect(tsv.stdout.split('\n')[0]).toBe('sepal_length\tsepal_width\tpetal_length\tpetal_width\tcomponent');
  });

  it('reads TSV, JSON (arrays and objects) and NDJSON, and picks columns by name or number', () => {
    const { X } = makeBlobs({
      nSamples: 60,
      centers: [
        [0, 0],
        [6, 6],
      ],
      seed: 3,
    });
    const rows = toArrays(X);
    writeFileSync(join(dir, 'blobs.tsv'), `u\tv\n${rows.map((r) => r.join('\t')).join('\n')}\n`);
    writeFileSync(join(dir, 'blobs.json'), JSON.stringify(rows));
    writeFileSync(join(dir, 'objects.json'), JSON.stringify(rows.map(([u, v]) => ({ u, v, tag: 'x' }))));
    writeFileSync(join(dir, 'blobs.ndjson'), rows.map(([u, v]) => JSON.stringify({ u, v })).join('\n'));
    writeFileSync(join(dir, 'noheader.csv'), `${rows.map((r) => `${r[0]},junk,${r[1]}`).join('\n')}\n`);
    const expected = new GaussianMixture({ nComponents: 2 }).fit(rows);
    for (const args of [
      ['blobs.tsv'],
      ['blobs.json'],
      ['objects.json'],
      ['blobs.ndjson'],
      ['noheader.csv', '--columns', '1,3'],
      ['blobs.tsv', '--columns', 'u,v'],
    ]) {
      const r = gmm(['fit', ...args, '-k', '2', '--json']);
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(0);
      expect(JSON.parse(r.stdout).lowerBound).toBe(expected.lowerBound);
    }
  });

  it('runs exactly N iterations from --init-model, matching the library to the last digit', () => {
    const f = mixtureFixtures().find((fx) => fx.name === 'full-5d')!;
    writeFileSync(join(dir, 'fixture.csv'), `${f.X.map((r) => r.join(',')).join('\n')}\n`);
    const start = new GaussianMixture({
      nComponents: f.n_components,
      maxIter: 0,
      weightsInit: f.weights_init,
      meansInit: f.means_init,
      precisionsInit: f.precisions_init,
    }).fit(f.X);
    writeFileSync(join(dir, 'start.json'), JSON.stringify(start));
    const r = gmm([
      'fit',
      'fixture.csv',
      '--init-model',
      'start.json',
      '--tol',
      '0',
      '--max-iter',
      '25',
      '--json',
      '-o',
      'after25.json',
    ]);
    expect(r.code, r.stderr).toBe(0);
    const printed = JSON.parse(r.stdout);
    const library = new GaussianMixture({ nComponents: f.n_components, tol: 0, maxIter: 25 }).fit(f.X, { initModel: start });
    expect(printed.nIter).toBe(25);
    expect(printed.lowerBound).toBe(library.lowerBound);
    expect(printed.bic).toBe(library.bic(f.X));
    expect(printed.components.map((c: { weight: number }) => c.weight)).toEqual(Array.from(library.weights));
    expect(printed.components.map((c: { mean: number[] }) => c.mean)).toEqual(toArrays(library.means));
    const written = JSON.parse(readFileSync(join(dir, 'after25.json'), 'utf8'));
    expect(written.covariances).toEqual(library.toJSON().covariances);
  });

  it('select on iris prints the whole grid and picks a model', () => {
    const text = gmm([
      'select',
      'iris.csv',
      '--components',
      '1-4',
      '--covariance',
      'all',
      '--label-column',
      'species',
      '--n-init',
      '3',
    ]);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/16 models on 150 rows × 4 features/);
    for (const type of ['full', 'tied', 'diag', 'spherical'])
      expect(text.stdout.match(new RegExp(`^${type} +\\d`, 'gm'))).toHaveLength(4);
    expect(text.stdout).toMatch(/best: 2 components, full covariance, BIC 574\.0/);
    const json = JSON.parse(
      gmm(['select', 'iris.csv', '--components', '1-4', '--covariance', 'all', '--n-init', '3', '--json', '-o', 'best.json'])
        .stdout,
    );
    expect(json.results).toHaveLength(16);
    for (const cell of json.results)
      expect(Object.keys(cell)).toEqual(
        expect.arrayContaining([
          'nComponents',
          'covarianceType',
          'logLikelihood',
          'nParameters',
          'bic',
          'aic',
          'icl',
          'converged',
        ]),
      );
    expect(json.best).toMatchObject({ nComponents: 2, covarianceType: 'full' });
    const best = GaussianMixtureModel.fromJSON(JSON.parse(readFileSync(join(dir, 'best.json'), 'utf8')));
    expect(best.nComponents).toBe(2);
    expect(best.featureNames).toEqual(['sepal_length', 'sepal_width', 'petal_length', 'petal_width']);
  });

  it('select --models prints mclust’s BIC table for its fourteen models, and fit takes their names', () => {
    const r = gmm([
      'select',
      'iris.csv',
      '--label-column',
      'species',
      '--models',
      'mclust',
      '--components',
      '1-3',
      '--n-init',
      '3',
    ]);
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.split('\n');
    const header = lines.findIndex((l) => l.startsWith('Bayesian Information Criterion (BIC):'));
    expect(lines[header + 1]!.trim().split(/ +/)).toEqual([...MCLUST_MODELS]);
    // k = 1: the four models with one spherical/diagonal/general covariance each agree (mclust's -1804.085,
    // -1522.12, -829.9782 for iris).
    expect(lines[header + 2]!.trim().split(/ +/)).toEqual([
      '1',
      ...Array(2).fill('-1804.085'),
      ...Array(4).fill('-1522.12'),
      ...Array(8).fill('-829.9782'),
    ]);
    const top = lines.findIndex((l) => l.startsWith('Top 3 models based on the BIC criterion:'));
    expect(lines[top + 1]!.trim().split(/ +/)[0]).toBe('VEV,2');
    expect(lines[top + 2]!.trim().split(/ +/)[0]).toBe('-561.7285');
    const both = gmm(['select', 'iris.csv', '--models', 'VEV', '--covariance', 'full']);
    expect(both.code).not.toBe(0);
    expect(both.stderr).toMatch(/--models.*cannot be used with.*--covariance/);
    const bad = gmm(['select', 'iris.csv', '--models', 'VEX']);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/expected mclust model names among EII, .*got 'VEX'/);
    const fit = gmm([
      'fit',
      'iris.csv',
      '-k',
      '2',
      '--covariance',
      'VEV',
      '--label-column',
      'species',
      '-o',
      'vev.json',
      '--json',
    ]);
    expect(fit.code, fit.stderr).toBe(0);
    const model = GaussianMixtureModel.fromJSON(JSON.parse(readFileSync(join(dir, 'vev.json'), 'utf8')));
    expect(model.covarianceType).toBe('VEV');
    expect(model.nParameters).toBe(26);
  });

  it('--noise: a noise component in fit, predict (component -1, a pnoise column) and select', () => {
    const fixture = JSON.parse(readFileSync(new URL('./fixtures/mclust/noise.json', import.meta.url), 'utf8'));
    const rows: number[][] = fixture.datasets[0].data;
    writeFileSync(join(dir, 'faithful-noise.csv'), `eruptions,waiting\n${rows.map((r) => r.join(',')).join('\n')}\n`);
    const fit = gmm(['fit', 'faithful-noise.csv', '-k', '2', '--noise', '-o', 'noise.json']);
    expect(fit.code, fit.stderr).toBe(0);
    // The default hypervolume is mclust's hypvol of these rows (the fixture's 185.5).
    expect(fit.stdout).toMatch(/noise: weight 0\.\d+, uniform over a hypervolume of 185\.5\b/);
    const model = GaussianMixtureModel.fromJSON(JSON.parse(readFileSync(join(dir, 'noise.json'), 'utf8')));
    expect(model.noise!.weight).toBeGreaterThan(0.1);
    const predicted = gmm(['predict', 'noise.json', 'faithful-noise.csv', '--proba']);
    expect(predicted.code, predicted.stderr).toBe(0);
    const lines = predicted.stdout.trim().split('\n');
    expect(lines[0]).toBe('component,p0,p1,pnoise');
    const labels = lines.slice(1).map((l) => Number(l.split(',')[0]));
    expect(labels.length).toBe(rows.length);
    // Of the 40 uniform rows at the end, most are noise.
    expect(labels.slice(-40).filter((l) => l === -1).length).toBeGreaterThan(20);
    const both = gmm(['fit', 'faithful-noise.csv', '--noise', '--prior', 'dirichlet_process']);
    expect(both.code).not.toBe(0);
    const select = gmm([
      'select',
      'faithful-noise.csv',
      '--models',
      'VVV,EEE',
      '--components',
      '1-2',
      '--noise',
      '--n-init',
      '1',
      '--json',
    ]);
    expect(select.code, select.stderr).toBe(0);
    const json = JSON.parse(select.stdout);
    // mclust's parameter count with noise: VVV, 2 components in 2 columns is 11 + 2.
    expect(
      json.results.find((r: { covarianceType: string; nComponents: number }) => r.covarianceType === 'VVV' && r.nComponents === 2)
        .nParameters,
    ).toBe(13);
  });

  it('--conjugate-prior: MAP-EM rescues a fit that collapses without it, and selects with mclust’s prior', () => {
    const args = ['fit', 'iris.csv', '-k', '5', '--covariance', 'VEE', '--init', 'hc', '--reg-covar', '0', '--json'];
    const singular = gmm(args);
    expect(singular.code).not.toBe(0);
    expect(singular.stderr).toMatch(/not positive definite.*--reg-covar/);
    const map = gmm([...args, '--conjugate-prior', '-o', 'vee-map.json']);
    expect(map.code, map.stderr).toBe(0);
    const model = GaussianMixtureModel.fromJSON(JSON.parse(readFileSync(join(dir, 'vee-map.json'), 'utf8')));
    expect(model.nComponents).toBe(5);
    expect(Array.from(model.covariances).every(Number.isFinite) && Array.from(model.weights).every((w) => w > 0)).toBe(true);
    const both = gmm(['fit', 'iris.csv', '--prior', 'dirichlet_process', '--conjugate-prior']);
    expect(both.code).not.toBe(0);
    expect(both.stderr).toMatch(/--conjugate-prior.*cannot be used with.*--prior/);
    // mclustBIC(iris, prior = priorControl()): k = 1 is -1804.185 (EII, VII), -1522.709 (diagonal), -831.4943 (the rest).
    const table = gmm([
      'select',
      'iris.csv',
      '--label-column',
      'species',
      '--models',
      'mclust',
      '--components',
      '1-2',
      '--n-init',
      '1',
      '--conjugate-prior',
    ]);
    expect(table.code, table.stderr).toBe(0);
    const lines = table.stdout.split('\n');
    const header = lines.findIndex((l) => l.startsWith('Bayesian Information Criterion (BIC):'));
    expect(lines[header + 2]!.trim().split(/ +/)).toEqual([
      '1',
      ...Array(2).fill('-1804.185'),
      ...Array(4).fill('-1522.709'),
      ...Array(8).fill('-831.4943'),
    ]);
  });

  it('kmeans prints centers and writes clusters', () => {
    const r = gmm(['kmeans', 'iris.csv', '-k', '3', '--label-column', 'species', '-o', 'clusters.csv', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const json = JSON.parse(r.stdout);
    const X = csvRows(readFileSync(IRIS, 'utf8'))
      .slice(1)
      .map((row) => row.slice(0, 4).map(Number));
    const library = new KMeans({ nClusters: 3 }).fit(X);
    expect(json.inertia).toBe(library.inertia);
    expect(json.sizes.reduce((a: number, b: number) => a + b, 0)).toBe(150);
    expect(json.adjustedRandIndex).toBeCloseTo(0.7302, 4);
    expect(
      csvRows(readFileSync(join(dir, 'clusters.csv'), 'utf8'))
        .slice(1)
        .map((row) => Number(row[0])),
    ).toEqual(Array.from(library.labels));
  });

  it('plot draws every kind of figure as SVG, picking features by name or number', () => {
    gmm(['fit', 'iris.csv', '-k', '3', '-o', 'plot3.json']);
    for (const kind of ['clusters', 'proba', 'uncertainty', 'density', 'bic', 'samples']) {
      const r = gmm([
        'plot',
        'plot3.json',
        'iris.csv',
        '--kind',
        kind,
        '--x',
        'petal_length',
        '--y',
        '4',
        '--components',
        '1-4',
        '-o',
        `${kind}.svg`,
      ]);
      expect(r.code, `${kind}: ${r.stderr}`).toBe(0);
      const svg = readFileSync(join(dir, `${kind}.svg`), 'utf8');
      expect(svg).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
      if (kind !== 'bic') expect(svg).toContain('>petal_length</text>');
    }
    const criteria = gmm([
      'plot',
      'plot3.json',
      'iris.csv',
      '--kind',
      'bic',
      '--components',
      '1-3',
      '--covariance',
      'full,diag',
      '--criteria',
      'bic,aic,icl',
      '-o',
      'criteria.svg',
    ]);
    expect(criteria.code, criteria.stderr).toBe(0);
    const criteriaSvg = readFileSync(join(dir, 'criteria.svg'), 'utf8');
    for (const label of ['BIC, full', 'AIC, diag', 'ICL, full', 'best ICL: k = ']) expect(criteriaSvg).toContain(`>${label}`);
    expect(gmm(['plot', 'plot3.json', 'iris.csv', '--kind', 'bic', '--criteria', 'bic,xic']).stderr).toContain(
      "expected criteria among bic, aic, icl; got 'xic'",
    );
    const stdout = gmm(['plot', 'plot3.json', 'iris.csv']);
    expect(stdout.stdout).toMatch(/^<svg/);
    const images = gmm(['plot', 'plot3.json', 'iris.csv', '--kind', 'samples', '--image', '2x2', '-n', '10', '-o', 'images.svg']);
    expect(images.code, images.stderr).toBe(0);
    expect(readFileSync(join(dir, 'images.svg'), 'utf8')).toContain('>drawn from the model (10)</text>');
    const bad = gmm(['plot', 'plot3.json', 'iris.csv', '--x', 'petal_size', '-o', 'bad.svg']);
    expect(bad.code).toBe(1);
    expect(bad.stderr.trim()).toBe(
      'gmm: --x must be a feature of the model (sepal_length, sepal_width, petal_length, petal_width) or a number from 1 to 4; got "petal_size"',
    );
    expect(existsSync(join(dir, 'bad.svg'))).toBe(false);
  });

  it('prints read, parse and fit times with --verbose', () => {
    const r = gmm(['fit', 'iris.csv', '-k', '3', '--verbose']);
    expect(r.code).toBe(0);
    // Each phase as it ends: a slow run shows where it is.
    expect(r.stderr).toMatch(/^read \d+\.\d+ s\nparse \d+\.\d+ s \(150 rows × 4 features\)\nfit \d+\.\d+ s\n$/);
    const written = gmm(['fit', 'iris.csv', '-k', '3', '--verbose', '-o', 'verbose.json']);
    expect(written.stderr).toMatch(/\nfit \d+\.\d+ s\nwrite \d+\.\d+ s\n$/);
  });

  it.runIf(existsSync('/usr/bin/script'))('shows a progress bar on a terminal, and none in a pipe', () => {
    // `script` runs the command on a pseudo-terminal, as a person's shell would.
    const command = `${process.execPath} ${MAIN} select iris.csv --components 1-4 --covariance full,diag`;
    const env = { ...process.env, GMM_PROGRESS_DELAY_MS: '0', CI: '' };
    delete (env as Record<string, string | undefined>)['CI'];
    const r = spawnSync('/usr/bin/script', ['-qec', command, '/dev/null'], { cwd: dir, env, encoding: 'utf8', timeout: 60_000 });
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/gmm select \[[█░]+\] \d+\/8/);
    const piped = spawnSync(process.execPath, [MAIN, 'select', 'iris.csv', '--components', '1-4', '--covariance', 'full,diag'], {
      cwd: dir,
      env,
      encoding: 'utf8',
    });
    expect(piped.stderr).toBe('');
    expect(piped.stdout).toContain('best');
  });

  it('has help with examples and a version', () => {
    const help = gmm(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/Examples:\n {2}gmm fit data\/iris\.csv/);
    for (const command of ['fit', 'predict', 'score', 'sample', 'select', 'kmeans', 'plot', 'info']) {
      const h = gmm([command, '--help']);
      expect(h.code).toBe(0);
      expect(h.stdout).toMatch(new RegExp(`Usage: gmm ${command}`));
      expect(h.stdout).toMatch(/Examples?:/);
    }
    const version = JSON.parse(readFileSync(fileURLToPath(new URL('../package.json', import.meta.url)), 'utf8')).version;
    expect(gmm(['--version']).stdout.trim()).toBe(version);
  });
});

describe('gmm fit --float32', () => {
  it('fits the rows rounded to f32: the f64 fit to single precision; refused with --stream, writing nothing', () => {
    const single = gmm(['fit', 'iris.csv', '-k', '3', '--label-column', 'species', '--float32', '-o', 'f32.json']);
    expect(single.code).toBe(0);
    expect(single.stderr).toBe('');
    expect(gmm(['fit', 'iris.csv', '-k', '3', '--label-column', 'species', '-o', 'f64.json']).code).toBe(0);
    const a = JSON.parse(readFileSync(join(dir, 'f32.json'), 'utf8'));
    const b = JSON.parse(readFileSync(join(dir, 'f64.json'), 'utf8'));
    const means = (m: { means: number[][] }): number[] => m.means.flat();
    const gap = Math.max(...means(a).map((v, i) => Math.abs(v - means(b)[i]!)));
    expect(gap).toBeGreaterThan(0); // the rounded rows are not the rows
    expect(gap).toBeLessThan(1e-5);
    const ari = /adjusted Rand index against species: (\d\.\d{4})/;
    expect(single.stdout.match(ari)?.[1]).toBe('0.9039');
    const refused = gmm(['fit', 'iris.csv', '-k', '3', '--float32', '--stream', '-o', 'f32-stream.json']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/--float32.*left out with --stream/);
    expect(existsSync(join(dir, 'f32-stream.json'))).toBe(false);
  });
});

describe('gmm fit --stream: the file read on every EM iteration, not into memory', () => {
  it('writes the model file the in-memory fit writes, and prints the same summary', () => {
    const streamed = gmm(['fit', 'iris.csv', '-k', '3', '--label-column', 'species', '--stream', '-o', 'streamed.json']);
    expect(streamed.code).toBe(0);
    expect(streamed.stderr).toBe('');
    const whole = gmm(['fit', 'iris.csv', '-k', '3', '--label-column', 'species', '-o', 'whole.json']);
    expect(readFileSync(join(dir, 'streamed.json'), 'utf8')).toBe(readFileSync(join(dir, 'whole.json'), 'utf8'));
    const summary = (text: string): string => text.split('\n').slice(0, 6).join('\n');
    expect(summary(streamed.stdout)).toBe(summary(whole.stdout));
    // The adjusted Rand index against the label column, from one more pass: the in-memory fit's.
    const ari = /adjusted Rand index against species: \d\.\d{4}/;
    expect(streamed.stdout.match(ari)?.[0]).toBe(whole.stdout.match(ari)?.[0]);
    expect(streamed.stdout).toMatch(ari);
    expect(streamed.stdout).toMatch(/ 150 +-180\.\d+/);
    // NDJSON streams too: the same rows as objects, one per line.
    const [header, ...rows] = csvRows(readFileSync(IRIS, 'utf8'));
    const objects = rows.map((r) =>
      JSON.stringify(Object.fromEntries(header!.map((name, j) => [name, j < 4 ? Number(r[j]) : r[j]]))),
    );
    writeFileSync(join(dir, 'iris.ndjson'), `${objects.join('\n')}\n`);
    const ndjson = gmm(['fit', 'iris.ndjson', '-k', '3', '--label-column', 'species', '--stream', '-o', 'ndjson.json']);
    expect(ndjson.code).toBe(0);
    expect(readFileSync(join(dir, 'ndjson.json'), 'utf8')).toBe(readFileSync(join(dir, 'whole.json'), 'utf8'));
    // Standardized columns stream too (two more passes for the scaler).
    const standardized = ['fit', 'iris.csv', '-k', '3', '--label-column', 'species', '--standardize', '--covariance', 'diag'];
    expect(gmm([...standardized, '-o', 'scaled-whole.json']).code).toBe(0);
    expect(gmm([...standardized, '--stream', '-o', 'scaled-streamed.json']).code).toBe(0);
    expect(readFileSync(join(dir, 'scaled-streamed.json'), 'utf8')).toBe(readFileSync(join(dir, 'scaled-whole.json'), 'utf8'));
    expect(JSON.parse(readFileSync(join(dir, 'scaled-streamed.json'), 'utf8')).scaler).toBeDefined();
  });

  it('a bad cell on line 30,002 is named by file:line:column, exits 1, and writes no model file', () => {
    const lines = ['x,y', ...Array.from({ length: 40_000 }, (_, i) => `${(i * 37) % 101},${(i * 11) % 7}`)];
    lines[30_001] = '1,2x';
    writeFileSync(join(dir, 'late.csv'), `${lines.join('\n')}\n`);
    const r = gmm(['fit', 'late.csv', '-k', '2', '--stream', '-o', 'late.json']);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe("gmm: late.csv:30002:2: '2x' is not a number\n");
    expect(existsSync(join(dir, 'late.json'))).toBe(false);
    expectNoLeftovers();
  });

  it('fits Parquet (through DuckDB), Arrow IPC and a SQL query to the model file of the CSV', async () => {
    const { DuckDBInstance } = await import('@duckdb/node-api');
    const { tableFromArrays, tableToIPC } = await import('apache-arrow');
    const instance = await DuckDBInstance.create(join(dir, 'iris.db'));
    const connection = await instance.connect();
    await connection.run(`CREATE TABLE iris AS SELECT * FROM read_csv('${join(dir, 'iris.csv')}')`);
    await connection.run(`COPY iris TO '${join(dir, 'iris.parquet')}' (FORMAT parquet)`);
    connection.closeSync();
    instance.closeSync();
    const rows = csvRows(readFileSync(IRIS, 'utf8')).slice(1);
    const names = ['sepal_length', 'sepal_width', 'petal_length', 'petal_width'];
    const columns = Object.fromEntries(names.map((name, j) => [name, Float64Array.from(rows, (r) => Number(r[j]))]));
    writeFileSync(join(dir, 'iris.arrow'), tableToIPC(tableFromArrays(columns), 'file'));
    expect(gmm(['fit', 'iris.csv', '-k', '3', '--label-column', 'species', '-o', 'csv.json']).code).toBe(0);
    const runs: string[][] = [
      ['fit', 'iris.parquet', '-k', '3', '--label-column', 'species', '-o', 'parquet.json'],
      ['fit', 'iris.arrow', '-k', '3', '-o', 'arrow.json'],
      ['fit', '--sql', 'SELECT * EXCLUDE (species) FROM iris', '--duckdb', 'iris.db', '-k', '3', '-o', 'sql.json'],
    ];
    for (const args of runs) {
      const r = gmm(args);
      expect(r.code).toBe(0);
      expect(readFileSync(join(dir, args.at(-1)!), 'utf8')).toBe(readFileSync(join(dir, 'csv.json'), 'utf8'));
    }
    expect(gmm(['fit', '--duckdb', 'iris.db']).stderr).toMatch(/--duckdb must be given with --sql/);
    expect(gmm(['fit', 'iris.csv', '--sql', 'SELECT 1']).stderr).toMatch(/data must be left out with --sql/);
    expect(gmm(['fit', '--sql', 'SELEC 1']).stderr).toMatch(/sql must be a query DuckDB can run/);
    expect(gmm(['fit', 'none.parquet']).stderr).toBe('gmm: none.parquet: no such file\n');
  });

  it('gmm predict --stream writes what predict writes, and on a bad late cell exits 1 with no output file', () => {
    expect(gmm(['fit', 'iris.csv', '-k', '3', '--label-column', 'species', '-o', 'for-predict.json']).code).toBe(0);
    for (const format of ['csv', 'json', 'ndjson']) {
      // --keep echoes the label column (by name, and by number: named as the header names it) before the predictions.
      const keep = format === 'csv' ? ['--keep', 'species'] : format === 'json' ? ['--keep', '5'] : [];
      const args = ['predict', 'for-predict.json', 'iris.csv', '--proba', '--uncertainty', '--format', format, ...keep];
      const streamed = gmm([...args, '--stream']);
      expect(streamed.code).toBe(0);
      expect(streamed.stdout).toBe(gmm(args).stdout);
    }
    const lines = readFileSync(join(dir, 'iris.csv'), 'utf8').trim().split('\n');
    const bad = [...lines, ...lines.slice(1), ...lines.slice(1)];
    bad[400] = bad[400]!.replace(/^[^,]+/, 'x');
    writeFileSync(join(dir, 'bad-late.csv'), `${bad.join('\n')}\n`);
    const r = gmm(['predict', 'for-predict.json', 'bad-late.csv', '--stream', '-o', 'labels.csv']);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe("gmm: bad-late.csv:401:1: 'x' is not a number\n");
    expect(existsSync(join(dir, 'labels.csv'))).toBe(false);
    expectNoLeftovers();
  });

  it('refuses what it cannot stream, naming the option', () => {
    expect(gmm(['fit', '-', '--stream'], '1,2\n3,4\n').stderr).toMatch(/standard input can be read only once/);
    expect(gmm(['fit', 'iris.csv', '--stream', '--prior', 'dirichlet_process']).stderr).toMatch(
      /option '--stream' cannot be used with option '--prior/,
    );
    expect(gmm(['fit', 'iris.csv', '--stream', '--na', 'marginalize']).stderr).toMatch(
      /--na must be 'error' or 'drop' with a streamed source/,
    );
    expect(gmm(['predict', 'for-predict.json', 'iris.parquet', '--keep', 'species']).stderr).toMatch(
      /--keep must be left out with a Parquet or Arrow file/,
    );
  });
});

describe('gmm command line: errors', () => {
  const cases: [string, string, string[], number, RegExp][] = [
    ['a cell that is not a number', 'a,b,c\n1,2,3\n4,abc,6\n', ['fit', 'DATA'], 1, /^gmm: DATA:3:2: 'abc' is not a number$/],
    [
      'an empty cell',
      'a,b\n1,2\n3,\n',
      ['fit', 'DATA'],
      1,
      /^gmm: DATA:3:2: an empty cell is not a number \(a missing value: .*--na drop on the command line, leaves such rows out; .*--na marginalize.*\)$/,
    ],
    ['NaN and infinities', 'a,b\n1,2\n3,Infinity\n', ['fit', 'DATA'], 1, /^gmm: DATA:3:2: 'Infinity' is not a finite number$/],
    ['a ragged row', 'a,b,c\n1,2,3\n4,5\n', ['fit', 'DATA'], 1, /^gmm: DATA:3: expected 3 fields like the first row, found 2$/],
    ['an empty file', '', ['fit', 'DATA'], 1, /^gmm: DATA: the file is empty$/],
    ['a header and no rows', 'a,b\n', ['fit', 'DATA'], 1, /^gmm: DATA: no data rows \(only a header\)$/],
    [
      'more components than rows',
      'a\n1\n2\n3\n',
      ['fit', 'DATA', '-k', '5'],
      1,
      /^gmm: DATA: has 3 data rows: fitting 5 components needs at least 5$/,
    ],
    [
      'an unknown column',
      'a,b\n1,2\n3,4\n',
      ['fit', 'DATA', '--columns', 'zz'],
      1,
      /^gmm: DATA: no column named 'zz' \(columns: a, b\)$/,
    ],
    [
      'a picked column that is not numeric',
      'a,b\n1,x\n3,y\n',
      ['fit', 'DATA', '--columns', 'a,b'],
      1,
      /^gmm: DATA:2:2: 'x' is not a number$/,
    ],
    [
      'a negative weight',
      'a,w\n1,1\n2,-1\n3,1\n',
      ['fit', 'DATA', '--weight-column', 'w'],
      1,
      /^gmm: DATA:3:2: weight '-1' must be a finite number ≥ 0$/,
    ],
    [
      'collapsed components (duplicate rows, no regularization)',
      'a,b\n1,1\n1,1\n1,1\n4,-2\n4,-2\n4,-2\n',
      ['fit', 'DATA', '-k', '2', '--reg-covar', '0'],
      1,
      /^gmm: the covariance of component \d is not positive definite .*Increase --reg-covar \(now 0\), use fewer components, or scale the data\.$/,
    ],
    [
      'a bad option value',
      'a\n1\n2\n',
      ['fit', 'DATA', '-k', 'two'],
      2,
      /^gmm: option '-k, --components <n>' argument 'two' is invalid\. expected an integer ≥ 1, got 'two'$/,
    ],
    ['an unknown option', 'a\n1\n2\n', ['fit', 'DATA', '--colour'], 2, /^gmm: unknown option '--colour'$/],
    ['a missing argument', 'a\n1\n2\n', ['predict', 'DATA'], 2, /^gmm: missing required argument 'data'$/],
  ];
  it.each(cases)('%s', (_what, content, args, code, message) => {
    writeFileSync(join(dir, 'case.csv'), content);
    writeFileSync(join(dir, 'good.json'), '"a good file"');
    const r = gmm([...args.map((a) => (a === 'DATA' ? 'case.csv' : a)), '-o', 'good.json']);
    expect(r.code).toBe(code);
    expect(r.stderr.split('\n')[0]).toMatch(new RegExp(message.source.replaceAll('DATA', 'case\\.csv')));
    if (code === 1) expect(r.stderr.trim().split('\n')).toHaveLength(1); // one line
    if (code === 2) expect(r.stderr).toMatch(/Usage: gmm/); // with the usage
    expect(r.stdout).toBe('');
    expect(readFileSync(join(dir, 'good.json'), 'utf8')).toBe('"a good file"'); // never clobbered
    expectNoLeftovers();
  });

  it('names a model file that is not a gmm model, is corrupted, or does not fit the data', () => {
    gmm(['fit', 'iris.csv', '-k', '2', '-o', 'iris2.json']);
    writeFileSync(join(dir, 'sklearn.json'), '{"format": "sklearn"}');
    writeFileSync(join(dir, 'broken.json'), '{"format": "gmm.gaussian-mixture", ');
    const model = JSON.parse(readFileSync(join(dir, 'iris2.json'), 'utf8'));
    model.weights = [0.9, 0.9];
    writeFileSync(join(dir, 'tampered.json'), JSON.stringify(model));
    writeFileSync(join(dir, 'narrow.csv'), 'x,y\n1,2\n3,4\n');
    const expectations: [string[], RegExp][] = [
      [
        ['info', 'sklearn.json'],
        /^gmm: sklearn\.json: invalid model: format must be "gmm\.gaussian-mixture" \(this is not a gmm model file\); got "sklearn"$/,
      ],
      [['info', 'broken.json'], /^gmm: broken\.json: not a gmm model file: not valid JSON/],
      [['predict', 'tampered.json', 'iris.csv'], /^gmm: tampered\.json: invalid model: weights must sum to 1; they sum to 1\.8$/],
      [
        ['predict', 'iris2.json', 'narrow.csv'],
        /^gmm: narrow\.csv: has no columns named 'sepal_length', 'sepal_width', 'petal_length', 'petal_width', which the model in iris2\.json was fitted on \(the file's columns: x, y\): rename the columns, or choose the columns by name or position with --columns$/,
      ],
      [
        ['predict', 'iris2.json', 'narrow.csv', '--columns', 'x,y'],
        /^gmm: narrow\.csv: has 2 feature columns \(x, y\) but the model in iris2\.json has 4 features/,
      ],
      [['score', 'missing.json', 'iris.csv'], /^gmm: missing\.json: no such file$/],
      [
        ['fit', 'iris.csv', '-k', '2', '-o', 'no/such/folder/m.json'],
        /^gmm: no\/such\/folder\/m\.json: cannot be written \(no such folder\)$/,
      ],
    ];
    for (const [args, message] of expectations) {
      const r = gmm(args);
      expect(r.code, args.join(' ')).toBe(1);
      expect(r.stderr.trim()).toMatch(message);
    }
    expectNoLeftovers();
  });

  it('stops at once on Ctrl-C, by the signal (the shell says 130), nothing written', async () => {
    const { X } = makeBlobs({ nSamples: 200_000, nCenters: 8, nFeatures: 8, seed: 1 });
    writeFileSync(
      join(dir, 'large.csv'),
      `${toArrays(X)
        .map((r) => r.join(','))
        .join('\n')}\n`,
    );
    const child = spawn(
      process.execPath,
      [MAIN, 'fit', 'large.csv', '-k', '8', '--tol', '0', '--max-iter', '100000', '-o', 'large.json'],
      { cwd: dir },
    );
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    await new Promise((resolve) => setTimeout(resolve, 4000));
    child.kill('SIGINT');
    const signal = await new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_, s) => resolve(s)));
    expect(signal).toBe('SIGINT');
    expect(stderr).toBe('');
    expect(existsSync(join(dir, 'large.json'))).toBe(false);
    expectNoLeftovers();
  });
});

describe('the README’s command-line session', () => {
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
  const section = readme.slice(readme.indexOf('## Command line'), readme.indexOf('\n## ', readme.indexOf('## Command line') + 3));
  const lines = [...section.matchAll(/```sh\n([\s\S]*?)```/g)].flatMap((m) => m[1]!.trim().split('\n'));

  it('runs every line, in order, with exit code 0', () => {
    expect(lines.length).toBeGreaterThanOrEqual(8);
    const work = mkdtempSync(join(tmpdir(), 'gmm-readme-'));
    try {
      // `gmm` on the PATH is the built command line; data/ is the repository's.
      writeFileSync(join(work, 'gmm'), `#!/bin/sh\nexec "${process.execPath}" "${MAIN}" "$@"\n`, { mode: 0o755 });
      symlinkSync(fileURLToPath(new URL('../data', import.meta.url)), join(work, 'data'));
      for (const line of lines) {
        const r = spawnSync('sh', ['-c', line], {
          cwd: work,
          encoding: 'utf8',
          env: { ...process.env, PATH: `${work}:${process.env.PATH ?? ''}` },
          timeout: 60_000,
        });
        expect({ line, code: r.status, stderr: r.stderr }).toEqual({ line, code: 0, stderr: '' });
      }
      for (const file of ['blobs.json', 'assignments.csv', 'new-points.csv', 'best.json', 'soft.svg', 'bic.svg'])
        expect(existsSync(join(work, file)), file).toBe(true);
      expect(readFileSync(join(work, 'new-points.csv'), 'utf8').trim().split('\n')).toHaveLength(401);

      // The transcripts: `$ command` then its output (a line '…' marks an abridged part).
      const transcripts = [...section.matchAll(/```text\n([\s\S]*?)```/g)].flatMap((m) =>
        m[1]!.split(/^\$ /m).filter((t) => t.trim() !== ''),
      );
      expect(transcripts.length).toBeGreaterThanOrEqual(3);
      for (const transcript of transcripts) {
        const [command, ...shown] = transcript.trimEnd().split('\n');
        const cat = /^cat (\S+)$/.exec(command!);
        if (cat) {
          writeFileSync(join(work, cat[1]!), `${shown.join('\n')}\n`);
          continue;
        }
        const r = spawnSync('sh', ['-c', command!], {
          cwd: work,
          encoding: 'utf8',
          env: { ...process.env, PATH: `${work}:${process.env.PATH ?? ''}` },
        });
        const actual = `${r.stdout}${r.stderr}`.trimEnd().split('\n');
        expect(r.status, command).toBe(shown[0]?.startsWith('gmm:') ? 1 : 0);
        // Every shown line, in order, is a line of the real output.
        let at = 0;
        for (const line of shown.filter((l) => l !== '…')) {
          const found = actual.indexOf(line, at);
          expect(found, `${command}: ${line}`).toBeGreaterThanOrEqual(0);
          at = found + 1;
        }
      }
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  });
});
