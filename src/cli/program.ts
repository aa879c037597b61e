/**
 * The `gmm` command line: commands, exit codes, interrupts.
 *
 * Exit codes: 0 success; 1 bad input or a failed fit (one line on standard
 * error, starting with `gmm:`); 2 bad usage (with the usage); 130
 * interrupted (Ctrl-C), with nothing half-written.
 *
 * @module
 */
import { readFileSync } from 'node:fs';
import { Command, CommanderError, Option } from 'commander';
import { GmmError } from '../errors.js';
import { DataFileError } from '../parse/errors.js';
import type { DataFormat } from '../parse/parseData.js';
import { readData, type LoadedData } from '../io/readData.js';
import { removePendingWrites, writeStdout } from '../io/write.js';
import type { GaussianMixtureModel } from '../estimators/mixtureModel.js';
import { list } from './args.js';
import { registerFit } from './commands/fit.js';
import { registerInfo } from './commands/info.js';
import { registerKMeans } from './commands/kmeans.js';
import { registerPlot } from './commands/plot.js';
import { registerPredict } from './commands/predict.js';
import { registerSample } from './commands/sample.js';
import { registerScore } from './commands/score.js';
import { registerSelect } from './commands/select.js';

/** What every command gets: output, the interrupt signal, timings. */
export interface Cli {
  /** Writes to standard output. */
  out(text: string): Promise<void>;
  /** Writes a line to standard error. */
  note(text: string): void;
  /** Aborted by Ctrl-C. */
  readonly signal: AbortSignal;
}

/** The options every command that reads data accepts. */
export interface DataOptions {
  columns?: string[];
  labelColumn?: string;
  weightColumn?: string;
  header?: boolean;
  inputFormat?: DataFormat;
  verbose?: boolean;
}

/** The table formats the command line reads and writes. */
const TABLE_FORMATS = ['csv', 'tsv', 'json', 'ndjson'];

/** The `--format` option of a command that writes a table. */
export function formatOption(description = 'output format (default: from the extension, else csv)'): Option {
  return new Option('--format <format>', description).choices(TABLE_FORMATS);
}

/** Adds the data options to a command. */
export function dataOptions(command: Command, labels = true): Command {
  command
    .option('--columns <list>', 'feature columns, by name or 1-based number (default: every numeric column)', list)
    .option('--header', 'the first row is a header (default: detected)')
    .option('--no-header', 'the first row is data')
    .addOption(
      new Option('--input-format <format>', 'format of the data (default: from the extension, or sniffed)').choices(
        TABLE_FORMATS,
      ),
    );
  if (labels) {
    command
      .option('--label-column <name>', 'a column of known classes: ignored as a feature, compared with the clusters')
      .option('--weight-column <name>', 'a column of non-negative row weights');
  }
  return command.option('--verbose', 'print read, parse and fit times on standard error');
}

/** Reads the data a command was given, with its options. */
export async function loadData(file: string, options: DataOptions, columns?: readonly string[]): Promise<LoadedData> {
  return readData(
    file,
    {
      columns: options.columns ?? columns,
      labelColumn: options.labelColumn,
      weightColumn: options.weightColumn,
      header: options.header,
    },
    options.inputFormat,
  );
}

/**
 * Reads data for an existing model: its feature columns by name when the
 * data has them, otherwise the numeric columns; then checks the width.
 */
export async function loadDataFor(
  model: GaussianMixtureModel,
  modelFile: string,
  file: string,
  options: DataOptions,
): Promise<LoadedData> {
  let data: LoadedData;
  if (!options.columns && model.featureNames) {
    try {
      data = await loadData(file, options, model.featureNames);
    } catch (e) {
      if (!(e instanceof DataFileError) || !/no column named/.test(e.message)) throw e;
      data = await loadData(file, options);
    }
  } else {
    data = await loadData(file, options);
  }
  if (data.X.cols !== model.nFeatures) {
    throw new DataFileError(
      file,
      `has ${data.X.cols} feature column${data.X.cols === 1 ? '' : 's'} (${data.featureNames.join(', ')}) but the model in ${modelFile} has ${model.nFeatures} feature${model.nFeatures === 1 ? '' : 's'}${model.featureNames ? ` (${model.featureNames.join(', ')})` : ''}`,
    );
  }
  return data;
}

/** Seconds, for --verbose. */
export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(ms < 1000 ? 3 : 2)} s`;
}

const EXAMPLES = `
Examples:
  gmm fit data/iris.csv -k 3 --label-column species -o iris.json
  gmm info iris.json
  gmm predict iris.json data/iris.csv --proba -o labels.csv
  gmm score iris.json data/iris.csv
  gmm sample iris.json -n 100 --seed 1
  gmm select data/iris.csv --components 1-6 --covariance all --label-column species
  gmm kmeans data/iris.csv -k 3 --label-column species
  gmm plot iris.json data/iris.csv --x petal_length --y petal_width -o clusters.svg
  cat data.csv | gmm fit - -k 2 --json

Data: CSV, TSV, JSON (an array of arrays or of objects) or NDJSON, from a file or - (standard input).
Exit codes: 0 success, 1 bad input or failed fit, 2 bad usage, 130 interrupted.`;

/** The program, with its commands. */
export function buildProgram(cli: Cli): Command {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  const program = new Command('gmm')
    .description('Gaussian mixture models: fit, predict, score, sample, select, and k-means, on data files.')
    .version(pkg.version, '-V, --version')
    .exitOverride()
    .showHelpAfterError()
    .configureOutput({
      writeOut: (text) => void process.stdout.write(text),
      writeErr: (text) => void process.stderr.write(text),
      outputError: (text, write) => write(`gmm: ${text.replace(/^error: /, '')}`),
    })
    .addHelpText('after', EXAMPLES);
  for (const register of [
    registerFit,
    registerPredict,
    registerScore,
    registerSample,
    registerSelect,
    registerKMeans,
    registerPlot,
    registerInfo,
  ]) {
    register(program, cli);
  }
  return program;
}

/**
 * Runs the command line.
 *
 * @param argv - Arguments after `gmm`.
 * @returns The exit code.
 */
export async function run(argv: string[]): Promise<number> {
  const controller = new AbortController();
  const interrupt = (): void => {
    removePendingWrites();
    if (controller.signal.aborted) process.exit(130);
    controller.abort(new GmmError('interrupted'));
  };
  process.on('SIGINT', interrupt);
  process.on('SIGTERM', interrupt);
  const cli: Cli = {
    out: writeStdout,
    note: (text) => void process.stderr.write(`${text}\n`),
    signal: controller.signal,
  };
  try {
    await buildProgram(cli).parseAsync(argv, { from: 'user' });
    return 0;
  } catch (e) {
    if (e instanceof CommanderError) {
      return e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help' ? 0 : 2;
    }
    if (controller.signal.aborted) {
      cli.note('gmm: interrupted');
      return 130;
    }
    if (e instanceof GmmError) {
      cli.note(`gmm: ${e.message.replace(/\s*\n\s*/g, ' ')}`);
      return 1;
    }
    cli.note(`gmm: internal error, please report it: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    return 1;
  } finally {
    process.off('SIGINT', interrupt);
    process.off('SIGTERM', interrupt);
  }
}
