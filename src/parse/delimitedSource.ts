/**
 * Delimited text (CSV, TSV) and newline-delimited JSON as {@link DataSource}s: every pass reads the
 * text again piece by piece and yields its rows in chunks, so only one
 * piece and one chunk are ever in memory. The parsers and their messages
 * are `DelimitedReader`'s and `NdjsonReader`'s (a bad cell is named by file,
 * line and column, on whichever line it is), so a file gives the same rows
 * streamed as read whole. Where the pieces come from is the caller's: a file
 * (`fileSource`, Node), a `Blob`'s stream (browsers), a network response.
 *
 * @module
 */
import type { DataChunk, DataSource } from '../data/source.js';
import { InvalidParameterError } from '../errors.js';
import { DelimitedReader, sniffDelimiter } from './delimited.js';
import { DataFileError } from './errors.js';
import { NdjsonReader } from './json.js';
import type { ColumnSpec, TakenRows } from './table.js';

/** Opens the text anew for a pass: its pieces, cut anywhere (UTF-8 bytes or strings). */
export type OpenText = (signal?: AbortSignal) => AsyncIterable<Uint8Array | string>;

/** Options of {@link delimitedSource}. */
export interface DelimitedSourceOptions {
  /** Columns, header, label and weight column (the weights become the chunks' weights). */
  readonly spec?: ColumnSpec | undefined;
  /** `,`, `\t` or `;`; sniffed from the first lines if not given. */
  readonly delimiter?: string | undefined;
  /** Rows per chunk yielded, at least (a chunk ends with a piece of text; default 65,536). */
  readonly chunkRows?: number | undefined;
}

/**
 * Delimited text read piece by piece on every pass. Opens the text once to
 * read its header (the columns, their names), then once per pass.
 *
 * @param open - Opens the text (called once now and once per pass).
 * @param name - The file's name, for messages (`big.csv:3000001:2: …`).
 * @param options - Columns, delimiter, chunk size.
 * @returns A promise of the source.
 * @throws {@link DataFileError} for an empty file, no numeric columns, a quote, or a bad cell in the first lines.
 * @example
 * ```ts
 * const source = await delimitedSource(() => file.stream(), file.name); // a browser File
 * ```
 */
export async function delimitedSource(open: OpenText, name: string, options: DelimitedSourceOptions = {}): Promise<DataSource> {
  const { spec = {} } = options;
  const chunkRows = chunkRowsOf(options);
  let delimiter = options.delimiter;
  // The first two lines: the delimiter, the columns and their names.
  const decoder = new TextDecoder('utf-8');
  let head = '';
  let ended = true;
  for await (const piece of open()) {
    head += typeof piece === 'string' ? piece : decoder.decode(piece, { stream: true });
    const second = nthNewline(head, 2);
    if (second >= 0 && second < head.length - 1) {
      // Two whole lines and more (a reader takes a text ending at its second newline for less).
      ended = false;
      break; // closes the text
    }
  }
  if (ended) head += decoder.decode();
  delimiter ??= sniffDelimiter(head.replace(/^\uFEFF/, ''), name);
  const first = new DelimitedReader(name, spec, delimiter);
  if (ended) {
    first.push(head);
    first.end();
  } else {
    first.push(head.slice(0, nthNewline(head, 2) + 2)); // the first two lines: the rest is read by the passes
  }
  const sep = delimiter;
  return readerSource(open, name, first.featureNames!, () => new DelimitedReader(name, spec, sep), chunkRows);
}

/** Options of {@link ndjsonSource}: those of {@link delimitedSource} but the delimiter. */
export type NdjsonSourceOptions = Omit<DelimitedSourceOptions, 'delimiter'>;

/**
 * Newline-delimited JSON (one array or object per line) read piece by piece
 * on every pass, with `readNdjson`'s rules and messages (`big.ndjson:line 3000001: …`).
 * Opens the text once to read its first row (the columns, their names),
 * then once per pass. A JSON array file cannot be read this way: it is one
 * value, parsed whole.
 *
 * @param open - Opens the text (called once now and once per pass).
 * @param name - The file's name, for messages.
 * @param options - Columns, chunk size.
 * @returns A promise of the source.
 * @throws {@link DataFileError} for an empty file, no numeric columns, or a bad first row.
 * @example
 * ```ts
 * const source = await ndjsonSource(() => file.stream(), file.name); // a browser File
 * ```
 */
export async function ndjsonSource(open: OpenText, name: string, options: NdjsonSourceOptions = {}): Promise<DataSource> {
  const { spec = {} } = options;
  const chunkRows = chunkRowsOf(options);
  const first = new NdjsonReader(name, spec);
  const decoder = new TextDecoder('utf-8');
  let ended = true;
  // Whole lines up to the first row (the rest is read, and checked, by the passes).
  let head = '';
  read: for await (const piece of open()) {
    head += typeof piece === 'string' ? piece : decoder.decode(piece, { stream: true });
    for (let nl = head.indexOf('\n'); nl >= 0; nl = head.indexOf('\n')) {
      first.push(head.slice(0, nl + 1));
      head = head.slice(nl + 1);
      if (first.featureNames) {
        ended = false;
        break read; // closes the text
      }
    }
    first.push(head); // a line longer than a piece is checked as it grows
    head = '';
  }
  if (ended) {
    first.push(decoder.decode());
    first.end();
  }
  return readerSource(open, name, first.featureNames!, () => new NdjsonReader(name, spec), chunkRows);
}

/** The `chunkRows` option, checked (default 65,536). */
function chunkRowsOf(options: { readonly chunkRows?: number | undefined }): number {
  const { chunkRows = 65_536 } = options;
  if (!Number.isInteger(chunkRows) || chunkRows < 1)
    throw new InvalidParameterError('chunkRows', chunkRows, 'a positive integer');
  return chunkRows;
}

/** What a source needs of a text reader: pieces in, rows out as they are read. */
interface TextReader {
  push(text: string): void;
  end(): void;
  take(): TakenRows | undefined;
}

/** A source that reads the text anew with a new reader on every pass. */
function readerSource(
  open: OpenText,
  name: string,
  featureNames: string[],
  newReader: () => TextReader,
  chunkRows: number,
): DataSource {
  return {
    cols: featureNames.length,
    featureNames,
    async *chunks(signal?: AbortSignal): AsyncGenerator<DataChunk> {
      const reader = newReader();
      const decoder = new TextDecoder('utf-8');
      let ready: DataChunk[] = [];
      let rows = 0;
      const collect = (): void => {
        const taken = reader.take();
        if (!taken || taken.X.rows === 0) return;
        ready.push(taken);
        rows += taken.X.rows;
      };
      try {
        for await (const piece of open(signal)) {
          signal?.throwIfAborted();
          reader.push(typeof piece === 'string' ? piece : decoder.decode(piece, { stream: true }));
          collect();
          if (rows >= chunkRows) {
            yield* join(ready);
            ready = [];
            rows = 0;
          }
        }
      } catch (e) {
        if (e instanceof DataFileError) throw e;
        if (signal?.aborted) throw signal.reason;
        throw new DataFileError(name, `cannot be read (${(e as { code?: string }).code ?? (e as Error).message})`);
      }
      reader.push(decoder.decode());
      reader.end();
      collect();
      yield* join(ready);
    },
  };
}

/** The chunks collected from one piece of text, as one chunk. */
function* join(chunks: DataChunk[]): Generator<DataChunk> {
  if (chunks.length <= 1) {
    yield* chunks;
    return;
  }
  const d = chunks[0]!.X.cols;
  const rows = chunks.reduce((r, c) => r + c.X.rows, 0);
  const data = new Float64Array(rows * d);
  const weights = chunks[0]!.weights ? new Float64Array(rows) : undefined;
  let at = 0;
  for (const c of chunks) {
    data.set(c.X.data, at * d);
    weights?.set(c.weights!, at);
    at += c.X.rows;
  }
  const first = chunks[0]!;
  yield {
    X: { rows, cols: d, data },
    weights,
    labels: first.labels && chunks.flatMap((c) => c.labels!),
    kept: first.kept?.map(({ name }, k) => ({ name, values: chunks.flatMap((c) => c.kept![k]!.values) })),
  };
}

/** Index of the n-th newline (1-based) in `text`, or −1. */
function nthNewline(text: string, n: number): number {
  let at = -1;
  for (let i = 0; i < n; i++) {
    at = text.indexOf('\n', at + 1);
    if (at < 0) return -1;
  }
  return at;
}
