/**
 * From rows of cells (strings from a CSV, values from JSON) to the data a fit
 * needs: which columns are features, labels and weights, numbers checked one
 * by one with their position, grown into a flat Float64Array.
 *
 * @module
 */
import { matrix, type Matrix } from '../matrix/matrix.js';
import { InvalidParameterError } from '../errors.js';
import { DataFileError } from './errors.js';

/** Which columns to use; names, or 1-based indexes given as strings. */
export interface ColumnSpec {
  /** Feature columns (default: every column whose first data cell is a number, except label and weight). */
  columns?: readonly string[] | undefined;
  /** A column of true labels (kept as strings). */
  labelColumn?: string | undefined;
  /** A column of non-negative row weights. */
  weightColumn?: string | undefined;
  /** Force (true) or forbid (false) a header row; undefined: detect it. */
  header?: boolean | undefined;
  /**
   * Missing values ({@link MISSING_VALUES}: an empty cell, `NA`, `NaN`, `null`, `?` …) in a feature or
   * weight column: `'error'` (default) stops at the first, naming its line and column; `'drop'` leaves
   * their rows out and counts them (`dropped`, `droppedLines`); `'marginalize'` keeps them as NaN
   * cells of X (for a fit or a score that marginalizes them) and counts them (`missingCells`). A column
   * whose first data cell is missing counts as numeric under `'drop'` and `'marginalize'`. A missing
   * weight is an error under every policy but `'drop'`.
   */
  na?: 'error' | 'drop' | 'marginalize' | undefined;
  /**
   * Columns to carry through as text, row for row with X (an id to join results back on, say): names or
   * 1-based numbers. They may also be features, labels or weights. Default: none.
   */
  keepColumns?: readonly string[] | undefined;
}

/**
 * The cells that mean "no value" (trimmed, case as written): those of R's and pandas' defaults that a
 * data file of numbers can hold, plus UCI's `?`.
 */
export const MISSING_VALUES: readonly string[] = [
  '',
  'NA',
  'N/A',
  'n/a',
  '#N/A',
  'NaN',
  'nan',
  '-NaN',
  'NULL',
  'null',
  'None',
  '?',
];
const MISSING = new Set(MISSING_VALUES);

/** True for a cell that stands for a missing value (null, undefined, or one of {@link MISSING_VALUES}). */
export function isMissingCell(cell: Cell): boolean {
  if (cell === null || cell === undefined) return true;
  return typeof cell === 'string' && MISSING.has(cell.trim());
}

/** What a data file yields. */
export interface TableData {
  /** Features, n × d. */
  X: Matrix;
  /** Feature names (from the header, or `x1`…`xd`). */
  featureNames: string[];
  /** Labels, if a label column was asked for. */
  labels: string[] | undefined;
  /** Row weights, if a weight column was asked for. */
  weights: Float64Array | undefined;
  /** The header's column names, every column in order; null for data without a header. */
  header: string[] | null;
  /** Rows left out for a missing value (`na: 'drop'`); 0 otherwise. */
  dropped: number;
  /** Lines (records) of the first 10 rows left out. */
  droppedLines: number[];
  /** Missing cells kept as NaN (`na: 'marginalize'`), and the rows that have one; 0 otherwise. */
  missingCells: number;
  /** Rows with at least one NaN cell (`na: 'marginalize'`). */
  missingRows: number;
  /** The `keepColumns`, in the order asked, each with its cells as text (n of them); empty if none were asked. */
  kept: {
    /** The column's name (from the header, or `x1`…). */
    name: string;
    /** Its cells, one per row of X. */
    values: string[];
  }[];
}

/** A cell as any format gives it. */
export type Cell = string | number | boolean | null | undefined;

/** True if the cell is a finite number (or a string that is one). */
export function isNumericCell(cell: Cell): boolean {
  return toNumber(cell) !== undefined;
}

/** The number in a cell, or undefined (empty, not a number, not finite, hexadecimal and the like). */
function toNumber(cell: Cell): number | undefined {
  if (typeof cell === 'number') return Number.isFinite(cell) ? cell : undefined;
  if (typeof cell !== 'string') return undefined;
  const text = cell.trim();
  if (text === '' || /[xXoObB]/.test(text)) return undefined;
  const v = Number(text);
  return Number.isFinite(v) ? v : undefined;
}

function describe(cell: Cell): string {
  const missing =
    " (a missing value: the na: 'drop' option, --na drop on the command line, leaves such rows out; na: 'marginalize', --na marginalize, keeps them for a fit that marginalizes missing cells)";
  if (cell === undefined || cell === null || (typeof cell === 'string' && cell.trim() === ''))
    return `an empty cell is not a number${missing}`;
  const shown = typeof cell === 'string' ? cell : String(cell);
  if (isMissingCell(cell)) return `'${shown.trim()}' is not a number${missing}`;
  if (typeof cell === 'string' && /^\s*[-+]?(\d+\.?\d*|\.\d+)e[-+]?\d+\s*$/i.test(cell) && !Number.isFinite(Number(cell)))
    return `'${cell.trim()}' is outside the range of a double (magnitudes up to 1.8e308)`;
  if (typeof cell === 'string' && /^\s*[-+]?\d+,\d+\s*$/.test(cell))
    return `'${cell.trim()}' is not a number (a decimal comma: numbers need a decimal point)`;
  return `'${shown.length > 40 ? `${shown.slice(0, 40)}…` : shown}' is not a ${/^\s*[-+]?(nan|inf|infinity)\s*$/i.test(shown) ? 'finite number' : 'number'}`;
}

/** Rows handed out by `TableCollector.take`: what a source read piece by piece yields as a chunk. */
export interface TakenRows {
  /** The rows, n × d. */
  readonly X: Matrix;
  /** Their weights, with a weight column. */
  readonly weights: Float64Array | undefined;
  /** Their labels, with a label column. */
  readonly labels: string[] | undefined;
  /** The kept columns' values, with `keepColumns`. */
  readonly kept: { name: string; values: string[] }[] | undefined;
}

/**
 * Collects rows into numbers. Created from the header (or the first row) and
 * the first data row, which decide the columns; then `add` each data row with
 * its 1-based line number; then `finish`.
 */
export class TableCollector {
  private readonly features: number[];
  private readonly labelIndex: number;
  private readonly weightIndex: number;
  private readonly width: number;
  private data: Float64Array;
  private weights: Float64Array | undefined;
  private readonly labels: string[] | undefined;
  private readonly keptIndex: number[];
  private readonly kept: string[][];
  private rows = 0;
  /** Rows handed out by {@link TableCollector.take} so far. */
  private taken = 0;
  private dropped = 0;
  private readonly droppedLines: number[] = [];
  private readonly dropMissing: boolean;
  private readonly keepMissing: boolean;
  private missingCells = 0;
  private missingRows = 0;
  /**
   * Columns left out as text because of their first data cell (no `columns`
   * given), with that cell: a number in them later on is an error.
   */
  private readonly textColumns: { column: number; cell: Cell }[] = [];
  private firstLine = 0;
  readonly featureNames: string[];

  /**
   * @param file - File name for messages.
   * @param names - Column names (from the header) or null.
   * @param first - The first data row (to find the numeric columns).
   * @param spec - Which columns to use.
   * @param expectedRows - A guess of the number of rows (for the first allocation).
   * @throws {@link DataFileError} for unknown columns.
   */
  constructor(
    private readonly file: string,
    private readonly names: readonly string[] | null,
    first: readonly Cell[],
    spec: ColumnSpec,
    expectedRows = 1024,
  ) {
    this.width = first.length;
    this.dropMissing = spec.na === 'drop';
    this.keepMissing = spec.na === 'marginalize';
    if (spec.na !== undefined && spec.na !== 'error' && spec.na !== 'drop' && spec.na !== 'marginalize')
      throw new InvalidParameterError('na', spec.na, "'error', 'drop' or 'marginalize'");
    if (names && names.length !== this.width) {
      throw new DataFileError(
        file,
        `the header has ${names.length} column name${names.length === 1 ? '' : 's'} but the first data row has ${this.width} field${this.width === 1 ? '' : 's'}: every row needs one name per field`,
        { line: 1 },
      );
    }
    const all = names ?? Array.from({ length: this.width }, (_, i) => `x${i + 1}`);
    const resolve = (ref: string, what: string): number => {
      const byName = names ? names.indexOf(ref) : -1;
      if (byName >= 0) return byName;
      if (/^\d+$/.test(ref)) {
        const index = Number(ref) - 1;
        if (index >= 0 && index < this.width) return index;
        throw new DataFileError(file, `${what} ${ref} is out of range: the data has ${this.width} columns (numbered from 1)`);
      }
      throw new DataFileError(
        file,
        `no ${what} named '${ref}'${names ? ` (columns: ${names.join(', ')})` : ' (the data has no header row; use 1-based column numbers)'}`,
      );
    };
    this.labelIndex = spec.labelColumn === undefined ? -1 : resolve(spec.labelColumn, 'label column');
    this.weightIndex = spec.weightColumn === undefined ? -1 : resolve(spec.weightColumn, 'weight column');
    this.keptIndex = (spec.keepColumns ?? []).map((c) => resolve(c, 'column to keep'));
    this.kept = this.keptIndex.map(() => []);
    if (spec.columns && spec.columns.length > 0) {
      this.features = spec.columns.map((c) => resolve(c, 'column'));
      const seen = new Set<number>();
      for (const f of this.features) {
        if (seen.has(f)) throw new DataFileError(file, `column '${all[f]}' is picked twice`);
        seen.add(f);
      }
    } else {
      this.features = [];
      for (let c = 0; c < this.width; c++) {
        if (c === this.labelIndex || c === this.weightIndex) continue;
        if (isNumericCell(first[c]) || ((this.dropMissing || this.keepMissing) && isMissingCell(first[c]))) this.features.push(c);
        else this.textColumns.push({ column: c, cell: first[c] });
      }
    }
    if (this.features.length === 0) throw new DataFileError(file, 'no numeric columns to use as features');
    for (const f of this.features) {
      if (f === this.labelIndex || f === this.weightIndex)
        throw new DataFileError(
          file,
          `column '${all[f]}' cannot be both a feature and the ${f === this.labelIndex ? 'label' : 'weight'} column`,
        );
    }
    this.featureNames = this.features.map((f) => all[f]!);
    if (names) {
      // A name used twice among the columns in use would pick the wrong column when the model meets the file again.
      for (const c of [...this.features, this.labelIndex, this.weightIndex]) {
        if (c < 0) continue;
        const other = names.findIndex((name, i) => i !== c && name === names[c]);
        if (other >= 0) {
          throw new DataFileError(
            file,
            `the header names two columns '${names[c]}' (columns ${Math.min(c, other) + 1} and ${Math.max(c, other) + 1}): column names must be unique`,
            { line: 1 },
          );
        }
      }
    }
    this.data = new Float64Array(Math.max(16, expectedRows) * this.features.length);
    this.labels = this.labelIndex >= 0 ? [] : undefined;
    this.weights = this.weightIndex >= 0 ? new Float64Array(Math.max(16, expectedRows)) : undefined;
  }

  /**
   * Adds one data row.
   *
   * @param cells - Its cells.
   * @param line - Its 1-based line (or record) number, for messages.
   * @throws {@link DataFileError} for a ragged row or a picked cell that is not a finite number.
   */
  add(cells: readonly Cell[], line: number): void {
    if (cells.length !== this.width) {
      throw new DataFileError(this.file, `expected ${this.width} fields like the first row, found ${cells.length}`, { line });
    }
    if (this.taken + this.rows === 0) this.firstLine = line;
    else if (this.textColumns.length > 0) this.checkTextColumns(cells, line);
    const d = this.features.length;
    if ((this.rows + 1) * d > this.data.length) {
      const grown = new Float64Array(this.data.length * 2);
      grown.set(this.data);
      this.data = grown;
    }
    const o = this.rows * d;
    let missing = 0;
    for (let a = 0; a < d; a++) {
      const c = this.features[a]!;
      const cell = cells[c];
      const v = typeof cell === 'string' ? fastNumber(cell) : toNumber(cell);
      if (v === undefined) {
        if (this.dropMissing && isMissingCell(cell)) return this.drop(line);
        if (this.keepMissing && isMissingCell(cell)) {
          this.data[o + a] = Number.NaN;
          missing++;
          continue;
        }
        throw new DataFileError(this.file, describe(cell), { line, column: c + 1 });
      }
      this.data[o + a] = v;
    }
    if (missing > 0) {
      this.missingCells += missing;
      this.missingRows++;
    }
    if (this.dropMissing && this.weightIndex >= 0 && isMissingCell(cells[this.weightIndex])) return this.drop(line);
    if (this.labels) this.labels.push(String(cells[this.labelIndex] ?? ''));
    for (let k = 0; k < this.keptIndex.length; k++) this.kept[k]!.push(String(cells[this.keptIndex[k]!] ?? ''));
    if (this.weights) {
      if (this.rows >= this.weights.length) {
        const grown = new Float64Array(this.weights.length * 2);
        grown.set(this.weights);
        this.weights = grown;
      }
      const w = toNumber(cells[this.weightIndex]);
      if (w === undefined || w < 0) {
        throw new DataFileError(
          this.file,
          `weight ${describe(cells[this.weightIndex]).replace(/ is not a.*$/, '')} must be a finite number ≥ 0`,
          {
            line,
            column: this.weightIndex + 1,
          },
        );
      }
      this.weights[this.rows] = w;
    }
    this.rows++;
  }

  /**
   * A column left out as text because of its first cell must hold no
   * number later on: which columns are features must not depend on which row
   * holds an odd cell (`NA`, `0x10`, `1_000`, `2,5`). A number in such a
   * column is an error naming both cells.
   */
  private checkTextColumns(cells: readonly Cell[], line: number): void {
    for (const { column, cell } of this.textColumns) {
      const now = cells[column];
      if (isNumericCell(now)) {
        const shown = cell === undefined || cell === null || String(cell).trim() === '' ? 'an empty cell' : `'${String(cell)}'`;
        throw new DataFileError(
          this.file,
          `${shown} is not a number, but column ${column + 1}${this.nameOf(column)} holds numbers (${String(now).trim()} on line ${line}): fix the cell, or choose the feature columns (the columns option, --columns on the command line)`,
          { line: this.firstLine, column: column + 1 },
        );
      }
    }
  }

  /** Leaves a row with a missing value out (`na: 'drop'`). */
  private drop(line: number): void {
    this.dropped++;
    if (this.droppedLines.length < 10) this.droppedLines.push(line);
  }

  private nameOf(column: number): string {
    return this.names ? ` ('${this.names[column]}')` : '';
  }

  /** Rows collected (taken or not). */
  get count(): number {
    return this.taken + this.rows;
  }

  /**
   * Hands out the rows collected since the last call (copies), and forgets
   * them: what a source read piece by piece yields as a chunk. Later rows are
   * still checked against the first ones (columns, fields).
   *
   * @returns The rows (n × d, n ≥ 0), their weights, labels and kept columns, if those columns were asked for.
   */
  take(): TakenRows {
    const d = this.features.length;
    const taken: TakenRows = {
      X: matrix(this.rows, d, this.data.slice(0, this.rows * d)),
      weights: this.weights?.slice(0, this.rows),
      labels: this.labels?.splice(0),
      kept:
        this.keptIndex.length === 0
          ? undefined
          : this.keptIndex.map((c, k) => ({ name: (this.names ?? [])[c] ?? `x${c + 1}`, values: this.kept[k]!.splice(0) })),
    };
    this.taken += this.rows;
    this.rows = 0;
    return taken;
  }

  /**
   * The collected data.
   *
   * @throws {@link DataFileError} if there were no data rows.
   */
  finish(): TableData {
    if (this.rows === 0)
      throw new DataFileError(
        this.file,
        this.dropped > 0 ? `no data rows left: all ${this.dropped} have a missing value` : 'no data rows',
      );
    const d = this.features.length;
    return {
      X: matrix(this.rows, d, this.data.slice(0, this.rows * d)),
      featureNames: this.featureNames,
      labels: this.labels,
      weights: this.weights?.slice(0, this.rows),
      header: this.names ? [...this.names] : null,
      dropped: this.dropped,
      droppedLines: [...this.droppedLines],
      missingCells: this.missingCells,
      missingRows: this.missingRows,
      kept: this.keptIndex.map((c, k) => ({ name: (this.names ?? [])[c] ?? `x${c + 1}`, values: this.kept[k]! })),
    };
  }
}

/** Number(text) for the common case, falling back to the careful check. */
function fastNumber(text: string): number | undefined {
  const v = +text;
  // `+''` and `+' '` are 0, and `+'0x1f'`, `+'0b1'`, `+'0o7'` parse: trust only a finite result
  // from a cell that starts with a visible character and has no such prefix.
  if (v - v === 0 && text.length > 0 && text.charCodeAt(0) > 32) {
    const second = text.charCodeAt(1) | 32;
    if (second !== 120 && second !== 111 && second !== 98) return v;
  }
  return toNumber(text);
}
