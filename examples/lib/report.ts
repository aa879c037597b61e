/**
 * What every example produces — a printed report and files (figures, models)
 * — and how it runs from the command line: `npx tsx examples/NAME.ts [--out DIR]`
 * prints the report and writes the files to DIR (default output/NAME/).
 */
import { mkdirSync } from 'node:fs';
import { basename, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { alignTable } from '../../src/cli/format.js';
import { writeOutput } from '../../src/io/write.js';

/** An example's report and files. */
export interface ExampleOutput {
  /** The printed report. */
  text: string;
  /** Files to write: name → contents (SVG figures, JSON models). */
  files: Record<string, string>;
}

/** Builds a report line by line. */
export class Report {
  private readonly lines: string[] = [];
  readonly files: Record<string, string> = {};

  /** Adds a line (or an empty one). */
  say(line = ''): void {
    this.lines.push(line);
  }

  /** Adds an aligned table, indented. */
  table(header: readonly string[], rows: readonly (readonly (string | number)[])[]): void {
    this.lines.push(alignTable(header, rows, '    '));
  }

  /** Adds a file to write. */
  file(name: string, contents: string): void {
    this.files[name] = contents;
  }

  /** The report and its files. */
  output(): ExampleOutput {
    return { text: this.lines.join('\n'), files: this.files };
  }
}

/** A number with a fixed count of decimals. */
export const fixed = (x: number, digits = 3): string => x.toFixed(digits);

/**
 * Writes the files of an example to a directory (created if missing), each
 * atomically.
 *
 * @returns The paths written.
 */
export async function writeFiles(dir: string, files: Record<string, string>): Promise<string[]> {
  mkdirSync(dir, { recursive: true });
  const written: string[] = [];
  for (const [name, contents] of Object.entries(files)) {
    const path = join(dir, name);
    await writeOutput(path, contents);
    written.push(path);
  }
  return written;
}

/**
 * Runs `run` when `meta`'s module is the program (not when a test imports
 * it): prints the report, writes the files to `--out DIR` (default
 * output/NAME/ under the working directory), and says where they are.
 */
export async function runIfMain(meta: ImportMeta, run: () => Promise<ExampleOutput>): Promise<void> {
  const self = fileURLToPath(meta.url);
  if (resolve(process.argv[1] ?? '') !== self) return;
  const { values } = parseArgs({ options: { out: { type: 'string' } } });
  const dir = resolve(values.out ?? join('output', basename(self, '.ts')));
  const output = await run();
  console.log(output.text);
  const written = await writeFiles(dir, output.files);
  if (written.length > 0) {
    console.log(
      `\nWrote ${written.length} file${written.length === 1 ? '' : 's'} to ${relative(process.cwd(), dir) || '.'}/ (${dir}):`,
    );
    for (const path of written) console.log(`  ${basename(path)}`);
  }
}
