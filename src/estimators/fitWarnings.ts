/**
 * What a finished mixture fit found doubtful, as sentences for
 * `GaussianMixtureModel.warnings` (and the CLI's `gmm: warning:` lines).
 *
 * @module
 */
import type { FitData } from '../fit/init.js';

/** regCovar above this share of a feature's variance swamps the data's spread along it (a warning). */
const REG_COVAR_SHARE = 0.1;

/**
 * The warning that regCovar is large against the variance of some feature
 * (in the units EM works in), if it is: then every component's variance along
 * it is mostly regCovar, and clusters merge (iris in units 1,000 times too
 * large — or data scaled to 1e-10 — puts all 150 rows in one cluster). Such
 * data needs standardizing, or a smaller regCovar. Constant features (variance
 * 0) are left to the collapse check.
 *
 * @param data - The data EM was fitted on.
 * @param regCovar - The regularization.
 * @param featureNames - Names of the features, if known.
 * @returns The warning, if any (an array of at most one).
 */
export function regCovarWarning(data: FitData, regCovar: number, featureNames: readonly string[] | undefined): string[] {
  if (regCovar === 0) return [];
  const variance = data.columnVariance;
  let worst = -1;
  for (let a = 0; a < variance.length; a++) {
    if (variance[a]! > 0 && regCovar > REG_COVAR_SHARE * variance[a]! && (worst < 0 || variance[a]! < variance[worst]!))
      worst = a;
  }
  if (worst < 0) return [];
  const name = featureNames?.[worst] === undefined ? `feature ${worst}` : `feature ${worst} ('${featureNames[worst]}')`;
  return [
    `regCovar (${regCovar}) is ${(regCovar / variance[worst]!).toPrecision(3)} times the variance of ${name}, ${variance[worst]!.toPrecision(3)}: it swamps the data's spread, so components merge; standardize the data (standardize: true) or lower regCovar`,
  ];
}

/**
 * The warning that EM stopped at `maxIter` before converging, if it did.
 *
 * @param converged - Whether EM converged.
 * @param nIter - Its iterations.
 * @param maxIter - The limit.
 * @returns The warning, if any (an array of at most one).
 */
export function convergenceWarnings(converged: boolean, nIter: number, maxIter: number): string[] {
  if (converged || maxIter === 0 || nIter < maxIter) return [];
  return [
    `EM did not converge in ${maxIter} iteration${maxIter === 1 ? '' : 's'} (the lower bound still changed by more than tol): raise maxIter or tol, or try other starts`,
  ];
}

/**
 * The warnings that a component's weight is below one row's share.
 *
 * @param weights - The mixing weights.
 * @param totalWeight - Σ of the rows' weights (n without sample weights).
 * @returns One warning per such component.
 */
export function weightWarnings(weights: Float64Array, totalWeight: number): string[] {
  const out: string[] = [];
  for (let j = 0; j < weights.length; j++) {
    // Rows' weights are rescaled to a largest of [1, 2) (fitWeights): below one such row is below any row's share.
    if (weights.length > 1 && weights[j]! * totalWeight < 1)
      out.push(
        `component ${j} has weight ${weights[j]!.toPrecision(3)}, less than one row's: it collapsed onto a few (identical) rows or is not needed; fewer components may fit as well`,
      );
  }
  return out;
}
