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
import { isNumericCell, TableCollector, type ColumnSpec, type TableData } from './table.js';

const BLOCK = 1 << 20; // characters per block of lines

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
  const format = dsvFormat(delimiter);
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1); // byte-order mark
  const quoted = text.includes('"');
  // The first two records decide the header and the columns.
  const head = format.parseRows(text.slice(0, firstLinesEnd(text, 2, quoted)));
  const firstRecord = head[0];
  if (!firstRecord || (firstRecord.length === 1 && firstRecord[0]!.trim() === ''))
    throw new DataFileError(file, 'the file is empty');
  // Semicolon-delimited files come from locales that write 2,5 for 2.5: read such cells as numbers.
  const cells = delimiter === ';' ? (row: string[]): string[] => row.map(decimalPoint) : (row: string[]): string[] => row;
  const header = spec.header ?? looksLikeHeader(firstRecord, head[1] && cells(head[1]));
  const firstData = header ? head[1] && cells(head[1]) : cells(firstRecord);
  if (!firstData) throw new DataFileError(file, 'no data rows (only a header)');
  const names = header ? firstRecord.map((n) => n.trim()) : null;
  const collector = new TableCollector(
    file,
    names,
    firstData,
    spec,
    Math.ceil(text.length / Math.max(8, text.indexOf('\n') + 1)),
  );
  let line = header ? 2 : 1;
  const addRows = (rows: string[][]): void => {
    for (const row of rows) {
      if (!(row.length === 1 && row[0]!.trim() === '')) collector.add(cells(row), line); // blank lines are skipped
      line++;
    }
  };
  let start = header ? firstLinesEnd(text, 1, quoted) : 0;
  if (quoted) {
    // Quotes may hide newlines: parse whole, then count lines record by record for messages.
    const rows = format.parseRows(text.slice(start));
    const lines = recordLines(text, start, header ? 2 : 1, file);
    rows.forEach((row, r) => {
      if (!(row.length === 1 && row[0]!.trim() === '')) collector.add(cells(row), lines(r));
    });
  } else {
    while (start < text.length) {
      let end = Math.min(text.length, start + BLOCK);
      if (end < text.length) end = text.indexOf('\n', end) + 1 || text.length;
      addRows(splitRows(text.slice(start, end), delimiter));
      start = end;
    }
  }
  return collector.finish();
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
