/**
 * Rows that stay in a SQL engine: each E-step is one aggregate query
 * (`sqlStatistics`) run by the caller's `query` function, and the
 * initialization's requests are answered by a sample of the rows fetched
 * once. What `fitSql` runs on.
 *
 * @module
 */
import type { Matrix } from '../matrix/matrix.js';
import type { CovarianceStrategy } from '../mixture/covariance/index.js';
import type { MixtureParameters } from '../mixture/parameters.js';
import { sqlStatistics, type SqlDialect } from '../mixture/sql.js';
import type { SufficientStatistics } from '../mixture/statistics.js';
import type { Random } from '../random/random.js';
import { LocalRows } from './localRows.js';
import type { Assignment, FarRows, Rows, Seeding } from './rows.js';

/** Runs a query and resolves to its one result row (a record of column values). */
export type SqlQuery = (sql: string) => Promise<Readonly<Record<string, unknown>>>;

/** Where the rows are and how to ask for their statistics. */
export interface SqlTable {
  /** The table, view or subquery. */
  readonly table: string;
  /** Feature columns. */
  readonly columns: readonly string[];
  /** A column of row weights. */
  readonly weightColumn?: string | undefined;
  /** The dialect (default `'duckdb'`). */
  readonly dialect?: SqlDialect | undefined;
  /** Runs a query, resolving to its one result row. */
  readonly query: SqlQuery;
}

/** A table's rows, one query per E-step. */
export class SqlRows implements Rows {
  private readonly sample: LocalRows;

  /**
   * @param where - The table and the query function.
   * @param sample - Rows of the table for the initialization.
   * @param sampleWeights - Their weights, or null.
   * @param onQuery - Called with each query's text before it runs.
   */
  constructor(
    private readonly where: SqlTable,
    sample: Matrix,
    sampleWeights: Float64Array | null,
    private readonly onQuery?: (sql: string) => void,
  ) {
    this.sample = new LocalRows(sample, sampleWeights);
  }

  async expectation(
    _strategy: CovarianceStrategy,
    parameters: MixtureParameters,
    centers: Float64Array,
  ): Promise<SufficientStatistics> {
    const { table, columns, weightColumn, dialect } = this.where;
    const { sql, parse } = sqlStatistics(parameters, { table, columns, weightColumn, dialect, centers });
    this.onQuery?.(sql);
    return parse(await this.where.query(sql));
  }

  /** A hint about the sample's rows says nothing of the table's. */
  hint(): void {}

  seed(k: number, rng: Random): Seeding {
    return this.sample.seed(k, rng);
  }

  assign(k: number, centers: Float64Array, fresh: boolean): Assignment {
    return this.sample.assign(k, centers, fresh);
  }

  labels(k: number): Int32Array {
    return this.sample.labels(k);
  }

  farthest(k: number, centers: Float64Array, count: number): FarRows {
    return this.sample.farthest(k, centers, count);
  }

  inertia(k: number, centers: Float64Array): number {
    return this.sample.inertia(k, centers);
  }

  release(): void {
    this.sample.release();
  }
}
