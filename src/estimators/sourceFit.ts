/**
 * A mixture fit over a {@link DataSource} (`GaussianMixture.fitAsync(source)`):
 * a first pass surveys the rows (validation, mean, variances, a seeded
 * sample), the initialization runs on the sample, and every EM iteration's
 * E-step is one pass over the source (`StreamRows`). With `standardize`, two
 * passes before them take the scaler (`sourceScaler`), and every later pass
 * reads the rows standardized. Memory holds the sample
 * and one block of rows, never the data.
 *
 * @module
 */
import type { DataSource } from '../data/source.js';
import { InvalidDataError, InvalidParameterError } from '../errors.js';
import { fitData } from '../fit/init.js';
import { runOnAsync } from '../fit/rows.js';
import { BLOCK_VALUES } from '../fit/blocks.js';
import { StreamRows } from '../fit/streamRows.js';
import { PooledBlocks } from '../parallel/pooledBlocks.js';
import { threadCount, workersAvailable } from '../parallel/workers.js';
import { survey } from '../fit/survey.js';
import { sourceScaler, standardizedSource } from '../fit/sourceScaler.js';
import { checkOptionNames, integerAtLeast, weightScale } from '../validate.js';
import type { GaussianMixture } from './gaussianMixture.js';
import type { GaussianMixtureModel } from './mixtureModel.js';
import { SOURCE_FIT_OPTIONS, type SourceFitOptions } from './mixtureOptions.js';

/** Values in a block computed on a worker. */
const POOLED_BLOCK_VALUES = 1 << 20;

/** Rows of the initialization's sample by default. */
export const DEFAULT_SAMPLE_SIZE = 100_000;

/**
 * Fits `estimator` to the rows of `source`.
 *
 * @param estimator - The estimator (its settings).
 * @param source - The rows.
 * @param options - See {@link SourceFitOptions}.
 * @returns The fitted model.
 * @throws {@link InvalidParameterError} for an unknown option, `missing: 'marginalize'` (not supported on a
 *   source yet), or a bad `sampleSize`.
 * @throws {@link InvalidDataError} for a bad chunk (naming its row and column), too few rows, or a source
 *   whose row count changes between passes.
 */
export async function fitSource(
  estimator: GaussianMixture,
  source: DataSource,
  options: SourceFitOptions,
): Promise<GaussianMixtureModel> {
  checkOptionNames(options, SOURCE_FIT_OPTIONS, 'GaussianMixture.fitAsync(source)');
  const { signal, onProgress } = options;
  const sampleSize = integerAtLeast('sampleSize', options.sampleSize ?? DEFAULT_SAMPLE_SIZE, 2);
  if (estimator.dtype === 'float32')
    throw new InvalidParameterError('dtype', 'float32', "'float64' to fit a data source (float32 is for rows in memory so far)");
  if (estimator.missing === 'marginalize') {
    throw new InvalidParameterError('missing', 'marginalize', "'error' to fit a data source (its rows must be complete)");
  }
  signal?.throwIfAborted();
  // Standardized columns: two more passes for the scaler, then the fit of the rows as standardized when read.
  const scaler = estimator.standardize ? await sourceScaler(source, signal) : undefined;
  const units = scaler ? standardizedSource(source, scaler) : source;
  const summary = await survey(units, { sampleSize, seed: estimator.seed, signal });
  const k = estimator.nComponents;
  if (summary.positive < k) {
    throw new InvalidDataError(
      'source',
      `the source has ${summary.positive} row${summary.positive === 1 ? '' : 's'} of positive weight but nComponents is ${k}`,
    );
  }
  const { sample } = summary;
  const featureNames = options.featureNames ?? source.featureNames;
  const fit = estimator.planOn(
    {
      data: fitData(sample.X, sample.weights),
      missing: undefined,
      scaler,
      weightScale: weightScale(summary.exponent),
    },
    { ...options, ...(featureNames ? { featureNames: [...featureNames] } : {}) },
  );
  // Workers compute the blocks while this thread reads, once there is more than one block to overlap.
  // By default one thread fewer than the cores: the calling thread is busy reading.
  const threads = options.threads === undefined ? Math.max(1, threadCount(undefined) - 1) : threadCount(options.threads);
  const blocks = summary.rows * summary.cols > BLOCK_VALUES && workersAvailable() ? new PooledBlocks(threads, signal) : undefined;
  // Smaller blocks on workers: more of them to overlap with reading, and less memory in flight (each worker holds its own).
  const rows = new StreamRows(units, summary, {
    signal,
    onProgress,
    blocks,
    blockValues: blocks ? POOLED_BLOCK_VALUES : undefined,
  });
  return fit.model(await runOnAsync(rows, fit.steps(), signal));
}
