import { HALF_LOG_2PI, type MixtureParameters } from '../parameters.js';

/**
 * Per-component constant of the weighted log-density:
 * log πₖ + log det Uₖ − (d/2)·log 2π, with `params.logWeights` in place of
 * log πₖ where given.
 *
 * @param params - Mixture parameters.
 * @param logDet - log det of each component's precision Cholesky factor.
 * @returns k constants.
 */
export function logDensityConstants(params: MixtureParameters, logDet: Float64Array): Float64Array {
  const { nComponents: k, nFeatures: d, weights, logWeights } = params;
  const out = new Float64Array(k);
  for (let j = 0; j < k; j++) out[j] = (logWeights ? logWeights[j] : Math.log(weights[j])) + logDet[j] - d * HALF_LOG_2PI;
  return out;
}
