/**
 * CSV and TSV. Files with quotes go through d3-dsv (measured 2.4× faster
 * than csv-parse on a 140 MB file: 1.6 s against 3.8 s), parsed whole. Files
 * without quotes — the usual numeric table — have nothing for a parser to do
 * but cut at newlines and delimiters, so they are cut by the engine's native
 * `String.prototype.split`, in blocks of lines converted to numbers block by
 * block (memory stays near the size of the result): on a 1,000,000 × 8 CSV
 * (150 MB) 270 ms against d3-dsv's 750 ms, which had made parsing the larger
 * part of `gmm fit` on it. The two give the same records (a property test
 * checks).
 *
 * @module
 */
import { dsvFormat } from 'd3-dsv';
import { DataFileError } from './errors.js';
import { isNumericCell, TableCollector, type ColumnSpec, type TableData, type TakenRows } from './table.js';

const BLOCK = 1 << 20; // characters per block of lines

/** Longest line {@link DelimitedReader} keeps waiting for the end of (64 Mi characters): longer is not a table. */
export const MAX_LINE = 1 << 26;

/**
 * Reads delimited text.
 *
 * @param text - The file's content.
 * @param delimiter - `,`, `\t` or `;`.
 * @param file - Its name, for messages.
 * @param spec - Columns and header.
 * @returns The table.
 * @throws {@link DataFileError} naming the line and column of a bad cell.
 */
export function readDelimited(text: string, delimiter: string, file: string, spec: ColumnSpec): TableData {
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1); // byte-order mark
  if (!text.includes('"')) {
    const reader = new DelimitedReader(file, spec, delimiter, text.length);
    reader.push(text);
    return reader.finish();
  }
  const format = dsvFormat(delimiter);
  // The first two records decide the header and the columns.
  const head = format.parseRows(text.slice(0, firstLinesEnd(text, 2, true)));
  const { collector, cells, header } = startTable(head, delimiter, file, spec, expectedRows(text, text.length));
  // Quotes may hide newlines: parse whole, then count lines record by record for messages.
  const start = header ? firstLinesEnd(text, 1, true) : 0;
  const rows = format.parseRows(text.slice(start));
  const lines = recordLines(text, start, header ? 2 : 1, file);
  rows.forEach((row, r) => {
    if (!(row.length === 1 && row[0]!.trim() === '')) collector.add(cells(row), lines(r));
  });
  return collector.finish();
}

/** The collector of a table from its first two records, which decide the header and the columns. */
function startTable(
  head: string[][],
  delimiter: string,
  file: string,
  spec: ColumnSpec,
  rows: number,
): { collector: TableCollector; cells: (row: string[]) => string[]; header: boolean } {
  const firstRecord = head[0];
  if (!firstRecord || (firstRecord.length === 1 && firstRecord[0]!.trim() === ''))
    throw new DataFileError(file, 'the file is empty');
  // Semicolon-delimited files come from locales that write 2,5 for 2.5: read such cells as numbers.
  const cells = delimiter === ';' ? (row: string[]): string[] => row.map(decimalPoint) : (row: string[]): string[] => row;
  const header = spec.header ?? looksLikeHeader(firstRecord, head[1] && cells(head[1]));
  const firstData = header ? head[1] && cells(head[1]) : cells(firstRecord);
  if (!firstData) throw new DataFileError(file, 'no data rows (only a header)');
  const names = header ? firstRecord.map((n) => n.trim()) : null;
  return { collector: new TableCollector(file, names, firstData, spec, rows), cells, header };
}

/** A guess of the rows of a text of `length` characters from its first line's length (for the first allocation). */
function expectedRows(start: string, length: number): number {
  return Math.ceil(length / Math.max(8, start.indexOf('\n') + 1));
}

/**
 * Delimited text without quotes read piece by piece, for text longer than
 * one string can hold (a file over 512 MB): `push` each piece as it comes
 * (cut anywhere, even inside a line), then `finish`. Only the last,
 * incomplete line of what was pushed is kept as text; every complete line
 * goes into numbers at once. Pushing a text in one piece or in many gives
 * the same table as {@link readDelimited} (a property test checks).
 */
export class DelimitedReader {
  private pending = '';
  private table: ReturnType<typeof startTable> | undefined;
  private line = 1;
  private first = true;

  /**
   * @param file - The file's name, for messages.
   * @param spec - Columns and header.
   * @param delimiter - The delimiter, or undefined to sniff it from the first line (see `sniffDelimiter`).
   * @param expectedChars - The text's length if known (for the first allocation), else 0.
   */
  constructor(
    private readonly file: string,
    private readonly spec: ColumnSpec,
    private delimiter: string | undefined,
    private readonly expectedChars = 0,
  ) {}

  /**
   * Reads a piece of the text.
   *
   * @param text - The next piece.
   * @throws {@link DataFileError} naming the line and column of a bad cell, or the line of a quote.
   */
  push(text: string): void {
    if (this.first && text.length > 0) {
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1); // byte-order mark
      this.first = false;
    }
    this.pending = this.pending === '' ? text : this.pending + text;
    if (!this.table) {
      if (firstLinesEnd(this.pending, 2, false) === this.pending.length) {
        // Not yet two whole lines.
        this.checkLineLength();
        return;
      }
      this.start();
    }
    this.drain(this.pending.lastIndexOf('\n') + 1);
    this.checkLineLength();
  }

  /** The text kept waiting for the end of its line is not longer than any line of a table. */
  private checkLineLength(): void {
    if (this.pending.length <= MAX_LINE) return;
    throw new DataFileError(
      this.file,
      `has a line of over ${MAX_LINE.toLocaleString('en-US')} characters: not a table of data (no line breaks?)`,
      { line: this.line },
    );
  }

  /**
   * Reads what is left and returns the table.
   *
   * @returns The table.
   * @throws {@link DataFileError} for an empty file, a file of only a header, or a bad cell.
   */
  finish(): TableData {
    if (!this.table) {
      if (this.pending.trim() === '') throw new DataFileError(this.file, 'the file is empty');
      this.start();
    }
    this.drain(this.pending.length);
    return this.table!.collector.finish();
  }

  /**
   * Reads what is left, for a reader whose rows were taken as it went
   * ({@link DelimitedReader.take}); `finish` without the table.
   *
   * @throws {@link DataFileError} for an empty file, a file of only a header, no data rows, or a bad cell.
   */
  end(): void {
    if (!this.table) {
      if (this.pending.trim() === '') throw new DataFileError(this.file, 'the file is empty');
      this.start();
    }
    this.drain(this.pending.length);
    if (this.table!.collector.count === 0) throw new DataFileError(this.file, 'no data rows');
  }

  /**
   * The rows read since the last call (see `TableCollector.take`): none
   * before the first two lines are in.
   */
  take(): TakenRows | undefined {
    return this.table?.collector.take();
  }

  /** The feature names, once the first two lines are in. */
  get featureNames(): string[] | undefined {
    return this.table?.collector.featureNames;
  }

  private start(): void {
    const text = this.pending;
    this.checkQuotes(text.slice(0, firstLinesEnd(text, 2, false)));
    const delimiter = (this.delimiter ??= sniffDelimiter(text, this.file));
    const head = splitRows(text.slice(0, firstLinesEnd(text, 2, false)), delimiter);
    const rows = expectedRows(text, Math.max(this.expectedChars, text.length));
    this.table = startTable(head, delimiter, this.file, this.spec, rows);
    if (this.table.header) {
      this.pending = text.slice(firstLinesEnd(text, 1, false));
      this.line = 2;
    }
  }

  /** Reads the first `end` characters of the pending text: whole lines, a block at a time. */
  private drain(end: number): void {
    const { collector, cells } = this.table!;
    const text = this.pending;
    const delimiter = this.delimiter!;
    let start = 0;
    while (start < end) {
      let stop = Math.min(end, start + BLOCK);
      if (stop < end) stop = text.indexOf('\n', stop) + 1 || end;
      const block = text.slice(start, stop);
      this.checkQuotes(block);
      for (const row of splitRows(block, delimiter)) {
        if (!(row.length === 1 && row[0]!.trim() === '')) collector.add(cells(row), this.line); // blank lines are skipped
        this.line++;
      }
      start = stop;
    }
    this.pending = text.slice(end);
  }

  /** Text read piece by piece has no quotes (they could hide a newline across pieces): an error at the first. */
  private checkQuotes(block: string): void {
    const at = block.indexOf('"');
    if (at < 0) return;
    const before = block.slice(0, at);
    const line = this.line + (before.match(/\n/g)?.length ?? 0);
    throw new DataFileError(
      this.file,
      'has a quote ("): text read piece by piece (a file over 512 MB, or one streamed) has no quoted fields; remove the quotes (a numeric table needs none) or split the file',
      { line },
    );
  }
}

/**
 * Records of delimited text without quotes, as d3-dsv's `parseRows` gives
 * them: lines end at \n, \r\n or \r; a final line ending adds no record.
 *
 * @param text - Text without `"`.
 * @param delimiter - The delimiter.
 * @returns The records.
 */
export function splitRows(text: string, delimiter: string): string[][] {
  if (text === '') return [];
  const lines = text.includes('\r') ? text.split(/\r\n?|\n/) : text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines.map((line) => line.split(delimiter));
}

/** Index just past the first `count` lines (quote-aware when needed). */
function firstLinesEnd(text: string, count: number, quoted: boolean): number {
  let inQuotes = false;
  let seen = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (quoted && c === 34) inQuotes = !inQuotes;
    else if (c === 10 && !inQuotes && ++seen === count) return i + 1;
  }
  return text.length;
}

/**
 * Line numbers of records, counting newlines inside quotes: a function from
 * the 0-based record index (from `start`) to its first line.
 *
 * @throws {@link DataFileError} at the line of a quote that is never closed
 *   (d3-dsv would take the rest of the file as one field).
 */
function recordLines(text: string, start: number, firstLine: number, file: string): (record: number) => number {
  const starts: number[] = [firstLine];
  let line = firstLine;
  let inQuotes = false;
  let opened = 0;
  for (let i = start; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 34) {
      inQuotes = !inQuotes;
      if (inQuotes) opened = line;
    } else if (c === 10) {
      line++;
      if (!inQuotes) starts.push(line);
    }
  }
  if (inQuotes) {
    throw new DataFileError(
      file,
      'a quoted field opens here and is never closed: every " that opens a field needs one that closes it (a quote inside a field is written "")',
      { line: opened },
    );
  }
  return (record) => starts[record] ?? line;
}

/** A cell like `-2,5` or `1,25e3` with its decimal comma made a point; any other cell as it is. */
function decimalPoint(cell: string): string {
  return /^\s*[-+]?\d*,\d+(e[-+]?\d+)?\s*$/i.test(cell) ? cell.replace(',', '.') : cell;
}

/**
 * The delimiter of delimited text: tab for .tsv and .tab; semicolon when the
 * first line has semicolons and no comma outside a number like `2,5` (the
 * "CSV" of spreadsheets in decimal-comma locales); otherwise comma for .csv,
 * and whichever of tab, comma and semicolon appears most in the first line.
 *
 * @param text - The content.
 * @param file - The file name.
 * @returns The delimiter.
 */
export function sniffDelimiter(text: string, file: string): string {
  if (/\.(tsv|tab)$/i.test(file)) return '\t';
  const firstLine = text.slice(0, (text.indexOf('\n') + 1 || text.length + 1) - 1);
  const count = (c: string): number => firstLine.split(c).length - 1;
  // Spreadsheets in locales with a decimal comma write "CSV" with semicolons: a first line with semicolons
  // and no commas outside numbers like 2,5 is one of those, even when it is named .csv.
  const semicolons =
    count(';') > 0 && firstLine.split(';').every((field) => !field.includes(',') || /^\s*"?[-+]?\d+,\d+"?\s*$/.test(field));
  if (/\.csv$/i.test(file)) return semicolons ? ';' : ',';
  const candidates: [string, number][] = [
    ['\t', count('\t')],
    [',', count(',')],
    [';', count(';')],
  ];
  candidates.sort((a, b) => b[1] - a[1]);
  return candidates[0]![1] > 0 ? candidates[0]![0] : ',';
}

/**
 * Whether the first record is a header: some column holds text there and a
 * number in the second record (a lone record: any text at all). A first row
 * that merely has text columns, like a species name, is data.
 *
 * @param first - The first record.
 * @param second - The second record, if any.
 * @returns True for a header.
 */
export function looksLikeHeader(first: readonly string[], second: readonly string[] | undefined): boolean {
  if (!second) return !first.every(isNumericCell);
  return first.some((cell, c) => !isNumericCell(cell) && isNumericCell(second[c]));
}
