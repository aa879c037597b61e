/**
 * The mixing weights of one or more mixtures as bars, largest first: how many
 * components a fit really uses (a Dirichlet-process mixture leaves the others
 * near 0; a maximum-likelihood one spreads its weight over all of them).
 *
 * @module
 */
import { InvalidParameterError } from '../errors.js';
import { componentColor, Frame, px, type FigureOptions, type LegendEntry } from './frame.js';

/** A set of weights to draw, and its name in the legend. */
export interface WeightSeries {
  /** Legend text. */
  label: string;
  /** The mixing weights (each in [0, 1]). */
  weights: ArrayLike<number>;
}

/**
 * Bars of each mixture's weights sorted from largest to smallest, side by
 * side per rank, with a dashed line at `threshold`; the legend counts each
 * mixture's components at or above it.
 *
 * @param series - One or more sets of weights (e.g. `{ label: 'DP', weights: model.weights }`).
 * @param options - Size, title, and `threshold` (default 0.01; 0 draws no line).
 * @returns SVG.
 * @throws {@link InvalidParameterError} for no series, an empty one, or a weight outside [0, 1].
 * @example
 * ```ts
 * const svg = plotWeights([{ label: 'Dirichlet process', weights: model.weights }]);
 * ```
 */
export function plotWeights(series: readonly WeightSeries[], options: FigureOptions & { threshold?: number } = {}): string {
  if (!Array.isArray(series) || series.length === 0) {
    throw new InvalidParameterError('series', series, 'at least one { label, weights }');
  }
  const threshold = options.threshold ?? 0.01;
  if (!(threshold >= 0 && threshold <= 1)) throw new InvalidParameterError('threshold', threshold, 'a number in [0, 1]');
  const sorted = series.map((s, i) => {
    const weights: number[] = Array.from(s.weights ?? ([] as number[]));
    if (weights.length === 0) throw new InvalidParameterError(`series[${i}].weights`, s.weights, 'at least one weight');
    weights.forEach((w, j) => {
      if (!(w >= 0 && w <= 1)) throw new InvalidParameterError(`series[${i}].weights[${j}]`, w, 'a number in [0, 1]');
    });
    return weights.sort((a, b) => b - a);
  });
  const ranks = Math.max(...sorted.map((w) => w.length));
  const top = Math.max(...sorted.map((w) => w[0]!), threshold);
  // Headroom above the tallest bar for the legend.
  const frame = new Frame([0.5, ranks + 0.5], [0, top * 1.3], { ...options, equalAspect: false }, true);
  frame.xIntegers = true;
  const slot = (frame.x(2) - frame.x(1)) * 0.8;
  const bar = slot / series.length;
  const legend: LegendEntry[] = [];
  sorted.forEach((weights, s) => {
    const color = componentColor(s);
    weights.forEach((w, r) => {
      const x0 = frame.x(r + 1) - slot / 2 + s * bar;
      const y = frame.y(w);
      const base = frame.y(0);
      frame.add(
        `<rect x="${px(x0)}" y="${px(y)}" width="${px(Math.max(bar - 1, 1))}" height="${px(Math.max(base - y, 0))}" fill="${color}" fill-opacity="0.85"/>`,
      );
      // The whole bar, so that the legend goes where no bar is.
      for (let t = 0; t <= 1; t += 0.125) frame.occupy(x0 + bar / 2, y + t * (base - y));
    });
    const kept = weights.filter((w) => w >= threshold).length;
    legend.push({
      label: `${series[s]!.label}: ${kept} of ${weights.length}${threshold > 0 ? ` ≥ ${threshold}` : ''}`,
      color,
    });
  });
  if (threshold > 0) {
    const y = frame.y(threshold);
    frame.add(
      `<line x1="${px(frame.x(0.5))}" x2="${px(frame.x(ranks + 0.5))}" y1="${px(y)}" y2="${px(y)}" stroke="#111111" stroke-width="1" stroke-dasharray="5 4"/>`,
    );
    legend.push({ label: `weight ${threshold}`, color: '#111111', shape: 'dashed' });
  }
  return frame.render(
    {
      title: options.title ?? 'Mixing weights, largest first',
      x: 'component (by decreasing weight)',
      y: 'weight',
    },
    legend,
  );
}
