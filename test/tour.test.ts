import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { tour } from '../examples/tour.js';
import { GaussianMixtureModel } from '../src/index.js';
import { expectCommittedFigure } from './helpers/figures.js';

const sklearn = JSON.parse(readFileSync(new URL('./fixtures/handbook/sklearn.json', import.meta.url), 'utf8')) as {
  covarianceBic: Record<string, number>;
};

describe('the tour (npm start)', async () => {
  const result = await tour();

  it('shows the mixture recovering the stretched clusters that k-means cuts', () => {
    expect(result.ari.kmeans).toBeCloseTo(0.8131, 3);
    expect(result.ari.gmm).toBeCloseTo(0.9866, 3);
    expect(result.ari.gmm - result.ari.kmeans).toBeGreaterThan(0.15);
  });

  it('finds the uncertain points', () => {
    expect(result.uncertain).toBe(6);
  });

  it('chooses 4 tied components by BIC, with scikit-learn’s BIC for that model', () => {
    expect(result.best.k).toBe(4);
    expect(result.best.type).toBe('tied');
    expect(result.best.bic).toBeCloseTo(sklearn.covarianceBic.tied!, 2);
    expect(result.best.ari).toBeGreaterThan(0.99);
  });

  it('draws new points with the data’s moments', () => {
    const { data, samples } = result.sampleCheck;
    for (let c = 0; c < 2; c++) {
      expect(Math.abs(samples.mean[c]! - data.mean[c]!)).toBeLessThan(0.2);
      expect(Math.abs(samples.std[c]! / data.std[c]! - 1)).toBeLessThan(0.06);
    }
    expect(Math.abs(samples.correlation - data.correlation)).toBeLessThan(0.02);
  });

  it('prints every section and writes figures, models and the summary', () => {
    for (const heading of [
      '1. k-means vs a Gaussian mixture',
      '2. Soft assignment',
      '3. How many components',
      '4. The chosen model',
    ])
      expect(result.text).toContain(heading);
    const names = Object.keys(result.files);
    expect(names.filter((f) => f.endsWith('.svg'))).toHaveLength(6);
    expect(names).toContain('model-best-tied-k4.json');
    const model = GaussianMixtureModel.fromJSON(JSON.parse(result.files['model-best-tied-k4.json']!));
    expect(model.covarianceType).toBe('tied');
    expect(model.featureNames).toEqual(['x', 'y']);
    expect(result.files['summary.txt']).toContain(result.text.split('\n')[0]);
    for (const [file, svg] of Object.entries(result.files)) if (file.endsWith('.svg')) expectCommittedFigure(svg, `tour/${file}`);
  });

  it('runs as a program: prints the summary and names the folder it wrote', async () => {
    const out = mkdtempSync(join(tmpdir(), 'gmm-tour-'));
    try {
      const { stdout } = await promisify(execFile)(
        process.execPath,
        ['--import', 'tsx', new URL('../examples/tour.ts', import.meta.url).pathname, '--out', out],
        { cwd: new URL('..', import.meta.url).pathname },
      );
      expect(stdout).toContain('gmm tour:');
      expect(stdout).toContain(`Wrote 9 files to`);
      expect(stdout).toContain(out);
      expect(readdirSync(out).sort()).toEqual(Object.keys(result.files).sort());
      expect(existsSync(join(out, '3-bic.svg'))).toBe(true);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});
