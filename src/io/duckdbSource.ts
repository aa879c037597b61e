/**
 * Any SQL query's result as a {@link DataSource}, streamed from DuckDB
 * (`@duckdb/node-api`, an optional peer dependency: installed only by those
 * who use it): Parquet, CSV and JSON files through DuckDB's readers, DuckDB
 * databases, and whatever DuckDB attaches. Each pass runs the query again
 * and reads its result chunk by chunk; the columns are cast to DOUBLE in the
 * query, so DuckDB converts them. A pass opens its own database instance and
 * connection (unless one is given) and closes them when it ends, aborted or
 * not. Rows come in DuckDB's order: a scan keeps the order of its file or
 * table (DuckDB's default `preserve_insertion_order`), so every pass gives
 * the same rows in the same order; a query that shuffles (parallel
 * aggregates, joins) needs an ORDER BY.
 *
 * @module
 */
import { createRequire } from 'node:module';
import type { DataChunk, DataSource } from '../data/source.js';
import { GmmError, InvalidDataError, InvalidParameterError } from '../errors.js';

/** The part of `@duckdb/node-api`'s connection this module uses. */
export interface DuckDBConnectionLike {
  /** Runs a query and returns its result read chunk by chunk. */
  stream(sql: string): Promise<DuckDBResultLike>;
  /** Closes the connection. */
  closeSync(): void;
}

/** The part of a DuckDB streaming result this module uses (`@duckdb/node-api`'s `DuckDBResult`). */
export interface DuckDBResultLike {
  /** The result's column names. */
  columnNames(): string[];
  /** Their DuckDB types. */
  columnTypes(): unknown[];
  /** The next chunk of rows (null or empty at the end). */
  fetchChunk(): Promise<DuckDBChunkLike | null>;
}

/** The part of a DuckDB result chunk this module uses (`@duckdb/node-api`'s `DuckDBDataChunk`). */
export interface DuckDBChunkLike {
  /** Rows in the chunk (at most 2,048). */
  readonly rowCount: number;
  /** The C API's data chunk, whose vectors are read directly. */
  readonly chunk: unknown;
}

/** Options of {@link duckdbSource}. */
export interface DuckDBSourceOptions {
  /** The query (`SELECT * FROM 'data.parquet'`, `SELECT x, y FROM t WHERE …`). */
  readonly sql: string;
  /** The database file a pass opens (read only), or `:memory:` (default) for queries over files. */
  readonly database?: string | undefined;
  /** A connection to use instead (kept open: it is the caller's). */
  readonly connection?: DuckDBConnectionLike | undefined;
  /** Feature columns of the result, by name (default: every numeric column but the weight column). */
  readonly columns?: readonly string[] | undefined;
  /** A column of row weights. */
  readonly weightColumn?: string | undefined;
  /** Columns left out of the default features (a label column, an id). */
  readonly exclude?: readonly string[] | undefined;
}

/** Rows per chunk a pass yields (many of DuckDB's 2,048-row chunks). */
const CHUNK_ROWS = 65_536;

/** The C API's vector accessors, from the bindings `@duckdb/node-api` itself loads. */
interface RawBindings {
  data_chunk_get_vector(chunk: unknown, column: number): unknown;
  vector_get_data(vector: unknown, byteCount: number): Uint8Array;
  vector_get_validity(vector: unknown, byteCount: number): Uint8Array | null;
}

/**
 * `@duckdb/node-bindings`, resolved from `@duckdb/node-api`'s own folder (its
 * dependency, of its exact version): the C API's `duckdb_vector_get_data`
 * reads a DOUBLE column as the Float64Array DuckDB wrote, where the API's
 * `getItem` costs a call per value.
 */
async function bindings(): Promise<RawBindings> {
  const api = import.meta.resolve('@duckdb/node-api');
  return createRequire(api)('@duckdb/node-bindings') as RawBindings;
}

/**
 * Column j of a result chunk (DOUBLE: the query casts every column), as n doubles.
 *
 * @throws {@link InvalidDataError} naming the row of a NULL.
 */
function columnValues(raw: RawBindings, chunk: unknown, j: number, n: number, name: string, offset: number): Float64Array {
  const vector = raw.data_chunk_get_vector(chunk, j);
  const bytes = raw.vector_get_data(vector, n * 8);
  const values =
    bytes.byteOffset % 8 === 0
      ? new Float64Array(bytes.buffer, bytes.byteOffset, n)
      : new Float64Array(bytes.slice(0, n * 8).buffer);
  const validity = raw.vector_get_validity(vector, Math.ceil(n / 64) * 8);
  if (validity && validity.length > 0) {
    for (let i = 0; i < n; i++) {
      if ((validity[i >> 3]! & (1 << (i & 7))) === 0) {
        throw new InvalidDataError('source', `column '${name}' is NULL at row ${offset + i} (0-based): rows must be complete`, {
          row: offset + i,
        });
      }
    }
  }
  return values;
}

/** DuckDB's numeric types. */
const NUMERIC =
  /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT|FLOAT|DOUBLE|DECIMAL\(\d+,\s*\d+\))$/;

/** A column name quoted for SQL. */
function quote(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** Loads DuckDB, with a clear error when it is not installed. */
async function duckdb(): Promise<typeof import('@duckdb/node-api')> {
  try {
    return await import('@duckdb/node-api');
  } catch (e) {
    throw new GmmError(
      `reading through DuckDB needs the @duckdb/node-api package: npm install @duckdb/node-api (${(e as Error).message})`,
    );
  }
}

/**
 * A connection for one pass, and how to close it: the given one (left
 * open), or a new instance and connection (closed).
 */
async function connect(options: DuckDBSourceOptions): Promise<{ connection: DuckDBConnectionLike; close: () => void }> {
  if (options.connection) return { connection: options.connection, close: () => {} };
  const { DuckDBInstance } = await duckdb();
  const database = options.database ?? ':memory:';
  const instance = await DuckDBInstance.create(database, database === ':memory:' ? {} : { access_mode: 'READ_ONLY' }).catch(
    (e: Error) => {
      throw new InvalidParameterError('database', database, `a DuckDB database that can be opened (${e.message})`);
    },
  );
  const connection = await instance.connect();
  return {
    connection,
    close: () => {
      connection.closeSync();
      instance.closeSync();
    },
  };
}

/**
 * A query's result, streamed from DuckDB on every pass.
 *
 * @param options - The query, the database or a connection, the columns.
 * @returns A promise of the source.
 * @throws {@link InvalidParameterError} for a query DuckDB refuses, an unknown or non-numeric column.
 * @example
 * ```ts
 * const source = await duckdbSource({ sql: "SELECT * FROM 'big.parquet'" });
 * const model = await new GaussianMixture({ nComponents: 8 }).fitAsync(source);
 * ```
 */
export async function duckdbSource(options: DuckDBSourceOptions): Promise<DataSource> {
  const { sql } = options;
  if (typeof sql !== 'string' || sql.trim() === '') throw new InvalidParameterError('sql', sql, 'a SQL query');
  const inner = sql.trim().replace(/;\s*$/, '');
  // The result's columns and types, from the query without its rows.
  const { connection, close } = await connect(options);
  let names: string[];
  let types: string[];
  try {
    const result = await connection.stream(`SELECT * FROM (${inner}) AS source LIMIT 0`).catch((e: Error) => {
      throw new InvalidParameterError('sql', sql, `a query DuckDB can run (${e.message})`);
    });
    names = result.columnNames();
    types = result.columnTypes().map(String);
  } finally {
    close();
  }
  const typeOf = new Map(names.map((n, i) => [n, types[i]!]));
  const check = (name: string, what: string): string => {
    const type = typeOf.get(name);
    if (type === undefined) throw new InvalidParameterError(what, name, `a column of the query's result (${names.join(', ')})`);
    if (!NUMERIC.test(type)) throw new InvalidParameterError(what, name, `a numeric column (it is ${type})`);
    return name;
  };
  const weight = options.weightColumn === undefined ? undefined : check(options.weightColumn, 'weightColumn');
  const features = options.columns
    ? options.columns.map((c) => check(c, 'columns'))
    : names.filter((n) => n !== weight && !options.exclude?.includes(n) && NUMERIC.test(typeOf.get(n)!));
  if (features.length === 0) throw new InvalidParameterError('columns', options.columns ?? [], 'at least one numeric column');
  const selected = [...features, ...(weight === undefined ? [] : [weight])];
  const query = `SELECT ${selected.map((c) => `CAST(${quote(c)} AS DOUBLE)`).join(', ')} FROM (${inner}) AS source`;
  const d = features.length;
  return {
    cols: d,
    featureNames: features,
    async *chunks(signal?: AbortSignal): AsyncGenerator<DataChunk> {
      const { connection, close } = await connect(options);
      const raw = await bindings();
      let pending: Promise<unknown> | undefined;
      try {
        const result = await connection.stream(query);
        let offset = 0;
        // DuckDB's chunks are 2,048 rows: up to CHUNK_ROWS of them are yielded as one, and the next chunk is fetched
        // while this one is read.
        let data = new Float64Array(CHUNK_ROWS * d);
        let weights = weight === undefined ? undefined : new Float64Array(CHUNK_ROWS);
        let fill = 0;
        let next = result.fetchChunk();
        pending = next;
        for (let chunk = await next; chunk && chunk.rowCount > 0; chunk = await next) {
          next = pending = result.fetchChunk();
          signal?.throwIfAborted();
          const n = chunk.rowCount;
          if (fill + n > CHUNK_ROWS) {
            yield { X: { rows: fill, cols: d, data: data.subarray(0, fill * d) }, weights: weights?.subarray(0, fill) };
            offset += fill;
            [data, weights, fill] = [new Float64Array(CHUNK_ROWS * d), weights && new Float64Array(CHUNK_ROWS), 0];
          }
          for (let j = 0; j < selected.length; j++) {
            const values = columnValues(raw, chunk.chunk, j, n, selected[j]!, offset + fill);
            if (j < d) for (let i = 0; i < n; i++) data[(fill + i) * d + j] = values[i]!;
            else weights!.set(values, fill);
          }
          fill += n;
        }
        if (fill > 0) yield { X: { rows: fill, cols: d, data: data.subarray(0, fill * d) }, weights: weights?.subarray(0, fill) };
      } finally {
        // A fetch under way (the pass stopped early) ends before its connection closes.
        await pending?.catch(() => undefined);
        close();
      }
    },
  };
}
