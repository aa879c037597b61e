import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALL_COVARIANCE_TYPES, GaussianMixture, sqlStatistics, type CovarianceType } from '../src/index.js';
import { LocalRows } from '../src/fit/localRows.js';
import { asMatrix } from '../src/matrix/matrix.js';
import { covarianceStrategy } from '../src/mixture/covariance/index.js';
import type { SufficientStatistics } from '../src/mixture/statistics.js';
import { stretchedBlobs } from './helpers/problems.js';

const X = asMatrix(stretchedBlobs(1500, 3, 3, 1, 11));
const weights = Float64Array.from({ length: X.rows }, (_, i) => 1 + (i % 5) / 2);
let instance: DuckDBInstance;
let connection: DuckDBConnection;
const query = async (sql: string) => (await connection.runAndReadAll(sql)).getRowObjects()[0]!;

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'gmm-sql-'));
  const csv = join(dir, 'points.csv');
  writeFileSync(
    csv,
    'x,y,z,w\n' +
      Array.from({ length: X.rows }, (_, i) => `${X.data[i * 3]},${X.data[i * 3 + 1]},${X.data[i * 3 + 2]},${weights[i]}`).join(
        '\n',
      ),
  );
  instance = await DuckDBInstance.create(':memory:');
  connection = await instance.connect();
  await connection.run(
    `CREATE TABLE points AS SELECT * FROM read_csv('${csv}', header = true, columns = {'x': 'DOUBLE', 'y': 'DOUBLE', 'z': 'DOUBLE', 'w': 'DOUBLE'})`,
  );
});
afterAll(() => {
  connection.closeSync();
  instance.closeSync();
});

function expectClose(actual: SufficientStatistics, expected: SufficientStatistics, rtol: number): void {
  const close = (a: number, b: number, scale: number) => expect(Math.abs(a - b)).toBeLessThanOrEqual(rtol * scale);
  const scale = (values: ArrayLike<number>) => Math.max(1, ...Array.from(values, Math.abs));
  close(actual.logLikelihood, expected.logLikelihood, Math.abs(expected.logLikelihood));
  close(actual.totalWeight, expected.totalWeight, expected.totalWeight);
  close(actual.entropy, expected.entropy, Math.max(1, expected.entropy));
  close(actual.noiseWeight, expected.noiseWeight, expected.totalWeight);
  for (const key of ['weight', 'first', 'second'] as const) {
    const s = scale(expected[key]);
    expected[key].forEach((v, i) => close(actual[key][i]!, v, s));
  }
}

describe('SQL pushdown: the E-step as one aggregate query (SQLEM)', () => {
  it.each(ALL_COVARIANCE_TYPES as readonly CovarianceType[])(
    '%s: the query gives the in-process statistics to 1e-12',
    async (covarianceType) => {
      const model = new GaussianMixture({ nComponents: 3, covarianceType, seed: 1, maxIter: 5 }).fit(X, {
        sampleWeight: weights,
      });
      const parameters = model.mixtureParameters;
      const strategy = covarianceStrategy(covarianceType);
      const centers = strategy.statisticsCenters(parameters.means, Float64Array.of(0.5, -1, 2), 3, 3);
      const { sql, parse } = sqlStatistics(parameters, { table: 'points', columns: ['x', 'y', 'z'], weightColumn: 'w', centers });
      const local = new LocalRows(X, weights).expectation(strategy, parameters, centers);
      expectClose(parse(await query(sql)), local, 1e-12);
    },
  );

  it('with a noise component, and without weights', async () => {
    const model = new GaussianMixture({ nComponents: 2, noise: true, seed: 3, maxIter: 5 }).fit(X);
    const parameters = model.mixtureParameters;
    const strategy = covarianceStrategy('full');
    const { sql, parse } = sqlStatistics(parameters, { table: 'points', columns: ['x', 'y', 'z'], centers: parameters.means });
    const local = new LocalRows(X, null).expectation(strategy, parameters, parameters.means);
    expect(local.noiseWeight).toBeGreaterThan(0);
    expectClose(parse(await query(sql)), local, 1e-12);
  });

  it.each<CovarianceType>(['full', 'tied', 'diag', 'spherical', 'VEV'])(
    'fitSql (%s) over the table equals fit of its rows to 1e-9, one query per iteration',
    async (covarianceType) => {
      const gm = new GaussianMixture({ nComponents: 3, covarianceType, seed: 2, tol: 1e-6 });
      const expected = gm.fit(X, { sampleWeight: weights, featureNames: ['x', 'y', 'z'] });
      let queries = 0;
      const model = await gm.fitSql({
        table: 'points',
        columns: ['x', 'y', 'z'],
        weightColumn: 'w',
        query,
        sample: X,
        sampleWeight: weights,
        onQuery: () => queries++,
      });
      expect(queries).toBe(model.nIter);
      expect(model.nIter).toBe(expected.nIter);
      expect(Math.abs(model.lowerBound - expected.lowerBound)).toBeLessThan(1e-9 * Math.abs(expected.lowerBound));
      const pairs = [
        [model.weights, expected.weights],
        [model.means.data, expected.means.data],
        [model.mixtureParameters.covariances, expected.mixtureParameters.covariances],
      ] as const;
      for (const [a, b] of pairs) b.forEach((v, i) => expect(Math.abs(a[i]! - v)).toBeLessThan(1e-9 * Math.max(1, Math.abs(v))));
    },
  );

  it('writes each dialect\u2019s quoting and literals, and refuses bad options by name', () => {
    const parameters = new GaussianMixture({ nComponents: 2, seed: 0, maxIter: 2 }).fit(X).mixtureParameters;
    const options = { table: 't', columns: ['a b', 'c', 'd'] };
    expect(sqlStatistics(parameters, { ...options, dialect: 'postgres' }).sql).toMatch(
      /CAST\("a b" AS DOUBLE PRECISION\)[\s\S]*e[+-]\d+::float8/,
    );
    expect(sqlStatistics(parameters, { ...options, dialect: 'bigquery' }).sql).toMatch(/CAST\(`a b` AS FLOAT64\)/);
    expect(sqlStatistics(parameters, options).sql).toMatch(/GREATEST\(l0, l1\)/);
    expect(() => sqlStatistics(parameters, { ...options, dialect: 'oracle' as never })).toThrow(/dialect/);
    expect(() => sqlStatistics(parameters, { table: 't', columns: ['a'] })).toThrow(/columns.*3 column names/);
    const { parse } = sqlStatistics(parameters, options);
    expect(() => parse({ loglik: null })).toThrow(/row\.loglik.*empty table/);
  });
});
