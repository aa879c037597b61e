/**
 * One feature at a time: a histogram of the data with the density of one or
 * more mixtures over it (e.g. EM's snapshots as it converges).
 *
 * @module
 */
import { InvalidParameterError } from '../errors.js';
import { asMatrix, type MatrixLike } from '../matrix/matrix.js';
import type { GaussianMixtureModel } from '../estimators/mixtureModel.js';
import { componentColor, Frame, px, type FigureOptions, type LegendEntry } from './frame.js';
import { column, extent, marginal } from './marks.js';

/** Options of {@link plotDensity1D}. */
export interface Density1DOptions extends FigureOptions {
  /** The feature shown (index). Default 0. */
  feature?: number;
  /** Its name on the x axis. Default: the last model's feature name, or x1…xd. */
  featureName?: string;
  /** Histogram bins. Default 30. */
  bins?: number;
  /** Also draw the last model's components, πⱼ·N(x | μⱼ, σⱼ²), dashed. Default true. */
  components?: boolean;
}

const normalPdf = (x: number, mean: number, variance: number): number =>
  Math.exp((-0.5 * ((x - mean) * (x - mean))) / variance) / Math.sqrt(2 * Math.PI * variance);

/**
 * A histogram of one feature, scaled as a density (area 1), with each given
 * mixture's density on that feature (its exact marginal) as a line, from
 * light grey for the first to black for the last, and the last one's
 * weighted components dashed.
 *
 * @param X - Data, n × d.
 * @param curves - Mixtures to draw, each with a legend label; all of X's width.
 * @param options - Feature, bins, size, title.
 * @returns SVG.
 * @throws {@link InvalidParameterError} for no curves, a bad feature or bin count; {@link DimensionMismatchError} for a wrong width.
 * @example
 * ```ts
 * const svg = plotDensity1D(X, [{ label: 'start', model: first }, { label: 'fitted', model }], { bins: 40 });
 * ```
 */
export function plotDensity1D(
  X: MatrixLike,
  curves: readonly { label: string; model: GaussianMixtureModel }[],
  options: Density1DOptions = {},
): string {
  const data = asMatrix(X);
  if (curves.length === 0) throw new InvalidParameterError('curves', curves, 'at least one { label, model }');
  const feature = options.feature ?? 0;
  if (!Number.isSafeInteger(feature) || feature < 0 || feature >= data.cols)
    throw new InvalidParameterError('feature', feature, `a feature index from 0 to ${data.cols - 1}`);
  const bins = options.bins ?? 30;
  if (!Number.isSafeInteger(bins) || bins < 1) throw new InvalidParameterError('bins', bins, 'a positive integer');
  const last = curves.at(-1)!.model;
  const name = options.featureName ?? last.featureNames?.[feature] ?? `x${feature + 1}`;
  const xs = column(data, feature);
  const parts = curves.map(({ model }) => {
    if (model.nFeatures !== data.cols)
      throw new InvalidParameterError('curves', model.nFeatures, `models of ${data.cols} features, as X`);
    return marginal(model, feature, feature);
  });
  const reach = parts.flatMap((p) => p.flatMap((c) => [c.mx - 3 * Math.sqrt(c.a), c.mx + 3 * Math.sqrt(c.a)]));
  const [lo, hi] = extent(xs);
  const [x0, x1] = extent(
    [lo, hi],
    reach.filter((v) => v > lo - (hi - lo) && v < hi + (hi - lo)),
  );
  const width = (hi - lo || 1) / bins;
  const counts = new Float64Array(bins);
  for (const v of xs) counts[Math.min(bins - 1, Math.floor((v - lo) / width))]! += 1;
  const heights = Array.from(counts, (c) => c / (xs.length * width));
  const grid = Array.from({ length: 241 }, (_, i) => x0 + ((x1 - x0) * i) / 240);
  const density = (p: (typeof parts)[number], x: number) => p.reduce((s, c) => s + c.weight * normalPdf(x, c.mx, c.a), 0);
  const lines = parts.map((p) => grid.map((x) => density(p, x)));
  const top = [heights, ...lines].reduce((m, values) => values.reduce((a, v) => Math.max(a, v), m), -Infinity);
  // Headroom above the highest bar or curve for the legend.
  const frame = new Frame([x0, x1], [0, top * 1.35], { ...options, equalAspect: false }, true);
  heights.forEach((h, b) => {
    const left = frame.x(lo + b * width);
    const right = frame.x(lo + (b + 1) * width);
    frame.occupy((left + right) / 2, frame.y(h));
    frame.add(
      `<rect x="${px(left)}" y="${px(frame.y(h))}" width="${px(Math.max(0, right - left - 1))}" height="${px(frame.y(0) - frame.y(h))}" fill="#c9d4e3"/>`,
    );
  });
  const path = (values: number[]) =>
    values
      .map((v, i) => {
        const x = frame.x(grid[i]!);
        const y = frame.y(v);
        if (i % 12 === 0) frame.occupy(x, y);
        return `${i === 0 ? 'M' : 'L'}${px(x)},${px(y)}`;
      })
      .join('');
  const legend: LegendEntry[] = [{ label: `data (${xs.length} points, ${bins} bins)`, color: '#c9d4e3' }];
  lines.forEach((values, i) => {
    const grey = curves.length === 1 ? 17 : Math.round(190 - (173 * i) / (curves.length - 1));
    const color = `rgb(${grey},${grey},${grey})`;
    frame.add(`<path d="${path(values)}" fill="none" stroke="${color}" stroke-width="${i === lines.length - 1 ? 2.4 : 1.6}"/>`);
    legend.push({ label: curves[i]!.label, color, shape: 'line' });
  });
  if (options.components ?? true) {
    parts.at(-1)!.forEach((c, j) => {
      frame.add(
        `<path d="${path(grid.map((x) => c.weight * normalPdf(x, c.mx, c.a)))}" fill="none" stroke="${componentColor(j)}" stroke-width="1.5" stroke-dasharray="5 3"/>`,
      );
    });
    legend.push({ label: `components of ${curves.at(-1)!.label}`, color: componentColor(0), shape: 'dashed' });
  }
  return frame.render({ title: options.title ?? `Density of ${name}`, x: name, y: 'density' }, legend);
}
