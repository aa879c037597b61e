/**
 * A mixture fit written once: `runs` times, an initialization then EM; the
 * run of highest lower bound. `GaussianMixture.fit`, `fitAsync`, `iterate`,
 * the cells of `selectModel` and `BayesianGaussianMixture` drive it.
 *
 * @module
 */
import type { CovarianceStrategy } from '../mixture/covariance/index.js';
import type { MixtureParameters } from '../mixture/parameters.js';
import { emRun, type EMObjective, type EMResult, type IterationEvent } from './em.js';
import { ask, type FitSteps } from './rows.js';

/** Starting state of a run, and each row's likely component (a hint for the E-step), if known. */
export interface InitialState<S = MixtureParameters> {
  readonly parameters: S;
  readonly labels: Int32Array | undefined;
}

/** The validated plan of a mixture fit. */
export interface MixtureRunsPlan<S> {
  /** Covariance strategy. */
  readonly strategy: CovarianceStrategy;
  /** What is maximized (see `likelihoodObjective`). */
  readonly objective: EMObjective<S>;
  /** The data's weighted mean (d). */
  readonly dataMean: Float64Array;
  /** Components. */
  readonly k: number;
  /** Runs (one when the start is fully given). */
  readonly runs: number;
  /** Convergence threshold on |Δ lower bound|. */
  readonly tol: number;
  /** EM iterations per run. */
  readonly maxIter: number;
  /** Called after every EM iteration. */
  readonly onIteration?: ((event: IterationEvent) => void) | undefined;
  /** The start of the next run (drawing from the fit's random generator; may ask the rows, e.g. k-means). */
  readonly start: () => FitSteps<InitialState<S>>;
}

/**
 * Every run of a mixture fit; the best by lower bound (the first of equals).
 *
 * @param plan - The fit's plan.
 * @returns The best run (as the generator's return value).
 */
export function* mixtureRuns<S>(plan: MixtureRunsPlan<S>): FitSteps<EMResult<S>> {
  const { strategy, objective, dataMean, k, tol, maxIter, onIteration } = plan;
  let best: EMResult<S> | null = null;
  for (let run = 0; run < plan.runs; run++) {
    const { parameters, labels } = yield* plan.start();
    if (labels) yield* ask({ kind: 'hint', strategy, k, labels });
    const result = yield* emRun(parameters, { strategy, objective, dataMean, tol, maxIter, run, onIteration });
    if (best === null || result.lowerBound > best.lowerBound) best = result;
  }
  return best!;
}
