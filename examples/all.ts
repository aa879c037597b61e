/**
 * Every example and the tour, by name: what `npm run figures` runs and the
 * tests check.
 */
import { run as kmeansVsGmm } from './01-kmeans-vs-gmm.js';
import { run as softAssignment } from './02-soft-assignment.js';
import { run as covarianceTypes } from './03-covariance-types.js';
import { run as moonsDensity } from './04-moons-density.js';
import { run as choosingK } from './05-choosing-k.js';
import { run as digits } from './06-digits.js';
import { run as emStepByStep } from './07-em-step-by-step.js';
import { run as regression } from './08-regression.js';
import { run as missingValues } from './09-missing-values.js';
import { run as bayesian } from './10-bayesian.js';
import { run as mclustModels } from './11-mclust-models.js';
import { run as noiseAndPrior } from './12-noise-and-prior.js';
import type { ExampleOutput } from './lib/report.js';
import { tour } from './tour.js';

/** Name (the file's, and the folder of its figures under docs/figures/) → run. */
export const EXAMPLES: Record<string, () => Promise<ExampleOutput>> = {
  tour,
  '01-kmeans-vs-gmm': kmeansVsGmm,
  '02-soft-assignment': softAssignment,
  '03-covariance-types': covarianceTypes,
  '04-moons-density': moonsDensity,
  '05-choosing-k': choosingK,
  '06-digits': digits,
  '07-em-step-by-step': emStepByStep,
  '08-regression': regression,
  '09-missing-values': missingValues,
  '10-bayesian': bayesian,
  '11-mclust-models': mclustModels,
  '12-noise-and-prior': noiseAndPrior,
};
