import type { Command } from 'commander';
import { outputFormat, ROWS_PER_PIECE, tableText, writeOutput, type TableFormat, type TableRow } from '../../io/write.js';
import { rowRange } from '../../matrix/matrix.js';
import { InvalidParameterError } from '../../errors.js';
import { num } from '../format.js';
import { loadModel } from '../models.js';
import { dataOptions, formatOption, keepOption, loadDataFor, scoring, type Cli, type DataOptions } from '../common.js';
import { fitFacts } from '../report.js';

interface ScoreOptions extends DataOptions {
  perSample?: boolean;
  output?: string;
  format?: TableFormat;
  json?: boolean;
}

/** `gmm score MODEL DATA`: the data's log-likelihood under the model (and per row). */
export function registerScore(program: Command, cli: Cli): void {
  const command = program
    .command('score')
    .summary('log-likelihood of data under a model')
    .description(
      'Print the log-likelihood of DATA under the model (mean per row and total, with BIC and AIC); with --per-sample, write each row’s log density.',
    )
    .argument('<model>', 'model file written by gmm fit')
    .argument('<data>', 'data file, or - for standard input')
    .option('--per-sample', 'write the log density of every row (column log_density)')
    .option('-o, --output <file>', 'with --per-sample: write here (default: standard output)')
    .addOption(formatOption('with --per-sample: output format'))
    .option('--json', 'print one JSON object')
    .addHelpText(
      'after',
      '\nExamples:\n  gmm score iris.json data/iris.csv\n  gmm score iris.json new.csv --per-sample -o density.csv',
    );
  keepOption(dataOptions(command, false, true)).action(async (modelFile: string, file: string, options: ScoreOptions) => {
    if (options.keep && !options.perSample)
      throw new InvalidParameterError(
        '--keep',
        options.keep.join(','),
        'used with --per-sample (the one output with a row per input row)',
      );
    const model = await loadModel(modelFile);
    const data = await loadDataFor(model, modelFile, file, options, cli);
    if (options.perSample) {
      // Scored and written a piece at a time: the output is never whole in memory.
      function* pieces(): Generator<TableRow[], void, void> {
        for (let from = 0; from < data.X.rows; from += ROWS_PER_PIECE) {
          const density = model.scoreSamples(
            rowRange(data.X, from, Math.min(data.X.rows, from + ROWS_PER_PIECE)),
            scoring(options),
          );
          yield Array.from(density, (v, i) => [...data.kept.map((column) => column.values[from + i]!), v]);
        }
      }
      const target = options.output ?? '-';
      await writeOutput(
        target,
        tableText(outputFormat(target, options.format), [...data.kept.map((column) => column.name), 'log_density'], pieces()),
      );
      return;
    }
    const n = data.X.rows;
    const facts = fitFacts(model, data.X, scoring(options));
    const score = facts.meanLogLikelihood;
    if (options.json) {
      await cli.out(`${JSON.stringify({ command: 'score', ...facts })}\n`);
      return;
    }
    await cli.out(
      `${n} rows: log-likelihood ${num(facts.logLikelihood, 7)} (${num(score, 6)} per row), BIC ${num(facts.bic, 7)}, AIC ${num(facts.aic, 7)}\n`,
    );
  });
}
