/**
 * The EM iteration of one run: E-step (statistics), M-step (parameters),
 * convergence test on the change of the lower bound. Written once, as a
 * generator that asks the rows for the E-step statistics it needs (see
 * `Rows`), so the same loop runs on this thread or on a worker pool. Knows
 * nothing of covariance types beyond the strategy interface, nor of what is
 * maximized: an {@link EMObjective} turns statistics into the next state and
 * scores the iteration — the likelihood's (`likelihoodObjective`, the
 * `GaussianMixture`) or a variational posterior's (the
 * `BayesianGaussianMixture`).
 *
 * @module
 */
import type { CovarianceStrategy } from '../mixture/covariance/index.js';
import { maximize } from '../mixture/mstep.js';
import type { MixtureParameters } from '../mixture/parameters.js';
import { logPrior, type ConjugatePrior } from '../mixture/prior.js';
import type { SufficientStatistics } from '../mixture/statistics.js';
import { ask, type FitSteps } from './rows.js';

/** Progress of an EM run, reported after every iteration. */
export interface IterationEvent {
  /** 0-based index of the run (of `nInit`). */
  readonly run: number;
  /** 1-based iteration number within the run. */
  readonly iteration: number;
  /**
   * This iteration's lower bound: for a `GaussianMixture` the mean (weighted)
   * log-likelihood from its E-step; for a `BayesianGaussianMixture` the
   * variational lower bound (ELBO) after its M-step.
   */
  readonly lowerBound: number;
  /** Change from the previous iteration's lower bound (Infinity at the first). */
  readonly change: number;
  /** Parameters after this iteration's M-step. */
  readonly parameters: MixtureParameters;
}

/**
 * What an EM run maximizes, over states `S` (a mixture's parameters, or a
 * variational posterior): the parameters an E-step runs under, the M-step,
 * and the lower bound of an iteration.
 */
export interface EMObjective<S> {
  /** The parameters the E-step computes responsibilities under in state `state`. */
  parameters(state: S): MixtureParameters;
  /**
   * The M-step: the next state from the E-step's statistics.
   *
   * @param stats - Merged statistics of every row.
   * @param context - Where this happens, for error messages (`"at EM iteration 3"`).
   * @param current - The state the statistics were taken under (where an iterative M-step starts).
   */
  maximize(stats: SufficientStatistics, context: string, current?: S): S;
  /**
   * The iteration's lower bound.
   *
   * @param stats - The E-step's statistics.
   * @param used - The parameters the E-step ran under.
   * @param next - The state after the M-step.
   */
  lowerBound(stats: SufficientStatistics, used: MixtureParameters, next: S): number;
}

/**
 * Maximum likelihood (the `GaussianMixture`): states are parameters, the
 * M-step is {@link maximize}, and an iteration's lower bound is the weighted
 * mean log-likelihood of its E-step, i.e. under the parameters before its
 * M-step (scikit-learn's `lower_bound_`). With a conjugate prior, maximum a
 * posteriori: the M-step is the MAP one and the lower bound the
 * log-posterior, (log-likelihood + log prior) / Σw, under the same parameters.
 *
 * @param strategy - Covariance strategy.
 * @param regCovar - Regularization added to covariance diagonals.
 * @param prior - A conjugate prior, if any.
 * @returns The objective.
 */
export function likelihoodObjective(
  strategy: CovarianceStrategy,
  regCovar: number,
  prior?: ConjugatePrior,
): EMObjective<MixtureParameters> {
  return {
    parameters: (state) => state,
    maximize: (stats, context, current) =>
      maximize(strategy, stats, regCovar, context, { previous: current?.covariances, prior, noise: current?.noise }),
    lowerBound: prior
      ? (stats, used) => (stats.logLikelihood + logPrior(strategy, prior, used)) / stats.totalWeight
      : (stats) => stats.logLikelihood / stats.totalWeight,
  };
}

/** Outcome of one EM run. */
export interface EMResult<S = MixtureParameters> {
  /** Final state (for a `GaussianMixture`, its parameters). */
  readonly parameters: S;
  /** Lower bound of the last iteration (-Infinity if no iteration ran). */
  readonly lowerBound: number;
  /** Lower bound of every iteration, in order. */
  readonly lowerBounds: number[];
  /** Iterations run. */
  readonly nIter: number;
  /** Whether |Δ lower bound| < tol was reached. */
  readonly converged: boolean;
}

/** Settings of an EM run. */
export interface EMSettings<S> {
  /** Covariance strategy. */
  readonly strategy: CovarianceStrategy;
  /** What is maximized. */
  readonly objective: EMObjective<S>;
  /** The data's weighted mean (d): where the strategy may center its statistics. */
  readonly dataMean: Float64Array;
  /** Convergence threshold on |Δ lower bound|. */
  readonly tol: number;
  /** Maximum iterations (0: return the initial parameters). */
  readonly maxIter: number;
  /** Index of this run, for progress events. */
  readonly run: number;
  /** Called after each iteration. */
  readonly onIteration?: ((event: IterationEvent) => void) | undefined;
}

/**
 * EM from `initial` until |Δ lower bound| < tol or `maxIter` iterations.
 * Asks for the statistics of all rows under each iteration's parameters; the
 * objective makes the M-step and the lower bound of them.
 *
 * @param initial - Starting state.
 * @param settings - Strategy, objective, tolerance, iteration cap.
 * @returns The run's outcome (as the generator's return value).
 */
export function* emRun<S>(initial: S, settings: EMSettings<S>): FitSteps<EMResult<S>> {
  const { strategy, objective, dataMean, tol, maxIter, run, onIteration } = settings;
  let state = initial;
  let lowerBound = -Infinity;
  const lowerBounds: number[] = [];
  let converged = false;
  let nIter = 0;
  for (let iteration = 1; iteration <= maxIter; iteration++) {
    const previous = lowerBound;
    const parameters = objective.parameters(state);
    const { nComponents: k, nFeatures: d } = parameters;
    const centers = strategy.statisticsCenters(parameters.means, dataMean, k, d);
    const stats = yield* ask({ kind: 'expectation', strategy, parameters, centers });
    state = objective.maximize(stats, `at EM iteration ${iteration}`, state);
    lowerBound = objective.lowerBound(stats, parameters, state);
    lowerBounds.push(lowerBound);
    nIter = iteration;
    const change = lowerBound - previous;
    onIteration?.({ run, iteration, lowerBound, change, parameters: objective.parameters(state) });
    if (Math.abs(change) < tol) {
      converged = true;
      break;
    }
  }
  return { parameters: state, lowerBound, lowerBounds, nIter, converged };
}
