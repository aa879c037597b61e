import { GmmError } from '../errors.js';

/**
 * A data or model file cannot be used; the message starts with the place:
 * `data.csv:17:3: 'abc' is not a number` (line and column 1-based).
 *
 * @example
 * ```ts
 * try {
 *   parseData('x,y\n1,2\n3,abc\n', 'data.csv');
 * } catch (e) {
 *   if (e instanceof DataFileError) [e.line, e.column]; // [3, 2]
 * }
 * ```
 */
export class DataFileError extends GmmError {
  /** The file (`-` for standard input). */
  readonly file: string;
  /** 1-based line, when one line is to blame. */
  readonly line: number | undefined;
  /** 1-based column (field), when one cell is to blame. */
  readonly column: number | undefined;

  /**
   * @param file - The file name as given (`-` for standard input).
   * @param problem - What is wrong.
   * @param where - 1-based line and column, if known.
   * @example
   * ```ts
   * throw new DataFileError('data.csv', "'abc' is not a number", { line: 17, column: 3 });
   * ```
   */
  constructor(file: string, problem: string, where: { line?: number; column?: number } = {}) {
    const place = [displayName(file), where.line, where.line !== undefined ? where.column : undefined]
      .filter((p) => p !== undefined)
      .join(':');
    super(`${place}: ${problem}`);
    this.file = file;
    this.line = where.line;
    this.column = where.column;
  }
}

/** How a file is named in messages: standard input as `<stdin>`. */
export function displayName(file: string): string {
  return file === '-' ? '<stdin>' : file;
}
