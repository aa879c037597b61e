/**
 * Reading data for the command line: a file or standard input, CSV, TSV,
 * JSON or NDJSON, into the numbers a fit needs.
 *
 * @module
 */
import { readFile } from 'node:fs/promises';
import { readDelimited, sniffDelimiter } from './delimited.js';
import { DataFileError } from './errors.js';
import { readJson, readNdjson } from './json.js';
import type { ColumnSpec, TableData } from './table.js';

/** Formats of data files. */
export type DataFormat = 'csv' | 'tsv' | 'json' | 'ndjson';

/** What {@link readData} returns: the table, and how long reading and parsing took. */
export interface LoadedData extends TableData {
  /** Milliseconds spent reading the bytes. */
  readMs: number;
  /** Milliseconds spent parsing them into numbers. */
  parseMs: number;
}

/**
 * Reads a data file (`-`: standard input).
 *
 * @param file - Path, or `-`.
 * @param spec - Columns, header.
 * @param format - Forced format; otherwise from the extension, or sniffed.
 * @returns The data and timings.
 * @throws {@link DataFileError} for a missing, empty or malformed file, naming line and column.
 * @example
 * ```ts
 * const { X, featureNames } = await readData('data/iris.csv', { labelColumn: 'species' });
 * ```
 */
export async function readData(file: string, spec: ColumnSpec = {}, format?: DataFormat): Promise<LoadedData> {
  const started = performance.now();
  const text = await readText(file);
  const readMs = performance.now() - started;
  if (text.trim() === '') throw new DataFileError(file, 'the file is empty');
  const parseStarted = performance.now();
  const kind = format ?? formatOf(file, text);
  const table =
    kind === 'json'
      ? readJson(text, file, spec)
      : kind === 'ndjson'
        ? readNdjson(text, file, spec)
        : readDelimited(text, kind === 'tsv' ? '\t' : format === 'csv' ? ',' : sniffDelimiter(text, file), file, spec);
  return { ...table, readMs, parseMs: performance.now() - parseStarted };
}

/**
 * The text of a file or of standard input.
 *
 * @throws {@link DataFileError} if the file cannot be read.
 */
export async function readText(file: string): Promise<string> {
  if (file === '-') {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  }
  try {
    return await readFile(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new DataFileError(
      file,
      code === 'ENOENT'
        ? 'no such file'
        : code === 'EISDIR'
          ? 'is a directory, not a file'
          : `cannot be read (${code ?? (e as Error).message})`,
    );
  }
}

/** The format from the extension, or from the content (JSON array, NDJSON objects, delimited text). */
function formatOf(file: string, text: string): DataFormat {
  if (/\.json$/i.test(file)) return 'json';
  if (/\.(ndjson|jsonl)$/i.test(file)) return 'ndjson';
  if (/\.(tsv|tab)$/i.test(file)) return 'tsv';
  if (/\.csv$/i.test(file)) return 'csv';
  const start = text.trimStart();
  if (start.startsWith('[')) return 'json';
  if (start.startsWith('{')) return 'ndjson';
  return 'csv';
}
