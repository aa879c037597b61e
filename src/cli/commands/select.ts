import { Option, type Command } from 'commander';
import { writeOutput } from '../../io/write.js';
import { adjustedRandIndex } from '../../metrics/adjustedRandIndex.js';
import type { CovarianceType, MclustModel } from '../../mixture/parameters.js';
import type { Criterion, ModelSelection, SelectionResult } from '../../selection/selectModel.js';
import { selectModelAsync } from '../../selection/selectModelAsync.js';
import { componentRange, covarianceList, integer, mclustModelList } from '../args.js';
import { mclustTable } from '../mclustTable.js';
import { alignTable, num } from '../format.js';
import { codes, dataOptions, loadData, seconds, verbose, warn, type Cli, type DataOptions } from '../common.js';
import { startProgress } from '../progress.js';

interface SelectOptions extends DataOptions {
  components: number[];
  covariance: CovarianceType[];
  models?: MclustModel[];
  standardize?: boolean;
  conjugatePrior?: boolean;
  noise?: boolean;
  criterion: Criterion;
  nInit?: number;
  seed?: number;
  threads?: number;
  output?: string;
  json?: boolean;
}

/** `gmm select DATA`: fits a grid of models and picks the best by BIC, AIC or ICL. */
export function registerSelect(program: Command, cli: Cli): void {
  const command = program
    .command('select')
    .summary('choose the number of components and the covariance type')
    .description(
      'Fit every number of components and covariance type of a grid, print each one’s log-likelihood, parameters, BIC, AIC and ICL, and pick the lowest criterion.',
    )
    .argument('<data>', 'data file, or - for standard input')
    .addOption(
      new Option('--components <range>', 'numbers of components: 1-10, 2,4,8, …')
        .argParser(componentRange)
        .default(componentRange('1-10'), '1-10'),
    )
    .addOption(
      new Option('--covariance <types>', 'covariance types, comma-separated; all (scikit-learn’s four) or mclust (its fourteen)')
        .argParser(covarianceList)
        .default(covarianceList('all'), 'all'),
    )
    .addOption(
      new Option('--models <names>', 'mclust models, comma-separated, or mclust (all fourteen): prints mclust’s table')
        .argParser(mclustModelList)
        .conflicts('covariance'),
    )
    .addOption(
      new Option('--criterion <name>', 'what chooses the best (lower is better)').choices(['bic', 'aic', 'icl']).default('bic'),
    )
    .option('--n-init <n>', 'EM runs per cell of the grid (default: 10)', integer(1))
    .option('--seed <n>', 'random seed (default: 0)', integer(0))
    .option('--standardize', 'fit every model on standardized columns (mean 0, standard deviation 1)')
    .option(
      '--conjugate-prior',
      'maximum a posteriori EM with mclust’s conjugate prior in every cell (mclustBIC(X, prior = priorControl())); the criteria stay the likelihood’s',
    )
    .option('--noise', 'a noise component in every cell (mclust’s; its weight and volume count as 2 parameters)')
    .option('--threads <n>', 'worker threads (default: the machine’s cores)', integer(1))
    .option('-o, --output <best.json>', 'write the best model here')
    .option('--json', 'print one JSON object: every cell and the best')
    .addHelpText(
      'after',
      '\nExamples:\n  gmm select data/iris.csv --components 1-6 --label-column species\n  gmm select data.csv --covariance full,diag --criterion icl -o best.json --json\n  gmm select data/iris.csv --label-column species --models mclust --components 1-9',
    );
  dataOptions(command).action(async (file: string, options: SelectOptions) => {
    const data = await loadData(file, options, cli);
    const types = options.models ?? options.covariance;
    const total = options.components.length * types.length;
    const progress = startProgress('select', total);
    const started = performance.now();
    let selection;
    try {
      selection = await selectModelAsync(data.X, {
        nComponents: options.components,
        covarianceTypes: types,
        criterion: options.criterion,
        featureNames: data.featureNames,
        ...(options.nInit === undefined ? {} : { nInit: options.nInit }),
        ...(options.seed === undefined ? {} : { seed: options.seed }),
        standardize: options.standardize ?? false,
        ...(options.conjugatePrior ? { prior: true } : {}),
        ...(options.noise ? { noise: true } : {}),
        ...(options.threads === undefined ? {} : { threads: options.threads }),
        ...(data.weights ? { sampleWeight: data.weights } : {}),
        onResult: (r, done) => progress.update(done, total, `${r.covarianceType} k=${r.nComponents}`),
      });
    } finally {
      progress.stop();
    }
    verbose(cli, options, `select ${seconds(performance.now() - started)} (${total} cells)`);
    const model = selection.model;
    warn(cli, model.warnings);
    const best = selection.best;
    const agreement = data.labels ? adjustedRandIndex(codes(data.labels), model.predict(data.X)) : undefined;
    if (options.output) await writeOutput(options.output, `${JSON.stringify(model, null, 2)}\n`);
    const cell = (r: SelectionResult) => ({ ...r, error: r.error ?? null });
    if (options.json) {
      await cli.out(
        `${JSON.stringify({
          command: 'select',
          criterion: selection.criterion,
          n: data.X.rows,
          featureNames: data.featureNames,
          results: selection.results.map(cell),
          best: cell(best),
          ...(agreement === undefined ? {} : { adjustedRandIndex: agreement }),
          ...(options.output ? { output: options.output } : {}),
        })}\n`,
      );
      return;
    }
    const head = `${total} models on ${data.X.rows} rows × ${data.X.cols} features (${data.featureNames.join(', ')})`;
    const lines = options.models
      ? [`${head}; mclust’s sign, higher is better`, '', mclustTable(selection), ...(agreement === undefined ? [] : [''])]
      : gridLines(selection, `${head}; lower is better`);
    if (agreement !== undefined)
      lines.push(`adjusted Rand index of the best model against ${options.labelColumn}: ${agreement.toFixed(4)}`);
    if (options.output) lines.push(`best model written to ${options.output}`);
    await cli.out(`${lines.join('\n')}\n`);
  });
}

/** The grid in gmm's layout: a row per cell (lower is better), then the best. */
function gridLines(selection: ModelSelection, title: string): string[] {
  const { best } = selection;
  const rows = selection.results.map((r) => [
    r.covarianceType,
    r.nComponents,
    r.error ? '—' : num(r.logLikelihood, 7),
    r.error ? '—' : r.nParameters,
    num(r.bic, 7),
    num(r.aic, 7),
    num(r.icl, 7),
    r === best
      ? `best (${selection.criterion.toUpperCase()})`
      : r.error
        ? `failed: ${r.error.slice(0, 60)}`
        : r.converged
          ? ''
          : 'not converged',
  ]);
  return [
    title,
    alignTable(['covariance', 'k', 'log-likelihood', 'parameters', 'BIC', 'AIC', 'ICL', ''], rows, ''),
    `best: ${best.nComponents} component${best.nComponents === 1 ? '' : 's'}, ${best.covarianceType} covariance, ${selection.criterion.toUpperCase()} ${num(best[selection.criterion], 7)}`,
  ];
}
