/**
 * `gmm select --models`: a model selection printed as R's mclust prints
 * `mclustBIC()` — one row per number of components, one column per model,
 * mclust's sign (higher is better), NA where the fit failed — then its
 * "Top 3 models" line.
 *
 * @module
 */
import type { ModelSelection } from '../selection/selectModel.js';
import { alignTable } from './format.js';

const TITLES = {
  bic: 'Bayesian Information Criterion (BIC)',
  aic: 'Akaike Information Criterion (AIC)',
  icl: 'Integrated Complete-data Likelihood (ICL)',
} as const;

/** mclust's number format for these tables: 7 significant digits, as R's default print. */
function mclustNumber(x: number): string {
  return Number(x.toPrecision(7)).toString();
}

/**
 * The selection's grid as mclust's table of its criterion, negated to mclust's
 * sign (2·logL − p·ln n for BIC), and the three best cells.
 *
 * @param selection - From `selectModel`/`selectModelAsync`.
 * @returns The text (no trailing newline).
 */
export function mclustTable(selection: ModelSelection): string {
  const { criterion, results } = selection;
  const models = [...new Set(results.map((r) => r.covarianceType))];
  const ks = [...new Set(results.map((r) => r.nComponents))].sort((a, b) => a - b);
  const value = new Map(results.map((r) => [`${r.covarianceType},${r.nComponents}`, r]));
  const rows = ks.map((k) => [
    k,
    ...models.map((m) => {
      const r = value.get(`${m},${k}`);
      return r === undefined || r.error !== undefined ? 'NA' : mclustNumber(-r[criterion]);
    }),
  ]);
  const top = results
    .filter((r) => r.error === undefined)
    .sort((a, b) => a[criterion] - b[criterion])
    .slice(0, 3);
  const name = criterion.toUpperCase();
  const lines = [`${TITLES[criterion]}:`, alignTable(['', ...models], rows, '')];
  const failed = results.filter((r) => r.error !== undefined);
  if (failed.length > 0) {
    lines.push(
      '',
      `NA: ${failed.length} fit${failed.length === 1 ? '' : 's'} failed, e.g. ${failed[0]!.covarianceType},${failed[0]!.nComponents}: ${failed[0]!.error}`,
    );
  }
  lines.push(
    '',
    `Top ${top.length} models based on the ${name} criterion:`,
    alignTable(
      top.map((r) => `${r.covarianceType},${r.nComponents}`),
      [top.map((r) => mclustNumber(-r[criterion]))],
      '',
    ),
  );
  return lines.join('\n');
}
