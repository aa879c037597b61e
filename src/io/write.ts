/**
 * Writing results: tables as CSV, TSV, JSON or NDJSON, to standard output or
 * atomically to a file (a temporary file in the same folder, then a rename:
 * an interrupted or failed run never leaves a partial file and never
 * clobbers a good one). Symbolic links are followed; devices and pipes are
 * written into, never replaced; read-only files are refused.
 *
 * @module
 */
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { lstat, readdir, readlink, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { GmmError } from '../errors.js';
import { DataFileError } from '../parse/errors.js';

/** Output formats of tables. */
export type TableFormat = 'csv' | 'tsv' | 'json' | 'ndjson';

/** Temporary files being written, removed if the process is interrupted. */
const pending = new Set<string>();

/** The signals that end a process by default, after which {@link cleanUpOnSignals} removes temporary files. */
const FATAL_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

let guarding = false;

/**
 * Removes the temporary files of unfinished writes.
 */
export function removePendingWrites(): void {
  for (const file of pending) rmSync(file, { force: true });
  pending.clear();
  unguard();
}

/**
 * From now on, while a temporary file of {@link writeOutput} exists, SIGINT,
 * SIGTERM and SIGHUP first remove it, then end the process by the same
 * signal (its default action). At every other time no handler is installed,
 * so a signal ends the process at once, whatever it is doing (reading a
 * FIFO, parsing, a long synchronous initialization): the command line's
 * promise that a signal acts immediately and leaves nothing behind. Only the
 * command line calls this; a library must not take over its host's signals.
 */
export function cleanUpOnSignals(): void {
  guarding = true;
}

function onFatalSignal(signal: NodeJS.Signals): void {
  removePendingWrites(); // also removes this handler: the signal's default action applies again
  process.kill(process.pid, signal);
}

function track(temporary: string): void {
  pending.add(temporary);
  if (guarding && pending.size === 1) for (const signal of FATAL_SIGNALS) process.on(signal, onFatalSignal);
}

function untrack(temporary: string): void {
  pending.delete(temporary);
  if (pending.size === 0) unguard();
}

function unguard(): void {
  for (const signal of FATAL_SIGNALS) process.off(signal, onFatalSignal);
}

/**
 * Writes `content` to `target`, or to standard output for `-`: a string, or
 * text in pieces (an iterable, e.g. from {@link tableText}), each piece made
 * only when the one before is written, so output larger than memory never
 * is in memory, and the event loop (a signal's handler) runs between pieces.
 * A regular file
 * (or a new one) is written atomically: a temporary file beside it, then a
 * rename over it. A symbolic link is followed, and its target is written (the
 * link stays a link). A device or a pipe (`/dev/null`, a FIFO) is written
 * directly, never replaced. A read-only file is refused, even for root.
 * Temporary files that a killed earlier write of the same target left
 * behind (`.NAME.PID.XXXXXXXX.tmp`, their process gone) are removed first.
 *
 * @param target - A path, or `-`.
 * @param content - Text to write, whole or in pieces (made as they are written: an async iterable's pieces as they come).
 * @throws {@link DataFileError} if the file cannot be written, is read-only or
 *   is a folder (nothing is left behind, the old file is intact); an error
 *   making a piece is rethrown as it is, with the same guarantee.
 * @example
 * ```ts
 * await writeOutput('model.json', JSON.stringify(model, null, 2));
 * ```
 */
export async function writeOutput(target: string, content: string | Iterable<string> | AsyncIterable<string>): Promise<void> {
  if (target === '-') {
    if (typeof content === 'string') await writeStdout(content);
    else if (Symbol.asyncIterator in content) for await (const piece of content) await writeStdout(piece);
    else for (const piece of content) await writeStdout(piece);
    return;
  }
  const path = await followLinks(target);
  const existing = await stat(path).catch(() => undefined);
  if (existing?.isDirectory()) throw new DataFileError(target, 'is a folder, not a file');
  if (existing && !existing.isFile()) {
    // A device or a pipe: write into it, never replace it.
    try {
      await writeFile(path, content);
    } catch (e) {
      if (e instanceof GmmError) throw e;
      throw new DataFileError(target, `cannot be written (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
    }
    return;
  }
  if (existing && (existing.mode & 0o222) === 0) {
    throw new DataFileError(target, 'is read-only: not replaced (make it writable, or write elsewhere)');
  }
  await removeStaleTemporaries(path);
  const temporary = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  track(temporary);
  try {
    await writeFile(temporary, content, { flag: 'wx' });
    await rename(temporary, path);
  } catch (e) {
    await rm(temporary, { force: true });
    if (e instanceof GmmError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    throw new DataFileError(
      target,
      `cannot be written (${code === 'ENOENT' ? 'no such folder' : (code ?? (e as Error).message)})`,
    );
  } finally {
    untrack(temporary);
  }
}

/**
 * Removes the temporary files that earlier writes of `path` left behind when
 * their process was killed (SIGKILL, a crash, power loss): those named
 * `.NAME.PID.XXXXXXXX.tmp` beside it whose process no longer runs. A live
 * process's temporary file is never touched.
 */
async function removeStaleTemporaries(path: string): Promise<void> {
  const name = basename(path);
  const entries = await readdir(dirname(path)).catch(() => [] as string[]);
  const prefix = `.${name}.`;
  for (const entry of entries) {
    if (!entry.startsWith(prefix)) continue;
    const match = /^(\d+)\.[0-9a-f]{8}\.tmp$/.exec(entry.slice(prefix.length));
    if (!match || isRunning(Number(match[1]))) continue;
    await rm(join(dirname(path), entry), { force: true });
  }
}

/** Whether a process with this id runs (signal 0 tests without sending). */
function isRunning(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: it runs, as another user.
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The file a path names after following symbolic links (up to 40, as the kernel), existing or not. */
async function followLinks(target: string): Promise<string> {
  let path = target;
  for (let hops = 0; hops < 40; hops++) {
    const info = await lstat(path).catch(() => undefined);
    if (!info?.isSymbolicLink()) return path;
    path = resolve(dirname(path), await readlink(path));
  }
  throw new DataFileError(target, 'cannot be written (too many levels of symbolic links)');
}

/**
 * Writes to standard output, waiting for it to drain; a closed pipe
 * (`| head`) is not an error.
 *
 * @param content - Text to write.
 * @throws {@link DataFileError} (as a rejection) naming `<stdout>` when it cannot be written (a full disk: ENOSPC).
 */
export function writeStdout(content: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const settle = (error: Error | null | undefined): void => {
      const code = (error as NodeJS.ErrnoException | null | undefined)?.code;
      if (error && code !== 'EPIPE') reject(new DataFileError('<stdout>', `cannot be written (${code ?? error.message})`));
      else resolve();
    };
    try {
      process.stdout.write(content, settle);
    } catch (e) {
      // Standard output redirected to a file writes synchronously, and throws.
      settle(e as Error);
    }
  });
}

/**
 * The output format: the one asked for, else the target's extension, else CSV.
 *
 * @param target - Output path or `-`.
 * @param asked - `--format`, if given.
 * @returns The format.
 */
export function outputFormat(target: string, asked: TableFormat | undefined): TableFormat {
  if (asked) return asked;
  if (/\.tsv$|\.tab$/i.test(target)) return 'tsv';
  if (/\.json$/i.test(target)) return 'json';
  if (/\.(ndjson|jsonl)$/i.test(target)) return 'ndjson';
  return 'csv';
}

/** One row of a table: values in column order. */
export type TableRow = readonly (string | number)[];

/** Rows per piece of a table written in pieces (see {@link rowPieces}). */
export const ROWS_PER_PIECE = 16_384;

/**
 * A table as text. Numbers are written with every digit JavaScript needs to
 * read them back exactly.
 *
 * @param format - Output format.
 * @param columns - Column names.
 * @param rows - Rows of values, in column order.
 * @returns The text (ending with a newline).
 * @example
 * ```ts
 * formatTable('csv', ['component'], [[0], [2]]); // 'component\n0\n2\n'
 * ```
 */
export function formatTable(format: TableFormat, columns: readonly string[], rows: readonly TableRow[]): string {
  return [...tableText(format, columns, [rows])].join('');
}

/**
 * A table as text in pieces, one per piece of rows, each made when it is
 * asked for: joined, exactly {@link formatTable} of all the rows.
 *
 * @param format - Output format.
 * @param columns - Column names.
 * @param pieces - The rows, piece after piece.
 * @returns The text's pieces (the header first, the end last).
 * @example
 * ```ts
 * await writeOutput('labels.csv', tableText('csv', ['component'], rowPieces(n, (i) => [labels[i]])));
 * ```
 */
export function* tableText(
  format: TableFormat,
  columns: readonly string[],
  pieces: Iterable<readonly TableRow[]>,
): Generator<string, void, void> {
  const frame = tableFrame(format, columns);
  yield frame.head;
  let first = true;
  for (const rows of pieces) {
    if (rows.length === 0) continue;
    yield frame.piece(rows, first);
    first = false;
  }
  yield frame.end(first);
}

/**
 * {@link tableText} of rows that come later (a stream being read): each
 * piece of text is made when its rows arrive.
 *
 * @param format - The table format.
 * @param columns - Column names.
 * @param pieces - The rows, piece after piece, as they come.
 * @returns The text's pieces.
 */
export async function* tableTextAsync(
  format: TableFormat,
  columns: readonly string[],
  pieces: AsyncIterable<readonly TableRow[]>,
): AsyncGenerator<string, void, void> {
  const frame = tableFrame(format, columns);
  yield frame.head;
  let first = true;
  for await (const rows of pieces) {
    if (rows.length === 0) continue;
    yield frame.piece(rows, first);
    first = false;
  }
  yield frame.end(first);
}

/** A table format's text: what comes before the rows, each piece of rows, and what ends it (`empty`: no rows came). */
function tableFrame(
  format: TableFormat,
  columns: readonly string[],
): { head: string; piece: (rows: readonly TableRow[], first: boolean) => string; end: (empty: boolean) => string } {
  const object = (row: TableRow): string => JSON.stringify(Object.fromEntries(columns.map((c, i) => [c, row[i]])));
  switch (format) {
    case 'csv':
    case 'tsv': {
      const sep = format === 'csv' ? ',' : '\t';
      const cell = (v: string | number): string => (typeof v === 'number' ? String(v) : quote(v, sep));
      return {
        head: `${columns.map(cell).join(sep)}\n`,
        piece: (rows) => `${rows.map((row) => row.map(cell).join(sep)).join('\n')}\n`,
        end: () => '',
      };
    }
    case 'json':
      return { head: '[', piece: (rows, first) => `${first ? '' : ','}${rows.map(object).join(',')}`, end: () => ']\n' };
    case 'ndjson':
      return { head: '', piece: (rows) => `${rows.map(object).join('\n')}\n`, end: (empty) => (empty ? '\n' : '') };
  }
}

/**
 * Rows 0..n-1 made piece by piece, {@link ROWS_PER_PIECE} at a time, when asked for.
 *
 * @param n - Rows.
 * @param row - Row i.
 * @returns The pieces.
 */
export function* rowPieces(n: number, row: (i: number) => TableRow): Generator<TableRow[], void, void> {
  for (let from = 0; from < n; from += ROWS_PER_PIECE) {
    const to = Math.min(n, from + ROWS_PER_PIECE);
    const rows: TableRow[] = new Array(to - from);
    for (let i = from; i < to; i++) rows[i - from] = row(i);
    yield rows;
  }
}

function quote(text: string, sep: string): string {
  return /["\n\r]/.test(text) || text.includes(sep) ? `"${text.replaceAll('"', '""')}"` : text;
}
