/**
 * JSON (an array of arrays, or of objects) and NDJSON (one array or object
 * per line). Objects' keys are the column names, taken from the first row.
 *
 * @module
 */
import { MAX_LINE } from './delimited.js';
import { DataFileError } from './errors.js';
import { TableCollector, type Cell, type ColumnSpec, type TableData, type TakenRows } from './table.js';

/**
 * Reads a JSON array of rows.
 *
 * @param text - The file's content.
 * @param file - Its name, for messages.
 * @param spec - Columns.
 * @returns The table; rows are numbered from 1 in messages (`data.json:row 3`).
 * @throws {@link DataFileError} for invalid JSON or a bad cell.
 */
export function readJson(text: string, file: string, spec: ColumnSpec): TableData {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new DataFileError(file, `not valid JSON: ${(e as Error).message}`);
  }
  if (!Array.isArray(value)) throw new DataFileError(file, 'JSON data must be an array of rows (arrays or objects)');
  if (value.length === 0) throw new DataFileError(file, 'the file is empty (an empty array)');
  return collect(value, file, spec, (i) => i + 1);
}

/**
 * Reads newline-delimited JSON: one row (array or object) per line; blank lines are skipped.
 *
 * @param text - The file's content.
 * @param file - Its name, for messages.
 * @param spec - Columns.
 * @returns The table.
 * @throws {@link DataFileError} naming the line of invalid JSON or a bad cell.
 */
export function readNdjson(text: string, file: string, spec: ColumnSpec): TableData {
  const reader = new NdjsonReader(file, spec);
  reader.push(text);
  return reader.finish();
}

/**
 * Newline-delimited JSON read piece by piece (the pieces cut anywhere, even
 * inside a line): each whole line is parsed as it comes in, so a file of any
 * size is read in the memory of its rows, or, with {@link NdjsonReader.take},
 * of one chunk. The same rules and messages as `readNdjson`, which is this
 * reader given the whole text.
 */
export class NdjsonReader {
  private pending = '';
  /** Lines read so far (whole lines, blank ones included). */
  private line = 0;
  private names: string[] | null = null;
  private collector: TableCollector | undefined;

  /**
   * @param file - File name for messages.
   * @param spec - Columns, label and weight column.
   */
  constructor(
    private readonly file: string,
    private readonly spec: ColumnSpec,
  ) {}

  /**
   * Reads a piece of the text.
   *
   * @param text - The next piece.
   * @throws {@link DataFileError} naming the line of invalid JSON, or the line and column of a bad cell.
   */
  push(text: string): void {
    if (this.line === 0 && this.pending === '' && text.charCodeAt(0) === 0xfeff) text = text.slice(1); // byte-order mark
    if (text.indexOf('\n') < 0) {
      // No line ends here: nothing to parse yet (and nothing to search again).
      this.pending += text;
      this.checkLineLength();
      return;
    }
    this.pending = this.pending === '' ? text : this.pending + text;
    let from = 0;
    for (let nl = this.pending.indexOf('\n'); nl >= 0; nl = this.pending.indexOf('\n', from)) {
      this.row(this.pending.slice(from, nl));
      from = nl + 1;
    }
    this.pending = from === 0 ? this.pending : this.pending.slice(from);
    this.checkLineLength();
  }

  /** The text kept waiting for the end of its line is not longer than any row of a table. */
  private checkLineLength(): void {
    if (this.pending.length > MAX_LINE) {
      throw new DataFileError(
        this.file,
        `has a line of over ${MAX_LINE.toLocaleString('en-US')} characters: not a row of data (no line breaks?)`,
        { line: this.line + 1 },
      );
    }
  }

  /** One line: blank, or a row. */
  private row(text: string): void {
    const line = ++this.line;
    if (text.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (e) {
      throw new DataFileError(this.file, `not valid JSON: ${(e as Error).message}`, { line });
    }
    if (!this.collector) {
      if (value !== null && typeof value === 'object' && !Array.isArray(value)) this.names = Object.keys(value);
      this.collector = new TableCollector(this.file, this.names, rowCells(value, this.names, this.file, line), this.spec);
    }
    this.collector.add(rowCells(value, this.names, this.file, line), line);
  }

  /** Reads the last line, if the text does not end with a newline. */
  private drain(): void {
    if (this.pending !== '') this.row(this.pending);
    this.pending = '';
    if (!this.collector) throw new DataFileError(this.file, 'the file is empty');
  }

  /**
   * Reads what is left and returns the table.
   *
   * @returns The table.
   * @throws {@link DataFileError} for an empty file or a bad last line.
   */
  finish(): TableData {
    this.drain();
    return this.collector!.finish();
  }

  /**
   * Reads what is left, for a reader whose rows were taken as it went ({@link NdjsonReader.take}).
   *
   * @throws {@link DataFileError} for an empty file, no data rows, or a bad last line.
   */
  end(): void {
    this.drain();
    if (this.collector!.count === 0) throw new DataFileError(this.file, 'no data rows');
  }

  /** The rows read since the last call (see `TableCollector.take`): none before the first row. */
  take(): TakenRows | undefined {
    return this.collector?.take();
  }

  /** The feature names, once the first row is in. */
  get featureNames(): string[] | undefined {
    return this.collector?.featureNames;
  }
}

function collect(rows: unknown[], file: string, spec: ColumnSpec, lineOf: (i: number) => number): TableData {
  const first = rows[0];
  const names = first !== null && typeof first === 'object' && !Array.isArray(first) ? Object.keys(first) : null;
  const collector = new TableCollector(file, names, rowCells(first, names, file, lineOf(0)), spec, rows.length);
  rows.forEach((row, i) => collector.add(rowCells(row, names, file, lineOf(i)), lineOf(i)));
  return collector.finish();
}

/**
 * A row's cells: an array as it is, an object's values in the order of the
 * first row's keys (`names`, null when the first row is an array).
 */
function rowCells(row: unknown, names: readonly string[] | null, file: string, line: number): Cell[] {
  if (Array.isArray(row)) {
    if (names) throw new DataFileError(file, 'rows mix objects and arrays', { line });
    return row as Cell[];
  }
  if (row !== null && typeof row === 'object') {
    if (!names) throw new DataFileError(file, 'rows mix arrays and objects', { line });
    const record = row as Record<string, Cell>;
    for (const key of Object.keys(record)) {
      if (!names.includes(key))
        throw new DataFileError(file, `unexpected key '${key}' (the first row has ${names.join(', ')})`, { line });
    }
    return names.map((n) => record[n]);
  }
  throw new DataFileError(file, `a row must be an array or an object; got ${row === null ? 'null' : typeof row}`, { line });
}
