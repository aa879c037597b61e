/**
 * The noise component (`noise`, mclust's `initialization = list(noise = ...)`):
 * its hypervolume is mclust's `hypvol`, EM from mclust's start reaches
 * mclust's optimum for every model but VVE (fixtures made by
 * test/fixtures/mclust/generate-noise.R), the kernels (TypeScript,
 * WebAssembly, workers) agree, EM never decreases the log-likelihood, and the
 * model scores, predicts, samples and saves its noise.
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { unflaggedRows } from '../src/estimators/mixtureNoise.js';
import { fitData } from '../src/fit/init.js';
import { hierarchyPartition, hierarchyVVV, svdScaled } from '../src/fit/hierarchical.js';
import {
  GaussianMixture,
  GaussianMixtureModel,
  GaussianMixtureRegressor,
  InvalidParameterError,
  MCLUST_MODELS,
  ModelFormatError,
  Random,
  makeBlobs,
  selectModel,
  setBackend,
  type CovarianceType,
  type MclustModel,
} from '../src/index.js';
import { matrix, type Matrix } from '../src/matrix/matrix.js';
import { hypervolume } from '../src/mixture/noise.js';

interface NoiseCell {
  model: MclustModel;
  G: number;
  parameters: number;
  loglik: number | null;
  bic: number | null;
  noiseProportion: number | null;
  noiseRows: number | null;
}
interface NoiseDataset {
  name: string;
  n: number;
  d: number;
  data: number[][];
  flags: boolean[];
  hypervolume: number;
  hcLabels: number[][];
  cells: NoiseCell[];
  mclustBIC: Record<MclustModel, (number | null)[]>;
}
const fixture = JSON.parse(readFileSync(new URL('./fixtures/mclust/noise.json', import.meta.url), 'utf8')) as {
  mclust: string;
  datasets: NoiseDataset[];
};
const datasets = fixture.datasets.map((ds) => ({ ...ds, X: matrix(ds.n, ds.d, Float64Array.from(ds.data.flat())) }));
const relative = (a: number, b: number) => Math.abs(a - b) / Math.abs(b);

/** EM from mclust's start with its noise rows flagged, stopping as the fixtures' me() did (relative change 1e-11). */
function noiseFit(X: Matrix, flags: boolean[], k: number, type: CovarianceType, logL: number) {
  return new GaussianMixture({
    nComponents: k,
    covarianceType: type,
    regCovar: 0,
    tol: (1e-11 * Math.abs(logL)) / X.rows,
    maxIter: 100000,
    initParams: 'hc',
    noise: { initial: flags },
  }).fit(X);
}

afterEach(() => setBackend('auto'));

describe(`the noise component against mclust ${fixture.mclust}`, () => {
  for (const ds of datasets) {
    describe(ds.name, () => {
      it('the hypervolume is mclust’s hypvol(X)', () => {
        expect(relative(Math.exp(hypervolume(ds.X, null).logVolume), ds.hypervolume)).toBeLessThan(1e-12);
      });
      it('the start partitions the rows not flagged as mclust’s hc of them does', () => {
        const flags = Uint8Array.from(ds.flags, (f) => (f ? 1 : 0));
        const { subset } = unflaggedRows(fitData(ds.X, null), flags);
        const h = hierarchyVVV(svdScaled(subset.X));
        for (let k = 1; k <= 5; k++) expect(Array.from(hierarchyPartition(h, k)), `k=${k}`).toEqual(ds.hcLabels[k - 1]);
      });
      for (const type of MCLUST_MODELS.filter((t) => t !== 'VVE')) {
        it(`${type}, k = 1..5: log-likelihood, BIC, noise proportion and noise rows are mclust's`, () => {
          for (const c of ds.cells.filter((c) => c.model === type && c.loglik !== null)) {
            const model = noiseFit(ds.X, ds.flags, c.G, type, c.loglik!);
            const logL = model.score(ds.X) * ds.n;
            expect(relative(logL, c.loglik!), `${type} G=${c.G}: ${logL} vs ${c.loglik}`).toBeLessThan(1e-8);
            expect(model.nParameters).toBe(c.parameters);
            expect(relative(-model.bic(ds.X), c.bic!)).toBeLessThan(1e-8);
            // Parameters converge as the square root of the log-likelihood: 1e-11 in it leaves ~1e-6 in them.
            expect(Math.abs(model.noise!.weight - c.noiseProportion!)).toBeLessThan(1e-5);
            expect(model.predict(ds.X).filter((l) => l === -1).length).toBe(c.noiseRows);
          }
        });
      }
      it('selection with the noise picks mclustBIC’s best model (VVE left out, see mclust.test.ts)', () => {
        const types = MCLUST_MODELS.filter((t) => t !== 'VVE');
        let theirs = { model: '', G: 0, bic: -Infinity };
        for (const m of types) {
          ds.mclustBIC[m].forEach((v, g) => {
            if (v !== null && v > theirs.bic) theirs = { model: m, G: g + 1, bic: v };
          });
        }
        const { best } = selectModel(ds.X, {
          covarianceTypes: types,
          nComponents: [1, 2, 3, 4, 5],
          initParams: 'hc',
          nInit: 1,
          tol: 1e-9,
          noise: { initial: ds.flags },
        });
        expect(`${best.covarianceType},${best.nComponents}`).toBe(`${theirs.model},${theirs.G}`);
        const converged = ds.cells.find((c) => c.model === theirs.model && c.G === theirs.G)!;
        expect(relative(best.bicMclust, converged.bic!)).toBeLessThan(1e-6);
      });
    });
  }
});

/** Blobs with uniform noise over their box, in d columns. */
function noisy(d: number, seed: number, n = 300, outliers = 60): Matrix {
  const { X } = makeBlobs({ nSamples: n, nFeatures: d, nCenters: 3, clusterStd: 0.8, seed });
  const rng = new Random(seed + 1);
  const data = new Float64Array((n + outliers) * d);
  data.set(X.data);
  for (let i = n * d; i < data.length; i++) data[i] = -12 + 24 * rng.uniform();
  return matrix(n + outliers, d, data);
}

describe('the kernels agree with a noise component', () => {
  for (const d of [2, 8, 40]) {
    for (const type of ['full', 'tied', 'diag', 'spherical'] as const) {
      it(`${type}, d = ${d}: TypeScript, WebAssembly and 2 workers give the same fit`, async () => {
        const X = noisy(d, d);
        const gm = new GaussianMixture({ nComponents: 3, covarianceType: type, noise: true, seed: 1, maxIter: 30, tol: 0 });
        setBackend('typescript');
        const ts = gm.fit(X);
        setBackend('wasm');
        const wasm = gm.fit(X);
        const pooled = await gm.fitAsync(X, { threads: 2 });
        expect(pooled.lowerBounds).toEqual(wasm.lowerBounds);
        expect(Array.from(pooled.means.data)).toEqual(Array.from(wasm.means.data));
        expect(pooled.noise!.weight).toBe(wasm.noise!.weight);
        for (let t = 0; t < ts.lowerBounds.length; t++) {
          expect(Math.abs(ts.lowerBounds[t]! - wasm.lowerBounds[t]!)).toBeLessThan(1e-9 * Math.abs(ts.lowerBounds[t]!));
        }
        expect(Math.abs(ts.noise!.weight - wasm.noise!.weight)).toBeLessThan(1e-9);
        expect(ts.noise!.weight).toBeGreaterThan(0.05);
        expect(Math.abs(ts.score(X) - wasm.score(X))).toBeLessThan(1e-9 * Math.abs(ts.score(X)));
      });
    }
  }
});

describe('EM with a noise component never decreases the log-likelihood', () => {
  for (const type of ['VVV', 'EEE', 'VEI', 'EII', 'EVE', 'VEV'] as const) {
    it(type, () => {
      fc.assert(
        fc.property(
          fc.integer({ min: 1, max: 4 }),
          fc.integer({ min: 1, max: 4 }),
          fc.integer({ min: 0, max: 1000 }),
          (k, d, seed) => {
            const X = noisy(d, seed, 120, 30);
            const model = new GaussianMixture({
              nComponents: k,
              covarianceType: type,
              noise: true,
              regCovar: 1e-6,
              tol: 0,
              maxIter: 30,
              seed,
            }).fit(X);
            const bounds = model.lowerBounds;
            for (let t = 1; t < bounds.length; t++) {
              expect(bounds[t]! - bounds[t - 1]!, `iteration ${t + 1}`).toBeGreaterThanOrEqual(-1e-10 * Math.abs(bounds[t]!));
            }
          },
        ),
        { numRuns: 20, seed: 5 },
      );
    });
  }
});

describe('a model with a noise component', () => {
  const X = noisy(2, 3);
  const model = new GaussianMixture({ nComponents: 3, noise: true, seed: 0 }).fit(X);
  it('predicts −1 for noise rows and gives the noise the last column of predictProba', () => {
    const labels = model.predict(X);
    const proba = model.predictProba(X);
    expect(proba.cols).toBe(4);
    for (let i = 0; i < X.rows; i++) {
      let sum = 0;
      let best = 0;
      for (let j = 0; j < 4; j++) {
        sum += proba.data[i * 4 + j]!;
        if (proba.data[i * 4 + j]! > proba.data[i * 4 + best]!) best = j;
      }
      expect(Math.abs(sum - 1)).toBeLessThan(1e-12);
      expect(labels[i]).toBe(best === 3 ? -1 : best);
    }
    // Most of the 60 uniform rows are noise, few of the 300 blob rows.
    const tail = Array.from(labels.subarray(300));
    expect(tail.filter((l) => l === -1).length).toBeGreaterThan(40);
    expect(Array.from(labels.subarray(0, 300)).filter((l) => l === -1).length).toBeLessThan(15);
  });
  it('weights and noise weight sum to 1; its density is π₀/V plus the Gaussians’', () => {
    const total = Array.from(model.weights).reduce((a, b) => a + b, 0) + model.noise!.weight;
    expect(Math.abs(total - 1)).toBeLessThan(1e-12);
    const without = new GaussianMixtureModel({ ...model.mixtureParameters, noise: undefined } as never, {
      converged: true,
      nIter: 0,
      lowerBound: 0,
      lowerBounds: [],
    });
    const far = [[1e3, 1e3]];
    // Far from every Gaussian, the density is the noise's alone.
    expect(Math.abs(model.scoreSamples(far)[0]! - (Math.log(model.noise!.weight) + model.noise!.logDensity))).toBeLessThan(1e-12);
    const near = [[model.means.data[0]!, model.means.data[1]!]];
    const expected = Math.log(Math.exp(without.scoreSamples(near)[0]!) + model.noise!.weight * Math.exp(model.noise!.logDensity));
    expect(Math.abs(model.scoreSamples(near)[0]! - expected)).toBeLessThan(1e-12);
  });
  it('samples noise points uniformly from its box, labelled −1', () => {
    const { X: drawn, labels } = model.sample(4000, { seed: 2 });
    const noise = Array.from(labels).filter((l) => l === -1).length;
    expect(Math.abs(noise / 4000 - model.noise!.weight)).toBeLessThan(0.03);
    const box = model.noise!.box!;
    for (let i = 0; i < 4000; i++) {
      if (labels[i] !== -1) continue;
      for (let r = 0; r < 2; r++) {
        let t = 0;
        for (let a = 0; a < 2; a++) t += box.axes[r * 2 + a]! * (drawn.data[i * 2 + a]! - box.center[a]!);
        expect(Math.abs(t)).toBeLessThanOrEqual(box.sides[r]! / 2 + 1e-9);
      }
    }
  });
  it('survives its JSON file', () => {
    const again = GaussianMixtureModel.fromJSON(JSON.parse(JSON.stringify(model)));
    expect(again.noise).toEqual(model.noise);
    expect(again.score(X)).toBe(model.score(X));
    expect(again.nParameters).toBe(model.nParameters);
    const bad = { ...model.toJSON(), noise: { weight: 2, logDensity: 0 } };
    expect(() => GaussianMixtureModel.fromJSON(bad)).toThrow(ModelFormatError);
    const unbalanced = { ...model.toJSON(), noise: { weight: 0.5, logDensity: -3 } };
    expect(() => GaussianMixtureModel.fromJSON(unbalanced)).toThrow(/must sum to 1 with noise\.weight/);
  });
  it('standardized: a given hypervolume is in the data’s units', () => {
    const V = 24 * 24;
    const raw = new GaussianMixture({ nComponents: 3, noise: { hypervolume: V }, seed: 0 }).fit(X);
    const scaled = new GaussianMixture({ nComponents: 3, noise: { hypervolume: V }, seed: 0, standardize: true }).fit(X);
    expect(raw.noise!.logDensity).toBeCloseTo(-Math.log(V), 12);
    const far = [[1e3, 1e3]];
    expect(Math.abs(scaled.scoreSamples(far)[0]! - (Math.log(scaled.noise!.weight) - Math.log(V)))).toBeLessThan(1e-9);
    expect(() => raw.sample(10)).toThrow(/given hypervolume/);
  });
  it('refuses what needs Gaussian marginals, and bad options', () => {
    expect(() => model.marginal([0])).toThrow(/noise component/);
    expect(() => model.condition([0], [1])).toThrow(/noise component/);
    expect(() => model.impute([[NaN, 1]])).toThrow(/noise component/);
    expect(() => new GaussianMixture({ noise: true, missing: 'marginalize' })).toThrow(/missing: 'marginalize'/);
    expect(() => new GaussianMixtureRegressor({ noise: true })).toThrow(/noise/);
    expect(() => new GaussianMixture({ noise: 'yes' as never })).toThrow(InvalidParameterError);
    expect(() => new GaussianMixture({ noise: { initialWeight: 1 } })).toThrow(/noise\.initialWeight/);
    expect(() => new GaussianMixture({ noise: { hypervolume: 0 } })).toThrow(/noise\.hypervolume/);
    expect(() => new GaussianMixture({ noise: { initial: [true], initialWeight: 0.2 } })).toThrow(/one of them/);
    expect(() => new GaussianMixture({ noise: { initial: [true, false] } }).fit(X)).toThrow(
      /noise\.initial.*one boolean per row \(360\)/,
    );
    expect(() => new GaussianMixture({ noise: { initial: Array(360).fill(true) } }).fit(X)).toThrow(/some rows not in the noise/);
    expect(() =>
      new GaussianMixture({ noise: true }).fit([
        [1, 2],
        [1, 3],
        [1, 4],
      ]),
    ).toThrow(/hypervolume is 0/);
    expect(() => new GaussianMixture({ nComponents: 3 }).fit(X, { initModel: model })).toThrow(/noise component/);
    // A warm start from a noise model continues it.
    const warm = new GaussianMixture({ nComponents: 3, noise: true, maxIter: 5 }).fit(X, { initModel: model });
    expect(warm.noise!.weight).toBeGreaterThan(0);
  });
});
