/**
 * Marks shared by the figures: points, ellipses, mean markers, and the
 * model's exact marginal on two features.
 *
 * @module
 */
import { featureIndex } from '../validate.js';
import { ellipseOf, type Ellipse } from '../geometry/ellipse.js';
import type { Matrix } from '../matrix/matrix.js';
import type { GaussianMixtureModel } from '../estimators/mixtureModel.js';
import { px, type Frame } from './frame.js';

/** Which two features a figure shows, and what to call them. */
export interface PlaneOptions {
  /** Feature on x (index). Default 0. */
  x?: number;
  /** Feature on y (index). Default 1 (0 for one-feature data). */
  y?: number;
  /** Feature names for the axes (default: the model's, or x1…xd). */
  featureNames?: readonly string[];
}

/** The resolved plane: indices and axis labels. */
export interface Plane {
  x: number;
  y: number;
  xLabel: string;
  yLabel: string;
}

/** Checks the plotted features against the number of features. */
export function resolvePlane(d: number, options: PlaneOptions, modelNames?: readonly string[]): Plane {
  const x = options.x ?? 0;
  const y = options.y ?? (d > 1 ? 1 : 0);
  featureIndex('x', x, d);
  featureIndex('y', y, d);
  const names = options.featureNames ?? modelNames ?? Array.from({ length: d }, (_, i) => `x${i + 1}`);
  return { x, y, xLabel: names[x] ?? `x${x + 1}`, yLabel: names[y] ?? `x${y + 1}` };
}

/** Column `c` of a matrix. */
export function column(X: Matrix, c: number): Float64Array {
  const out = new Float64Array(X.rows);
  for (let i = 0; i < X.rows; i++) out[i] = X.data[i * X.cols + c]!;
  return out;
}

/** [min, max] over several arrays. */
export function extent(...arrays: ArrayLike<number>[]): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const a of arrays) {
    for (let i = 0; i < a.length; i++) {
      const v = a[i]!;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
  }
  return [lo, hi];
}

/**
 * Circles at (xs, ys), one color (or one per point), radius and opacity per point or for all; every m-th point
 * only when there are more than the frame's `maxPoints`.
 */
export function points(
  frame: Frame,
  xs: ArrayLike<number>,
  ys: ArrayLike<number>,
  style: {
    fill: string | ((i: number) => string);
    radius?: number | ((i: number) => number);
    opacity?: number | ((i: number) => number);
    stroke?: string;
  },
): string {
  const out: string[] = [];
  const stride = Math.max(1, Math.ceil(xs.length / frame.maxPoints));
  for (let i = 0; i < xs.length; i += stride) {
    const fill = typeof style.fill === 'function' ? style.fill(i) : style.fill;
    const r = typeof style.radius === 'function' ? style.radius(i) : (style.radius ?? 2.6);
    const o = typeof style.opacity === 'function' ? style.opacity(i) : (style.opacity ?? 0.8);
    frame.occupy(frame.x(xs[i]!), frame.y(ys[i]!));
    out.push(
      `<circle cx="${px(frame.x(xs[i]!))}" cy="${px(frame.y(ys[i]!))}" r="${px(r)}" fill="${fill}" fill-opacity="${Math.round(o * 100) / 100}"${style.stroke ? ` stroke="${style.stroke}" stroke-width="0.8"` : ''}/>`,
    );
  }
  return out.join('');
}

/** An ellipse (data coordinates) as an SVG path through 72 points: correct under unequal x and y scales. */
export function ellipsePath(frame: Frame, e: Ellipse, style: string): string {
  const cos = Math.cos(e.angle);
  const sin = Math.sin(e.angle);
  const steps = 72;
  let d = '';
  for (let s = 0; s < steps; s++) {
    const t = (2 * Math.PI * s) / steps;
    const u = e.rx * Math.cos(t);
    const v = e.ry * Math.sin(t);
    const x = frame.x(e.cx + u * cos - v * sin);
    const y = frame.y(e.cy + u * sin + v * cos);
    if (s % 6 === 0) frame.occupy(x, y);
    d += `${s === 0 ? 'M' : 'L'}${px(x)},${px(y)}`;
  }
  return `<path d="${d}Z" ${style}/>`;
}

/** A mean: a white-edged cross. */
export function meanMarker(frame: Frame, x: number, y: number, color: string): string {
  const cx = frame.x(x);
  const cy = frame.y(y);
  const arm = `M${px(cx - 6)},${px(cy)}H${px(cx + 6)}M${px(cx)},${px(cy - 6)}V${px(cy + 6)}`;
  return `<path d="${arm}" stroke="#ffffff" stroke-width="5" stroke-linecap="round"/><path d="${arm}" stroke="${color}" stroke-width="2.2" stroke-linecap="round"/>`;
}

/** The model's marginal on features (x, y): each component's weight, 2-D mean and 2 × 2 covariance [a, b, c]. */
export function marginal(
  model: GaussianMixtureModel,
  x: number,
  y: number,
): { weight: number; mx: number; my: number; a: number; b: number; c: number }[] {
  const d = model.nFeatures;
  return Array.from({ length: model.nComponents }, (_, j) => {
    const cov = model.componentCovariance(j).data;
    const mean = model.componentMean(j);
    return {
      weight: model.weights[j]!,
      mx: mean[x]!,
      my: mean[y]!,
      a: cov[x * d + x]!,
      b: cov[x * d + y]!,
      c: cov[y * d + y]!,
    };
  });
}

/** Ellipses of each component's marginal at 1, 2, … standard deviations. */
export function componentEllipses(model: GaussianMixtureModel, plane: Plane, scales: readonly number[]): Ellipse[][] {
  return marginal(model, plane.x, plane.y).map((m) => scales.map((s) => ellipseOf(m.mx, m.my, m.a, m.b, m.c, s)));
}

/** log of the 2-D marginal mixture density at (u, v). */
export function marginalLogDensity(components: ReturnType<typeof marginal>, u: number, v: number): number {
  let max = -Infinity;
  const terms = components.map(({ weight, mx, my, a, b, c }) => {
    const det = a * c - b * b;
    const du = u - mx;
    const dv = v - my;
    const q = (c * du * du - 2 * b * du * dv + a * dv * dv) / det;
    const t = Math.log(weight) - Math.log(2 * Math.PI) - 0.5 * Math.log(det) - 0.5 * q;
    if (t > max) max = t;
    return t;
  });
  if (max === -Infinity) return -Infinity;
  let s = 0;
  for (const t of terms) s += Math.exp(t - max);
  return max + Math.log(s);
}
