import type { Command } from 'commander';
import { outputFormat, ROWS_PER_PIECE, tableText, writeOutput, type TableFormat, type TableRow } from '../../io/write.js';
import { integer } from '../args.js';
import { loadModel } from '../models.js';
import { formatOption, type Cli } from '../common.js';
import { featureNamesOf } from '../report.js';

interface SampleOptions {
  n: number;
  seed?: number;
  output?: string;
  format?: TableFormat;
}

/** `gmm sample MODEL -n N`: new rows drawn from the model, with the component of each. */
export function registerSample(program: Command, _cli: Cli): void {
  program
    .command('sample')
    .summary('draw new rows from a model')
    .description('Draw N new rows from the model (a density model): the features, and the component each row came from.')
    .argument('<model>', 'model file written by gmm fit')
    .requiredOption('-n, --n-samples <n>', 'number of rows', integer(1))
    .option('--seed <n>', 'random seed (default: 0)', integer(0))
    .option('-o, --output <file>', 'write here (default: standard output)')
    .addOption(formatOption())
    .addHelpText('after', '\nExamples:\n  gmm sample iris.json -n 100 --seed 1\n  gmm sample iris.json -n 5000 -o synthetic.csv')
    .action(async (modelFile: string, options: SampleOptions & { nSamples: number }) => {
      const model = await loadModel(modelFile);
      const d = model.nFeatures;
      // Drawn and written a piece at a time (the same points as model.sample): any n fits in memory.
      const chunks = model.sampleChunks(options.nSamples, { seed: options.seed ?? 0, chunkSize: ROWS_PER_PIECE });
      function* pieces(): Generator<TableRow[], void, void> {
        for (const { X, labels } of chunks) {
          yield Array.from(labels, (label, i) => [...Array.from(X.data.subarray(i * d, (i + 1) * d)), label]);
        }
      }
      const target = options.output ?? '-';
      await writeOutput(
        target,
        tableText(outputFormat(target, options.format), [...featureNamesOf(model), 'component'], pieces()),
      );
    });
}
