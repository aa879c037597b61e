import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { activeBackend, GaussianMixture, matrix, Random, setBackend, wasmBuild, type CovarianceType } from '../src/index.js';
import { covarianceStrategy } from '../src/mixture/covariance/index.js';
import { createEngine, expectation, forEachLogProbChunk } from '../src/engines/mixtureEngine.js';
import { WasmEngine } from '../src/engines/wasmEngine.js';
import { chunkRows } from '../src/matrix/chunks.js';
import { freshKernels } from '../src/kernels/loader.js';
import type { MixtureParameters } from '../src/mixture/parameters.js';
import type { SufficientStatistics } from '../src/mixture/statistics.js';
import { stretchedBlobs } from './helpers/problems.js';

const TYPES: CovarianceType[] = ['full', 'tied', 'diag', 'spherical'];

/** Random parameters: means at random rows, random SPD covariances, random weights. */
function randomParameters(type: CovarianceType, X: number[][], k: number, rng: Random): MixtureParameters {
  const d = X[0]!.length;
  const strategy = covarianceStrategy(type);
  const raw = Array.from({ length: k }, () => 0.2 + rng.uniform());
  const sum = raw.reduce((a, b) => a + b, 0);
  const means = Float64Array.from(Array.from({ length: k }, () => X[rng.integer(X.length)]!).flat());
  const covariances = new Float64Array(strategy.covarianceLength(k, d));
  const blocks = type === 'full' ? k : type === 'tied' ? 1 : 0;
  for (let b = 0; b < blocks; b++) {
    const A = Array.from({ length: d * d }, () => rng.normal() / Math.sqrt(d));
    for (let i = 0; i < d; i++) {
      for (let j = 0; j < d; j++) {
        let s = i === j ? 0.2 : 0;
        for (let m = 0; m < d; m++) s += A[i * d + m]! * A[j * d + m]!;
        covariances[b * d * d + i * d + j] = s;
      }
    }
  }
  if (type === 'diag' || type === 'spherical') for (let i = 0; i < covariances.length; i++) covariances[i] = 0.3 + rng.uniform();
  const precisionsCholesky = new Float64Array(covariances.length);
  expect(strategy.precisionCholesky(covariances, k, d, precisionsCholesky)).toBe(-1);
  return {
    covarianceType: type,
    nComponents: k,
    nFeatures: d,
    weights: Float64Array.from(raw, (w) => w / sum),
    means,
    covariances,
    precisionsCholesky,
  };
}

function statistics(
  backend: 'wasm' | 'typescript',
  p: MixtureParameters,
  X: number[][],
  weights: Float64Array | null,
  dataMean: Float64Array,
): SufficientStatistics {
  const strategy = covarianceStrategy(p.covarianceType);
  const data = matrix(X.length, p.nFeatures, Float64Array.from(X.flat()));
  // A fresh instance with minimal memory: a kernel overrunning its regions faults instead of reading leftovers.
  const fresh = backend === 'wasm' ? freshKernels() : null;
  const engine = fresh
    ? new WasmEngine(fresh, strategy, data, weights, p.nComponents, 0, chunkRows(data.rows))
    : createEngine(strategy, data, weights, p.nComponents, 0, backend);
  try {
    return expectation(engine, strategy, p, strategy.statisticsCenters(p.means, dataMean, p.nComponents, p.nFeatures));
  } finally {
    engine.release();
  }
}

/** |a − b| ≤ 1e-12 · (largest magnitude in the array), for each array of the statistics. */
function expectAgreement(a: SufficientStatistics, b: SufficientStatistics): void {
  for (const key of ['weight', 'first', 'second'] as const) {
    const x = a[key];
    const y = b[key];
    let scale = 0;
    for (let i = 0; i < y.length; i++) scale = Math.max(scale, Math.abs(y[i]!));
    for (let i = 0; i < y.length; i++) {
      if (!(Math.abs(x[i]! - y[i]!) <= 1e-12 * scale))
        expect.fail(`${key}[${i}]: wasm ${x[i]} vs typescript ${y[i]} (scale ${scale})`);
    }
  }
  expect(Math.abs(a.logLikelihood - b.logLikelihood)).toBeLessThanOrEqual(1e-12 * Math.abs(b.logLikelihood));
  expect(a.totalWeight).toBeCloseTo(b.totalWeight, 9);
  expect(Math.abs(a.entropy - b.entropy)).toBeLessThanOrEqual(1e-12 * (Math.abs(b.entropy) + b.totalWeight));
}

/**
 * −Σ w Σₖ r log r by its definition, from the scoring path's log-densities; and Σ w·(1 + |log p|), the scale
 * of its rounding (the two paths' log-densities agree to 1e-12 of their size, not absolutely).
 */
function entropyByDefinition(
  p: MixtureParameters,
  X: number[][],
  weights: Float64Array | null,
): { entropy: number; scale: number } {
  const k = p.nComponents;
  const data = matrix(X.length, p.nFeatures, Float64Array.from(X.flat()));
  let entropy = 0;
  let scale = 0;
  forEachLogProbChunk(covarianceStrategy(p.covarianceType), p, data, (block, start, end) => {
    for (let i = start; i < end; i++) {
      const w = weights ? weights[i]! : 1;
      const row = Array.from(block.subarray((i - start) * k, (i - start + 1) * k));
      const max = Math.max(...row);
      const lse = max + Math.log(row.reduce((s, v) => s + Math.exp(v - max), 0));
      for (const v of row) if (v > -Infinity) entropy -= w * Math.exp(v - lse) * (v - lse);
      scale += w * (1 + Math.abs(lse));
    }
  });
  return { entropy, scale };
}

describe('WebAssembly and TypeScript kernels', () => {
  it('the WebAssembly kernels load here', () => {
    setBackend('auto');
    expect(activeBackend()).toBe('wasm');
    expect(['simd', 'relaxed-simd']).toContain(wasmBuild());
  });

  it('agree to 1e-12 on random problems of every covariance type, d 1–70, k 1–20, the entropy with its definition', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...TYPES),
        fc.integer({ min: 1, max: 70 }),
        fc.integer({ min: 1, max: 20 }),
        fc.integer({ min: 1, max: 1200 }),
        fc.nat(),
        fc.boolean(),
        (type, d, k, n, seed, weighted) => {
          const rng = new Random(seed);
          const X = stretchedBlobs(Math.max(n, k), d, Math.min(k, 6), 0.5 + 2 * rng.uniform(), seed);
          // A few rows far from everything: responsibilities that underflow to exactly 0.
          for (let i = 0; i < X.length; i += 97) X[i] = X[i]!.map((v) => v * 30);
          const weights = weighted ? Float64Array.from(X, (_, i) => (i % 5 === 0 ? 0 : rng.uniform() * 3)) : null;
          if (weights) weights[0] = 1;
          const p = randomParameters(type, X, k, rng);
          const dataMean = new Float64Array(d);
          for (const row of X) for (let a = 0; a < d; a++) dataMean[a] += row[a]! / X.length;
          const wasm = statistics('wasm', p, X, weights, dataMean);
          const ts = statistics('typescript', p, X, weights, dataMean);
          expectAgreement(wasm, ts);
          const { entropy, scale } = entropyByDefinition(p, X, weights);
          expect(Math.abs(ts.entropy - entropy)).toBeLessThanOrEqual(1e-12 * scale);
        },
      ),
      { numRuns: 150, seed: 11 },
    );
  });

  it('the f32 full kernel (dtype float32) gives the f64 statistics of the rounded rows to single precision, d 5–70, k 1–12', () => {
    const strategy = covarianceStrategy('full');
    fc.assert(
      fc.property(
        fc.integer({ min: 5, max: 70 }),
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 1, max: 3000 }),
        fc.nat(),
        (d, k, n, seed) => {
          const rng = new Random(seed);
          const rows = stretchedBlobs(Math.max(n, k), d, Math.min(k, 6), 0.5 + 2 * rng.uniform(), seed);
          const X = rows.map((row) => Array.from(new Float32Array(row)));
          const p = randomParameters('full', X, k, rng);
          const data = matrix(X.length, d, Float64Array.from(X.flat()));
          const fresh = freshKernels()!;
          const single = new WasmEngine(fresh, strategy, data, null, k, 0, chunkRows(data.rows), false, true);
          expect(single.single).toBe(true);
          let a: SufficientStatistics;
          try {
            // Twice: the second E-step runs the pruned path (d ≥ 32) guided by the first one's best components.
            expectation(single, strategy, p, p.means);
            a = expectation(single, strategy, p, p.means);
          } finally {
            single.release();
          }
          const b = statistics('typescript', p, X, null, new Float64Array(d));
          expect(Array.from(a.centers)).toEqual(Array.from(b.centers));
          for (const key of ['weight', 'first', 'second'] as const) {
            let scale = 0;
            for (const v of b[key]) scale = Math.max(scale, Math.abs(v));
            for (let i = 0; i < b[key].length; i++) {
              if (!(Math.abs(a[key][i]! - b[key][i]!) <= 1e-4 * scale + 1e-9))
                expect.fail(`${key}[${i}]: f32 ${a[key][i]} vs f64 ${b[key][i]} (scale ${scale})`);
            }
          }
          expect(Math.abs(a.logLikelihood - b.logLikelihood)).toBeLessThanOrEqual(1e-5 * Math.abs(b.logLikelihood) + 1e-6);
          expect(a.totalWeight).toBe(b.totalWeight);
        },
      ),
      { numRuns: 60, seed: 5 },
    );
  });

  it('score models alike: log-densities agree to 1e-12 for every covariance type, d 1–70, k 1–20', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...TYPES),
        fc.integer({ min: 1, max: 70 }),
        fc.integer({ min: 1, max: 20 }),
        fc.integer({ min: 1, max: 5000 }),
        fc.nat(),
        (type, d, k, n, seed) => {
          const rng = new Random(seed);
          const X = stretchedBlobs(Math.max(n, k), d, Math.min(k, 6), 0.5 + 2 * rng.uniform(), seed);
          const p = randomParameters(type, X, k, rng);
          const data = matrix(X.length, d, Float64Array.from(X.flat()));
          const logDensities = (backend: 'wasm' | 'typescript') => {
            setBackend(backend);
            const out = new Float64Array(X.length * k);
            forEachLogProbChunk(covarianceStrategy(type), p, data, (block, start, end) =>
              out.set(block.subarray(0, (end - start) * k), start * k),
            );
            return out;
          };
          const a = logDensities('wasm');
          const b = logDensities('typescript');
          setBackend('auto');
          for (let i = 0; i < b.length; i++) {
            if (!(Math.abs(a[i]! - b[i]!) <= 1e-12 * Math.max(1, Math.abs(b[i]!))))
              expect.fail(`row ${Math.floor(i / k)}, component ${i % k}: wasm ${a[i]} vs typescript ${b[i]}`);
          }
        },
      ),
      { numRuns: 60, seed: 12 },
    );
  });

  it('give the same fitted model to 1e-9 on a well-conditioned problem', () => {
    const X = stretchedBlobs(3000, 5, 4, 1, 3);
    for (const covarianceType of TYPES) {
      const fitWith = (backend: 'wasm' | 'typescript') => {
        setBackend(backend);
        return new GaussianMixture({ nComponents: 4, covarianceType, seed: 2 }).fit(X).toJSON();
      };
      const a = fitWith('wasm');
      const b = fitWith('typescript');
      setBackend('auto');
      expect(a.nIter).toBe(b.nIter);
      const flat = (v: unknown): number[] => (Array.isArray(v) ? v.flatMap(flat) : [v as number]);
      const x = flat([a.means, a.covariances, a.weights]);
      const y = flat([b.means, b.covariances, b.weights]);
      x.forEach((v, i) => expect(Math.abs(v - y[i]!)).toBeLessThanOrEqual(1e-9 * (1 + Math.abs(y[i]!))));
    }
  });

  it('forcing the TypeScript fallback works and reports it', () => {
    setBackend('typescript');
    expect(activeBackend()).toBe('typescript');
    const model = new GaussianMixture({ nComponents: 2 }).fit(stretchedBlobs(200, 2, 2, 1, 1));
    expect(model.converged).toBe(true);
    setBackend('auto');
  });
});

describe('exp and log inside the WebAssembly kernels', () => {
  /** Distance in units in the last place between two doubles of the same sign. */
  function ulps(a: number, b: number): number {
    const bits = new BigInt64Array(new Float64Array([a, b]).buffer);
    return Math.abs(Number(bits[0]! - bits[1]!));
  }

  function run(fn: 'expNegArray' | 'logArray', values: number[]): Float64Array {
    const instance = freshKernels()!;
    const n = values.length;
    const base = instance.alloc(2 * n * 8);
    instance.f64(base, n).set(values);
    instance.exports[fn](base, base + n * 8, n);
    return instance.f64(base + n * 8, n).slice();
  }

  it.runIf(activeBackend() === 'wasm').each([
    [-416.5, 0],
    [-1, 0],
    [-1e-10, 0],
    [-416.5, -400],
  ])('exp is within 2 ulp of Math.exp on [%d, %d]', (lo, hi) => {
    const rng = new Random(7);
    const x = Array.from({ length: 200_000 }, () => lo + (hi - lo) * rng.uniform());
    const e = run('expNegArray', x);
    let worst = 0;
    x.forEach((v, i) => (worst = Math.max(worst, ulps(e[i]!, Math.exp(v)))));
    expect(worst).toBeLessThanOrEqual(2);
  });

  it.runIf(activeBackend() === 'wasm')('exp is exactly 1 at 0 and exactly 0 below −416.5 (2^-600)', () => {
    expect(Array.from(run('expNegArray', [0, -0, -416.6, -1000, -Infinity]))).toEqual([1, 1, 0, 0, 0]);
  });

  it.runIf(activeBackend() === 'wasm').each([
    [1, 2],
    [1, 1.0001],
    [1, 110],
    [1, 1e6],
  ])('log is within 2 ulp of Math.log on [%d, %d]', (lo, hi) => {
    const rng = new Random(8);
    const s = [1, ...Array.from({ length: 200_000 }, () => lo + (hi - lo) * rng.uniform())];
    const l = run('logArray', s);
    expect(l[0]).toBe(0);
    let worst = 0;
    s.forEach((v, i) => (worst = Math.max(worst, ulps(l[i]!, Math.log(v)))));
    expect(worst).toBeLessThanOrEqual(2);
  });
});
