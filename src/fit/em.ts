/**
 * The EM iteration of one run: E-step (statistics), M-step (parameters),
 * convergence test on the change of the lower bound. Written once, as a
 * generator that asks the rows for the E-step statistics it needs (see
 * `Rows`), so the same loop runs on this thread or on a worker pool. Knows
 * nothing of covariance types beyond the strategy interface.
 *
 * @module
 */
import type { CovarianceStrategy } from '../mixture/covariance/index.js';
import { maximize } from '../mixture/mstep.js';
import type { MixtureParameters } from '../mixture/parameters.js';
import { ask, type FitSteps } from './rows.js';

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
  /** The data's weighted mean (d): where the strategy may center its statistics. */
  readonly dataMean: Float64Array;
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
 * Asks for the statistics of all rows under each iteration's parameters. The lower bound of an iteration is the weighted
 * mean log-likelihood of its E-step, i.e. under the parameters before its
 * M-step (scikit-learn's `lower_bound_`).
 *
 * @param initial - Starting parameters.
 * @param settings - Strategy, regularization, tolerance, iteration cap.
 * @returns The run's outcome (as the generator's return value).
 */
export function* emRun(initial: MixtureParameters, settings: EMSettings): FitSteps<EMResult> {
  const { strategy, dataMean, regCovar, tol, maxIter, run, onIteration } = settings;
  const { nComponents: k, nFeatures: d } = initial;
  let parameters = initial;
  let lowerBound = -Infinity;
  const lowerBounds: number[] = [];
  let converged = false;
  let nIter = 0;
  for (let iteration = 1; iteration <= maxIter; iteration++) {
    const previous = lowerBound;
    const centers = strategy.statisticsCenters(parameters.means, dataMean, k, d);
    const stats = yield* ask({ kind: 'expectation', strategy, parameters, centers });
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
