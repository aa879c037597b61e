/**
 * What the commands of the command line share: the interface every command
 * gets, the data options and how data is read for them, the `--format`
 * option, and small formatting helpers. Commands import this module, never
 * `program.ts` (the registry) or one another.
 *
 * @module
 */
import { Option, type Command } from 'commander';
import { DataFileError } from '../parse/errors.js';
import { parseData, type DataFormat } from '../parse/parseData.js';
import type { ColumnSpec } from '../parse/table.js';
import { readData, readText, type LoadedData } from '../io/readData.js';
import { fileSource } from '../io/fileSource.js';
import { arrowFileSource } from '../io/arrowFileSource.js';
import { duckdbSource } from '../io/duckdbSource.js';
import { stat } from 'node:fs/promises';
import type { DataSource } from '../data/source.js';
import { GmmError, InvalidParameterError } from '../errors.js';
import type { GaussianMixtureModel } from '../estimators/mixtureModel.js';
import { list } from './args.js';

/** What every command gets: where output and notes go. */
export interface Cli {
  /** Writes to standard output. */
  out(text: string): Promise<void>;
  /** Writes a line to standard error. */
  note(text: string): void;
}

/** The options every command that reads data accepts. */
export interface DataOptions {
  columns?: string[];
  labelColumn?: string;
  weightColumn?: string;
  header?: boolean;
  inputFormat?: DataFormat;
  na?: 'error' | 'drop' | 'marginalize';
  /** Columns to carry into a per-row output (predict, score --per-sample). */
  keep?: string[];
  verbose?: boolean;
}

/** The table formats the command line reads and writes. */
const TABLE_FORMATS = ['csv', 'tsv', 'json', 'ndjson'];

/** The `--format` option of a command that writes a table. */
export function formatOption(description = 'output format (default: from the extension, else csv)'): Option {
  return new Option('--format <format>', description).choices(TABLE_FORMATS);
}

/**
 * Adds the data options to a command; `marginalize`: the command can take missing cells as they are
 * (`--na marginalize`: fit, predict, score).
 */
export function dataOptions(command: Command, labels = true, marginalize = false): Command {
  command
    .option('--columns <list>', 'feature columns, by name or 1-based number (default: every numeric column)', list)
    .option('--header', 'the first row is a header (default: detected)')
    .option('--no-header', 'the first row is data')
    .addOption(
      new Option('--input-format <format>', 'format of the data (default: from the extension, or sniffed)').choices(
        TABLE_FORMATS,
      ),
    )
    .addOption(
      new Option(
        '--na <policy>',
        `missing values (empty, NA, NaN, null, ?): error stops at the first, drop leaves their rows out${
          marginalize ? ', marginalize keeps them and integrates them out (EM over the observed cells)' : ''
        } (default: error)`,
      ).choices(marginalize ? ['error', 'drop', 'marginalize'] : ['error', 'drop']),
    );
  if (labels) {
    command
      .option('--label-column <name>', 'a column of known classes: ignored as a feature, compared with the clusters')
      .option('--weight-column <name>', 'a column of non-negative row weights');
  }
  return command.option('--verbose', 'print read, parse and fit times on standard error');
}

/**
 * Says on standard error what a fit found doubtful (`gmm: warning: …`), in the command line's terms.
 *
 * @param cli - Where to say it.
 * @param warnings - The model's warnings.
 */
export function warn(cli: Pick<Cli, 'note'>, warnings: readonly string[]): void {
  for (const warning of warnings)
    cli.note(
      `gmm: warning: ${warning
        .replace(/\bmaxIter\b/g, '--max-iter')
        .replace(/\btol\b/g, '--tol')
        .replace(/\bregCovar\b/g, '--reg-covar')
        .replace(/\(standardize: true\)/g, '(--standardize)')}`,
    );
}

/** What the model's scoring methods take for `--na`: missing cells marginalized, or nothing. */
export function scoring(options: DataOptions): { missing?: 'marginalize' } {
  return options.na === 'marginalize' ? { missing: 'marginalize' } : {};
}

/** The `--keep` option of a command that writes one output row per input row. */
export function keepOption(command: Command): Command {
  return command.option(
    '--keep <list>',
    'copy these input columns (by name or 1-based number) into the output, first: an id to join on, say',
    list,
  );
}

/** Reads the data a command was given, with its options; says on standard error how many rows `--na drop` left out. */
export async function loadData(
  file: string,
  options: DataOptions,
  cli: Pick<Cli, 'note'>,
  columns?: readonly string[],
): Promise<LoadedData> {
  const data = await readData(file, columnSpec(options, options.columns ?? columns), options.inputFormat, (readMs) =>
    verbose(cli, options, `read ${seconds(readMs)}`),
  );
  verbose(cli, options, `parse ${seconds(data.parseMs)} (${shape(data)})`);
  return checkLoaded(data, file, cli, options.weightColumn);
}

/**
 * With `--verbose`, says on standard error how long a phase took, as soon as it ends (`read 0.002 s`, then
 * `parse …`, `fit …`, `write …`): a slow run shows where it is.
 *
 * @param cli - Where to say it.
 * @param options - The command's options.
 * @param text - The phase and its time.
 */
export function verbose(cli: Pick<Cli, 'note'>, options: { verbose?: boolean }, text: string): void {
  if (options.verbose) cli.note(text);
}

/** "150 rows × 4 features". */
function shape(data: LoadedData): string {
  return `${data.X.rows} row${data.X.rows === 1 ? '' : 's'} × ${data.X.cols} feature${data.X.cols === 1 ? '' : 's'}`;
}

/** What the data options ask of the parser, with these feature columns. */
function columnSpec(options: DataOptions, columns: readonly string[] | undefined): ColumnSpec {
  return {
    columns,
    labelColumn: options.labelColumn,
    weightColumn: options.weightColumn,
    header: options.header,
    na: options.na,
    keepColumns: options.keep,
  };
}

/** Files read through a source whatever the flags: Parquet (through DuckDB) and Arrow IPC. */
export function isColumnarFile(file: string): boolean {
  return /\.(parquet|arrow|arrows|feather|ipc)$/i.test(file);
}

/** Where a command's data comes from, beyond a file: a query (`--sql`, on `--duckdb` or in memory). */
export interface SourceOptions extends DataOptions {
  sql?: string;
  duckdb?: string;
}

/**
 * The data a command was given, as a source read piece by piece on every pass: a query through DuckDB
 * (`--sql`), a Parquet file (through DuckDB), an Arrow IPC file, or a CSV, TSV or NDJSON file (`--stream`).
 *
 * @throws {@link DataFileError} for standard input, a missing file, JSON, or bad first lines.
 * @throws {@link InvalidParameterError} for `--na marginalize` (streamed rows must be complete), or a bad query.
 */
export async function openSource(file: string | undefined, options: SourceOptions): Promise<DataSource> {
  if (options.na === 'marginalize') {
    throw new InvalidParameterError(
      '--na',
      'marginalize',
      "'error' or 'drop' with a streamed source (its rows must be complete)",
    );
  }
  const columns = options.columns && options.columns.length > 0 ? options.columns : undefined;
  const exclude = options.labelColumn === undefined ? undefined : [options.labelColumn];
  const common = { columns, weightColumn: options.weightColumn, exclude };
  if (options.sql !== undefined) return duckdbSource({ sql: options.sql, database: options.duckdb, ...common });
  if (file === undefined) throw new InvalidParameterError('data', file, 'a data file, or --sql');
  if (/\.parquet$/i.test(file)) {
    await stat(file).catch(() => {
      throw new DataFileError(file, 'no such file');
    });
    return duckdbSource({ sql: `SELECT * FROM read_parquet('${file.replaceAll("'", "''")}')`, ...common });
  }
  if (isColumnarFile(file)) return arrowFileSource(file, common);
  return fileSource(file, { spec: columnSpec(options, options.columns), format: options.inputFormat });
}

/**
 * The data a model is applied to, as a source: its feature columns by the model's names when the file has them
 * (as `loadDataFor` reads them), else by `--columns` or every numeric column.
 */
export async function openSourceFor(model: GaussianMixtureModel, file: string, options: DataOptions): Promise<DataSource> {
  const names = model.featureNames;
  if (!options.columns && names) {
    try {
      return await openSource(file, { ...options, columns: [...names] });
    } catch (e) {
      if (!(e instanceof GmmError) || !/no column named|a column of the/.test(e.message)) throw e;
    }
  }
  const source = await openSource(file, options);
  if (source.cols !== model.nFeatures) {
    throw new DataFileError(file, `has ${source.cols} feature columns but the model has ${model.nFeatures}`);
  }
  return source;
}

/** Says how many rows `--na drop` left out or how many cells `--na marginalize` kept; checks that a weight column has some positive weight. */
function checkLoaded(data: LoadedData, file: string, cli: Pick<Cli, 'note'>, weightColumn?: string): LoadedData {
  if (data.weights && !data.weights.some((w) => w > 0)) {
    throw new DataFileError(
      file,
      `every weight in the weight column '${weightColumn}' is 0${data.dropped > 0 ? ' (of the rows left)' : ''}: some row needs a positive weight`,
    );
  }
  if (data.missingCells > 0) {
    const cells = data.X.rows * data.X.cols;
    cli.note(
      `${file}: ${data.missingCells} missing cell${data.missingCells === 1 ? '' : 's'} (${((100 * data.missingCells) / cells).toFixed(1)}%) in ${data.missingRows} of ${data.X.rows} rows, marginalized`,
    );
  }
  if (data.dropped > 0) {
    const lines = data.droppedLines.join(', ') + (data.dropped > data.droppedLines.length ? ', …' : '');
    cli.note(
      `${file}: dropped ${data.dropped} row${data.dropped === 1 ? '' : 's'} with missing values (line${data.dropped === 1 ? '' : 's'} ${lines}); ${data.X.rows} left`,
    );
  }
  return data;
}

/**
 * Reads data for an existing model: its feature columns by name, or with
 * `--columns` the columns given. A header that lacks one of the model's
 * feature names is an error naming it (never a silent fall back to column
 * positions); data without a header is taken by position. Then checks the
 * width.
 */
export async function loadDataFor(
  model: GaussianMixtureModel,
  modelFile: string,
  file: string,
  options: DataOptions,
  cli: Pick<Cli, 'note'>,
): Promise<LoadedData> {
  const started = performance.now();
  const text = await readText(file);
  const readMs = performance.now() - started;
  verbose(cli, options, `read ${seconds(readMs)}`);
  const parse = (columns: readonly string[] | undefined): LoadedData => {
    const parseStarted = performance.now();
    const table = parseData(text, file, columnSpec(options, columns), options.inputFormat);
    return { ...table, readMs, parseMs: performance.now() - parseStarted };
  };
  let data: LoadedData;
  const names = model.featureNames;
  if (!options.columns && names) {
    try {
      data = parse(names);
    } catch (e) {
      if (!(e instanceof DataFileError) || !/no column named/.test(e.message)) throw e;
      data = parse(undefined);
      if (data.header) {
        const missing = names.filter((name) => !data.header!.includes(name));
        throw new DataFileError(
          file,
          `has no column${missing.length === 1 ? '' : 's'} named ${missing.map((m) => `'${m}'`).join(', ')}, which the model in ${modelFile} was fitted on (${missing.length === names.length ? '' : `its features: ${names.join(', ')}; `}the file's columns: ${data.header.join(', ')}): rename the column${missing.length === 1 ? '' : 's'}, or choose the columns by name or position with --columns`,
        );
      }
    }
  } else {
    data = parse(options.columns);
  }
  if (data.X.cols !== model.nFeatures) {
    throw new DataFileError(
      file,
      `has ${data.X.cols} feature column${data.X.cols === 1 ? '' : 's'} (${data.featureNames.join(', ')}) but the model in ${modelFile} has ${model.nFeatures} feature${model.nFeatures === 1 ? '' : 's'}${model.featureNames ? ` (${model.featureNames.join(', ')})` : ''}`,
    );
  }
  verbose(cli, options, `parse ${seconds(data.parseMs)} (${shape(data)})`);
  return checkLoaded(data, file, cli, options.weightColumn);
}

/** Seconds, for --verbose. */
export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(ms < 1000 ? 3 : 2)} s`;
}

/** Class names as integer codes, in order of first appearance. */
export function codes(labels: readonly string[]): Int32Array {
  const ids = new Map<string, number>();
  return Int32Array.from(labels, (label) => {
    let id = ids.get(label);
    if (id === undefined) ids.set(label, (id = ids.size));
    return id;
  });
}
