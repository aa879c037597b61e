import { describe, expect, it } from 'vitest';
import {
  DimensionMismatchError,
  GaussianMixture,
  GmmError,
  IllConditionedCovarianceError,
  InvalidDataError,
  InvalidParameterError,
  KMeans,
  matrix,
} from '../src/index.js';
import { stretchedBlobs } from './helpers/problems.js';

const X = stretchedBlobs(60, 2, 2, 1, 1);

/** Runs `fn`, expecting it to throw an instance of `type` whose message matches `message`. */
function expectError(fn: () => unknown, type: new (...args: never[]) => Error, message: RegExp): Error {
  let caught: unknown;
  try {
    fn();
  } catch (e) {
    caught = e;
  }
  expect(caught, 'expected an error').toBeInstanceOf(type);
  expect(caught).toBeInstanceOf(GmmError);
  expect((caught as Error).message).toMatch(message);
  expect((caught as Error).name).toBe(type.name);
  return caught as Error;
}

describe('bad data', () => {
  const gm = new GaussianMixture({ nComponents: 2 });

  it('names the row and column of a non-finite value', () => {
    for (const bad of [NaN, Infinity, -Infinity]) {
      const data = X.map((r) => [...r]);
      data[17]![1] = bad;
      const e = expectError(() => gm.fit(data), InvalidDataError, new RegExp(`row 17, column 1 \\(0-based\\): ${bad}`));
      expect((e as InvalidDataError).row).toBe(17);
      expect((e as InvalidDataError).column).toBe(1);
    }
  });

  it('rejects non-numbers, missing values and nulls in rows', () => {
    expectError(
      () =>
        gm.fit([
          [1, 2],
          [3, '4' as unknown as number],
        ]),
      InvalidDataError,
      /row 1, column 1.*"4"/,
    );
    expectError(
      () =>
        gm.fit([
          [1, 2],
          [3, null as unknown as number],
        ]),
      InvalidDataError,
      /row 1, column 1.*null/,
    );
    expectError(() => gm.fit([[1, 2], [3, , 4] as number[]]), InvalidDataError, /ragged: row 0 has 2 values but row 1 has 3/);
  });

  it('names a non-finite value in a Matrix', () => {
    const data = new Float64Array([1, 2, 3, 4, 5, NaN]);
    expectError(() => gm.fit(matrix(3, 2, data)), InvalidDataError, /row 2, column 1 \(0-based\): NaN/);
    expectError(() => gm.fit({ rows: 3, cols: 2, data: new Float64Array(5) }), InvalidDataError, /X\.data needs 6 values; got 5/);
  });

  it('rejects ragged rows', () => {
    expectError(() => gm.fit([[1, 2], [3, 4], [5]]), InvalidDataError, /X is ragged: row 0 has 2 values but row 2 has 1/);
  });

  it('rejects 1-D data with advice', () => {
    expectError(() => gm.fit([1, 2, 3] as unknown as number[][]), InvalidDataError, /must be 2-D.*values\.map\(\(v\) => \[v\]\)/);
  });

  it('rejects empty data and fewer than 2 rows', () => {
    expectError(() => gm.fit([]), InvalidDataError, /X is empty/);
    expectError(() => new GaussianMixture().fit([[1, 2]]), InvalidDataError, /X has 1 row; fitting needs at least 2 rows/);
  });

  it('rejects fewer rows than components', () => {
    expectError(
      () => new GaussianMixture({ nComponents: 5 }).fit(X.slice(0, 4)),
      InvalidDataError,
      /X has 4 rows but nComponents is 5; need at least as many rows as components/,
    );
    expectError(() => new KMeans({ nClusters: 5 }).fit(X.slice(0, 4)), InvalidDataError, /X has 4 rows but nClusters is 5/);
  });

  it('rejects data whose width differs from the fitted model', () => {
    const model = gm.fit(X);
    for (const call of [
      () => model.predict([[1, 2, 3]]),
      () => model.predictProba([[1, 2, 3]]),
      () => model.scoreSamples([[1, 2, 3]]),
      () => model.score([[1, 2, 3]]),
      () => model.bic([[1, 2, 3]]),
      () => model.uncertainty([[1, 2, 3]]),
    ]) {
      const e = expectError(call, DimensionMismatchError, /X has 3 columns but the model has 2 features/);
      expect((e as DimensionMismatchError).expected).toBe(2);
      expect((e as DimensionMismatchError).actual).toBe(3);
    }
    const km = new KMeans({ nClusters: 2 }).fit(X);
    expectError(() => km.predict([[1]]), DimensionMismatchError, /X has 1 column but the model has 2 features/);
  });
});

describe('bad options', () => {
  it('rejects unknown option names, suggesting the camelCase name', () => {
    expectError(
      () => new GaussianMixture({ n_components: 3 } as never),
      InvalidParameterError,
      /GaussianMixture option "n_components" must be a known option name; got "n_components"\. Did you mean "nComponents"\?/,
    );
    expectError(
      () => new GaussianMixture({ colour: 1 } as never),
      InvalidParameterError,
      /Known options: nComponents, covarianceType/,
    );
    expectError(() => new KMeans({ n_clusters: 3 } as never), InvalidParameterError, /Did you mean "nClusters"/);
  });

  it('rejects unknown option values', () => {
    expectError(
      () => new GaussianMixture({ covarianceType: 'lol' as never }),
      InvalidParameterError,
      /covarianceType must be one of "full", "tied", "diag", "spherical", "EII", "VII", "EEI", "VEI", "EVI", "VVI", "EEE", "VEE", "EVE", "VVE", "EEV", "VEV", "EVV", "VVV"; got "lol"/,
    );
    expectError(
      () => new GaussianMixture({ initParams: 'kmeans++' as never }),
      InvalidParameterError,
      /initParams must be one of "kmeans", "k-means\+\+", "random", "random_from_data", "hc"; got "kmeans\+\+"/,
    );
    expectError(
      () => new KMeans({ init: 'smart' as never }),
      InvalidParameterError,
      /init must be one of "k-means\+\+", "random"; got "smart"/,
    );
  });

  it('rejects out-of-range numbers, naming parameter and value', () => {
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ nComponents: 0 }, /nComponents must be a positive integer; got 0/],
      [{ nComponents: 2.5 }, /nComponents must be a positive integer; got 2\.5/],
      [{ tol: -1 }, /tol must be a finite number ≥ 0; got -1/],
      [{ regCovar: NaN }, /regCovar must be a finite number ≥ 0; got NaN/],
      [{ maxIter: -3 }, /maxIter must be an integer ≥ 0; got -3/],
      [{ nInit: 0 }, /nInit must be a positive integer; got 0/],
      [{ seed: -5 }, /seed must be an integer ≥ 0; got -5/],
      [{ seed: '7' }, /seed must be an integer ≥ 0; got "7"/],
    ];
    for (const [options, message] of cases) {
      const e = expectError(() => new GaussianMixture(options as never), InvalidParameterError, message);
      expect((e as InvalidParameterError).parameter).toBe(Object.keys(options)[0]);
    }
    expectError(() => new KMeans({ maxIter: 0 }), InvalidParameterError, /maxIter must be a positive integer; got 0/);
  });
});

describe('bad sample weights', () => {
  const gm = new GaussianMixture({ nComponents: 2 });
  it('names a negative or non-finite weight', () => {
    const w = X.map(() => 1);
    w[9] = -0.5;
    expectError(
      () => gm.fit(X, { sampleWeight: w }),
      InvalidParameterError,
      /sampleWeight\[9\] must be a finite number ≥ 0; got -0\.5/,
    );
    w[9] = NaN;
    expectError(
      () => gm.fit(X, { sampleWeight: w }),
      InvalidParameterError,
      /sampleWeight\[9\] must be a finite number ≥ 0; got NaN/,
    );
  });
  it('rejects all-zero weights, too few positive weights and the wrong length', () => {
    expectError(
      () => gm.fit(X, { sampleWeight: X.map(() => 0) }),
      InvalidParameterError,
      /sampleWeight must be weights with a positive sum.*Every weight is 0/,
    );
    expectError(
      () => gm.fit(X, { sampleWeight: X.map((_, i) => (i === 0 ? 1 : 0)) }),
      InvalidParameterError,
      /at least 2 rows with a positive weight.*Only 1 row has a positive weight/,
    );
    expectError(
      () => gm.fit(X, { sampleWeight: [1, 2] }),
      InvalidParameterError,
      /sampleWeight must be an array of 60 weights, one per row of X/,
    );
  });
});

describe('bad initial values', () => {
  it('rejects a wrongly shaped weightsInit and a non-normalized one', () => {
    expectError(
      () => new GaussianMixture({ nComponents: 3, weightsInit: [0.5, 0.5] }),
      InvalidParameterError,
      /weightsInit must have length 3 \(expected shape \[3\]\); got length 2 \(one weight per component\)/,
    );
    expectError(
      () => new GaussianMixture({ nComponents: 2, weightsInit: [0.5, 0.6] }),
      InvalidParameterError,
      /weightsInit must be normalized \(summing to 1\).*They sum to 1\.1/,
    );
    expectError(
      () => new GaussianMixture({ nComponents: 2, weightsInit: [1.5, -0.5] }),
      InvalidParameterError,
      /weightsInit\[0\] must be in \[0, 1\]; got 1\.5/,
    );
  });

  it('rejects a wrongly shaped meansInit', () => {
    expectError(
      () => new GaussianMixture({ nComponents: 2, meansInit: [[0, 0]] }),
      InvalidParameterError,
      /meansInit must be 2 rows \(one mean per component\); got 1/,
    );
    expectError(
      () => new GaussianMixture({ nComponents: 2, meansInit: [[0, 0], [1]] }),
      InvalidParameterError,
      /meansInit is ragged/,
    );
    expectError(
      () =>
        new GaussianMixture({
          nComponents: 2,
          meansInit: [
            [0, 0, 0],
            [1, 1, 1],
          ],
        }).fit(X),
      DimensionMismatchError,
      /X has 2 columns but meansInit has 3 features/,
    );
  });

  it('rejects a wrongly shaped, asymmetric or indefinite precisionsInit', () => {
    expectError(
      () =>
        new GaussianMixture({
          nComponents: 2,
          precisionsInit: [
            [
              [1, 0],
              [0, 1],
            ],
          ],
        }),
      InvalidParameterError,
      /precisionsInit must have length 2 \(expected shape \[2, 2, 2\]\); got length 1: nComponents × d × d for 'full'/,
    );
    expectError(
      () => new GaussianMixture({ nComponents: 1, covarianceType: 'diag', meansInit: [[0, 0]], precisionsInit: [[1, 1, 1]] }),
      InvalidParameterError,
      /precisionsInit\[0\] must have length 2 \(expected shape \[1, 2\]\); got length 3: nComponents × d for 'diag'/,
    );
    expectError(
      () =>
        new GaussianMixture({
          nComponents: 1,
          precisionsInit: [
            [
              [1, 0.5],
              [0, 1],
            ],
          ],
        }),
      InvalidParameterError,
      /precisionsInit must be symmetric: precisionsInit\[0\]\[0\]\[1\] = 0\.5 but precisionsInit\[0\]\[1\]\[0\] = 0/,
    );
    expectError(
      () =>
        new GaussianMixture({
          nComponents: 2,
          precisionsInit: [
            [
              [1, 0],
              [0, 1],
            ],
            [
              [1, 2],
              [2, 1],
            ],
          ],
        }),
      InvalidParameterError,
      /precisionsInit must be positive definite.*precisionsInit\[1\] is not/,
    );
    expectError(
      () => new GaussianMixture({ nComponents: 2, covarianceType: 'spherical', precisionsInit: [1, 0] }),
      InvalidParameterError,
      /positive definite/,
    );
    expectError(
      () =>
        new GaussianMixture({
          nComponents: 1,
          covarianceType: 'tied',
          precisionsInit: [
            [1, 0, 0],
            [0, 1, 0],
            [0, 0, 1],
          ],
        }).fit(X),
      DimensionMismatchError,
      /X has 2 columns but precisionsInit has 3 features/,
    );
  });

  it('rejects an initModel of another shape', () => {
    const model = new GaussianMixture({ nComponents: 2 }).fit(X);
    expectError(
      () => new GaussianMixture({ nComponents: 3 }).fit(X, { initModel: model }),
      InvalidParameterError,
      /initModel\.nComponents must be 3/,
    );
    expectError(
      () => new GaussianMixture({ nComponents: 2, covarianceType: 'diag' }).fit(X, { initModel: model }),
      InvalidParameterError,
      /initModel\.covarianceType must be "diag"/,
    );
    expectError(
      () =>
        new GaussianMixture({ nComponents: 2 }).fit(
          X.map((r) => [...r, 0]),
          { initModel: model },
        ),
      DimensionMismatchError,
      /X has 3 columns but initModel has 2 features/,
    );
  });
});

describe('covariances that cannot be factorized', () => {
  it('names the component and says what to do (collapsed, duplicate points)', () => {
    // Two distinct points, each repeated: with no regularization every component collapses.
    const duplicates = Array.from({ length: 20 }, (_, i) => (i % 2 ? [1, 1] : [4, -2]));
    const e = expectError(
      () => new GaussianMixture({ nComponents: 2, regCovar: 0 }).fit(duplicates),
      IllConditionedCovarianceError,
      /the covariance of component [01] is not positive definite in the initialization.*Increase regCovar \(now 0\), use fewer components, or scale the data/,
    );
    expect([0, 1]).toContain((e as IllConditionedCovarianceError).component);
    // The same data fits once regularized, as the message advises.
    const model = new GaussianMixture({ nComponents: 2 }).fit(duplicates);
    expect(Array.from(model.weights).sort()).toEqual([0.5, 0.5]);
  });

  it('says "shared" for a tied covariance', () => {
    const collinear = Array.from({ length: 30 }, (_, i) => [i, 2 * i]);
    expectError(
      () => new GaussianMixture({ nComponents: 2, covarianceType: 'tied', regCovar: 0 }).fit(collinear),
      IllConditionedCovarianceError,
      /the shared \(tied\) covariance is not positive definite/,
    );
  });
});
