/**
 * The EM iteration of one run: E-step (statistics), M-step (parameters),
 * convergence test on the change of the lower bound. Written once, as a
 * generator that yields the parameters whose E-step statistics it needs, so
 * the same loop runs synchronously on this thread or asynchronously on a
 * worker pool. Knows nothing of covariance types beyond the strategy
 * interface.
 *
 * @module
 */
import type { CovarianceStrategy } from '../mixture/covariance/index.js';
import { maximize } from '../mixture/mstep.js';
import type { MixtureParameters } from '../mixture/parameters.js';
import type { SufficientStatistics } from '../mixture/statistics.js';

/** Progress of an EM run, reported after every iteration. */
export interface IterationEvent {
  /** 0-based index of the run (of `nInit`). */
  readonly run: number;
  /** 1-based iteration number within the run. */
  readonly iteration: number;
  /** Mean (weighted) log-likelihood from this iteration's E-step. */
  readonly lowerBound: number;
  /** Change from the previous iteration's lower bound (Infinity at the first). */
  readonly change: number;
  /** Parameters after this iteration's M-step. */
  readonly parameters: MixtureParameters;
}

/** Outcome of one EM run. */
export interface EMResult {
  /** Final parameters. */
  readonly parameters: MixtureParameters;
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
export interface EMSettings {
  /** Covariance strategy. */
  readonly strategy: CovarianceStrategy;
  /** Regularization added to covariance diagonals. */
  readonly regCovar: number;
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
 * Yields the parameters of each E-step and expects the statistics of all
 * rows under them in return. The lower bound of an iteration is the weighted
 * mean log-likelihood of its E-step, i.e. under the parameters before its
 * M-step (scikit-learn's `lower_bound_`).
 *
 * @param initial - Starting parameters.
 * @param settings - Strategy, regularization, tolerance, iteration cap.
 * @returns The run's outcome (as the generator's return value).
 */
export function* emRun(
  initial: MixtureParameters,
  settings: EMSettings,
): Generator<MixtureParameters, EMResult, SufficientStatistics> {
  const { strategy, regCovar, tol, maxIter, run, onIteration } = settings;
  let parameters = initial;
  let lowerBound = -Infinity;
  const lowerBounds: number[] = [];
  let converged = false;
  let nIter = 0;
  for (let iteration = 1; iteration <= maxIter; iteration++) {
    const previous = lowerBound;
    const stats = yield parameters;
    lowerBound = stats.logLikelihood / stats.totalWeight;
    parameters = maximize(strategy, stats, regCovar, `at EM iteration ${iteration}`);
    lowerBounds.push(lowerBound);
    nIter = iteration;
    const change = lowerBound - previous;
    onIteration?.({ run, iteration, lowerBound, change, parameters });
    if (Math.abs(change) < tol) {
      converged = true;
      break;
    }
  }
  return { parameters, lowerBound, lowerBounds, nIter, converged };
}

/**
 * Runs an EM generator to completion with a synchronous E-step.
 *
 * @param steps - From {@link emRun}.
 * @param expectation - Statistics of all rows under given parameters.
 * @returns The run's outcome.
 */
export function driveSync(
  steps: Generator<MixtureParameters, EMResult, SufficientStatistics>,
  expectation: (parameters: MixtureParameters) => SufficientStatistics,
): EMResult {
  let next = steps.next();
  while (!next.done) next = steps.next(expectation(next.value));
  return next.value;
}

/**
 * Runs an EM generator to completion with an asynchronous E-step.
 *
 * @param steps - From {@link emRun}.
 * @param expectation - Statistics of all rows under given parameters.
 * @returns The run's outcome.
 */
export async function driveAsync(
  steps: Generator<MixtureParameters, EMResult, SufficientStatistics>,
  expectation: (parameters: MixtureParameters) => Promise<SufficientStatistics>,
): Promise<EMResult> {
  let next = steps.next();
  while (!next.done) next = steps.next(await expectation(next.value));
  return next.value;
}
