import type { CovarianceType } from '../parameters.js';
import { alias } from './constrained.js';
import { diag } from './diag.js';
import { EEI } from './eei.js';
import { EEV } from './eev.js';
import { EII } from './eii.js';
import { EVE } from './eve.js';
import { EVI } from './evi.js';
import { EVV } from './evv.js';
import { full } from './full.js';
import { spherical } from './spherical.js';
import type { CovarianceStrategy } from './strategy.js';
import { tied } from './tied.js';
import { VEE } from './vee.js';
import { VEI } from './vei.js';
import { VEV } from './vev.js';
import { VVE } from './vve.js';

const STRATEGIES: Record<CovarianceType, CovarianceStrategy> = {
  full,
  tied,
  diag,
  spherical,
  EII,
  VII: alias(spherical, 'VII'),
  EEI,
  VEI,
  EVI,
  VVI: alias(diag, 'VVI'),
  EEE: alias(tied, 'EEE'),
  VEE,
  EVE,
  VVE,
  EEV,
  VEV,
  EVV,
  VVV: alias(full, 'VVV'),
};

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
