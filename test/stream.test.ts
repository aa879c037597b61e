import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  GaussianMixture,
  KMeans,
  activeBackend,
  matrixSource,
  type CovarianceType,
  type DataSource,
  type KMeansModel,
} from '../src/node/index.js';
import { asMatrix, type Matrix } from '../src/matrix/matrix.js';
import { survey } from '../src/fit/survey.js';
import { stretchedBlobs } from './helpers/problems.js';

const TYPES: CovarianceType[] = ['full', 'tied', 'diag', 'spherical', 'VEI', 'EVV'];
// 6,000 rows: 12 chunks of 512 in memory; the sources below cut them otherwise.
const X = asMatrix(stretchedBlobs(6000, 3, 3, 1, 5));
const weights = Float64Array.from({ length: X.rows }, (_, i) => (i % 7 === 0 ? 0 : 1 + (i % 3)));

/** A source that yields the rows of X in chunks of the given sizes (cycled), copying each chunk. */
function ragged(M: Matrix, sizes: number[], w?: Float64Array): DataSource & { opened: number; closed: number } {
  const source = {
    cols: M.cols,
    opened: 0,
    closed: 0,
    async *chunks() {
      source.opened++;
      try {
        for (let start = 0, s = 0; start < M.rows; s++) {
          const end = Math.min(M.rows, start + sizes[s % sizes.length]!);
          yield {
            X: { rows: end - start, cols: M.cols, data: M.data.slice(start * M.cols, end * M.cols) },
            weights: w?.slice(start, end),
          };
          start = end;
        }
      } finally {
        source.closed++;
      }
    },
  };
  return source;
}

describe('fitAsync(source): streaming EM', () => {
  it.each(TYPES)('a %s fit of a source is bit-identical to the in-memory fit of its rows', async (covarianceType) => {
    const gm = new GaussianMixture({ nComponents: 3, covarianceType, nInit: 2, seed: 4 });
    const expected = JSON.stringify(gm.fit(X, { sampleWeight: weights }));
    expect(JSON.stringify(await gm.fitAsync(ragged(X, [1000, 7, 333], weights)))).toBe(expected);
    expect(JSON.stringify(await gm.fitAsync(matrixSource(X, { weights, chunkRows: 4096 })))).toBe(expected);
  });

  it('one pass per EM iteration, plus the survey; progress counts the rows of every pass', async () => {
    const source = ragged(X, [2500]);
    const passes = new Map<number, number>();
    const model = await new GaussianMixture({ nComponents: 3, seed: 1, tol: 1e-6 }).fitAsync(source, {
      onProgress: ({ pass, rows, totalRows }) => {
        expect(totalRows).toBe(X.rows);
        passes.set(pass, rows);
      },
    });
    expect(source.opened).toBe(model.nIter + 1);
    expect(source.closed).toBe(source.opened);
    expect([...passes.keys()]).toEqual(Array.from({ length: model.nIter }, (_, i) => i + 1));
    expect([...passes.values()].every((rows) => rows === X.rows)).toBe(true);
  });

  it('with a sample smaller than the source, EM still runs on every row: its lower bound is the score of all rows', async () => {
    const gm = new GaussianMixture({ nComponents: 3, seed: 2, tol: 1e-8, maxIter: 300 });
    const model = await gm.fitAsync(matrixSource(X, { chunkRows: 999 }), { sampleSize: 500 });
    expect(model.converged).toBe(true);
    // The last lower bound is the log-likelihood before the last M-step; one more E-step moves it by < tol.
    expect(Math.abs(model.score(X) - model.lowerBound)).toBeLessThan(1e-7);
    const inMemory = gm.fit(X);
    expect(Math.abs(model.score(X) - inMemory.score(X))).toBeLessThan(1e-6);
  });

  it('the sample: every row when the source has no more, else a seeded uniform sample in the source order', async () => {
    const all = await survey(matrixSource(X, { chunkRows: 777 }), { sampleSize: X.rows, seed: 0 });
    expect(all.sample.X.data).toEqual(X.data);
    const some = await survey(matrixSource(X, { chunkRows: 777 }), { sampleSize: 300, seed: 5 });
    const again = await survey(ragged(X, [13]), { sampleSize: 300, seed: 5 });
    expect(some.sample.rows).toEqual(again.sample.rows);
    expect(some.sample.rows.length).toBe(300);
    expect([...some.sample.rows].every((r, i, rows) => i === 0 || r > rows[i - 1]!)).toBe(true);
    for (let r = 0; r < 300; r++) {
      const row = some.sample.rows[r]!;
      expect(some.sample.X.data.subarray(r * 3, r * 3 + 3)).toEqual(X.data.subarray(row * 3, row * 3 + 3));
    }
    // Uniform: each tenth of the rows holds about a tenth of the sample.
    const deciles = new Array(10).fill(0);
    for (const row of some.sample.rows) deciles[Math.floor(row / 600)]++;
    expect(Math.min(...deciles)).toBeGreaterThan(10);
    expect(Math.max(...deciles)).toBeLessThan(55);
  });

  it('the mean and variances of a survey are those of the rows, however they are chunked', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.integer({ min: 1, max: 2000 }), { minLength: 1, maxLength: 5 }), async (sizes) => {
        const s = await survey(ragged(X, sizes, weights), { sampleSize: 100, seed: 1 });
        let total = 0;
        const mean = [0, 0, 0];
        for (let i = 0; i < X.rows; i++) {
          total += weights[i]!;
          for (let a = 0; a < 3; a++) mean[a]! += weights[i]! * X.data[i * 3 + a]!;
        }
        for (let a = 0; a < 3; a++) expect(s.dataMean[a]).toBe(mean[a]! / total);
        const variance = [0, 1, 2].map((a) => {
          let v = 0;
          for (let i = 0; i < X.rows; i++) v += weights[i]! * (X.data[i * 3 + a]! - mean[a]! / total) ** 2;
          return v / total;
        });
        for (let a = 0; a < 3; a++) expect(s.columnVariance[a]).toBeCloseTo(variance[a]!, 9);
        expect(s.rows).toBe(X.rows);
      }),
      { numRuns: 20 },
    );
  });

  it('a bad value names its row and column in the whole source, and the pass closes the source', async () => {
    const bad = asMatrix(X);
    const data = bad.data.slice();
    data[4321 * 3 + 2] = Number.NaN;
    const source = ragged({ ...bad, data }, [1000]);
    await expect(new GaussianMixture({ nComponents: 2 }).fitAsync(source)).rejects.toThrow(/row 4321, column 2/);
    expect(source.closed).toBe(source.opened);
  });

  it('a source whose rows change between passes is refused', async () => {
    let pass = 0;
    const source: DataSource = {
      cols: 3,
      async *chunks() {
        pass++;
        yield { X: { rows: pass === 1 ? X.rows : 100, cols: 3, data: X.data.subarray(0, (pass === 1 ? X.rows : 100) * 3) } };
      },
    };
    await expect(new GaussianMixture({ nComponents: 2 }).fitAsync(source)).rejects.toThrow(/same rows on every pass/);
  });

  it('an abort stops the fit between blocks and closes the source', async () => {
    const controller = new AbortController();
    const source = ragged(X, [100]);
    const fit = new GaussianMixture({ nComponents: 3, tol: 0, maxIter: 1000 }).fitAsync(source, {
      signal: controller.signal,
      onProgress: ({ pass }) => {
        if (pass === 3) controller.abort(new Error('stop'));
      },
    });
    await expect(fit).rejects.toThrow('stop');
    expect(source.opened).toBeLessThanOrEqual(5);
    expect(source.closed).toBe(source.opened);
  });

  it('standardize: two more passes for the scaler, then the bits of the in-memory fit of the standardized rows', async () => {
    // Columns on scales 1e4 apart and offset, so that standardizing changes the fit.
    const wide = asMatrix(
      Array.from({ length: X.rows }, (_, i) => [X.data[i * 3]! * 1e4 + 3e5, X.data[i * 3 + 1]!, X.data[i * 3 + 2]! / 100]),
    );
    for (const covarianceType of ['full', 'diag', 'VEI'] as const) {
      const gm = new GaussianMixture({ nComponents: 3, covarianceType, standardize: true, seed: 3 });
      const expected = gm.fit(wide, { sampleWeight: weights });
      const source = ragged(wide, [1000, 7, 333], weights);
      const streamed = await gm.fitAsync(source);
      expect(streamed.scaler).toEqual(expected.scaler);
      expect(JSON.stringify(streamed)).toBe(JSON.stringify(expected));
      expect(source.opened).toBe(streamed.nIter + 3); // the scaler's two passes, the survey, the E-steps
      expect(source.closed).toBe(source.opened);
      // Summed over the source's chunks, not memory's: equal to rounding.
      const criteria = await streamed.criteriaAsync(source);
      const inMemory = expected.criteria(wide, { sampleWeight: weights });
      for (const key of ['logLikelihood', 'bic', 'aic', 'icl'] as const)
        expect(Math.abs(criteria[key] - inMemory[key])).toBeLessThan(1e-12 * Math.abs(inMemory[key]));
    }
    const km = new KMeans({ nClusters: 3, standardize: true, seed: 1 });
    const kExpected = km.fit(wide);
    const kStreamed = await km.fitAsync(ragged(wide, [2048]));
    expect(kStreamed.scaler).toEqual(kExpected.scaler);
    expect([...kStreamed.labels]).toEqual([...kExpected.labels]);
    kExpected.centers.data.forEach((v, i) =>
      expect(Math.abs(kStreamed.centers.data[i]! - v)).toBeLessThan(1e-9 * Math.max(1, Math.abs(v))),
    );
    // A bad value is named in the data's units, by the scaler's first pass.
    const bad = wide.data.slice();
    bad[4000 * 3 + 1] = Number.NaN;
    await expect(
      new GaussianMixture({ nComponents: 2, standardize: true }).fitAsync(
        ragged({ rows: wide.rows, cols: 3, data: bad }, [1500]),
      ),
    ).rejects.toThrow(/row 4000, column 1/);
  });

  it('refuses what a source cannot do yet, naming the option', async () => {
    await expect(new GaussianMixture({}).fitAsync(matrixSource(X), { sampleWeight: [1] } as never)).rejects.toThrow(
      /sampleWeight/,
    );
    await expect(new GaussianMixture({ nComponents: 2 }).fitAsync(matrixSource(X), { sampleSize: 1 })).rejects.toThrow(
      /sampleSize/,
    );
  });
});

describe('fitAsync(source) of more than one block: the E-steps on workers while the next block is read', () => {
  // 4.8 million values: more than one block of 4,194,304, so the blocks go to worker threads.
  const big = asMatrix(stretchedBlobs(600_000, 8, 3, 1, 9));

  it.each<CovarianceType>(['full', 'diag'])('%s: bit-identical to fit on 1 and 2 workers', async (covarianceType) => {
    const gm = new GaussianMixture({
      nComponents: 3,
      covarianceType,
      seed: 1,
      tol: 0,
      maxIter: 3,
      initParams: 'random_from_data',
    });
    const expected = JSON.stringify(gm.fit(big));
    for (const threads of [1, 2]) {
      const model = await gm.fitAsync(matrixSource(big, { chunkRows: 100_000 }), { threads, sampleSize: big.rows });
      expect(JSON.stringify(model)).toBe(expected);
    }
  });

  it('an abort in the middle of a pass stops the workers and closes the source', async () => {
    const controller = new AbortController();
    const source = ragged(big, [50_000]);
    const fit = new GaussianMixture({ nComponents: 3, tol: 0, maxIter: 100, initParams: 'random_from_data' }).fitAsync(source, {
      threads: 2,
      signal: controller.signal,
      onProgress: ({ pass }) => {
        if (pass === 2) controller.abort(new Error('stop'));
      },
    });
    await expect(fit).rejects.toThrow('stop');
    expect(source.closed).toBe(source.opened);
  });
});

describe('KMeans.fitAsync(source): Lloyd with one pass per iteration', () => {
  // The WebAssembly assignment moves rows between the sums of the last one (their bounds and sums per chunk are state
  // of the bound rows); a stream recomputes the sums at every pass. So the two agree to rounding there, and bit for bit
  // on the TypeScript kernels, which recompute them too.
  const exact = activeBackend() === 'typescript';
  function expectSame(streamed: KMeansModel, expected: KMeansModel): void {
    expect([...streamed.labels]).toEqual([...expected.labels]);
    expect(streamed.nIter).toBe(expected.nIter);
    if (exact) {
      expect(streamed.centers.data).toEqual(expected.centers.data);
      expect(streamed.inertia).toBe(expected.inertia);
      return;
    }
    expected.centers.data.forEach((v, i) =>
      expect(Math.abs(streamed.centers.data[i]! - v)).toBeLessThan(1e-10 * Math.max(1, Math.abs(v))),
    );
    expect(Math.abs(streamed.inertia - expected.inertia)).toBeLessThan(1e-10 * expected.inertia);
  }

  it('equals the in-memory fit, with and without weights, however the source chunks', async () => {
    for (const w of [undefined, weights]) {
      const km = new KMeans({ nClusters: 4, nInit: 3, seed: 2 });
      expectSame(await km.fitAsync(ragged(X, [1000, 7, 333], w)), km.fit(X, w ? { sampleWeight: w } : {}));
    }
  });

  it('relocates an empty cluster to the farthest row, as in memory', async () => {
    // The third center starts far from every row: its cluster is empty at the first assignment.
    const init = [
      [0, 0, 0],
      [5, 5, 5],
      [1e3, 1e3, 1e3],
    ];
    const km = new KMeans({ nClusters: 3, init, seed: 0 });
    const expected = km.fit(X);
    expect(Math.min(...expected.centers.data)).toBeGreaterThan(-100); // the far center moved to the data
    expectSame(await km.fitAsync(ragged(X, [900])), expected);
  });

  it('with a seeding sample smaller than the source, the inertia is still that of every row', async () => {
    const model = await new KMeans({ nClusters: 3, seed: 1 }).fitAsync(matrixSource(X, { chunkRows: 500 }), { sampleSize: 200 });
    let inertia = 0;
    for (let i = 0; i < X.rows; i++) {
      const c = model.labels[i]!;
      for (let a = 0; a < 3; a++) inertia += (X.data[i * 3 + a]! - model.centers.data[c * 3 + a]!) ** 2;
    }
    expect(Math.abs(model.inertia - inertia)).toBeLessThan(1e-9 * inertia);
    expect(model.labels.length).toBe(X.rows);
  });
});
