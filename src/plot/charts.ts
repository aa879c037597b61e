/**
 * Figures that are not of one model on data: information criteria against
 * the number of components, and grids of images.
 *
 * @module
 */
import { line } from 'd3-shape';
import { InvalidParameterError } from '../errors.js';
import { asMatrix, type MatrixLike } from '../matrix/matrix.js';
import { ALL_COVARIANCE_TYPES, MCLUST_MODELS, type CovarianceType, type MclustModel } from '../mixture/parameters.js';
import type { Criterion, SelectionResult } from '../selection/selectModel.js';
import { componentColor, escape, Frame, pointSymbol, px, type FigureOptions, type LegendEntry } from './frame.js';

/** mclust's colors of its models (`mclust.options("bicPlotColors")`). */
const MCLUST_COLORS: Record<MclustModel, string> = {
  EII: '#bebebe',
  VII: '#000000',
  EEI: '#218b21',
  EVI: '#41884f',
  VEI: '#508476',
  VVI: '#58819c',
  EEE: '#597dc3',
  VEE: '#5178ea',
  EVE: '#716ee7',
  VVE: '#9b60b8',
  EEV: '#b2508b',
  VEV: '#c03f60',
  EVV: '#c82a36',
  VVV: '#cc0000',
};

/** A point symbol per mclust model (an mclust name only: scikit-learn's names keep plain dots). */
const MCLUST_SYMBOLS: Partial<Record<CovarianceType, number>> = Object.fromEntries(MCLUST_MODELS.map((m, i) => [m, i]));

/**
 * BIC, AIC or ICL against the number of components: one line per covariance
 * type, the best (lowest) ringed. Lower is better.
 *
 * @param results - Cells of a selection (`selectModel(...).results`).
 * @param options - Size, title, the `criteria` to draw (default: BIC; several give dashed lines for the others), and
 *   `sign`: `'lower'` (default, lower is better) or `'mclust'` (−criterion, higher is better, as mclust's
 *   `plot.mclustBIC`; mclust's models get its colors and a point symbol each).
 * @returns SVG.
 * @throws {@link InvalidParameterError} if no cell has a finite criterion.
 * @example
 * ```ts
 * const svg = plotCriteria(selectModel(X).results, { criteria: ['bic', 'aic'] });
 * ```
 */
export function plotCriteria(
  results: readonly SelectionResult[],
  options: FigureOptions & { criteria?: readonly Criterion[]; sign?: 'lower' | 'mclust' } = {},
): string {
  const criteria = options.criteria ?? ['bic'];
  // mclust's sign: −criterion, higher is better (its plot.mclustBIC).
  const flip = options.sign === 'mclust' ? -1 : 1;
  const value = (r: SelectionResult, c: Criterion) => flip * r[c];
  const finite = results.filter((r) => criteria.every((c) => Number.isFinite(r[c])));
  if (finite.length === 0) throw new InvalidParameterError('results', results, 'at least one fitted cell');
  const ks = finite.map((r) => r.nComponents);
  const values = finite.flatMap((r) => criteria.map((c) => value(r, c)));
  const frame = new Frame(extent(ks), extent(values), {
    ...options,
    equalAspect: false,
  });
  frame.xIntegers = true;
  const types = ALL_COVARIANCE_TYPES.filter((t) => finite.some((r) => r.covarianceType === t));
  const legend: LegendEntry[] = [];
  criteria.forEach((criterion, ci) => {
    types.forEach((type) => {
      // Several covariance types: a color per type, a dash per criterion; one type: a color per criterion.
      // mclust's models: mclust's colors and a point symbol each, as its plot.mclustBIC (fourteen lines).
      const symbol = types.length > 1 ? MCLUST_SYMBOLS[type] : undefined;
      const color =
        symbol !== undefined
          ? MCLUST_COLORS[type as MclustModel]
          : componentColor(types.length > 1 ? ALL_COVARIANCE_TYPES.indexOf(type) : ci);
      const cells = finite.filter((r) => r.covarianceType === type).sort((a, b) => a.nComponents - b.nComponents);
      const path = line<SelectionResult>()
        .x((r) => frame.x(r.nComponents))
        .y((r) => frame.y(value(r, criterion)))(cells);
      frame.add(
        `<path d="${roundPath(path ?? '')}" fill="none" stroke="${color}" stroke-width="2"${ci > 0 ? ' stroke-dasharray="5 4"' : ''}/>`,
      );
      cells.forEach((r, i) => {
        const x = frame.x(r.nComponents);
        const y = frame.y(value(r, criterion));
        frame.add(
          symbol === undefined
            ? `<circle cx="${px(x)}" cy="${px(y)}" r="2.8" fill="${color}"/>`
            : pointSymbol(symbol, x, y, color),
        );
        // The line to the next point is drawn too: keep the legend off it.
        const next = cells[i + 1];
        const steps = next ? 8 : 1;
        for (let s = 0; s < steps; s++) {
          const t = s / steps;
          frame.occupy(
            x + t * (next ? frame.x(next.nComponents) - x : 0),
            y + t * (next ? frame.y(value(next, criterion)) - y : 0),
          );
        }
      });
      legend.push({
        label: `${criterion.toUpperCase()}, ${type}`,
        color,
        shape: ci > 0 ? 'dashed' : 'line',
        ...(symbol === undefined ? {} : { symbol }),
      });
    });
    const best = finite.reduce((a, b) => (b[criterion] < a[criterion] ? b : a));
    frame.add(
      `<circle cx="${px(frame.x(best.nComponents))}" cy="${px(frame.y(value(best, criterion)))}" r="8" fill="none" stroke="#111111" stroke-width="2"/>`,
    );
    legend.push({
      label: `best ${criterion.toUpperCase()}: k = ${best.nComponents}, ${best.covarianceType}`,
      color: '#111111',
      shape: 'ring',
    });
  });
  const names = criteria.map((c) => c.toUpperCase()).join(' and ');
  return frame.render(
    {
      title: options.title ?? `${names} against the number of components (${flip > 0 ? 'lower' : 'higher'} is better)`,
      x: 'number of components',
      y: flip > 0 ? names : `${names} (mclust’s sign)`,
    },
    legend,
  );
}

/**
 * The convergence trace of EM: the mean log-likelihood after each iteration
 * (`model.lowerBounds`, or the snapshots of `iterate`). EM never lets it
 * decrease; the flat end is convergence.
 *
 * @param values - Log-likelihood per iteration, in order (finite).
 * @param options - Size, title, and `firstIteration` (the x of `values[0]`; default 1).
 * @returns SVG.
 * @throws {@link InvalidParameterError} if there is no value or one is not finite.
 * @example
 * ```ts
 * const svg = plotConvergence(model.lowerBounds);
 * ```
 */
export function plotConvergence(values: readonly number[], options: FigureOptions & { firstIteration?: number } = {}): string {
  if (values.length === 0 || values.some((v) => !Number.isFinite(v)))
    throw new InvalidParameterError('values', values, 'a non-empty list of finite log-likelihoods');
  const first = options.firstIteration ?? 1;
  const last = first + values.length - 1;
  const frame = new Frame([first, Math.max(last, first + 1)], extent(values), {
    ...options,
    equalAspect: false,
  });
  frame.xIntegers = true;
  const color = componentColor(0);
  const path = line<number>()
    .x((_, i) => frame.x(first + i))
    .y((v) => frame.y(v))(values as number[]);
  frame.add(`<path d="${roundPath(path ?? '')}" fill="none" stroke="${color}" stroke-width="2"/>`);
  values.forEach((v, i) => {
    frame.occupy(frame.x(first + i), frame.y(v));
    if (values.length <= 60) frame.add(`<circle cx="${px(frame.x(first + i))}" cy="${px(frame.y(v))}" r="2.6" fill="${color}"/>`);
  });
  return frame.render(
    {
      title: options.title ?? `EM convergence: log-likelihood ${values.at(-1)!.toFixed(4)} after ${last} iterations`,
      x: 'iteration',
      y: 'mean log-likelihood',
    },
    [{ label: 'log-likelihood per point', color, shape: 'line' }],
  );
}

/** Options of {@link plotImages}. */
export interface ImageGridOptions {
  /** Pixels per image row. */
  imageWidth: number;
  /** Pixels per image column. */
  imageHeight: number;
  /** Images per grid row. Default 10. */
  columns?: number;
  /** Size of one image pixel on screen. Default 4. */
  scale?: number;
  /** Value drawn black (values are clipped to [low, high]). Default: the data's maximum. */
  high?: number;
  /** Value drawn white. Default: the data's minimum. */
  low?: number;
  /** Title. */
  title?: string;
}

/**
 * Images in a grid, for data whose rows are images (the 8 × 8 digits): one
 * or more panels side by side (e.g. real next to generated), each a grid of
 * grey-level images.
 *
 * @param panels - Named sets of images, each n × (imageWidth·imageHeight), row-major pixels.
 * @param options - Image size, layout, grey levels, title.
 * @returns SVG.
 * @throws {@link InvalidParameterError} if a row is not imageWidth·imageHeight pixels.
 * @example
 * ```ts
 * const svg = plotImages([{ name: 'real', images: digits.slice(0, 100) }, { name: 'generated', images: generated }], { imageWidth: 8, imageHeight: 8 });
 * ```
 */
export function plotImages(panels: readonly { name: string; images: MatrixLike }[], options: ImageGridOptions): string {
  const { imageWidth: w, imageHeight: h } = options;
  const columns = options.columns ?? 10;
  const scale = options.scale ?? 4;
  const sets = panels.map((p) => ({ name: p.name, images: asMatrix(p.images, `panels[${p.name}]`) }));
  for (const s of sets)
    if (s.images.cols !== w * h)
      throw new InvalidParameterError(`images of ${s.name}`, s.images.cols, `rows of ${w * h} pixels (${w} × ${h})`);
  let low = options.low ?? Infinity;
  let high = options.high ?? -Infinity;
  if (options.low === undefined || options.high === undefined) {
    for (const s of sets) {
      for (const v of s.images.data) {
        if (options.low === undefined) low = Math.min(low, v);
        if (options.high === undefined) high = Math.max(high, v);
      }
    }
  }
  const cell = w * scale + 4;
  const cellHeight = h * scale + 4;
  const panelWidth = columns * cell;
  const rowsOf = (n: number): number => Math.ceil(n / columns);
  const gridHeight = sets.reduce((m, s) => Math.max(m, rowsOf(s.images.rows)), 0) * cellHeight;
  const top = options.title ? 56 : 30;
  const width = sets.length * panelWidth + (sets.length - 1) * 24 + 32;
  const height = top + gridHeight + 16;
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="system-ui, -apple-system, 'Segoe UI', sans-serif" font-size="12">`,
    `<title>${escape(options.title ?? sets.map((s) => s.name).join(' · '))}</title>`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
  ];
  if (options.title)
    parts.push(`<text x="16" y="24" font-size="15" font-weight="600" fill="#111">${escape(options.title)}</text>`);
  const LEVELS = 32; // grey levels: pixels of a level share one path, so the SVG stays small
  sets.forEach((s, p) => {
    const left = 16 + p * (panelWidth + 24);
    parts.push(`<text x="${left}" y="${top - 8}" fill="#222">${escape(`${s.name} (${s.images.rows})`)}</text>`);
    const byLevel: string[] = Array.from({ length: LEVELS + 1 }, () => '');
    const frames: string[] = [];
    for (let i = 0; i < s.images.rows; i++) {
      const ox = left + (i % columns) * cell;
      const oy = top + Math.floor(i / columns) * cellHeight;
      for (let r = 0; r < h; r++) {
        for (let c = 0; c < w; c++) {
          const v = s.images.data[i * w * h + r * w + c]!;
          const level = Math.round(LEVELS * (high > low ? Math.min(1, Math.max(0, (v - low) / (high - low))) : 0));
          if (level > 0) byLevel[level] += `M${ox + c * scale},${oy + r * scale}h${scale}v${scale}h-${scale}z`;
        }
      }
      frames.push(`M${ox - 0.5},${oy - 0.5}h${w * scale + 1}v${h * scale + 1}h-${w * scale + 1}z`);
    }
    byLevel.forEach((d, level) => {
      const grey = Math.round(255 * (1 - level / LEVELS));
      if (d) parts.push(`<path fill="rgb(${grey},${grey},${grey})" d="${d}"/>`);
    });
    parts.push(`<path fill="none" stroke="#dddddd" d="${frames.join('')}"/>`);
  });
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}

/** A d3-shape path with its numbers rounded to 0.1 (deterministic, compact). */
function roundPath(d: string): string {
  return d.replace(/-?\d+\.?\d*(e[-+]?\d+)?/g, (n) => px(Number(n)));
}

/** [min, max] of values, by a loop (spreading 100,000+ values into Math.min would overflow the call stack). */
function extent(values: readonly number[]): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return [lo, hi];
}
