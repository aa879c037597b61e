import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GaussianMixture, sqlStatistics, type CovarianceType } from '../src/index.js';
import { LocalRows } from '../src/fit/localRows.js';
import { asMatrix } from '../src/matrix/matrix.js';
import { covarianceStrategy } from '../src/mixture/covariance/index.js';
import { HOW_TO_GET_POSTGRES, POSTGRES_REQUIRED, POSTGRES_URL } from './helpers/postgres.js';
import { stretchedBlobs } from './helpers/problems.js';

// The same SQL as DuckDB's (test/sql.test.ts), in PostgreSQL's dialect, on Debian's PostgreSQL on loopback.
const X = asMatrix(stretchedBlobs(1500, 3, 3, 1, 11));
const weights = Float64Array.from({ length: X.rows }, (_, i) => 1 + (i % 5) / 2);
const TABLE = `gmm_points_${process.pid}_${Date.now()}`;
let client: pg.Client;
const query = async (sql: string) => (await client.query(sql)).rows[0] as Record<string, unknown>;

describe.skipIf(!POSTGRES_URL && !POSTGRES_REQUIRED)('SQL pushdown on PostgreSQL', () => {
  beforeAll(async () => {
    if (!POSTGRES_URL) throw new Error(`the PostgreSQL tests need a server: ${HOW_TO_GET_POSTGRES}`);
    client = new pg.Client({ connectionString: POSTGRES_URL });
    await client.connect();
    await client.query(`CREATE TEMPORARY TABLE ${TABLE} (x float8, y float8, z float8, w float8)`);
    for (let start = 0; start < X.rows; start += 500) {
      const values: number[] = [];
      const tuples: string[] = [];
      for (let i = start; i < Math.min(X.rows, start + 500); i++) {
        const o = values.length;
        tuples.push(`($${o + 1}, $${o + 2}, $${o + 3}, $${o + 4})`);
        values.push(X.data[i * 3]!, X.data[i * 3 + 1]!, X.data[i * 3 + 2]!, weights[i]!);
      }
      await client.query(`INSERT INTO ${TABLE} VALUES ${tuples.join(', ')}`, values);
    }
  });
  afterAll(async () => {
    await client?.end();
  });

  it('stores the rows exactly', async () => {
    const { rows } = await client.query(`SELECT x, y, z FROM ${TABLE} ORDER BY ctid LIMIT 3`);
    expect(rows.flatMap((r) => [r.x, r.y, r.z])).toEqual([...X.data.subarray(0, 9)]);
  });

  it.each<CovarianceType>(['full', 'tied', 'diag', 'spherical', 'VEV', 'EEI'])(
    '%s: the query gives the in-process statistics to 1e-12',
    async (covarianceType) => {
      const parameters = new GaussianMixture({ nComponents: 3, covarianceType, seed: 1, maxIter: 5 }).fit(X, {
        sampleWeight: weights,
      }).mixtureParameters;
      const strategy = covarianceStrategy(covarianceType);
      const centers = strategy.statisticsCenters(parameters.means, Float64Array.of(0.5, -1, 2), 3, 3);
      const { sql, parse } = sqlStatistics(parameters, {
        table: TABLE,
        columns: ['x', 'y', 'z'],
        weightColumn: 'w',
        dialect: 'postgres',
        centers,
      });
      const local = new LocalRows(X, weights).expectation(strategy, parameters, centers);
      const remote = parse(await query(sql));
      const close = (a: number, b: number, scale: number) =>
        expect(Math.abs(a - b)).toBeLessThanOrEqual(1e-12 * Math.max(1, scale));
      close(remote.logLikelihood, local.logLikelihood, Math.abs(local.logLikelihood));
      close(remote.entropy, local.entropy, local.entropy);
      for (const key of ['weight', 'first', 'second'] as const) {
        const scale = Math.max(...Array.from(local[key], Math.abs));
        local[key].forEach((v, i) => close(remote[key][i]!, v, scale));
      }
    },
  );

  it('fitSql equals fit of the rows to 1e-9', async () => {
    const gm = new GaussianMixture({ nComponents: 3, seed: 2, tol: 1e-6 });
    const expected = gm.fit(X, { sampleWeight: weights });
    const model = await gm.fitSql({
      table: TABLE,
      columns: ['x', 'y', 'z'],
      weightColumn: 'w',
      dialect: 'postgres',
      query,
      sample: X,
      sampleWeight: weights,
    });
    expect(model.nIter).toBe(expected.nIter);
    expect(Math.abs(model.lowerBound - expected.lowerBound)).toBeLessThan(1e-9 * Math.abs(expected.lowerBound));
    expected.means.data.forEach((v, i) =>
      expect(Math.abs(model.means.data[i]! - v)).toBeLessThan(1e-9 * Math.max(1, Math.abs(v))),
    );
    expected.mixtureParameters.covariances.forEach((v, i) =>
      expect(Math.abs(model.mixtureParameters.covariances[i]! - v)).toBeLessThan(1e-9 * Math.max(1, Math.abs(v))),
    );
  });
});
