/**
 * Data files as {@link DataSource}s (Node): the file is read again, piece by
 * piece, on every pass, so a file of any size is fitted in the memory of one
 * piece and one chunk (`gmm fit --stream`).
 *
 * @module
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { DataSource } from '../data/source.js';
import { delimitedSource, ndjsonSource } from '../parse/delimitedSource.js';
import { DataFileError } from '../parse/errors.js';
import type { DataFormat } from '../parse/parseData.js';
import type { ColumnSpec } from '../parse/table.js';

/** Bytes read at a time. */
const PIECE_BYTES = 1 << 20;

/** Options of {@link fileSource}. */
export interface FileSourceOptions {
  /** Columns, header, label and weight column. */
  readonly spec?: ColumnSpec | undefined;
  /** The format, if not the extension's (CSV by default). */
  readonly format?: DataFormat | undefined;
  /** Rows per chunk, at least (default 65,536). */
  readonly chunkRows?: number | undefined;
}

/**
 * A CSV, TSV or NDJSON file as a source, read piece by piece on every pass
 * (the format from the extension: `.tsv`/`.tab`, `.ndjson`/`.jsonl`, else CSV).
 *
 * @param file - The file's path.
 * @param options - Columns, format, chunk size.
 * @returns A promise of the source.
 * @throws {@link DataFileError} for standard input (`-`, which can be read only once), a missing file, a JSON
 *   array file, or bad first lines; a bad cell later on fails the pass that reads it, naming file, line and column.
 * @example
 * ```ts
 * const model = await new GaussianMixture({ nComponents: 8 }).fitAsync(await fileSource('big.csv'));
 * ```
 */
export async function fileSource(file: string, options: FileSourceOptions = {}): Promise<DataSource> {
  if (file === '-') {
    throw new DataFileError(
      file,
      'standard input can be read only once, and a stream is read once per EM iteration: give a file',
    );
  }
  const info = await stat(file).catch((e: NodeJS.ErrnoException) => {
    throw new DataFileError(file, e.code === 'ENOENT' ? 'no such file' : `cannot be read (${e.code ?? e.message})`);
  });
  if (!info.isFile()) throw new DataFileError(file, 'is a directory, not a file');
  const format =
    options.format ??
    (/\.(tsv|tab)$/i.test(file) ? 'tsv' : /\.(ndjson|jsonl)$/i.test(file) ? 'ndjson' : /\.json$/i.test(file) ? 'json' : 'csv');
  if (format === 'json') {
    throw new DataFileError(
      file,
      'is a JSON array, which is parsed whole: streamed data is read as CSV, TSV or NDJSON (one row per line); convert it, or fit it without --stream',
    );
  }
  // The source checks its abort signal between pieces, and closes the stream when a pass stops.
  const open = (): AsyncIterable<Uint8Array> => createReadStream(file, { highWaterMark: PIECE_BYTES });
  if (format === 'ndjson') return ndjsonSource(open, file, { spec: options.spec, chunkRows: options.chunkRows });
  return delimitedSource(open, file, {
    spec: options.spec,
    delimiter: format === 'tsv' ? '\t' : undefined,
    chunkRows: options.chunkRows,
  });
}
