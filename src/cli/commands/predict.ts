import type { Command } from 'commander';
import { outputFormat, ROWS_PER_PIECE, tableText, writeOutput, type TableFormat, type TableRow } from '../../io/write.js';
import { rowRange } from '../../matrix/matrix.js';
import { loadModel } from '../models.js';
import {
  dataOptions,
  formatOption,
  keepOption,
  loadDataFor,
  scoring,
  seconds,
  verbose,
  type Cli,
  type DataOptions,
} from '../common.js';

interface PredictOptions extends DataOptions {
  proba?: boolean;
  uncertainty?: boolean;
  output?: string;
  format?: TableFormat;
}

/** `gmm predict MODEL DATA`: the component of every row, with probabilities and uncertainty if asked. */
export function registerPredict(program: Command, cli: Cli): void {
  const command = program
    .command('predict')
    .summary('assign each row of data to a component')
    .description(
      'Assign each row of DATA to its most likely component of the model (hard assignment); with --proba, also every component’s probability (soft assignment).',
    )
    .argument('<model>', 'model file written by gmm fit')
    .argument('<data>', 'data file, or - for standard input')
    .option('--proba', 'add each component’s probability (columns p0, p1, …)')
    .option('--uncertainty', 'add 1 − the largest probability')
    .option('-o, --output <file>', 'write here (default: standard output)')
    .addOption(formatOption())
    .addHelpText(
      'after',
      '\nExamples:\n  gmm predict iris.json data/iris.csv\n  gmm predict iris.json data/iris.csv --proba --uncertainty -o labels.tsv\n  gmm predict wine.json wine.csv --keep class',
    );
  keepOption(dataOptions(command, false, true)).action(async (modelFile: string, file: string, options: PredictOptions) => {
    const model = await loadModel(modelFile);
    const data = await loadDataFor(model, modelFile, file, options, cli);
    const started = performance.now();
    // With a noise component: its probability is the last column, and its rows' component is −1.
    const k = model.nComponents + (model.noise ? 1 : 0);
    const columns = [
      ...data.kept.map((column) => column.name),
      'component',
      ...(options.proba ? Array.from({ length: k }, (_, j) => (j === model.nComponents ? 'pnoise' : `p${j}`)) : []),
      ...(options.uncertainty ? ['uncertainty'] : []),
    ];
    // Rows are predicted and written a piece at a time: the output is never whole in memory.
    function* pieces(): Generator<TableRow[], void, void> {
      for (let from = 0; from < data.X.rows; from += ROWS_PER_PIECE) {
        const X = rowRange(data.X, from, Math.min(data.X.rows, from + ROWS_PER_PIECE));
        const labels = model.predict(X, scoring(options));
        const proba = options.proba ? model.predictProba(X, scoring(options)).data : undefined;
        const uncertainty = options.uncertainty ? model.uncertainty(X, scoring(options)) : undefined;
        yield Array.from(labels, (label, i) => [
          ...data.kept.map((column) => column.values[from + i]!),
          label,
          ...(proba ? Array.from(proba.subarray(i * k, (i + 1) * k)) : []),
          ...(uncertainty ? [uncertainty[i]!] : []),
        ]);
      }
    }
    const target = options.output ?? '-';
    await writeOutput(target, tableText(outputFormat(target, options.format), columns, pieces()));
    verbose(cli, options, `predict and write ${seconds(performance.now() - started)}`);
  });
}
