/**
 * Data text to the numbers a fit needs: CSV, TSV, JSON or NDJSON, the format
 * from the file name or sniffed from the text. In memory only (no file
 * system), so it runs in browsers: the command line parses files with it, the
 * playground parses dropped files with it.
 *
 * @module
 */
import { readDelimited, sniffDelimiter } from './delimited.js';
import { DataFileError } from './errors.js';
import { readJson, readNdjson } from './json.js';
import type { ColumnSpec, TableData } from './table.js';

/** Formats of data files. */
export type DataFormat = 'csv' | 'tsv' | 'json' | 'ndjson';

/**
 * Parses the text of a data file.
 *
 * @param text - The file's contents.
 * @param file - Its name, for the format (by extension) and for error messages.
 * @param spec - Columns (names or 1-based numbers as strings), `labelColumn`, `weightColumn`, `header`, `na`, `keepColumns`.
 * @param format - Forced format; otherwise from the extension, or sniffed.
 * @returns The table: features X (n × d), their names, and the labels and weights if asked for.
 * @throws {@link DataFileError} for an empty or malformed file, naming line and column.
 * @example
 * ```ts
 * const { X, featureNames } = parseData('x,y,kind\n1,2,a\n3,4,b\n', 'points.csv', { labelColumn: 'kind' });
 * ```
 */
export function parseData(text: string, file: string, spec: ColumnSpec = {}, format?: DataFormat): TableData {
  if (text.trim() === '') throw new DataFileError(file, 'the file is empty');
  const kind = format ?? formatOf(file, text);
  return kind === 'json'
    ? readJson(text, file, spec)
    : kind === 'ndjson'
      ? readNdjson(text, file, spec)
      : readDelimited(text, kind === 'tsv' ? '\t' : sniffDelimiter(text, format === 'csv' ? 'data.csv' : file), file, spec);
}

/**
 * The format of a data file from its extension, or from its content (JSON
 * array, NDJSON objects, delimited text).
 *
 * @param file - The file's name.
 * @param text - Its content, or its beginning.
 * @returns The format.
 */
export function formatOf(file: string, text: string): DataFormat {
  if (/\.json$/i.test(file)) return 'json';
  if (/\.(ndjson|jsonl)$/i.test(file)) return 'ndjson';
  if (/\.(tsv|tab)$/i.test(file)) return 'tsv';
  if (/\.csv$/i.test(file)) return 'csv';
  const start = text.trimStart();
  if (start.startsWith('[')) return 'json';
  if (start.startsWith('{')) return 'ndjson';
  return 'csv';
}
