/**
 * JSON (an array of arrays, or of objects) and NDJSON (one array or object
 * per line). Objects' keys are the column names, taken from the first row.
 *
 * @module
 */
import { DataFileError } from './errors.js';
import { TableCollector, type Cell, type ColumnSpec, type TableData } from './table.js';

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
  const rows: unknown[] = [];
  const lines: number[] = [];
  text.split('\n').forEach((line, i) => {
    if (line.trim() === '') return;
    try {
      rows.push(JSON.parse(line));
    } catch (e) {
      throw new DataFileError(file, `not valid JSON: ${(e as Error).message}`, { line: i + 1 });
    }
    lines.push(i + 1);
  });
  if (rows.length === 0) throw new DataFileError(file, 'the file is empty');
  return collect(rows, file, spec, (i) => lines[i]!);
}

function collect(rows: unknown[], file: string, spec: ColumnSpec, lineOf: (i: number) => number): TableData {
  const first = rows[0];
  let names: string[] | null = null;
  const cellsOf = (row: unknown, i: number): Cell[] => {
    if (Array.isArray(row)) {
      if (names) throw new DataFileError(file, 'rows mix objects and arrays', { line: lineOf(i) });
      return row as Cell[];
    }
    if (row !== null && typeof row === 'object') {
      if (!names) throw new DataFileError(file, 'rows mix arrays and objects', { line: lineOf(i) });
      const record = row as Record<string, Cell>;
      for (const key of Object.keys(record)) {
        if (!names.includes(key))
          throw new DataFileError(file, `unexpected key '${key}' (the first row has ${names.join(', ')})`, { line: lineOf(i) });
      }
      return names.map((n) => record[n]);
    }
    throw new DataFileError(file, `a row must be an array or an object; got ${row === null ? 'null' : typeof row}`, {
      line: lineOf(i),
    });
  };
  if (first !== null && typeof first === 'object' && !Array.isArray(first)) names = Object.keys(first);
  const firstCells = cellsOf(first, 0);
  const collector = new TableCollector(file, names, firstCells, spec, rows.length);
  rows.forEach((row, i) => collector.add(cellsOf(row, i), lineOf(i)));
  return collector.finish();
}
