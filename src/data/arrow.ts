/**
 * Apache Arrow data as a {@link DataSource}: a table's record batches, one
 * chunk each, read column by column from Arrow's own buffers (no copy of a
 * column; one interleaving into the row-major chunk). Float, Int and Uint
 * columns of any width are read; Int64 values beyond ±2^53 lose precision,
 * as `Number()` of them does. Duck-typed on what every `apache-arrow`
 * version has (`schema.fields`, `batches`, `getChild`, `toArray`), so the
 * core needs no Arrow dependency: pass a `Table` from `apache-arrow`.
 *
 * @module
 */
import { InvalidDataError, InvalidParameterError } from '../errors.js';
import type { DataChunk, DataSource } from './source.js';

/** What {@link arrowSource} reads of an Arrow field. */
export interface ArrowFieldLike {
  /** The column's name. */
  readonly name: string;
  /** Its type (`String(type)` is `Float64`, `Int32`, `Utf8`, …). */
  readonly type: unknown;
}

/** What {@link arrowSource} reads of an Arrow vector (a column of a batch). */
export interface ArrowVectorLike {
  /** Null values in the column. */
  readonly nullCount: number;
  /** The values (a typed array over Arrow's buffer; BigInt64Array for 64-bit integers). */
  toArray(): ArrayLike<number | bigint>;
  /** False for a null. */
  isValid(index: number): boolean;
}

/** What {@link arrowSource} reads of an Arrow record batch. */
export interface ArrowBatchLike {
  /** Rows of the batch. */
  readonly numRows: number;
  /** The batch's column by name. */
  getChild(name: string): ArrowVectorLike | null;
}

/** What {@link arrowSource} reads of an Arrow table. */
export interface ArrowTableLike {
  /** The columns. */
  readonly schema: {
    /** One field per column. */
    readonly fields: readonly ArrowFieldLike[];
  };
  /** The record batches. */
  readonly batches: readonly ArrowBatchLike[];
}

/** Options of {@link arrowSource}. */
export interface ArrowSourceOptions {
  /** Feature columns by name (default: every Float, Int and Uint column but the weight column). */
  readonly columns?: readonly string[] | undefined;
  /** A column of row weights. */
  readonly weightColumn?: string | undefined;
  /** Columns left out of the default features (a label column, an id). */
  readonly exclude?: readonly string[] | undefined;
}

/** True for Arrow's Float, Int and Uint types of any width. */
function isNumericType(type: unknown): boolean {
  return /^(Float|Int|Uint)(8|16|32|64)$/.test(String(type));
}

/**
 * The feature and weight columns of a schema.
 *
 * @throws {@link InvalidParameterError} for an unknown or non-numeric column.
 * @internal
 */
export function arrowColumns(
  fields: readonly ArrowFieldLike[],
  options: ArrowSourceOptions,
): { features: string[]; weight: string | undefined } {
  const byName = new Map(fields.map((f) => [f.name, f]));
  const check = (name: string, what: string): string => {
    const field = byName.get(name);
    if (!field) throw new InvalidParameterError(what, name, `a column of the table (${fields.map((f) => f.name).join(', ')})`);
    if (!isNumericType(field.type)) throw new InvalidParameterError(what, name, `a numeric column (it is ${String(field.type)})`);
    return name;
  };
  const weight = options.weightColumn === undefined ? undefined : check(options.weightColumn, 'weightColumn');
  const features = options.columns
    ? options.columns.map((c) => check(c, 'columns'))
    : fields.filter((f) => f.name !== weight && !options.exclude?.includes(f.name) && isNumericType(f.type)).map((f) => f.name);
  if (features.length === 0) throw new InvalidParameterError('columns', options.columns ?? [], 'at least one numeric column');
  return { features, weight };
}

/**
 * A record batch as a chunk: its feature columns interleaved into rows.
 *
 * @param batch - The batch.
 * @param features - Feature column names.
 * @param weight - Weight column name, if any.
 * @param offset - Rows before the batch (for messages).
 * @returns The chunk.
 * @throws {@link InvalidDataError} naming the row and column of a null.
 * @internal
 */
export function arrowChunk(
  batch: ArrowBatchLike,
  features: readonly string[],
  weight: string | undefined,
  offset: number,
): DataChunk {
  const n = batch.numRows;
  const d = features.length;
  const data = new Float64Array(n * d);
  const column = (name: string): ArrayLike<number | bigint> => {
    const vector = batch.getChild(name);
    if (!vector) throw new InvalidDataError('source', `a record batch has no column '${name}' (at row ${offset})`);
    if (vector.nullCount > 0) {
      let row = 0;
      while (row < n && vector.isValid(row)) row++;
      throw new InvalidDataError(
        'source',
        `column '${name}' has a null at row ${offset + row} (0-based): rows must be complete`,
        {
          row: offset + row,
        },
      );
    }
    return vector.toArray();
  };
  for (let a = 0; a < d; a++) {
    const values = column(features[a]!);
    if (typeof values[0] === 'bigint') for (let i = 0; i < n; i++) data[i * d + a] = Number(values[i]);
    else for (let i = 0; i < n; i++) data[i * d + a] = values[i] as number;
  }
  let weights: Float64Array | undefined;
  if (weight !== undefined) {
    const values = column(weight);
    weights = Float64Array.from({ length: n }, (_, i) => Number(values[i]));
  }
  return { X: { rows: n, cols: d, data }, weights };
}

/**
 * An Arrow table as a source: one chunk per record batch.
 *
 * @param table - An `apache-arrow` `Table` (or anything with its shape).
 * @param options - Feature columns, weight column.
 * @returns The source.
 * @throws {@link InvalidParameterError} for an unknown or non-numeric column.
 * @example
 * ```ts
 * import { tableFromIPC } from 'apache-arrow';
 * const model = await gm.fitAsync(arrowSource(tableFromIPC(bytes)));
 * ```
 */
export function arrowSource(table: ArrowTableLike, options: ArrowSourceOptions = {}): DataSource {
  const { features, weight } = arrowColumns(table.schema.fields, options);
  const rows = table.batches.reduce((n, b) => n + b.numRows, 0);
  return {
    cols: features.length,
    rows,
    featureNames: features,
    async *chunks(signal?: AbortSignal): AsyncGenerator<DataChunk> {
      let offset = 0;
      for (const batch of table.batches) {
        signal?.throwIfAborted();
        if (batch.numRows === 0) continue;
        yield arrowChunk(batch, features, weight, offset);
        offset += batch.numRows;
      }
    },
  };
}
