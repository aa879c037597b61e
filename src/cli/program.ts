/**
 * The `gmm` command line: the registry of commands, exit codes, interrupts.
 * (What the commands share is in `common.ts`, so that no command imports
 * this module or another command.)
 *
 * Exit codes: 0 success; 1 bad input or a failed fit (one line on standard
 * error, starting with `gmm:`); 2 bad usage (with the usage). SIGINT
 * (Ctrl-C), SIGTERM and SIGHUP end the program at once by the signal's
 * default action (the shell reports 130, 143, 129), in any phase; while an
 * output file is being written its temporary file is removed first (see
 * `cleanUpOnSignals`), so nothing is half-written.
 *
 * @module
 */
import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { GmmError, IllConditionedCovarianceError } from '../errors.js';
import { cleanUpOnSignals, writeStdout } from '../io/write.js';
import type { Cli } from './common.js';
import { registerFit } from './commands/fit.js';
import { registerInfo } from './commands/info.js';
import { registerKMeans } from './commands/kmeans.js';
import { registerPlot } from './commands/plot.js';
import { registerPredict } from './commands/predict.js';
import { registerSample } from './commands/sample.js';
import { registerScore } from './commands/score.js';
import { registerSelect } from './commands/select.js';

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
Exit codes: 0 success, 1 bad input or failed fit, 2 bad usage; Ctrl-C stops at once (130), leaving nothing behind.`;

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
  cleanUpOnSignals();
  const cli: Cli = {
    out: writeStdout,
    note: (text) => void process.stderr.write(`${text}\n`),
  };
  try {
    await buildProgram(cli).parseAsync(argv, { from: 'user' });
    return 0;
  } catch (e) {
    if (e instanceof CommanderError) {
      return e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help' ? 0 : 2;
    }
    if (e instanceof GmmError) {
      // The library names its options; on the command line the advice is a flag.
      const message = e instanceof IllConditionedCovarianceError ? e.message.replace(/\bregCovar\b/g, '--reg-covar') : e.message;
      cli.note(`gmm: ${message.replace(/\s*\n\s*/g, ' ')}`);
      return 1;
    }
    cli.note(`gmm: internal error, please report it: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    return 1;
  }
}
