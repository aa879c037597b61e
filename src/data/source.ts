/**
 * Data sources: rows that need not all be in memory at once. A
 * {@link DataSource} yields its rows as chunks, in the same order on every
 * pass; EM's statistics are sums over rows, so one pass per iteration is
 * exact EM (see `GaussianMixture.fitAsync`). The in-memory source is here;
 * delimited text read piece by piece is in `parse/`, files in `io/`.
 *
 * @module
 */
import { InvalidDataError, InvalidParameterError } from '../errors.js';
import type { Matrix } from '../matrix/matrix.js';

/** Some consecutive rows of a {@link DataSource}. */
export interface DataChunk {
  /** The rows, r × cols (r ≥ 1); valid until the next chunk is asked for. */
  readonly X: Matrix;
  /** Their weights (r, finite, ≥ 0), or undefined for all ones. */
  readonly weights?: Float64Array | undefined;
  /**
   * Their class labels (r), if the source reads a label column (text files with a `labelColumn`): never
   * fitted, for scoring a clustering against them (the command line's adjusted Rand index).
   */
  readonly labels?: readonly string[] | undefined;
  /** Text columns carried along with the rows (r values each; `keepColumns`), e.g. ids to join predictions on. */
  readonly kept?: readonly KeptColumn[] | undefined;
}

/** A column carried along with a chunk's rows, as text. */
export interface KeptColumn {
  /** Its name (the header's, or x1, x2, …). */
  readonly name: string;
  /** One value per row of the chunk. */
  readonly values: readonly string[];
}

/**
 * Rows yielded chunk by chunk: a file read piece by piece, a database
 * cursor, an in-memory matrix ({@link matrixSource}). Each call of
 * {@link DataSource.chunks} is a new pass over every row, in the same order.
 * A consumer that stops early calls the iterator's `return()` (a `for await`
 * loop does), which must close what the pass opened.
 *
 * @example
 * ```ts
 * const source: DataSource = {
 *   cols: 2,
 *   async *chunks() {
 *     yield { X: matrix(2, 2, Float64Array.of(0, 0, 1, 1)) };
 *     yield { X: matrix(1, 2, Float64Array.of(5, 5)) };
 *   },
 * };
 * ```
 */
export interface DataSource {
  /** Columns (features) of every row. */
  readonly cols: number;
  /** Rows, if known before a pass. */
  readonly rows?: number | undefined;
  /** The columns' names, if known. */
  readonly featureNames?: readonly string[] | undefined;
  /**
   * A new pass over the rows.
   *
   * @param signal - Aborts the pass: the iterator throws the signal's reason and closes what it opened.
   */
  chunks(signal?: AbortSignal): AsyncIterable<DataChunk>;
}

/**
 * True if `x` looks like a {@link DataSource} (a `chunks` method and a `cols` count).
 *
 * @param x - Anything.
 * @returns Whether it can be fitted as a source.
 * @example
 * ```ts
 * isDataSource(matrixSource(X)); // true
 * isDataSource([[1, 2]]); // false
 * ```
 */
export function isDataSource(x: unknown): x is DataSource {
  return (
    typeof x === 'object' &&
    x !== null &&
    typeof (x as { chunks?: unknown }).chunks === 'function' &&
    typeof (x as { cols?: unknown }).cols === 'number'
  );
}

/** Options of {@link matrixSource}. */
export interface MatrixSourceOptions {
  /** Rows per chunk (default 65,536). */
  readonly chunkRows?: number;
  /** Row weights (n), or undefined for all ones. */
  readonly weights?: Float64Array | undefined;
  /** The columns' names. */
  readonly featureNames?: readonly string[] | undefined;
}

/**
 * An in-memory matrix as a {@link DataSource}: its rows in chunks of
 * `chunkRows` (views, not copies). What tests and the playground stream
 * from, and a way to fit in-memory data exactly as a file would be.
 *
 * @param X - Data, n × d (not copied).
 * @param options - Chunk size, weights, feature names.
 * @returns The source.
 * @throws {@link InvalidParameterError} for a chunk size that is not a positive integer.
 * @throws {@link InvalidDataError} for weights of the wrong length.
 * @example
 * ```ts
 * const model = await new GaussianMixture({ nComponents: 3 }).fitAsync(matrixSource(X, { chunkRows: 10_000 }));
 * ```
 */
export function matrixSource(X: Matrix, options: MatrixSourceOptions = {}): DataSource {
  const { chunkRows = 65_536, weights, featureNames } = options;
  if (!Number.isInteger(chunkRows) || chunkRows < 1)
    throw new InvalidParameterError('chunkRows', chunkRows, 'a positive integer');
  if (weights !== undefined && weights.length !== X.rows) {
    throw new InvalidDataError('weights', `weights has ${weights.length} values but the matrix has ${X.rows} rows`);
  }
  const { rows, cols, data } = X;
  return {
    cols,
    rows,
    featureNames,
    async *chunks(signal?: AbortSignal): AsyncGenerator<DataChunk> {
      for (let start = 0; start < rows; start += chunkRows) {
        signal?.throwIfAborted();
        const end = Math.min(rows, start + chunkRows);
        yield {
          X: { rows: end - start, cols, data: data.subarray(start * cols, end * cols) },
          weights: weights?.subarray(start, end),
        };
      }
    },
  };
}
