/**
 * Reading data for the command line: the bytes of a file or of standard
 * input, then {@link parseData}. Text longer than a JavaScript string can
 * hold (536.9 MB) cannot be read whole: CSV and TSV that long are decoded
 * and parsed piece by piece as they are read (`DelimitedReader`), so only
 * the numbers are ever whole in memory; JSON that long is refused.
 *
 * @module
 */
import { constants } from 'node:buffer';
import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { GmmError } from '../errors.js';
import { DelimitedReader, sniffDelimiter } from '../parse/delimited.js';
import { NdjsonReader } from '../parse/json.js';
import { DataFileError } from '../parse/errors.js';
import { formatOf, parseData, type DataFormat } from '../parse/parseData.js';
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
  const source = await readSource(file);
  if (typeof source !== 'string') return readPieces(file, source, spec, format, started, onRead);
  const readMs = performance.now() - started;
  onRead?.(readMs);
  const parseStarted = performance.now();
  const table = parseData(source, file, spec, format);
  return { ...table, readMs, parseMs: performance.now() - parseStarted };
}

/** Reads at most 16 MB at a time from a file too large to read whole. */
const PIECE_BYTES = 1 << 24;

/**
 * The text of a file or of standard input, or, when it is longer than a
 * string can hold, its bytes piece by piece (for {@link readPieces}).
 */
async function readSource(file: string): Promise<string | AsyncIterable<Uint8Array>> {
  if (file === '-') {
    const input = process.stdin[Symbol.asyncIterator]();
    const chunks: Buffer[] = [];
    let bytes = 0;
    for (let next = await input.next(); !next.done; next = await input.next()) {
      chunks.push(next.value as Buffer);
      bytes += (next.value as Buffer).length;
      if (bytes > MAX_TEXT) {
        return (async function* () {
          yield* chunks.splice(0);
          for (let more = await input.next(); !more.done; more = await input.next()) yield more.value as Buffer;
        })();
      }
    }
    return Buffer.concat(chunks).toString('utf8');
  }
  const info = await stat(file).catch(() => undefined);
  if (info?.isFile() && info.size > MAX_TEXT) return createReadStream(file, { highWaterMark: PIECE_BYTES });
  return readText(file);
}

/** A table read from its bytes piece by piece, for text too long for one string: CSV, TSV and NDJSON (not a JSON array). */
async function readPieces(
  file: string,
  pieces: AsyncIterable<Uint8Array>,
  spec: ColumnSpec,
  format: DataFormat | undefined,
  started: number,
  onRead: ((readMs: number) => void) | undefined,
): Promise<LoadedData> {
  const decoder = new TextDecoder('utf-8');
  let reader: DelimitedReader | NdjsonReader | undefined;
  let parseMs = 0;
  const push = (text: string): void => {
    const parseStarted = performance.now();
    if (!reader) {
      const kind = format ?? formatOf(file, text);
      if (kind === 'json') {
        throw tooLarge(
          file,
          `is over ${megabytes(MAX_TEXT)} of JSON`,
          'convert it to CSV, TSV or NDJSON (one row per line), which gmm reads piece by piece at any size',
        );
      }
      reader =
        kind === 'ndjson'
          ? new NdjsonReader(file, spec)
          : new DelimitedReader(file, spec, kind === 'tsv' ? '\t' : sniffDelimiter(text, format === 'csv' ? 'data.csv' : file));
    }
    reader.push(text);
    parseMs += performance.now() - parseStarted;
  };
  try {
    for await (const piece of pieces) push(decoder.decode(piece, { stream: true }));
  } catch (e) {
    if (e instanceof GmmError) throw e;
    throw new DataFileError(file, `cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  push(decoder.decode());
  const finishStarted = performance.now();
  const table = reader!.finish();
  parseMs += performance.now() - finishStarted;
  const readMs = performance.now() - started - parseMs;
  onRead?.(readMs);
  return { ...table, readMs, parseMs };
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
      if (bytes > MAX_TEXT) throw tooLarge(file, `is over ${megabytes(MAX_TEXT)}`, ADVICE);
      chunks.push(chunk as Buffer);
    }
    return Buffer.concat(chunks).toString('utf8');
  }
  try {
    const info = await stat(file);
    if (info.isFile() && info.size > MAX_TEXT) throw tooLarge(file, `is ${megabytes(info.size)}`, ADVICE);
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

/** What to do with data too large to read whole, where it cannot be read piece by piece. */
const ADVICE = 'use a random sample of its rows (shuf -n 1000000), or split it';

/** The error for data too large to read into memory, which says what to do instead. */
function tooLarge(file: string, size: string, advice: string): DataFileError {
  return new DataFileError(
    file,
    `${size}: more text than gmm reads into memory at once (${megabytes(MAX_TEXT)}, the longest string JavaScript holds): ${advice}`,
  );
}
