import { Option, type Command } from 'commander';
import { InvalidParameterError } from '../../errors.js';
import { DataFileError } from '../../parse/errors.js';
import { writeOutput } from '../../io/write.js';
import { ContingencyTable, adjustedRandIndex } from '../../metrics/adjustedRandIndex.js';
import { GaussianMixture } from '../../estimators/gaussianMixture.js';
import type { GaussianMixtureModel } from '../../estimators/mixtureModel.js';
import type { DataSource } from '../../data/source.js';
import { BayesianGaussianMixture } from '../../estimators/bayesianGaussianMixture.js';
import { WEIGHT_CONCENTRATION_PRIOR_TYPES, type WeightConcentrationPriorType } from '../../mixture/variational.js';
import type { InitParams } from '../../fit/init.js';
import type { IterationEvent } from '../../fit/em.js';
import { ALL_COVARIANCE_TYPES, type CovarianceType } from '../../mixture/parameters.js';
import { integer, nonNegative, positive } from '../args.js';
import { loadModel } from '../models.js';
import {
  codes,
  dataOptions,
  loadData,
  isColumnarFile,
  openSource,
  scoring,
  seconds,
  verbose,
  warn,
  type Cli,
  type SourceOptions,
} from '../common.js';
import { startProgress } from '../progress.js';
import { fitFacts, modelFacts, modelSummary, sourceFacts } from '../report.js';

interface FitOptions extends SourceOptions {
  components?: number;
  covariance?: CovarianceType;
  init?: InitParams;
  nInit?: number;
  standardize?: boolean;
  float32?: boolean;
  maxIter?: number;
  tol?: number;
  regCovar?: number;
  seed?: number;
  initModel?: string;
  threads?: number;
  output?: string;
  json?: boolean;
  prior?: WeightConcentrationPriorType;
  weightConcentration?: number;
  conjugatePrior?: boolean;
  noise?: boolean;
  stream?: boolean;
}

/** A component of weight at least this counts as used (a variational fit empties the others). */
const USED = 0.01;

/** Components of weight ≥ USED. */
const used = (weights: Float64Array): number => weights.filter((w) => w >= USED).length;

/** With `--prior`: the options a variational fit does not take, refused by name. */
function checkBayesianOptions(options: FitOptions): void {
  const refused: [keyof FitOptions, string][] = [
    ['initModel', '--init-model'],
    ['standardize', '--standardize'],
    ['float32', '--float32'],
  ];
  for (const [key, flag] of refused) {
    if (options[key] !== undefined) {
      throw new InvalidParameterError(flag, options[key], `left out with --prior (a variational fit takes no ${flag})`);
    }
  }
  if (options.na === 'marginalize') {
    throw new InvalidParameterError(
      '--na',
      'marginalize',
      "'drop' or left out with --prior (a variational fit takes no missing cells)",
    );
  }
}

/** `gmm fit DATA`: fits a Gaussian mixture by EM, prints it, writes the model file. */
export function registerFit(program: Command, cli: Cli): void {
  const command = program
    .command('fit')
    .summary('fit a Gaussian mixture to data by EM')
    .description('Fit a Gaussian mixture to the rows of DATA by expectation–maximization, print it, and write the model file.')
    .argument(
      '[data]',
      'data file (CSV, TSV, JSON, NDJSON; Parquet through DuckDB; Arrow IPC), or - for standard input; none with --sql',
    )
    .option('-k, --components <n>', 'number of components (default: 1, or the init model’s)', integer(1))
    .addOption(
      new Option('--covariance <type>', 'covariance type: scikit-learn’s or mclust’s name (default: full)').choices(
        ALL_COVARIANCE_TYPES,
      ),
    )
    .addOption(
      new Option('--init <method>', 'initialization (default: kmeans)').choices([
        'kmeans',
        'k-means++',
        'random',
        'random_from_data',
        'hc',
      ]),
    )
    .option('--n-init <n>', 'EM runs from different initializations; the best is kept (default: 1)', integer(1))
    .option('--max-iter <n>', 'maximum EM iterations per run (default: 100)', integer(0))
    .option('--tol <x>', 'stop when the lower bound changes by less (default: 1e-3)', nonNegative)
    .option('--reg-covar <x>', 'added to the covariances’ diagonals (default: 1e-6)', nonNegative)
    .option('--seed <n>', 'random seed (default: 0)', integer(0))
    .option(
      '--standardize',
      'fit on standardized columns (mean 0, standard deviation 1), for features on different scales; the model keeps the scaler and reports the data’s units',
    )
    .option(
      '--float32',
      'single precision (dtype float32): the rows rounded to f32 and the full-covariance kernel in f32 (sums and statistics in f64); the model is written in f64',
    )
    .option('--init-model <model.json>', 'start EM from this model’s weights, means and covariances')
    .addOption(
      new Option(
        '--prior <type>',
        'fit a Bayesian mixture by variational inference with this prior on the weights; -k is then an upper bound (dirichlet_process empties the components the data do not need)',
      ).choices(WEIGHT_CONCENTRATION_PRIOR_TYPES),
    )
    .addOption(
      new Option(
        '--conjugate-prior',
        'maximum a posteriori EM with mclust’s conjugate prior (priorControl(): shrinkage 0.01, the data’s mean, d + 2 degrees of freedom, the data’s covariance / k^(2/d)): keeps covariances definite where maximum likelihood collapses one',
      ).conflicts('prior'),
    )
    .addOption(
      new Option(
        '--noise',
        'add mclust’s noise component: a uniform density over the data’s hypervolume for scattered points in no cluster (its rows get component −1)',
      ).conflicts('prior'),
    )
    .option(
      '--weight-concentration <x>',
      'with --prior: its concentration γ₀ or α₀, > 0 (default: 1/k; smaller, fewer components)',
      positive,
    )
    .option('--threads <n>', 'worker threads (default: the machine’s cores)', integer(1))
    .addOption(
      new Option(
        '--stream',
        'read the file piece by piece on every EM iteration instead of into memory, for data larger than memory (CSV, TSV or NDJSON; the start runs on a 100,000-row sample; --threads workers compute the E-steps while the file is read)',
      ).conflicts('prior'),
    )
    .addOption(
      new Option(
        '--sql <query>',
        "fit the rows of a SQL query, run by DuckDB (@duckdb/node-api) and streamed as --stream does: SELECT * FROM 'data.parquet', or a table of --duckdb",
      ).conflicts('prior'),
    )
    .option(
      '--duckdb <file.db>',
      'with --sql: the DuckDB database the query runs on (opened read only; default: none, in memory)',
    )
    .option('-o, --output <model.json>', 'write the fitted model here')
    .option('--json', 'print one JSON object instead of the summary')
    .addHelpText(
      'after',
      `
Examples:
  gmm fit data/iris.csv -k 3 --label-column species -o iris.json
  gmm fit data.csv -k 4 --covariance diag --n-init 5 --seed 1 --json
  gmm fit data.csv --init-model start.json --tol 0 --max-iter 25   # exactly 25 iterations from a fixed start
  gmm fit data/blobs.csv -k 10 --prior dirichlet_process --max-iter 500   # the prior leaves 6 of 10 empty
  gmm fit data/iris.csv -k 5 --covariance VEE --init hc --reg-covar 0 --conjugate-prior   # singular without the prior
  gmm fit big.csv -k 8 --stream -o big.json   # any size: memory is a sample and one block of rows
  gmm fit big.parquet -k 8 -o big.json   # Parquet (and Arrow IPC) files are always streamed
  gmm fit --sql "SELECT x, y FROM points WHERE day > '2026-01-01'" --duckdb points.db -k 4`,
    );
  dataOptions(command, true, true).action(async (given: string | undefined, options: FitOptions) => {
    if (options.sql !== undefined && given !== undefined) {
      throw new InvalidParameterError('data', given, 'left out with --sql (the query gives the rows)');
    }
    if (options.duckdb !== undefined && options.sql === undefined) {
      throw new InvalidParameterError('--duckdb', options.duckdb, 'given with --sql (the query to run on it)');
    }
    if (given === undefined && options.sql === undefined) throw new InvalidParameterError('data', given, 'a data file, or --sql');
    const file = given ?? options.duckdb ?? 'the query';
    const streamed = options.stream === true || options.sql !== undefined || isColumnarFile(file);
    if (streamed && options.prior !== undefined) {
      throw new InvalidParameterError(
        '--prior',
        options.prior,
        'left out: a variational fit reads its data into memory, not from a stream',
      );
    }
    if (streamed && options.float32) {
      throw new InvalidParameterError(
        '--float32',
        true,
        'left out with --stream, --sql, Parquet and Arrow (float32 is for rows read into memory so far)',
      );
    }
    const source = streamed ? await openSource(given, options) : undefined;
    const data = source ? undefined : await loadData(file, options, cli);
    const width = data?.X.cols ?? source!.cols;
    const initModel = options.initModel === undefined ? undefined : await loadModel(options.initModel);
    if (initModel) {
      if (options.components !== undefined && options.components !== initModel.nComponents) {
        throw new InvalidParameterError(
          '--components',
          options.components,
          `${initModel.nComponents}, the number of components of ${options.initModel}`,
        );
      }
      if (options.covariance !== undefined && options.covariance !== initModel.covarianceType) {
        throw new InvalidParameterError(
          '--covariance',
          options.covariance,
          `'${initModel.covarianceType}', the covariance type of ${options.initModel}`,
        );
      }
      if (initModel.nFeatures !== width) {
        throw new DataFileError(
          file,
          `has ${width} feature columns but the init model ${options.initModel} has ${initModel.nFeatures}`,
        );
      }
    }
    const k = options.components ?? initModel?.nComponents ?? 1;
    if (data && data.X.rows < Math.max(2, k)) {
      throw new DataFileError(
        file,
        `has ${data.X.rows} data row${data.X.rows === 1 ? '' : 's'}: fitting ${k} component${k === 1 ? '' : 's'} needs at least ${Math.max(2, k)}`,
      );
    }
    if (options.weightConcentration !== undefined && options.prior === undefined) {
      throw new InvalidParameterError('--weight-concentration', options.weightConcentration, 'given with --prior');
    }
    if (options.prior !== undefined) checkBayesianOptions(options);
    const common = {
      nComponents: k,
      covarianceType: options.covariance ?? initModel?.covarianceType ?? 'full',
      ...(options.init === undefined ? {} : { initParams: options.init }),
      ...(options.nInit === undefined ? {} : { nInit: options.nInit }),
      ...(options.maxIter === undefined ? {} : { maxIter: options.maxIter }),
      ...(options.tol === undefined ? {} : { tol: options.tol }),
      ...(options.regCovar === undefined ? {} : { regCovar: options.regCovar }),
      ...(options.seed === undefined ? {} : { seed: options.seed }),
    };
    const gm =
      options.prior === undefined
        ? undefined
        : new BayesianGaussianMixture({
            ...common,
            weightConcentrationPriorType: options.prior,
            ...(options.weightConcentration === undefined ? {} : { weightConcentrationPrior: options.weightConcentration }),
          });
    const em = gm
      ? undefined
      : new GaussianMixture({
          ...common,
          standardize: options.standardize ?? initModel?.scaler !== undefined,
          ...(options.na === 'marginalize' ? { missing: 'marginalize' } : {}),
          ...(options.float32 ? { dtype: 'float32' } : {}),
          ...(options.conjugatePrior ? { prior: true } : {}),
          ...(options.noise ? { noise: true } : {}),
        });
    const settings = (gm ?? em)!;
    const runs = initModel ? 1 : settings.nInit;
    const progress = startProgress('fit', runs * Math.max(1, settings.maxIter));
    const started = performance.now();
    let model;
    try {
      if (source) {
        // The bar counts the rows of each pass over the file.
        let label = 'survey of the file';
        model = await em!.fitAsync(source, {
          ...(initModel ? { initModel } : {}),
          ...(options.threads === undefined ? {} : { threads: options.threads }),
          onIteration: (e) => (label = `run ${e.run + 1}/${runs}, lower bound ${e.lowerBound.toFixed(4)}`),
          onProgress: ({ pass, rows, totalRows }) => progress.update(rows, totalRows, `pass ${pass}, ${label}`),
        });
      } else {
        const fitOptions = {
          featureNames: data!.featureNames,
          ...(data!.weights ? { sampleWeight: data!.weights } : {}),
          ...(options.threads === undefined ? {} : { threads: options.threads }),
          onIteration: (e: IterationEvent) =>
            progress.update(
              e.run * settings.maxIter + e.iteration,
              undefined,
              `run ${e.run + 1}/${runs}, lower bound ${e.lowerBound.toFixed(4)}`,
            ),
        };
        model = gm
          ? await gm.fitAsync(data!.X, fitOptions)
          : await em!.fitAsync(data!.X, { ...fitOptions, ...(initModel ? { initModel } : {}) });
      }
    } finally {
      progress.stop();
    }
    verbose(cli, options, `fit ${seconds(performance.now() - started)}`);
    warn(cli, model.warnings);
    const facts = data ? fitFacts(model, data.X, scoring(options)) : await sourceFacts(model, source!);
    const agreement = data?.labels
      ? adjustedRandIndex(codes(data.labels), model.predict(data.X, scoring(options)))
      : source && options.labelColumn
        ? await streamedAgreement(model, source, options.labelColumn, cli)
        : undefined;
    const written = performance.now();
    if (options.output) {
      await writeOutput(options.output, `${JSON.stringify(model, null, 2)}\n`);
      verbose(cli, options, `write ${seconds(performance.now() - written)}`);
    }
    if (options.json) {
      await cli.out(
        `${JSON.stringify({
          command: 'fit',
          ...modelFacts(model, facts),
          ...(agreement === undefined ? {} : { adjustedRandIndex: agreement }),
          ...(options.prior ? { prior: options.prior, componentsUsed: used(model.weights) } : {}),
          ...(options.output ? { output: options.output } : {}),
        })}\n`,
      );
      return;
    }
    const lines = [modelSummary(model, facts)];
    if (options.prior) {
      lines.push(
        `variational fit, ${options.prior} prior: ${used(model.weights)} of ${model.nComponents} components have weight ≥ ${USED}`,
      );
    }
    if (agreement !== undefined) lines.push(`adjusted Rand index against ${options.labelColumn}: ${agreement.toFixed(4)}`);
    if (options.output) lines.push(`model written to ${options.output}`);
    await cli.out(`${lines.join('\n')}\n`);
  });
}

/**
 * The adjusted Rand index of a streamed fit against the label column, from one more pass (only the contingency
 * table is kept); undefined, with a note, for a source whose rows carry no labels (Parquet, Arrow, SQL).
 */
async function streamedAgreement(
  model: GaussianMixtureModel,
  source: DataSource,
  labelColumn: string,
  cli: Pick<Cli, 'note'>,
): Promise<number | undefined> {
  const table = new ContingencyTable();
  for await (const { chunk, labels } of model.predictAsync(source)) {
    if (!chunk.labels) {
      cli.note(
        `--label-column ${labelColumn}: left out of the features; no adjusted Rand index from a Parquet, Arrow or SQL source`,
      );
      return undefined;
    }
    table.add(chunk.labels, labels);
  }
  return table.adjustedRandIndex();
}
