/**
 * A mixture fitted where its rows are: in a SQL engine
 * (`GaussianMixture.fitSql`). The initialization runs on a sample of rows
 * the caller fetched (`SELECT … USING SAMPLE`, `TABLESAMPLE`), and every EM
 * iteration is one aggregate query (`sqlStatistics`) whose one-row result is
 * the E-step's statistics; the M-step runs here. Rows never leave the engine.
 *
 * @module
 */
import { InvalidParameterError } from '../errors.js';
import { fitData } from '../fit/init.js';
import { runOnAsync } from '../fit/rows.js';
import { SqlRows, type SqlTable } from '../fit/sqlRows.js';
import { asMatrix, type MatrixLike } from '../matrix/matrix.js';
import { checkFitRows, checkOptionNames, sampleWeightValue } from '../validate.js';
import type { GaussianMixture } from './gaussianMixture.js';
import type { GaussianMixtureModel } from './mixtureModel.js';
import type { GaussianMixtureFitOptions } from './mixtureOptions.js';

/** Options of `GaussianMixture.fitSql`: the table, the query function, the sample the start runs on. */
export interface SqlFitOptions extends SqlTable, Pick<GaussianMixtureFitOptions, 'initModel' | 'onIteration'> {
  /** Rows of the table (n × d, in `columns`' order) for the initialization: all of them, or a sample. */
  readonly sample: MatrixLike;
  /** The sample's weights (its rows' values of `weightColumn`). */
  readonly sampleWeight?: ArrayLike<number> | undefined;
  /** Called with each E-step's query before it runs. */
  readonly onQuery?: ((sql: string) => void) | undefined;
  /** Aborts between queries. */
  readonly signal?: AbortSignal | undefined;
}

const OPTIONS = [
  'table',
  'columns',
  'weightColumn',
  'dialect',
  'query',
  'sample',
  'sampleWeight',
  'initModel',
  'onIteration',
  'onQuery',
  'signal',
];

/**
 * Fits `estimator` by EM over a SQL table, one aggregate query per iteration.
 *
 * @param estimator - The estimator (its settings).
 * @param options - See {@link SqlFitOptions}.
 * @returns A promise of the fitted model.
 * @throws {@link InvalidParameterError} for an unknown option, a missing query function, `standardize` or
 *   `missing: 'marginalize'`, or a sample whose width is not the number of columns.
 */
export async function fitSql(estimator: GaussianMixture, options: SqlFitOptions): Promise<GaussianMixtureModel> {
  checkOptionNames(options, OPTIONS, 'GaussianMixture.fitSql');
  if (typeof options.query !== 'function')
    throw new InvalidParameterError('query', options.query, 'a function (sql) => Promise<row>');
  if (estimator.standardize) throw new InvalidParameterError('standardize', true, 'false to fit in a SQL engine');
  if (estimator.dtype === 'float32')
    throw new InvalidParameterError(
      'dtype',
      'float32',
      "'float64' to fit in a SQL engine (its E-step runs in the engine's own precision)",
    );
  if (estimator.missing === 'marginalize')
    throw new InvalidParameterError('missing', 'marginalize', "'error' to fit in a SQL engine");
  const sample = asMatrix(options.sample, 'sample');
  if (sample.cols !== options.columns.length) {
    throw new InvalidParameterError(
      'sample',
      `${sample.rows} × ${sample.cols}`,
      `rows of ${options.columns.length} values, one per column`,
    );
  }
  checkFitRows(sample.rows, estimator.nComponents);
  const weights = sampleWeightValue(options.sampleWeight, sample.rows, estimator.nComponents, false);
  const fit = estimator.planOn(
    { data: fitData(sample, weights), missing: undefined, scaler: undefined, weightScale: 1 },
    {
      featureNames: [...options.columns],
      ...(options.initModel ? { initModel: options.initModel } : {}),
      ...(options.onIteration ? { onIteration: options.onIteration } : {}),
    },
  );
  const rows = new SqlRows(options, sample, weights, options.onQuery);
  return fit.model(await runOnAsync(rows, fit.steps(), options.signal));
}
