/**
 * The frame every figure shares: size, margins, x and y scales (d3-scale:
 * nice domains, ticks, tick labels), axes with grid lines, a title, axis
 * labels and a legend. Figures are SVG text built without a DOM, so the same
 * code runs in Node and browsers, and the same input always gives the same
 * bytes (coordinates are rounded to 0.1 px).
 *
 * @module
 */
import { scaleLinear } from 'd3-scale';
import { schemeTableau10 } from 'd3-scale-chromatic';
import { InvalidParameterError } from '../errors.js';

/** Options every figure accepts. */
export interface FigureOptions {
  /** Width in pixels. Default 640. */
  width?: number;
  /** Height in pixels. Default 440. */
  height?: number;
  /** Title at the top. Each figure has a default. */
  title?: string;
  /**
   * One data unit as long on x as on y, so that circles look round and
   * ellipses have their true shape (for features in the same units).
   * Default false (each axis fills the plot); the k-means figure defaults to true.
   */
  equalAspect?: boolean;
  /**
   * Fixed range of the x axis, [min, max] in data units (default: fitted to
   * what is drawn). Fixed ranges keep the axes still across figures, e.g. the
   * frames of an animation. With `equalAspect`, the narrower range still grows.
   */
  xDomain?: readonly [number, number];
  /** Fixed range of the y axis, as `xDomain`. */
  yDomain?: readonly [number, number];
  /**
   * Draw at most about this many points of each set (every m-th row), so that
   * an SVG of a large dataset stays light; the counts in titles and legends,
   * the ellipses and the frame still use every row. Default: every point.
   */
  maxPoints?: number;
}

/**
 * A linear map from data to pixels, the part of d3-scale's `ScaleLinear` that
 * figures use: declared here so that the published types need no `@types/d3-scale`.
 */
export interface LinearScale {
  /** The pixel position of a data value. */
  (value: number): number;
  /** The data value at a pixel position. */
  invert(value: number): number;
  /** The data range, [min, max]. */
  domain(): number[];
  /** About `count` round values in the domain. */
  ticks(count?: number): number[];
  /** A formatter for those ticks; `specifier` is a d3-format one such as `'d'`. */
  tickFormat(count?: number, specifier?: string): (value: number) => string;
}

/** A legend entry: a colored marker and its text. */
export interface LegendEntry {
  /** Text. */
  label: string;
  /** Color. */
  color: string;
  /** Marker: a dot (default), a line, a dashed line, or an outlined ring. */
  shape?: 'dot' | 'line' | 'dashed' | 'ring';
  /** A point symbol (0–13) drawn on the marker, for many series of one kind (`plotCriteria` gives one to each of mclust's models). */
  symbol?: number;
}

/**
 * One of 14 point symbols, as SVG: 0–4 filled circle, square, triangle,
 * diamond, down-triangle; 5–9 the same open; 10 ×, 11 +, 12 ✳, 13 ⊕.
 *
 * @param symbol - 0–13 (taken modulo 14).
 * @param x - Center.
 * @param y - Center.
 * @param color - Fill or stroke.
 * @param r - Half its size.
 * @returns SVG.
 */
export function pointSymbol(symbol: number, x: number, y: number, color: string, r = 3.4): string {
  const s = ((symbol % 14) + 14) % 14;
  const paint = s < 5 ? `fill="${color}"` : `fill="#ffffff" stroke="${color}" stroke-width="1.4"`;
  const poly = (points: readonly [number, number][]) =>
    `<polygon points="${points.map(([a, b]) => `${px(x + a * r)},${px(y + b * r)}`).join(' ')}" ${paint}/>`;
  const lines = (segments: readonly [number, number, number, number][]) =>
    segments
      .map(
        ([a, b, c, d]) =>
          `<line x1="${px(x + a * r)}" y1="${px(y + b * r)}" x2="${px(x + c * r)}" y2="${px(y + d * r)}" stroke="${color}" stroke-width="1.6"/>`,
      )
      .join('');
  switch (s < 10 ? s % 5 : s) {
    case 0:
      return `<circle cx="${px(x)}" cy="${px(y)}" r="${px(r)}" ${paint}/>`;
    case 1:
      return poly([
        [-0.9, -0.9],
        [0.9, -0.9],
        [0.9, 0.9],
        [-0.9, 0.9],
      ]);
    case 2:
      return poly([
        [0, -1.1],
        [1, 0.8],
        [-1, 0.8],
      ]);
    case 3:
      return poly([
        [0, -1.2],
        [1.1, 0],
        [0, 1.2],
        [-1.1, 0],
      ]);
    case 4:
      return poly([
        [0, 1.1],
        [1, -0.8],
        [-1, -0.8],
      ]);
    case 10:
      return lines([
        [-1, -1, 1, 1],
        [-1, 1, 1, -1],
      ]);
    case 11:
      return lines([
        [-1.2, 0, 1.2, 0],
        [0, -1.2, 0, 1.2],
      ]);
    case 12:
      return lines([
        [-1.2, 0, 1.2, 0],
        [0, -1.2, 0, 1.2],
        [-0.85, -0.85, 0.85, 0.85],
        [-0.85, 0.85, 0.85, -0.85],
      ]);
    default:
      return `<circle cx="${px(x)}" cy="${px(y)}" r="${px(r)}" ${paint}/>${lines([
        [-1, 0, 1, 0],
        [0, -1, 0, 1],
      ])}`;
  }
}

/** Colors of components: Tableau 10, repeating after ten; label −1 (noise) grey. */
export function componentColor(j: number): string {
  return j < 0 ? NOISE_COLOR : schemeTableau10[j % schemeTableau10.length]!;
}

/** The color of a noise component's points (label −1): a light grey. */
export const NOISE_COLOR = '#b0b0b0';

/** A number for SVG coordinates: rounded to 0.1, no trailing zeros. */
export function px(v: number): string {
  const r = Math.round(v * 10) / 10;
  return Object.is(r, -0) ? '0' : String(r);
}

/** Text escaped for SVG. */
export function escape(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** A figure being drawn. */
export class Frame {
  readonly width: number;
  readonly height: number;
  readonly margin = { top: 44, right: 24, bottom: 48, left: 62 };
  readonly x: LinearScale;
  readonly y: LinearScale;
  /** Ticks on x at whole numbers only (an axis of counts, like the number of components). */
  xIntegers = false;
  /** At most about this many points drawn per set (`maxPoints`). */
  readonly maxPoints: number;
  private readonly layers: string[] = [];
  /** Pixel positions of what has been drawn, so that the legend can avoid covering it. */
  private readonly occupied: number[] = [];

  /**
   * @param xDomain - Data range on x.
   * @param yDomain - Data range on y.
   * @param options - Size, and whether one data unit is as long on x as on y.
   * @param yFromZero - The y axis starts exactly at 0 (for densities and counts).
   */
  constructor(xDomain: [number, number], yDomain: [number, number], options: FigureOptions = {}, yFromZero = false) {
    const equalAspect = options.equalAspect ?? false;
    const { maxPoints = Infinity } = options;
    if (!(maxPoints >= 1)) throw new InvalidParameterError('maxPoints', maxPoints, 'a number ≥ 1');
    this.maxPoints = maxPoints;
    this.width = options.width ?? 640;
    this.height = options.height ?? 440;
    const innerWidth = this.width - this.margin.left - this.margin.right;
    const innerHeight = this.height - this.margin.top - this.margin.bottom;
    const fixedX = validDomain(options.xDomain, 'xDomain');
    const fixedY = validDomain(options.yDomain, 'yDomain');
    let [x0, x1] = fixedX ?? widen(xDomain);
    let [y0, y1] = fixedY ?? widen(yDomain);
    if (yFromZero) y0 = 0;
    if (equalAspect) {
      // Grow the narrower range so that both scales have the same units per pixel.
      const perPixel = Math.max((x1 - x0) / innerWidth, (y1 - y0) / innerHeight);
      const cx = (x0 + x1) / 2;
      const cy = (y0 + y1) / 2;
      [x0, x1] = [cx - (perPixel * innerWidth) / 2, cx + (perPixel * innerWidth) / 2];
      [y0, y1] = [cy - (perPixel * innerHeight) / 2, cy + (perPixel * innerHeight) / 2];
    }
    const x = scaleLinear()
      .domain([x0, x1])
      .range([this.margin.left, this.width - this.margin.right]);
    const y = scaleLinear()
      .domain([y0, y1])
      .range([this.height - this.margin.bottom, this.margin.top]);
    if (!equalAspect) {
      if (!fixedX) x.nice();
      if (!fixedY) y.nice();
    }
    this.x = x;
    this.y = y;
  }

  /**
   * Records that something is drawn at pixel (x, y): the legend goes to the
   * corner that covers the fewest such points.
   */
  occupy(x: number, y: number): void {
    this.occupied.push(x, y);
  }

  /** Adds SVG markup inside the plotting area (clipped to it). */
  add(markup: string): void {
    this.layers.push(markup);
  }

  /**
   * The finished SVG.
   *
   * @param labels - Title and axis labels.
   * @param legend - Legend entries (top right, inside the plot).
   */
  render(labels: { title: string; x: string; y: string }, legend: LegendEntry[] = []): string {
    const { width, height, margin, x, y } = this;
    const left = margin.left;
    const right = width - margin.right;
    const top = margin.top;
    const bottom = height - margin.bottom;
    const xTicks = this.xIntegers ? x.ticks(8).filter(Number.isInteger) : x.ticks(8);
    const yTicks = y.ticks(6);
    const xFormat = this.xIntegers ? x.tickFormat(8, 'd') : x.tickFormat(8);
    const yFormat = y.tickFormat(6);
    const parts = [
      // data-plot (left top right bottom, px) and data-domain (x0 x1 y0 y1, 10 digits): how to map a click back to data.
      `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="system-ui, -apple-system, 'Segoe UI', sans-serif" font-size="11" data-plot="${[left, top, right, bottom].map(px).join(' ')}" data-domain="${[...x.domain(), ...y.domain()].map((v) => String(Number(v.toPrecision(10)))).join(' ')}">`,
      `<title>${escape(labels.title)}</title>`,
      `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
      `<defs><clipPath id="plot-area"><rect x="${px(left)}" y="${px(top)}" width="${px(right - left)}" height="${px(bottom - top)}"/></clipPath></defs>`,
      '<g stroke="#e6e6e6" stroke-width="1">',
      ...xTicks.map((t) => `<line x1="${px(x(t))}" x2="${px(x(t))}" y1="${px(top)}" y2="${px(bottom)}"/>`),
      ...yTicks.map((t) => `<line x1="${px(left)}" x2="${px(right)}" y1="${px(y(t))}" y2="${px(y(t))}"/>`),
      '</g>',
      `<g clip-path="url(#plot-area)">${this.layers.join('')}</g>`,
      `<g stroke="#333" fill="none"><path d="M${px(left)},${px(top)}V${px(bottom)}H${px(right)}"/></g>`,
      '<g fill="#333" text-anchor="middle">',
      ...xTicks.map(
        (t) =>
          `<line x1="${px(x(t))}" x2="${px(x(t))}" y1="${px(bottom)}" y2="${px(bottom + 5)}" stroke="#333"/><text x="${px(x(t))}" y="${px(bottom + 17)}">${escape(xFormat(t))}</text>`,
      ),
      '</g>',
      '<g fill="#333" text-anchor="end">',
      ...yTicks.map(
        (t) =>
          `<line x1="${px(left - 5)}" x2="${px(left)}" y1="${px(y(t))}" y2="${px(y(t))}" stroke="#333"/><text x="${px(left - 8)}" y="${px(y(t) + 4)}">${escape(yFormat(t))}</text>`,
      ),
      '</g>',
      `<text x="${px((left + right) / 2)}" y="${px(height - 10)}" text-anchor="middle" font-size="12" fill="#111">${escape(labels.x)}</text>`,
      `<text transform="translate(16,${px((top + bottom) / 2)}) rotate(-90)" text-anchor="middle" font-size="12" fill="#111">${escape(labels.y)}</text>`,
      `<text x="${px(left)}" y="24" font-size="15" font-weight="600" fill="#111">${escape(labels.title)}</text>`,
      legendMarkup(legend, { left, right, top, bottom }, this.occupied),
      '</svg>',
    ];
    return `${parts.join('\n')}\n`;
  }
}

/** A user's fixed axis range, checked. */
function validDomain(domain: readonly [number, number] | undefined, name: string): [number, number] | undefined {
  if (domain === undefined) return undefined;
  const ok = Array.isArray(domain) && domain.length === 2 && domain.every(Number.isFinite) && domain[0] < domain[1];
  if (!ok) throw new InvalidParameterError(name, domain, '[min, max] with finite min < max');
  return [domain[0], domain[1]];
}

function widen([lo, hi]: [number, number]): [number, number] {
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) return [0, 1];
  if (hi > lo) {
    const pad = (hi - lo) * 0.04;
    return [lo - pad, hi + pad];
  }
  const pad = Math.abs(lo) * 0.1 || 1;
  return [lo - pad, hi + pad];
}

/** The legend, in the corner of the plotting area that covers the fewest occupied points (top right on ties). */
function legendMarkup(
  entries: LegendEntry[],
  area: { left: number; right: number; top: number; bottom: number },
  occupied: readonly number[],
): string {
  if (entries.length === 0) return '';
  const width = 12 + entries.reduce((w, e) => Math.max(w, e.label.length), 0) * 6.2 + 24;
  const height = entries.length * 16 + 6;
  const corners = [
    [area.right - width - 8, area.top + 4],
    [area.left + 8, area.top + 4],
    [area.right - width - 8, area.bottom - height - 8],
    [area.left + 8, area.bottom - height - 8],
  ] as const;
  let best = 0;
  let fewest = Infinity;
  corners.forEach(([x, y], c) => {
    let covered = 0;
    for (let p = 0; p < occupied.length; p += 2) {
      const px = occupied[p]!;
      const py = occupied[p + 1]!;
      if (px >= x - 4 && px <= x + width + 4 && py >= y - 4 && py <= y + height + 4) covered++;
    }
    if (covered < fewest) {
      fewest = covered;
      best = c;
    }
  });
  const [x0, y0] = corners[best]!;
  const rows = entries.map((entry, i) => {
    const cy = y0 + 10 + i * 16;
    const marker =
      entry.shape === 'line' || entry.shape === 'dashed'
        ? `<line x1="${px(x0 + 6)}" x2="${px(x0 + 20)}" y1="${px(cy)}" y2="${px(cy)}" stroke="${entry.color}" stroke-width="2"${entry.shape === 'dashed' ? ' stroke-dasharray="4 2"' : ''}/>`
        : entry.shape === 'ring'
          ? `<circle cx="${px(x0 + 13)}" cy="${px(cy)}" r="4.5" fill="none" stroke="${entry.color}" stroke-width="1.5"/>`
          : `<circle cx="${px(x0 + 13)}" cy="${px(cy)}" r="4" fill="${entry.color}"/>`;
    const symbol = entry.symbol === undefined ? '' : pointSymbol(entry.symbol, x0 + 13, cy, entry.color);
    return `${marker}${symbol}<text x="${px(x0 + 26)}" y="${px(cy + 4)}" fill="#222">${escape(entry.label)}</text>`;
  });
  return `<g><rect x="${px(x0)}" y="${px(y0)}" width="${px(width)}" height="${px(height)}" fill="#ffffff" fill-opacity="0.85" stroke="#cccccc"/>${rows.join('')}</g>`;
}
