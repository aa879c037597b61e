/**
 * gmm: Gaussian mixture models fitted by EM, and k-means, for TypeScript.
 * Runs in Node.js and in browsers (this entry point imports no `node:*` module).
 *
 * @packageDocumentation
 */
export {
  GaussianMixture,
  type EMSnapshot,
  type GaussianMixtureFitAsyncOptions,
  type GaussianMixtureFitOptions,
  type GaussianMixtureOptions,
  type SourceFitOptions,
} from './estimators/gaussianMixture.js';
export {
  isDataSource,
  matrixSource,
  type DataChunk,
  type DataSource,
  type KeptColumn,
  type MatrixSourceOptions,
} from './data/source.js';
export {
  arrowSource,
  type ArrowBatchLike,
  type ArrowFieldLike,
  type ArrowSourceOptions,
  type ArrowTableLike,
  type ArrowVectorLike,
} from './data/arrow.js';
export type { PassProgress } from './fit/streamRows.js';
export type { SqlQuery, SqlTable } from './fit/sqlRows.js';
export type { SqlFitOptions } from './estimators/sqlFit.js';
export { SQL_DIALECTS, sqlStatistics, type SqlDialect, type SqlStatistics, type SqlStatisticsOptions } from './mixture/sql.js';
export type { AsyncFitOptions, EMOptions } from './estimators/mixtureOptions.js';
export type { PriorOptions } from './estimators/mixturePrior.js';
export {
  OnlineGaussianMixture,
  type OnlineGaussianMixtureOptions,
  type PartialFitOptions,
} from './estimators/onlineGaussianMixture.js';
export type { NoiseOptions } from './estimators/mixtureNoise.js';
export { setWorkerFactory, setWorkerLimits, wrapWebWorker, type WorkerLimits } from './parallel/workers.js';
export type { WorkerFactory, WorkerLike } from './parallel/protocol.js';
export {
  GaussianMixtureModel,
  type InformationCriteria,
  type MixtureSample,
  type ScoringOptions,
} from './estimators/mixtureModel.js';
export type { ChunkPrediction } from './estimators/chunkPrediction.js';
export {
  GaussianMixtureRegression,
  GaussianMixtureRegressor,
  type GaussianMixtureRegressorFitAsyncOptions,
  type GaussianMixtureRegressorFitOptions,
  type RegressionDistribution,
} from './estimators/gaussianMixtureRegressor.js';
export {
  BayesianGaussianMixture,
  type BayesianGaussianMixtureFitAsyncOptions,
  type BayesianGaussianMixtureFitOptions,
  type BayesianGaussianMixtureOptions,
} from './estimators/bayesianGaussianMixture.js';
export { BayesianGaussianMixtureModel } from './estimators/bayesianModel.js';
export {
  WEIGHT_CONCENTRATION_PRIOR_TYPES,
  type VariationalPosterior,
  type VariationalPriors,
  type WeightConcentrationPriorType,
} from './mixture/variational.js';
export { digamma, logBeta, logGamma } from './matrix/special.js';
export type { IterationEvent } from './fit/em.js';
export type { InitParams } from './fit/init.js';
export {
  ALL_COVARIANCE_TYPES,
  COVARIANCE_TYPES,
  MCLUST_MODELS,
  type CovarianceFamily,
  type CovarianceType,
  type MclustModel,
  type MixtureParameters,
  type NoiseBox,
  type NoiseComponent,
} from './mixture/parameters.js';
export { MODEL_FORMAT, MODEL_VERSION, type FitInfo, type GaussianMixtureJSON } from './mixture/serialize.js';
export { createStatistics, mergeStatistics, resetStatistics, type SufficientStatistics } from './mixture/statistics.js';
export type { Nested } from './mixture/nested.js';

export {
  KMeans,
  type KMeansFitAsyncOptions,
  type KMeansFitOptions,
  type KMeansInit,
  type KMeansOptions,
  type KMeansSourceOptions,
} from './estimators/kmeans.js';
export { KMeansModel } from './estimators/kmeansModel.js';

export { asMatrix, matrix, toArrays, type Matrix, type MatrixLike } from './matrix/matrix.js';
export { logSumExp } from './matrix/logSumExp.js';
export { Random, type RandomState } from './random/random.js';
export { activeBackend, setBackend, wasmBuild, type Backend, type WasmBuild } from './kernels/loader.js';
export { ContingencyTable, adjustedRandIndex } from './metrics/adjustedRandIndex.js';
export { PCA, PCAModel, type PCAOptions } from './decomposition/pca.js';
export { makeBlobs, type MakeBlobsOptions } from './datasets/makeBlobs.js';
export { makeMoons, type MakeMoonsOptions } from './datasets/makeMoons.js';
export {
  plotClusters,
  plotDensity,
  plotSamples,
  plotSoftAssignment,
  plotUncertainty,
  type MixtureFigureOptions,
} from './plot/figures.js';
export { plotConvergence, plotCriteria, plotImages, type ImageGridOptions } from './plot/charts.js';
export { plotKMeans } from './plot/kmeans.js';
export { plotData } from './plot/data.js';
export { plotDensity1D, type Density1DOptions } from './plot/density1d.js';
export { plotRegression, type RegressionFigureOptions } from './plot/regression.js';
export { plotWeights, type WeightSeries } from './plot/weights.js';
export type { FigureOptions, LegendEntry } from './plot/frame.js';
export type { PlaneOptions } from './plot/marks.js';
export { principalAxes, type PrincipalAxes } from './geometry/axes.js';
export { componentEllipse, ellipseOf, type Ellipse, type EllipseOptions } from './geometry/ellipse.js';
export {
  selectModel,
  type Criterion,
  type ModelSelection,
  type SelectionResult,
  type SelectModelOptions,
} from './selection/selectModel.js';
export { CELLS_ON_WORKERS, selectModelAsync, type SelectModelAsyncOptions } from './selection/selectModelAsync.js';

export {
  DimensionMismatchError,
  GmmError,
  IllConditionedCovarianceError,
  InvalidDataError,
  InvalidParameterError,
  ModelFormatError,
  NumericalError,
} from './errors.js';
export { DataFileError } from './parse/errors.js';
export { parseData, type DataFormat } from './parse/parseData.js';
export {
  delimitedSource,
  ndjsonSource,
  type DelimitedSourceOptions,
  type NdjsonSourceOptions,
  type OpenText,
} from './parse/delimitedSource.js';
export { MISSING_VALUES, type ColumnSpec, type TableData } from './parse/table.js';
export type { Scaler } from './matrix/standardize.js';
