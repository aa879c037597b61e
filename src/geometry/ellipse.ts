import { InvalidParameterError } from '../errors.js';
import { featureIndex } from '../validate.js';
import type { GaussianMixtureModel } from '../estimators/mixtureModel.js';

/** An ellipse in a plane: center, semi-axes and rotation. */
export interface Ellipse {
  /** Center, x. */
  readonly cx: number;
  /** Center, y. */
  readonly cy: number;
  /** Semi-major axis. */
  readonly rx: number;
  /** Semi-minor axis. */
  readonly ry: number;
  /** Angle of the major axis from the x axis, radians, counterclockwise in data coordinates. */
  readonly angle: number;
}

/** Options of {@link componentEllipse}. */
export interface EllipseOptions {
  /** Feature plotted on x (index). Default 0. */
  x?: number;
  /** Feature plotted on y (index). Default 1. */
  y?: number;
  /** Number of standard deviations (1, 2, 3 for the 1σ, 2σ, 3σ ellipses). Default 1. */
  scale?: number;
}

/**
 * The ellipse of component j projected on two features: the contour at
 * `scale` standard deviations of the component's marginal Gaussian on
 * (x, y), from the closed-form eigendecomposition of its 2 × 2 covariance.
 *
 * @param model - A fitted mixture.
 * @param j - Component index.
 * @param options - Plotted features and scale.
 * @returns The ellipse in data coordinates.
 * @throws {@link InvalidParameterError} for a bad component or feature index.
 * @example
 * ```ts
 * const { cx, cy, rx, ry, angle } = componentEllipse(model, 0, { x: 0, y: 1, scale: 2 });
 * ```
 */
export function componentEllipse(model: GaussianMixtureModel, j: number, options: EllipseOptions = {}): Ellipse {
  const { x = 0, y = 1, scale = 1 } = options;
  const d = model.nFeatures;
  featureIndex('x', x, d);
  featureIndex('y', y, d);
  if (!(scale > 0) || !Number.isFinite(scale)) throw new InvalidParameterError('scale', scale, 'a positive number');
  const cov = model.componentCovariance(j).data;
  const mean = model.componentMean(j);
  return ellipseOf(mean[x]!, mean[y]!, cov[x * d + x]!, cov[x * d + y]!, cov[y * d + y]!, scale);
}

/**
 * Ellipse of a 2-D Gaussian with covariance [[a, b], [b, c]] at `scale`
 * standard deviations: eigenvalues (a + c)/2 ± √(((a − c)/2)² + b²), major axis
 * at ½·atan2(2b, a − c).
 *
 * @param cx - Center, x.
 * @param cy - Center, y.
 * @param a - Variance of x.
 * @param b - Covariance of x and y.
 * @param c - Variance of y.
 * @param scale - Standard deviations.
 * @returns The ellipse.
 * @example
 * ```ts
 * ellipseOf(0, 0, 4, 0, 1, 1); // { cx: 0, cy: 0, rx: 2, ry: 1, angle: 0 }
 * ```
 */
export function ellipseOf(cx: number, cy: number, a: number, b: number, c: number, scale = 1): Ellipse {
  const mean = (a + c) / 2;
  const radius = Math.hypot((a - c) / 2, b);
  return {
    cx,
    cy,
    rx: scale * Math.sqrt(Math.max(mean + radius, 0)),
    ry: scale * Math.sqrt(Math.max(mean - radius, 0)),
    angle: 0.5 * Math.atan2(2 * b, a - c),
  };
}
