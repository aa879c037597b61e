/**
 * What the command line prints about a model: a readable summary, or the same
 * facts as one JSON object.
 *
 * @module
 */
import { BayesianGaussianMixtureModel } from '../estimators/bayesianModel.js';
import { principalAxes } from '../geometry/axes.js';
import type { DataSource } from '../data/source.js';
import type { Matrix } from '../matrix/matrix.js';
import { toArrays } from '../matrix/matrix.js';
import type { GaussianMixtureModel } from '../estimators/mixtureModel.js';
import { covarianceStrategy } from '../mixture/covariance/index.js';
import { alignTable, num } from './format.js';

/** Fit statistics on the data, when there is data. */
export interface FitFacts {
  /** Rows of the data. */
  n: number;
  /** Total log-likelihood. */
  logLikelihood: number;
  /** Log-likelihood per row. */
  meanLogLikelihood: number;
  /** BIC on the data. */
  bic: number;
  /** AIC on the data. */
  aic: number;
}

/** Log-likelihood, BIC and AIC of a model on X. */
export function fitFacts(model: GaussianMixtureModel, X: Matrix, options: { missing?: 'marginalize' } = {}): FitFacts {
  if (options.missing) {
    // Rows with missing cells count by their observed cells (the observed-data likelihood), in one pass.
    const { logLikelihood, bic, aic } = model.criteria(X, options);
    return { n: X.rows, meanLogLikelihood: logLikelihood / X.rows, logLikelihood, bic, aic };
  }
  const score = model.score(X);
  return { n: X.rows, meanLogLikelihood: score, logLikelihood: score * X.rows, bic: model.bic(X), aic: model.aic(X) };
}

/** {@link fitFacts} over a source, in one pass: unweighted, as in memory. */
export async function sourceFacts(model: GaussianMixtureModel, source: DataSource): Promise<FitFacts> {
  let n = 0;
  const unweighted: DataSource = {
    cols: source.cols,
    async *chunks(signal?: AbortSignal) {
      for await (const { X } of source.chunks(signal)) {
        n += X.rows;
        yield { X };
      }
    },
  };
  const { logLikelihood, bic, aic } = await model.criteriaAsync(unweighted);
  return { n, meanLogLikelihood: logLikelihood / n, logLikelihood, bic, aic };
}

/** Feature names of a model, or x1…xd. */
export function featureNamesOf(model: GaussianMixtureModel): string[] {
  return model.featureNames ? [...model.featureNames] : Array.from({ length: model.nFeatures }, (_, i) => `x${i + 1}`);
}

/**
 * A readable summary: the model's shape, convergence, fit statistics, and a
 * table of components (weight, mean, standard deviations along the
 * covariance's principal axes).
 */
export function modelSummary(model: GaussianMixtureModel, facts?: FitFacts): string {
  const names = featureNamesOf(model);
  const k = model.nComponents;
  const d = model.nFeatures;
  const lines = [
    `Gaussian mixture: ${k} component${k === 1 ? '' : 's'}, ${model.covarianceType} covariance${covarianceStrategy(model.covarianceType).shared ? ' (shared)' : 's'}, ${d} feature${d === 1 ? '' : 's'} (${names.join(', ')})${model.scaler ? '; fitted on standardized columns, shown in the data’s units' : ''}`,
    model.nIter === 0
      ? 'EM: no iterations run (the initial parameters)'
      : `EM: ${model.converged ? 'converged' : 'did not converge'} after ${model.nIter} iteration${model.nIter === 1 ? '' : 's'}; ${
          model instanceof BayesianGaussianMixtureModel
            ? `variational lower bound (ELBO, a sum over the rows) ${num(model.lowerBound, 6)}`
            : `lower bound ${num(model.lowerBound, 6)} per row`
        }`,
  ];
  if (facts) {
    lines.push(
      alignTable(
        ['rows', 'log-likelihood', 'per row', 'parameters', 'BIC', 'AIC'],
        [
          [
            facts.n,
            num(facts.logLikelihood, 7),
            num(facts.logLikelihood / facts.n, 5),
            model.nParameters,
            num(facts.bic, 7),
            num(facts.aic, 7),
          ],
        ],
        '',
      ),
    );
  }
  const shown = names.slice(0, 8);
  const rows = Array.from({ length: k }, (_, j) => {
    const axes = principalAxes(model.componentCovariance(j)).standardDeviations;
    const mean = model.componentMean(j);
    return [
      j,
      num(model.weights[j]!, 3),
      ...shown.map((_, a) => num(mean[a]!, 4)),
      Array.from(axes.slice(0, 4), (s) => num(s, 3)).join(' ') + (d > 4 ? ' …' : ''),
    ];
  });
  lines.push(
    alignTable(['component', 'weight', ...shown.map((n) => `mean ${n}`), `σ along the covariance's axes`], rows, '') +
      (d > 8 ? `\n(means of the first 8 of ${d} features shown; --json has everything)` : ''),
  );
  if (model.noise) {
    lines.push(
      `noise: weight ${num(model.noise.weight, 3)}, uniform over a hypervolume of ${num(Math.exp(-model.noise.logDensity), 4)}${model.scaler ? ' (standardized units)' : ''}`,
    );
  }
  return lines.join('\n');
}

/** The same facts as a plain object, every number at full precision. */
export function modelFacts(model: GaussianMixtureModel, facts?: FitFacts): Record<string, unknown> {
  const d = model.nFeatures;
  return {
    covarianceType: model.covarianceType,
    nComponents: model.nComponents,
    nFeatures: d,
    featureNames: featureNamesOf(model),
    converged: model.converged,
    nIter: model.nIter,
    lowerBound: Number.isFinite(model.lowerBound) ? model.lowerBound : null,
    warnings: [...model.warnings],
    nParameters: model.nParameters,
    ...(facts ? { n: facts.n, logLikelihood: facts.logLikelihood, bic: facts.bic, aic: facts.aic } : {}),
    ...(model.noise ? { noise: { weight: model.noise.weight, logDensity: model.noise.logDensity } } : {}),
    components: Array.from({ length: model.nComponents }, (_, j) => {
      const covariance = model.componentCovariance(j);
      const axes = principalAxes(covariance);
      return {
        weight: model.weights[j],
        mean: Array.from(model.componentMean(j)),
        covariance: toArrays(covariance),
        axes: Array.from(axes.standardDeviations, (sd, r) => ({
          sd,
          direction: Array.from(axes.directions.data.subarray(r * d, (r + 1) * d)),
        })),
      };
    }),
  };
}
