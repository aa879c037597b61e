import type { CovarianceType } from '../parameters.js';
import { diag } from './diag.js';
import { full } from './full.js';
import { spherical } from './spherical.js';
import type { CovarianceStrategy } from './strategy.js';
import { tied } from './tied.js';

const STRATEGIES: Record<CovarianceType, CovarianceStrategy> = { full, tied, diag, spherical };

/**
 * The strategy implementing a covariance type.
 *
 * @param type - A validated covariance type.
 * @returns Its strategy.
 */
export function covarianceStrategy(type: CovarianceType): CovarianceStrategy {
  return STRATEGIES[type];
}

export type { CovarianceStrategy, PreparedMixture } from './strategy.js';
