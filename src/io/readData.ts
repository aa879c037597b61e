/**
 * Reading data for the command line: the bytes of a file or of standard
 * input, then {@link parseData}.
 *
 * @module
 */
import { constants } from 'node:buffer';
import { readFile, stat } from 'node:fs/promises';
import { DataFileError } from '../parse/errors.js';
import { parseData, type DataFormat } from '../parse/parseData.js';
import type { ColumnSpec, TableData } from '../parse/table.js';

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
 * @param onRead - Called once the bytes are read, before parsing starts, with the milliseconds it took.
 * @returns The data and timings.
 * @throws {@link DataFileError} for a missing, empty or malformed file, naming line and column.
 * @example
 * ```ts
 * const { X, featureNames } = await readData('data/iris.csv', { labelColumn: 'species' });
 * ```
 */
export async function readData(
  file: string,
  spec: ColumnSpec = {},
  format?: DataFormat,
  onRead?: (readMs: number) => void,
): Promise<LoadedData> {
  const started = performance.now();
  const text = await readText(file);
  const readMs = performance.now() - started;
  onRead?.(readMs);
  const parseStarted = performance.now();
  const table = parseData(text, file, spec, format);
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
    let bytes = 0;
    for await (const chunk of process.stdin) {
      bytes += (chunk as Buffer).length;
      if (bytes > MAX_TEXT) throw tooLarge(file, `is over ${megabytes(MAX_TEXT)}`);
      chunks.push(chunk as Buffer);
    }
    return Buffer.concat(chunks).toString('utf8');
  }
  try {
    const info = await stat(file);
    if (info.isFile() && info.size > MAX_TEXT) throw tooLarge(file, `is ${megabytes(info.size)}`);
    return await readFile(file, 'utf8');
  } catch (e) {
    if (e instanceof DataFileError) throw e;
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

/** The longest text a JavaScript string holds (V8: 2^29 - 24 characters, about 512 MB): the most gmm reads. */
const MAX_TEXT = constants.MAX_STRING_LENGTH;

/** "536.9 MB". */
function megabytes(bytes: number): string {
  return `${(bytes / 1e6).toFixed(1)} MB`;
}

/** The error for data too large to read into memory, which says what to do instead. */
function tooLarge(file: string, size: string): DataFileError {
  return new DataFileError(
    file,
    `${size}: more text than gmm reads into memory (${megabytes(MAX_TEXT)}, the longest string JavaScript holds): fit a random sample of its rows (shuf -n 1000000), or split it`,
  );
}
