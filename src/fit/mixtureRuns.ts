/**
 * A mixture fit written once: `runs` times, an initialization then EM; the
 * run of highest lower bound. `GaussianMixture.fit`, `fitAsync`, `iterate`
 * and the cells of `selectModel` drive it.
 *
 * @module
 */
import type { CovarianceStrategy } from '../mixture/covariance/index.js';
import type { MixtureParameters } from '../mixture/parameters.js';
import { emRun, type EMResult, type IterationEvent } from './em.js';
import { ask, type FitSteps } from './rows.js';

/** Starting parameters of a run, and each row's likely component (a hint for the E-step), if known. */
export interface InitialState {
  readonly parameters: MixtureParameters;
  readonly labels: Int32Array | undefined;
}

/** The validated plan of a mixture fit. */
export interface MixtureRunsPlan {
  /** Covariance strategy. */
  readonly strategy: CovarianceStrategy;
  /** The data's weighted mean (d). */
  readonly dataMean: Float64Array;
  /** Components. */
  readonly k: number;
  /** Runs (one when the start is fully given). */
  readonly runs: number;
  /** Regularization added to covariance diagonals. */
  readonly regCovar: number;
  /** Convergence threshold on |Δ lower bound|. */
  readonly tol: number;
  /** EM iterations per run. */
  readonly maxIter: number;
  /** Called after every EM iteration. */
  readonly onIteration?: ((event: IterationEvent) => void) | undefined;
  /** The start of the next run (drawing from the fit's random generator; may ask the rows, e.g. k-means). */
  readonly start: () => FitSteps<InitialState>;
}

/**
 * Every run of a mixture fit; the best by lower bound (the first of equals).
 *
 * @param plan - The fit's plan.
 * @returns The best run (as the generator's return value).
 */
export function* mixtureRuns(plan: MixtureRunsPlan): FitSteps<EMResult> {
  const { strategy, dataMean, k, regCovar, tol, maxIter, onIteration } = plan;
  let best: EMResult | null = null;
  for (let run = 0; run < plan.runs; run++) {
    const { parameters, labels } = yield* plan.start();
    if (labels) yield* ask({ kind: 'hint', strategy, k, labels });
    const result = yield* emRun(parameters, { strategy, dataMean, regCovar, tol, maxIter, run, onIteration });
    if (best === null || result.lowerBound > best.lowerBound) best = result;
  }
  return best!;
}
