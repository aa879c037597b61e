import type { Command } from 'commander';
import { InvalidParameterError } from '../../errors.js';
import {
  outputFormat,
  ROWS_PER_PIECE,
  tableText,
  tableTextAsync,
  writeOutput,
  type TableFormat,
  type TableRow,
} from '../../io/write.js';
import { rowRange } from '../../matrix/matrix.js';
import { loadModel } from '../models.js';
import {
  dataOptions,
  formatOption,
  isColumnarFile,
  keepOption,
  loadDataFor,
  openSourceFor,
  scoring,
  seconds,
  verbose,
  type Cli,
  type DataOptions,
} from '../common.js';

interface PredictOptions extends DataOptions {
  stream?: boolean;
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
    .option(
      '--stream',
      'read DATA piece by piece and write each piece’s rows as they are read, for data larger than memory (CSV, TSV or NDJSON; Parquet and Arrow IPC files always are)',
    )
    .addOption(formatOption())
    .addHelpText(
      'after',
      '\nExamples:\n  gmm predict iris.json data/iris.csv\n  gmm predict iris.json data/iris.csv --proba --uncertainty -o labels.tsv\n  gmm predict wine.json wine.csv --keep class',
    );
  keepOption(dataOptions(command, false, true)).action(async (modelFile: string, file: string, options: PredictOptions) => {
    const model = await loadModel(modelFile);
    const k = model.nComponents + (model.noise ? 1 : 0);
    if (options.stream || isColumnarFile(file)) {
      if (options.keep && isColumnarFile(file))
        throw new InvalidParameterError(
          '--keep',
          options.keep.join(','),
          'left out with a Parquet or Arrow file (its rows carry only their features)',
        );
      const source = await openSourceFor(model, file, options);
      // The first chunk is read before anything is written: it names the kept columns as the file does.
      const predictions = model.predictAsync(source)[Symbol.asyncIterator]();
      const first = await predictions.next();
      const columns = [
        ...(first.done ? [] : (first.value.chunk.kept ?? []).map((column) => column.name)),
        'component',
        ...(options.proba ? Array.from({ length: k }, (_, j) => (j === model.nComponents ? 'pnoise' : `p${j}`)) : []),
        ...(options.uncertainty ? ['uncertainty'] : []),
      ];
      // Each chunk of the source is predicted and written as it is read.
      async function* streamed(): AsyncGenerator<TableRow[], void, void> {
        try {
          yield* rowsOf();
        } finally {
          await predictions.return?.(undefined); // closes the file if the output stops first
        }
      }
      async function* rowsOf(): AsyncGenerator<TableRow[], void, void> {
        for (let next = first; !next.done; next = await predictions.next()) {
          const { chunk, labels, proba } = next.value;
          const kept = chunk.kept ?? [];
          yield Array.from(labels, (label, i) => {
            const p = proba.data.subarray(i * k, (i + 1) * k);
            return [
              ...kept.map((column) => column.values[i]!),
              label,
              ...(options.proba ? Array.from(p) : []),
              ...(options.uncertainty ? [Math.max(0, 1 - Math.max(...p))] : []),
            ];
          });
        }
      }
      const target = options.output ?? '-';
      const started = performance.now();
      await writeOutput(target, tableTextAsync(outputFormat(target, options.format), columns, streamed()));
      verbose(cli, options, `predict and write ${seconds(performance.now() - started)}`);
      return;
    }
    const data = await loadDataFor(model, modelFile, file, options, cli);
    const started = performance.now();
    // With a noise component: its probability is the last column, and its rows' component is −1.
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
