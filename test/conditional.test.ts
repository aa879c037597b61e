/**
 * Marginals and conditionals of a fitted mixture (issue 14): `model.marginal`
 * and `model.condition`, checked against the closed-form Gaussian conditional
 * (computed here with an explicit inverse, as an independent oracle), against
 * Bayes' rule p(x_R | x_S) = p(x) / p(x_S) with the model's own densities,
 * and against numerical integration.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  COVARIANCE_TYPES,
  GaussianMixture,
  GaussianMixtureModel,
  InvalidParameterError,
  NumericalError,
  parseData,
  type CovarianceType,
} from '../src/index.js';
import { expectAllClose } from './helpers/allClose.js';

const iris = parseData(readFileSync(fileURLToPath(new URL('../data/iris.csv', import.meta.url)), 'utf8'), 'iris.csv', {
  labelColumn: 'species',
});
const names = iris.featureNames;

function fitIris(covarianceType: CovarianceType, standardize = false): GaussianMixtureModel {
  return new GaussianMixture({ nComponents: 3, covarianceType, seed: 0, standardize }).fit(iris.X, {
    featureNames: names,
  });
}

/** A one-component model with the given mean and full covariance. */
function gaussian(mean: number[], cov: number[][]): GaussianMixtureModel {
  const d = mean.length;
  return GaussianMixtureModel.fromJSON({
    format: 'gmm.gaussian-mixture',
    version: 1,
    covarianceType: 'full',
    nComponents: 1,
    nFeatures: d,
    weights: [1],
    means: [mean],
    covariances: [cov],
    precisionsCholesky: [precisionCholesky(cov)],
    converged: true,
    nIter: 0,
    lowerBound: null,
    lowerBounds: [],
  });
}

/** Gauss–Jordan inverse (test oracle only). */
function inverse(a: number[][]): number[][] {
  const n = a.length;
  const m = a.map((row, i) => [...row, ...a.map((_, j) => (i === j ? 1 : 0))]);
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(m[r]![c]!) > Math.abs(m[p]![c]!)) p = r;
    [m[c], m[p]] = [m[p]!, m[c]!];
    const pivot = m[c]![c]!;
    for (let j = 0; j < 2 * n; j++) m[c]![j]! /= pivot;
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = m[r]![c]!;
      for (let j = 0; j < 2 * n; j++) m[r]![j]! -= f * m[c]![j]!;
    }
  }
  return m.map((row) => row.slice(n));
}

/** U upper triangular with U Uᵀ = Σ⁻¹, from the inverse's reversed Cholesky (oracle only). */
function precisionCholesky(cov: number[][]): number[][] {
  const d = cov.length;
  // Σ = L Lᵀ, U = L⁻ᵀ.
  const L = cov.map(() => new Array<number>(d).fill(0));
  for (let j = 0; j < d; j++) {
    let s = cov[j]![j]!;
    for (let k = 0; k < j; k++) s -= L[j]![k]! ** 2;
    L[j]![j] = Math.sqrt(s);
    for (let i = j + 1; i < d; i++) {
      let t = cov[i]![j]!;
      for (let k = 0; k < j; k++) t -= L[i]![k]! * L[j]![k]!;
      L[i]![j] = t / L[j]![j]!;
    }
  }
  const Linv = inverse(L);
  return Linv[0]!.map((_, i) => Linv.map((row) => row[i]!));
}

const mul = (a: number[][], b: number[][]): number[][] =>
  a.map((row) => b[0]!.map((_, j) => row.reduce((s, v, k) => s + v * b[k]![j]!, 0)));
const pick = (a: number[][], rows: number[], cols: number[]): number[][] => rows.map((r) => cols.map((c) => a[r]![c]!));

describe('one Gaussian: the closed-form conditional', () => {
  const mean = [1, -2, 0.5, 3];
  const cov = [
    [4, 1.2, -0.8, 0.3],
    [1.2, 2.5, 0.4, -0.6],
    [-0.8, 0.4, 1.7, 0.2],
    [0.3, -0.6, 0.2, 0.9],
  ];
  const model = gaussian(mean, cov);

  it('equals μ_R + Σ_RS Σ_SS⁻¹ (v − μ_S) and Σ_RR − Σ_RS Σ_SS⁻¹ Σ_SR to 1e-12', () => {
    for (const [S, v] of [
      [[0], [2.5]],
      [
        [1, 3],
        [-1, 2],
      ],
      [
        [3, 0, 2],
        [3.5, 0, 1],
      ],
    ] as [number[], number[]][]) {
      const R = [0, 1, 2, 3].filter((c) => !S.includes(c));
      const gain = mul(pick(cov, R, S), inverse(pick(cov, S, S)));
      const offset = S.map((c, a) => [v[a]! - mean[c]!]);
      const expectedMean = R.map((c, b) => mean[c]! + mul(gain, offset)[b]![0]!);
      const schur = pick(cov, R, R).map((row, b) => row.map((x, c) => x - mul(gain, pick(cov, S, R))[b]![c]!));
      const conditional = model.condition(S, v);
      expect(conditional.nFeatures).toBe(R.length);
      expect(conditional.covarianceType).toBe('full');
      expectAllClose(conditional.means.data, expectedMean, { rtol: 1e-12, atol: 1e-12 });
      expectAllClose(conditional.covariances, schur.flat(), { rtol: 1e-12, atol: 1e-12 });
      expect(conditional.weights[0]).toBe(1);
    }
  });

  it('the marginal keeps the sub-vector and the sub-matrix, in the order asked', () => {
    const m = model.marginal([2, 0]);
    expect(Array.from(m.means.data)).toEqual([0.5, 1]);
    expect(Array.from(m.covariances)).toEqual([1.7, -0.8, -0.8, 4]);
  });
});

describe.each(COVARIANCE_TYPES)('%s mixture on iris', (covarianceType) => {
  const model = fitIris(covarianceType);
  const rows = [0, 37, 52, 77, 101, 149];

  it("Bayes' rule: log p(x_R | x_S) = log p(x) − log p(x_S), to 1e-10, for every split", () => {
    for (const S of [[0], [2, 3], [3, 0, 1], [1]]) {
      const R = [0, 1, 2, 3].filter((c) => !S.includes(c));
      const marginal = model.marginal(S);
      for (const i of rows) {
        const x = Array.from(iris.X.data.subarray(i * 4, i * 4 + 4));
        const joint = model.scoreSamples([x])[0]!;
        const ofS = marginal.scoreSamples([S.map((c) => x[c]!)])[0]!;
        const conditional = model.condition(
          S,
          S.map((c) => x[c]!),
        );
        const got = conditional.scoreSamples([R.map((c) => x[c]!)])[0]!;
        expect(Math.abs(got - (joint - ofS))).toBeLessThan(1e-10 * Math.max(1, Math.abs(joint)));
      }
    }
  });

  it('keeps the covariance type, names the remaining features, and round-trips through JSON', () => {
    const conditional = model.condition(['petal_length'], [4.5]);
    expect(conditional.covarianceType).toBe(covarianceType);
    expect(conditional.featureNames).toEqual(['sepal_length', 'sepal_width', 'petal_width']);
    const back = GaussianMixtureModel.fromJSON(JSON.parse(JSON.stringify(conditional)));
    expect(Array.from(back.scoreSamples([[6, 3, 1.4]]))).toEqual(Array.from(conditional.scoreSamples([[6, 3, 1.4]])));
    const marginal = model.marginal(['petal_width', 'sepal_length']);
    expect(marginal.covarianceType).toBe(covarianceType);
    expect(marginal.featureNames).toEqual(['petal_width', 'sepal_length']);
    expect(Array.from(marginal.weights)).toEqual(Array.from(model.weights));
  });

  it('conditioning on a setosa-like petal gives the setosa component almost all the weight', () => {
    const setosa = model.predict([[5.0, 3.4, 1.5, 0.2]])[0]!;
    const conditional = model.condition(['petal_length', 'petal_width'], [1.5, 0.2]);
    expect(conditional.weights[setosa]).toBeGreaterThan(0.999);
  });

  it("with standardize: values are in the data's units and Bayes' rule still holds; the scaler is restricted", () => {
    const scaled = fitIris(covarianceType, true);
    const x = [6.1, 2.8, 4.7, 1.2];
    const joint = scaled.scoreSamples([x])[0]!;
    const ofS = scaled.marginal([0, 3]).scoreSamples([[x[0]!, x[3]!]])[0]!;
    const got = scaled.condition([0, 3], [x[0]!, x[3]!]).scoreSamples([[x[1]!, x[2]!]])[0]!;
    expect(Math.abs(got - (joint - ofS))).toBeLessThan(1e-10);
    const mean = scaled.condition([0, 3], [x[0]!, x[3]!]);
    expect(mean.scaler?.mean).toEqual(Float64Array.of(scaled.scaler!.mean[1]!, scaled.scaler!.mean[2]!));
  });
});

describe('marginal density', () => {
  it('equals the joint density integrated over the other column (1-D quadrature, to 1e-7)', () => {
    const model = fitIris('full').marginal([2, 3]);
    const petalLength = model.marginal([0]);
    for (const u of [1.4, 3.0, 4.5, 6.2]) {
      // Simpson's rule over petal width from −6 to 9 (every component's mass lies well inside).
      const steps = 6000;
      const [lo, hi] = [-6, 9];
      const h = (hi - lo) / steps;
      const grid = Array.from({ length: steps + 1 }, (_, i) => [u, lo + i * h]);
      const density = model.scoreSamples(grid);
      let integral = 0;
      for (let i = 0; i <= steps; i++) {
        const coef = i === 0 || i === steps ? 1 : i % 2 === 1 ? 4 : 2;
        integral += coef * Math.exp(density[i]!);
      }
      integral *= h / 3;
      const expected = Math.exp(petalLength.scoreSamples([[u]])[0]!);
      expect(Math.abs(integral - expected) / expected).toBeLessThan(1e-7);
    }
  });
});

describe('property: conditionals obey Bayes rule for any split and any point', () => {
  const models = Object.fromEntries(COVARIANCE_TYPES.map((t) => [t, fitIris(t)])) as Record<CovarianceType, GaussianMixtureModel>;
  it('holds for random subsets, orders and points near the data', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...COVARIANCE_TYPES),
        fc.shuffledSubarray([0, 1, 2, 3], { minLength: 1, maxLength: 3 }),
        fc.integer({ min: 0, max: 149 }),
        fc.array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: 4, maxLength: 4 }),
        (type, S, row, jitter) => {
          const model = models[type];
          const x = Array.from(iris.X.data.subarray(row * 4, row * 4 + 4), (v, c) => v + jitter[c]!);
          const R = [0, 1, 2, 3].filter((c) => !S.includes(c));
          const joint = model.scoreSamples([x])[0]!;
          const ofS = model.marginal(S).scoreSamples([S.map((c) => x[c]!)])[0]!;
          const conditional = model.condition(
            S,
            S.map((c) => x[c]!),
          );
          const got = conditional.scoreSamples([R.map((c) => x[c]!)])[0]!;
          let total = 0;
          for (const w of conditional.weights) total += w;
          return Math.abs(got - (joint - ofS)) <= 1e-9 * Math.max(1, Math.abs(joint)) && Math.abs(total - 1) < 1e-14;
        },
      ),
      { numRuns: 200, seed: 14 },
    );
  });
});

describe('bad requests are errors naming what is wrong', () => {
  const model = fitIris('full');
  it('columns', () => {
    expect(() => model.marginal([])).toThrow(InvalidParameterError);
    expect(() => model.marginal([4])).toThrow(/columns\[0\] must be a column index from 0 to 3/);
    expect(() => model.marginal(['petal'])).toThrow(/columns\[0\] must be a feature name \(sepal_length/);
    expect(() => model.marginal([1, 'sepal_width'])).toThrow(/columns\[1\] must be a column not already listed/);
    expect(() => model.condition([0, 1, 2, 3], [1, 2, 3, 4])).toThrow(/fewer than all 4 columns/);
  });
  it('values', () => {
    expect(() => model.condition([0], [])).toThrow(/values must be 1 number, one per column/);
    expect(() => model.condition([0, 1], [1, Number.NaN])).toThrow(/values\[1\] must be a finite number; got NaN/);
  });
  it('values no component can have produced', () => {
    expect(() => model.condition([0], [1e200])).toThrow(NumericalError);
    expect(() => model.condition([0], [1e200])).toThrow(/density 0 under every component/);
  });
  it('a model without feature names takes indices only', () => {
    const unnamed = new GaussianMixture({ nComponents: 2, seed: 0 }).fit(iris.X);
    expect(() => unnamed.marginal(['sepal_length'])).toThrow(/this model has no feature names/);
    expect(unnamed.marginal([0]).featureNames).toBeUndefined();
  });
});
