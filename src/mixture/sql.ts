/**
 * EM's E-step as one SQL aggregate query (SQLEM, Ordonez & Cereghini 2000):
 * the parameters are baked into the query as constants, every row's
 * log-densities and their log-sum-exp (a `GREATEST` and `LN(Σ EXP(· − max))`)
 * are computed in the engine, and the query returns the sufficient
 * statistics — Σ w·r, Σ w·r·(x − c), the centered second moments, Σ w·log p,
 * Σ w and the entropy — as one row. The data never leaves the warehouse:
 * one such query per iteration is exact EM, with the M-step on this side.
 *
 * The query is plain SQL (common table expressions, `GREATEST`, `LN`, `EXP`,
 * `SUM`), which DuckDB, PostgreSQL, BigQuery, Snowflake and Databricks all
 * run; the dialects differ only in how identifiers are quoted and how a
 * double literal is typed (PostgreSQL reads `1.5e-7` as `numeric`, so its
 * literals are cast to `float8`).
 *
 * @module
 */
import { InvalidParameterError } from '../errors.js';
import { covarianceStrategy } from './covariance/index.js';
import type { MixtureParameters } from './parameters.js';
import { createStatistics, type SufficientStatistics } from './statistics.js';

/** The SQL dialects {@link sqlStatistics} writes for. */
export const SQL_DIALECTS = ['duckdb', 'postgres', 'bigquery', 'snowflake', 'databricks'] as const;

/** A SQL dialect: how identifiers are quoted and literals typed. */
export type SqlDialect = (typeof SQL_DIALECTS)[number];

/** Options of {@link sqlStatistics}. */
export interface SqlStatisticsOptions {
  /** The table, view or subquery the rows are in (written as given: `points`, `"my schema".t`, `(SELECT …) s`). */
  readonly table: string;
  /** The d feature columns, by name, in the model's order. */
  readonly columns: readonly string[];
  /** A column of row weights (default: every row weighs 1). */
  readonly weightColumn?: string | undefined;
  /** The dialect (default `'duckdb'`). */
  readonly dialect?: SqlDialect | undefined;
  /**
   * The centers the moments are taken about (k × d; default: the means,
   * or for a shared covariance their weighted mean): any point near the data
   * keeps the sums accurate.
   */
  readonly centers?: Float64Array | undefined;
}

/** The query of one E-step, and how its result row becomes statistics. */
export interface SqlStatistics {
  /** The aggregate query: one row, one column per statistic. */
  readonly sql: string;
  /** The names of the result's columns, in order. */
  readonly outputs: readonly string[];
  /**
   * The statistics from the query's result row (a record of the output
   * columns; numbers, or numeric strings and bigints as drivers return them).
   *
   * @throws {@link InvalidParameterError} for a missing or non-finite value (an empty table gives NULL sums).
   */
  parse(row: Readonly<Record<string, unknown>>): SufficientStatistics;
}

/** A double as an exact SQL literal (shortest round-trip exponent form), typed for the dialect. */
function literal(v: number, dialect: SqlDialect): string {
  if (!Number.isFinite(v)) throw new InvalidParameterError('parameters', v, 'finite parameters');
  const text = v.toExponential();
  return dialect === 'postgres' ? `${text}::float8` : text;
}

/** The dialect's name of the double type. */
function doubleType(dialect: SqlDialect): string {
  return dialect === 'postgres' ? 'DOUBLE PRECISION' : dialect === 'bigquery' ? 'FLOAT64' : 'DOUBLE';
}

/** An identifier quoted for the dialect. */
function identifier(name: string, dialect: SqlDialect): string {
  return dialect === 'bigquery' || dialect === 'databricks'
    ? `\`${name.replaceAll('`', '\\`')}\``
    : `"${name.replaceAll('"', '""')}"`;
}

/** `c0 * t0 + c1 * t1 + … + constant`, leaving out zero coefficients. */
function linear(terms: readonly (readonly [number, string])[], constant: number, dialect: SqlDialect): string {
  const parts = terms.filter(([c]) => c !== 0).map(([c, t]) => `${literal(c, dialect)} * ${t}`);
  parts.push(literal(constant, dialect));
  return parts.join(' + ');
}

/**
 * The E-step of a mixture as one SQL aggregate query over a table.
 *
 * @param parameters - The mixture (e.g. `model.mixtureParameters`, or EM's current parameters); any of the 14
 *   covariance types, with or without a noise component.
 * @param options - Table, columns, weight column, dialect, centers.
 * @returns The query and the parser of its result.
 * @throws {@link InvalidParameterError} for a column count that is not the model's, an unknown dialect, or
 *   non-finite parameters.
 * @example
 * ```ts
 * const { sql, parse } = sqlStatistics(model.mixtureParameters, { table: 'points', columns: ['x', 'y'] });
 * const stats = parse((await connection.runAndReadAll(sql)).getRowObjects()[0]);
 * ```
 */
export function sqlStatistics(parameters: MixtureParameters, options: SqlStatisticsOptions): SqlStatistics {
  const { nComponents: k, nFeatures: d, covarianceType, weights, means, precisionsCholesky, noise } = parameters;
  const dialect = options.dialect ?? 'duckdb';
  if (!(SQL_DIALECTS as readonly string[]).includes(dialect)) {
    throw new InvalidParameterError('dialect', dialect, SQL_DIALECTS.map((x) => `'${x}'`).join(', '));
  }
  if (options.columns.length !== d) {
    throw new InvalidParameterError('columns', options.columns, `${d} column names, one per feature of the model`);
  }
  if (typeof options.table !== 'string' || options.table.trim() === '')
    throw new InvalidParameterError('table', options.table, 'a table name or subquery');
  const strategy = covarianceStrategy(covarianceType);
  const family = strategy.family;
  const centers =
    options.centers ??
    strategy.statisticsCenters(
      means,
      Float64Array.from(
        { length: d },
        (_, a) => weights.reduce((s, w, j) => s + w * means[j * d + a]!, 0) / weights.reduce((s, w) => s + w, 0),
      ),
      k,
      d,
    );
  if (centers.length !== k * d) throw new InvalidParameterError('centers', centers, `${k * d} values (k × d)`);
  const L = (v: number): string => literal(v, dialect);
  const x = (a: number): string => `x${a}`;
  // The rows: features x0…x(d−1) and the weight w.
  const selected = options.columns.map((c, a) => `CAST(${identifier(c, dialect)} AS ${doubleType(dialect)}) AS ${x(a)}`);
  const weight =
    options.weightColumn === undefined ? '1' : `CAST(${identifier(options.weightColumn, dialect)} AS ${doubleType(dialect)})`;
  selected.push(`${weight === '1' ? L(1) : weight} AS w`);
  // Each component's log πⱼ + log N(x | μⱼ, Σⱼ) = cⱼ − ½ Σ yⱼ², with y = (x − μ)·U as scikit-learn's precision Cholesky.
  const logDet = new Float64Array(k);
  strategy.logDetCholesky(precisionsCholesky, k, d, logDet);
  const logWeights = parameters.logWeights ?? weights.map(Math.log);
  const densities: string[] = [];
  for (let j = 0; j < k; j++) {
    const constant = logWeights[j]! - 0.5 * d * Math.log(2 * Math.PI) + logDet[j]!;
    const squares: string[] = [];
    for (let b = 0; b < d; b++) {
      // y_b = Σₐ (xₐ − μₐ) U[a, b]: a linear form in x with a constant.
      const terms: [number, string][] = [];
      let shift = 0;
      for (let a = 0; a < d; a++) {
        const u =
          family === 'full'
            ? precisionsCholesky[j * d * d + a * d + b]!
            : family === 'tied'
              ? precisionsCholesky[a * d + b]!
              : a !== b
                ? 0
                : family === 'diag'
                  ? precisionsCholesky[j * d + a]!
                  : precisionsCholesky[j]!;
        if (u === 0) continue;
        terms.push([u, x(a)]);
        shift -= means[j * d + a]! * u;
      }
      squares.push(`POWER(${linear(terms, shift, dialect)}, 2)`);
    }
    densities.push(`${L(constant)} - ${L(0.5)} * (${squares.join(' + ')}) AS l${j}`);
  }
  const columns = Array.from({ length: k }, (_, j) => `l${j}`);
  if (noise) {
    densities.push(`${L(Math.log(noise.weight) + noise.logDensity)} AS l${k}`);
    columns.push(`l${k}`);
  }
  const xs = Array.from({ length: d }, (_, a) => x(a)).join(', ');
  const responsibilities = columns.map((l, j) => `EXP(${l} - lse) AS r${j}`);
  // The sums.
  const outputs: string[] = [];
  const sums: string[] = [];
  const sum = (name: string, expression: string): void => {
    outputs.push(name);
    sums.push(`SUM(${expression}) AS ${name}`);
  };
  sum('loglik', 'w * lse');
  sum('total', 'w');
  sum('entropy', `w * (lse - (${columns.map((l, j) => `r${j} * ${l}`).join(' + ')}))`);
  if (noise) sum('noise', `w * r${k}`);
  const delta = (j: number, a: number): string => `(${x(a)} - ${L(centers[j * d + a]!)})`;
  for (let j = 0; j < k; j++) {
    sum(`n${j}`, `w * r${j}`);
    for (let a = 0; a < d; a++) sum(`f${j}_${a}`, `w * r${j} * ${delta(j, a)}`);
    if (family === 'full') {
      for (let a = 0; a < d; a++)
        for (let b = a; b < d; b++) sum(`s${j}_${a}_${b}`, `w * r${j} * ${delta(j, a)} * ${delta(j, b)}`);
    } else if (family === 'diag') {
      for (let a = 0; a < d; a++) sum(`s${j}_${a}`, `w * r${j} * POWER(${delta(j, a)}, 2)`);
    } else if (family === 'spherical') {
      sum(`s${j}`, `w * r${j} * (${Array.from({ length: d }, (_, a) => `POWER(${delta(j, a)}, 2)`).join(' + ')})`);
    }
  }
  if (family === 'tied') {
    const rowSum = Array.from({ length: k }, (_, j) => `r${j}`).join(' + ');
    for (let a = 0; a < d; a++)
      for (let b = a; b < d; b++) sum(`s_${a}_${b}`, `w * (${rowSum}) * ${delta(0, a)} * ${delta(0, b)}`);
  }
  const sql = [
    `WITH rows_ AS (SELECT ${selected.join(', ')} FROM ${options.table}),`,
    `densities_ AS (SELECT ${xs}, w, ${densities.join(', ')} FROM rows_),`,
    `maxima_ AS (SELECT *, GREATEST(${columns.join(', ')}) AS mx FROM densities_),`,
    `lse_ AS (SELECT *, mx + LN(${columns.map((l) => `EXP(${l} - mx)`).join(' + ')}) AS lse FROM maxima_),`,
    `resp_ AS (SELECT *, ${responsibilities.join(', ')} FROM lse_)`,
    `SELECT ${sums.join(', ')} FROM resp_`,
  ].join('\n');
  return {
    sql,
    outputs,
    parse(row) {
      const value = (name: string): number => {
        const v = row[name] ?? row[name.toUpperCase()];
        const n = typeof v === 'number' ? v : typeof v === 'bigint' || typeof v === 'string' ? Number(v) : Number.NaN;
        if (!Number.isFinite(n)) {
          throw new InvalidParameterError(`row.${name}`, v, 'a finite number (the query over an empty table sums to NULL)');
        }
        return n;
      };
      const stats = createStatistics(covarianceType, k, d, centers, strategy.secondMomentLength(k, d));
      stats.logLikelihood = value('loglik');
      stats.totalWeight = value('total');
      stats.entropy = value('entropy');
      if (noise) stats.noiseWeight = value('noise');
      for (let j = 0; j < k; j++) {
        stats.weight[j] = value(`n${j}`);
        for (let a = 0; a < d; a++) stats.first[j * d + a] = value(`f${j}_${a}`);
        if (family === 'full') {
          for (let a = 0; a < d; a++) for (let b = a; b < d; b++) stats.second[j * d * d + a * d + b] = value(`s${j}_${a}_${b}`);
        } else if (family === 'diag') {
          for (let a = 0; a < d; a++) stats.second[j * d + a] = value(`s${j}_${a}`);
        } else if (family === 'spherical') {
          stats.second[j] = value(`s${j}`);
        }
      }
      if (family === 'tied')
        for (let a = 0; a < d; a++) for (let b = a; b < d; b++) stats.second[a * d + b] = value(`s_${a}_${b}`);
      return stats;
    },
  };
}
