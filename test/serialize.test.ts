import { describe, expect, it } from 'vitest';
import {
  GaussianMixture,
  GaussianMixtureModel,
  ModelFormatError,
  type CovarianceType,
  type GaussianMixtureJSON,
} from '../src/index.js';
import { stretchedBlobs } from './helpers/problems.js';

const X = stretchedBlobs(120, 3, 2, 1, 2);
const TYPES: CovarianceType[] = ['full', 'tied', 'diag', 'spherical'];

describe('model file format', () => {
  it.each(TYPES)('round-trips a %s model through JSON text bit for bit', (covarianceType) => {
    const model = new GaussianMixture({ nComponents: 2, covarianceType }).fit(X, { featureNames: ['a', 'b', 'c'] });
    const text = JSON.stringify(model);
    const again = GaussianMixtureModel.fromJSON(JSON.parse(text));
    expect(JSON.stringify(again)).toBe(text);
    expect(again.featureNames).toEqual(['a', 'b', 'c']);
    expect(Array.from(again.predictProba(X).data)).toEqual(Array.from(model.predictProba(X).data));
    expect(again.sample(20, { seed: 3 })).toEqual(model.sample(20, { seed: 3 }));
  });

  it('writes the documented fields in scikit-learn shapes', () => {
    const json = new GaussianMixture({ nComponents: 2, covarianceType: 'full' }).fit(X).toJSON();
    expect(json.format).toBe('gmm.gaussian-mixture');
    expect(json.version).toBe(1);
    expect(Object.keys(json).sort()).toEqual(
      [
        'format',
        'version',
        'covarianceType',
        'nComponents',
        'nFeatures',
        'weights',
        'means',
        'covariances',
        'precisionsCholesky',
        'converged',
        'nIter',
        'lowerBound',
        'lowerBounds',
      ].sort(),
    );
    expect((json.covariances as number[][][]).map((c) => [c.length, c[0]!.length])).toEqual([
      [3, 3],
      [3, 3],
    ]);
    expect(json.lowerBounds).toHaveLength(json.nIter);
  });

  it('stores a lower bound of null when no iteration ran, and reads it back as -Infinity', () => {
    const model = new GaussianMixture({ nComponents: 2, maxIter: 0 }).fit(X);
    expect(model.lowerBound).toBe(-Infinity);
    const json = model.toJSON();
    expect(json.lowerBound).toBeNull();
    expect(GaussianMixtureModel.fromJSON(JSON.parse(JSON.stringify(json))).lowerBound).toBe(-Infinity);
  });

  describe('rejects a malformed file, naming the field', () => {
    const good = (): GaussianMixtureJSON =>
      JSON.parse(JSON.stringify(new GaussianMixture({ nComponents: 2 }).fit(X))) as GaussianMixtureJSON;
    const cases: [string, (j: Record<string, unknown>) => unknown, string, RegExp][] = [
      ['not an object', () => [1, 2], '(root)', /must be a JSON object; got an array/],
      [
        'another format',
        (j) => ({ ...j, format: 'sklearn' }),
        'format',
        /must be "gmm\.gaussian-mixture" \(this is not a gmm model file\); got "sklearn"/,
      ],
      ['a future version', (j) => ({ ...j, version: 2 }), 'version', /must be 1 .*got 2/],
      [
        'an unknown covariance type',
        (j) => ({ ...j, covarianceType: 'tilted' }),
        'covarianceType',
        /must be one of "full", "tied", "diag", "spherical", "EII", "VII", "EEI", "VEI", "EVI", "VVI", "EEE", "VEE", "EVE", "VVE", "EEV", "VEV", "EVV", "VVV"; got "tilted"/,
      ],
      ['zero components', (j) => ({ ...j, nComponents: 0 }), 'nComponents', /must be a positive integer; got 0/],
      ['weights of the wrong length', (j) => ({ ...j, weights: [1] }), 'weights', /must have length 2/],
      ['weights not summing to 1', (j) => ({ ...j, weights: [0.5, 0.6] }), 'weights', /must sum to 1; they sum to 1\.1/],
      ['a negative weight', (j) => ({ ...j, weights: [1.5, -0.5] }), 'weights[1]', /must be ≥ 0; got -0\.5/],
      [
        'a mean that is text',
        (j) => ({
          ...j,
          means: [
            [0, 0, 0],
            [0, 'x', 0],
          ],
        }),
        'means[1][1]',
        /must be a finite number; got "x"/,
      ],
      [
        'covariances of the wrong shape',
        (j) => ({
          ...j,
          covariances: [
            [1, 0],
            [0, 1],
          ],
        }),
        'covariances[0]',
        /must have length 3 \(expected shape \[2, 3, 3\]\); got length 2/,
      ],
      [
        'a covariance that is not positive definite',
        (j) => ({
          ...j,
          covariances: [
            [
              [1, 2, 0],
              [2, 1, 0],
              [0, 0, 1],
            ],
            (j.covariances as unknown[])[1],
          ],
        }),
        'covariances',
        /not positive definite \(component 0\)/,
      ],
      [
        'precision factors that do not match the covariances',
        (j) => {
          const pc = JSON.parse(JSON.stringify(j.precisionsCholesky)) as number[][][];
          pc[1]![0]![0]! *= 1.001;
          return { ...j, precisionsCholesky: pc };
        },
        'precisionsCholesky',
        /do not match the covariances \(component 1\): the file is inconsistent or corrupted/,
      ],
      ['converged as text', (j) => ({ ...j, converged: 'yes' }), 'converged', /must be true or false/],
      ['a negative iteration count', (j) => ({ ...j, nIter: -1 }), 'nIter', /must be an integer ≥ 0/],
      [
        'a lower bound trace of the wrong length',
        (j) => ({ ...j, lowerBounds: [] }),
        'lowerBounds',
        /must have one value per iteration/,
      ],
      ['a lower bound that is text', (j) => ({ ...j, lowerBound: 'high' }), 'lowerBound', /must be a finite number or null/],
      [
        'feature names of the wrong length',
        (j) => ({ ...j, featureNames: ['a'] }),
        'featureNames',
        /must be an array of 3 strings/,
      ],
    ];
    it.each(cases)('%s', (_what, corrupt, field, message) => {
      let caught: unknown;
      try {
        GaussianMixtureModel.fromJSON(corrupt(good() as unknown as Record<string, unknown>));
      } catch (e) {
        caught = e;
      }
      expect(caught).toBeInstanceOf(ModelFormatError);
      expect((caught as ModelFormatError).field).toBe(field);
      expect((caught as Error).message).toMatch(/^invalid model: /);
      expect((caught as Error).message).toMatch(message);
    });
  });
});
