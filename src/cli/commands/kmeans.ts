import type { Command } from 'commander';
import { DataFileError } from '../../parse/errors.js';
import { outputFormat, rowPieces, tableText, writeOutput, type TableFormat } from '../../io/write.js';
import { KMeans } from '../../estimators/kmeans.js';
import { toArrays } from '../../matrix/matrix.js';
import { adjustedRandIndex } from '../../metrics/adjustedRandIndex.js';
import { integer } from '../args.js';
import { alignTable, num } from '../format.js';
import { codes, dataOptions, formatOption, loadData, seconds, verbose, type Cli, type DataOptions } from '../common.js';

interface KMeansOptions extends DataOptions {
  clusters: number;
  nInit?: number;
  standardize?: boolean;
  seed?: number;
  output?: string;
  format?: TableFormat;
  json?: boolean;
}

/** `gmm kmeans DATA -k N`: k-means clustering; prints the centers, writes each row's cluster. */
export function registerKMeans(program: Command, cli: Cli): void {
  const command = program
    .command('kmeans')
    .summary('k-means clustering')
    .description(
      'Cluster the rows of DATA with k-means (Lloyd, k-means++ seeding): print the centers and inertia; with -o, write each row’s cluster.',
    )
    .argument('<data>', 'data file, or - for standard input')
    .requiredOption('-k, --clusters <n>', 'number of clusters', integer(1))
    .option('--n-init <n>', 'runs from different seedings; the lowest inertia is kept (default: 1)', integer(1))
    .option('--seed <n>', 'random seed (default: 0)', integer(0))
    .option('--standardize', 'cluster standardized columns (mean 0, standard deviation 1); centers in the data’s units')
    .option('-o, --output <file>', 'write each row’s cluster here (column cluster)')
    .addOption(formatOption())
    .option('--json', 'print one JSON object')
    .addHelpText(
      'after',
      '\nExamples:\n  gmm kmeans data/iris.csv -k 3 --label-column species\n  gmm kmeans data.csv -k 5 --n-init 10 -o clusters.csv',
    );
  dataOptions(command).action(async (file: string, options: KMeansOptions) => {
    const data = await loadData(file, options, cli);
    const k = options.clusters;
    if (data.X.rows < k)
      throw new DataFileError(file, `has ${data.X.rows} data rows: k-means with ${k} clusters needs at least ${k}`);
    const started = performance.now();
    const model = new KMeans({
      nClusters: k,
      ...(options.nInit === undefined ? {} : { nInit: options.nInit }),
      ...(options.seed === undefined ? {} : { seed: options.seed }),
      standardize: options.standardize ?? false,
    }).fit(data.X, data.weights ? { sampleWeight: data.weights } : {});
    verbose(cli, options, `k-means ${seconds(performance.now() - started)}`);
    const sizes = Array.from({ length: k }, (_, c) => model.labels.filter((l) => l === c).length);
    const agreement = data.labels ? adjustedRandIndex(codes(data.labels), model.labels) : undefined;
    if (options.output) {
      await writeOutput(
        options.output,
        tableText(
          outputFormat(options.output, options.format),
          ['cluster'],
          rowPieces(model.labels.length, (i) => [model.labels[i]!]),
        ),
      );
    }
    if (options.json) {
      await cli.out(
        `${JSON.stringify({
          command: 'kmeans',
          nClusters: k,
          featureNames: data.featureNames,
          centers: toArrays(model.centers),
          sizes,
          inertia: model.inertia,
          nIter: model.nIter,
          converged: model.converged,
          ...(agreement === undefined ? {} : { adjustedRandIndex: agreement }),
          ...(options.output ? { output: options.output } : {}),
        })}\n`,
      );
      return;
    }
    const d = data.X.cols;
    const shown = data.featureNames.slice(0, 8);
    const lines = [
      `k-means: ${k} cluster${k === 1 ? '' : 's'} on ${data.X.rows} rows × ${d} features; ${model.converged ? 'converged' : 'did not converge'} after ${model.nIter} iterations; inertia ${num(model.inertia, 7)}${model.scaler ? ' (standardized columns; centers in the data’s units)' : ''}`,
      alignTable(
        ['cluster', 'rows', ...shown.map((n) => `center ${n}`)],
        sizes.map((size, c) => [c, size, ...shown.map((_, a) => num(model.centers.data[c * d + a]!, 4))]),
        '',
      ),
    ];
    if (agreement !== undefined) lines.push(`adjusted Rand index against ${options.labelColumn}: ${agreement.toFixed(4)}`);
    if (options.output) lines.push(`clusters written to ${options.output}`);
    await cli.out(`${lines.join('\n')}\n`);
  });
}
