import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { RecordBatch, Table, tableFromArrays, tableToIPC } from 'apache-arrow';
import { describe, expect, it, vi } from 'vitest';
import { GaussianMixture, arrowSource, type CovarianceType, type DataSource } from '../src/index.js';
import { arrowFileSource } from '../src/io/arrowFileSource.js';
import { duckdbSource } from '../src/io/duckdbSource.js';
import { asMatrix } from '../src/matrix/matrix.js';
import { stretchedBlobs } from './helpers/problems.js';

const dir = mkdtempSync(join(tmpdir(), 'gmm-engines-'));
const X = asMatrix(stretchedBlobs(3000, 3, 3, 1, 7));
const columns = (M = X) => ({
  a: Float64Array.from({ length: M.rows }, (_, i) => M.data[i * 3]!),
  b: Float32Array.from({ length: M.rows }, (_, i) => M.data[i * 3 + 1]!),
  c: Float64Array.from({ length: M.rows }, (_, i) => M.data[i * 3 + 2]!),
});
// The in-memory data the sources below hold: column b is float32.
const expectedX = asMatrix(
  Array.from({ length: X.rows }, (_, i) => [X.data[i * 3]!, Math.fround(X.data[i * 3 + 1]!), X.data[i * 3 + 2]!]),
);
const weights = Float64Array.from({ length: X.rows }, (_, i) => 1 + (i % 4));

/** The table in batches of 700 rows. */
function batched(): Table {
  const whole = tableFromArrays({ ...columns(), w: weights, label: Int32Array.from({ length: X.rows }, (_, i) => i % 3) });
  const batches: RecordBatch[] = [];
  for (let start = 0; start < X.rows; start += 700) batches.push(...whole.slice(start, Math.min(X.rows, start + 700)).batches);
  return new Table(batches);
}

async function read(source: DataSource): Promise<number[]> {
  const out: number[] = [];
  for await (const { X } of source.chunks()) out.push(...X.data);
  return out;
}

describe('Apache Arrow sources', () => {
  it.each<CovarianceType>(['full', 'diag'])(
    'a %s fit of an Arrow table is bit-identical to the in-memory fit',
    async (covarianceType) => {
      const gm = new GaussianMixture({ nComponents: 3, covarianceType, seed: 1 });
      const source = arrowSource(batched(), { columns: ['a', 'b', 'c'], weightColumn: 'w' });
      expect(source.cols).toBe(3);
      expect(source.rows).toBe(X.rows);
      const expected = gm.fit(expectedX, { sampleWeight: weights, featureNames: ['a', 'b', 'c'] });
      expect(JSON.stringify(await gm.fitAsync(source))).toBe(JSON.stringify(expected));
    },
  );

  it('by default every numeric column but the weights; a null or a text column is refused by name', async () => {
    const source = arrowSource(batched(), { weightColumn: 'w' });
    expect(source.featureNames).toEqual(['a', 'b', 'c', 'label']);
    const text = tableFromArrays({ x: Float64Array.of(1, 2), s: ['p', 'q'] });
    expect(() => arrowSource(text, { columns: ['x', 's'] })).toThrow(/columns.*numeric column \(it is Dictionary/);
    expect(() => arrowSource(text, { columns: ['y'] })).toThrow(/a column of the table \(x, s\)/);
    const withNull = new Table({ x: (await import('apache-arrow')).vectorFromArray([1, 2, null, 4]) });
    await expect(read(arrowSource(withNull))).rejects.toThrow(/column 'x' has a null at row 2/);
  });

  it('an Arrow IPC file, read batch by batch on every pass, gives the table\u2019s rows', async () => {
    const file = join(dir, 'data.arrow');
    writeFileSync(file, tableToIPC(batched(), 'file'));
    const stream = join(dir, 'data.arrows');
    writeFileSync(stream, tableToIPC(batched(), 'stream'));
    for (const path of [file, stream]) {
      const source = await arrowFileSource(path, { columns: ['a', 'b', 'c'] });
      expect(await read(source)).toEqual([...expectedX.data]);
    }
    await expect(arrowFileSource(join(dir, 'none.arrow'))).rejects.toThrow(/none\.arrow: no such file/);
    writeFileSync(join(dir, 'bad.arrow'), 'not arrow');
    await expect(arrowFileSource(join(dir, 'bad.arrow'))).rejects.toThrow(/bad\.arrow: is not an Arrow IPC/);
  });
});

describe('DuckDB sources: Parquet and any SQL query', () => {
  const parquet = join(dir, 'data.parquet');
  const database = join(dir, 'data.duckdb');

  it('a Parquet file through DuckDB fits bit-identically to the in-memory fit', async () => {
    const instance = await DuckDBInstance.create(database);
    const connection = await instance.connect();
    const arrowFile = join(dir, 'for-duckdb.csv');
    writeFileSync(
      arrowFile,
      'a,b,c,w\n' +
        Array.from(
          { length: X.rows },
          (_, i) => `${expectedX.data[i * 3]},${expectedX.data[i * 3 + 1]},${expectedX.data[i * 3 + 2]},${weights[i]}`,
        ).join('\n'),
    );
    await connection.run(
      `CREATE TABLE t AS SELECT * FROM read_csv('${arrowFile}', header = true, columns = {'a': 'DOUBLE', 'b': 'DOUBLE', 'c': 'DOUBLE', 'w': 'DOUBLE'})`,
    );
    await connection.run(`COPY t TO '${parquet}' (FORMAT parquet, ROW_GROUP_SIZE 1000)`);
    connection.closeSync();
    instance.closeSync();
    const gm = new GaussianMixture({ nComponents: 3, seed: 2, covarianceType: 'tied' });
    const expected = gm.fit(expectedX, { sampleWeight: weights, featureNames: ['a', 'b', 'c'] });
    const source = await duckdbSource({ sql: `SELECT * FROM '${parquet}'`, weightColumn: 'w' });
    expect(source.featureNames).toEqual(['a', 'b', 'c']);
    expect(JSON.stringify(await gm.fitAsync(source))).toBe(JSON.stringify(expected));
    // A query over a database file: the same rows.
    const table = await duckdbSource({ sql: 'SELECT a, b, c FROM t', database });
    expect(await read(table)).toEqual([...expectedX.data]);
  });

  it('refuses a bad query, an unknown or text column and NULLs, naming them', async () => {
    await expect(duckdbSource({ sql: 'SELEC 1' })).rejects.toThrow(/sql.*a query DuckDB can run/);
    await expect(duckdbSource({ sql: "SELECT 1 AS x, 'a' AS s", columns: ['s'] })).rejects.toThrow(
      /numeric column \(it is VARCHAR\)/,
    );
    await expect(duckdbSource({ sql: 'SELECT 1 AS x', columns: ['y'] })).rejects.toThrow(/a column of the query's result \(x\)/);
    const nulls = await duckdbSource({ sql: 'SELECT CASE WHEN i = 5000 THEN NULL ELSE i END AS x FROM range(6000) t(i)' });
    await expect(read(nulls)).rejects.toThrow(/column 'x' is NULL at row 5000/);
  });

  it('an aborted fit closes the DuckDB instance and connection of its pass', async () => {
    const created = vi.spyOn(DuckDBInstance, 'create');
    const instanceClosed = vi.spyOn(DuckDBInstance.prototype, 'closeSync');
    const connectionClosed = vi.spyOn(DuckDBConnection.prototype, 'closeSync');
    try {
      const controller = new AbortController();
      const source = await duckdbSource({ sql: 'SELECT a, b, c FROM t', database });
      let pass = 0;
      let openDuring = 0;
      // Aborts in the middle of the second E-step's pass (the third pass: the survey is the first), after its first chunk.
      const watched: DataSource = {
        cols: source.cols,
        async *chunks(signal) {
          pass++;
          let chunks = 0;
          for await (const chunk of source.chunks(signal)) {
            yield chunk;
            if (pass === 3 && ++chunks === 1) {
              openDuring = created.mock.calls.length - instanceClosed.mock.calls.length;
              controller.abort(new Error('stop'));
            }
          }
        },
      };
      const fit = new GaussianMixture({ nComponents: 3, tol: 0, maxIter: 1000 }).fitAsync(watched, { signal: controller.signal });
      await expect(fit).rejects.toThrow('stop');
      expect(pass).toBe(3);
      expect(openDuring).toBe(1); // the pass under way had its instance open
      // One instance per pass (and one to read the columns), every one closed with its connection.
      expect(created).toHaveBeenCalledTimes(4);
      expect(instanceClosed).toHaveBeenCalledTimes(4);
      expect(connectionClosed).toHaveBeenCalledTimes(4);
    } finally {
      vi.restoreAllMocks();
    }
  });
});
