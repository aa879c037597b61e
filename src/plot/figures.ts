/**
 * The figures of a fitted mixture on data: clusters with their ellipses, the
 * soft assignment, the uncertainty, the density, and samples. Each returns
 * an SVG string (Node and browsers alike).
 *
 * @module
 */
import { contours } from 'd3-contour';
import { interpolateViridis } from 'd3-scale-chromatic';
import { asMatrix, checkColumns, type Matrix, type MatrixLike } from '../matrix/matrix.js';
import { InvalidParameterError } from '../errors.js';
import type { GaussianMixtureModel } from '../estimators/mixtureModel.js';
import { componentColor, Frame, px, type FigureOptions, type LegendEntry } from './frame.js';
import {
  column,
  componentEllipses,
  ellipsePath,
  extent,
  marginal,
  marginalLogDensity,
  meanMarker,
  points,
  resolvePlane,
  type Plane,
  type PlaneOptions,
} from './marks.js';

/** Options of the mixture figures: size, title, and the two features shown. */
export interface MixtureFigureOptions extends FigureOptions, PlaneOptions {}

function setup(model: GaussianMixtureModel, X: MatrixLike, options: MixtureFigureOptions) {
  const data = asMatrix(X);
  checkColumns(data, model.nFeatures);
  const plane = resolvePlane(model.nFeatures, options, model.featureNames);
  const xs = column(data, plane.x);
  const ys = column(data, plane.y);
  return { data, plane, xs, ys };
}

function componentLegend(
  model: GaussianMixtureModel,
  extra: LegendEntry[] = [],
  shown: (j: number) => boolean = () => true,
): LegendEntry[] {
  const k = model.nComponents;
  if (k > 8) {
    // Too many to name one by one (and colors repeat after ten): one line for all.
    const w = Array.from(model.weights);
    const range = `${w.reduce((a, b) => Math.min(a, b)).toFixed(2)}–${w.reduce((a, b) => Math.max(a, b)).toFixed(2)}`;
    return [{ label: `${k} components (weights ${range})`, color: componentColor(0) }, ...extra];
  }
  const entries: LegendEntry[] = Array.from({ length: k }, (_, j) => j)
    .filter(shown)
    .map((j) => ({ label: `component ${j} (weight ${model.weights[j]!.toFixed(2)})`, color: componentColor(j) }));
  if (model.noise) entries.push({ label: `noise (weight ${model.noise.weight.toFixed(2)})`, color: componentColor(-1) });
  return [...entries, ...extra];
}

/**
 * The frame for the data and each component's ellipse at `scale` standard
 * deviations, sized per axis: the ellipse of covariance [[a, b], [b, c]] at s
 * standard deviations reaches s·√a either side on x and s·√c on y, so columns
 * on different scales (wine's proline in the thousands, its hue below 2)
 * each get their own range.
 */
function frameFor(
  model: GaussianMixtureModel,
  plane: Plane,
  xs: Float64Array,
  ys: Float64Array,
  options: FigureOptions,
  scale: number | ((component: number) => number),
): Frame {
  const parts = marginal(model, plane.x, plane.y);
  const ex: number[] = [];
  const ey: number[] = [];
  parts.forEach((m, j) => {
    const s = typeof scale === 'number' ? scale : scale(j);
    if (!(s > 0) || !Number.isFinite(s)) return;
    ex.push(m.mx - s * Math.sqrt(m.a), m.mx + s * Math.sqrt(m.a));
    ey.push(m.my - s * Math.sqrt(m.c), m.my + s * Math.sqrt(m.c));
  });
  return new Frame(extent(xs, ex), extent(ys, ey), options);
}

/**
 * Hard assignment: the points colored by their most likely component, each
 * component's 1σ, 2σ and 3σ ellipses (its covariance projected on the two
 * plotted features), and its mean. Components of weight below `minWeight`
 * are left out (a Dirichlet-process mixture's unused ones), and counted in the legend.
 *
 * @param model - A fitted mixture.
 * @param X - Data, n × d.
 * @param options - Size, title, plotted features, and `minWeight` (default 0: every component).
 * @returns SVG.
 * @throws {@link DimensionMismatchError} if X does not have the model's features.
 * @throws {@link InvalidParameterError} for a `minWeight` outside [0, 1].
 * @example
 * ```ts
 * const svg = plotClusters(model, X, { x: 2, y: 3, title: 'Iris: petals' });
 * ```
 */
export function plotClusters(
  model: GaussianMixtureModel,
  X: MatrixLike,
  options: MixtureFigureOptions & { minWeight?: number } = {},
): string {
  const { data, plane, xs, ys } = setup(model, X, options);
  const minWeight = options.minWeight ?? 0;
  if (!(minWeight >= 0 && minWeight <= 1)) throw new InvalidParameterError('minWeight', minWeight, 'a number in [0, 1]');
  const shown = (j: number): boolean => model.weights[j]! >= minWeight;
  const hidden = model.weights.filter((w) => w < minWeight).length;
  const frame = frameFor(model, plane, xs, ys, options, (j) => (shown(j) ? 3 : 0));
  const labels = model.predict(data);
  frame.add(points(frame, xs, ys, { fill: (i) => componentColor(labels[i]!), radius: 2.8, opacity: 0.75 }));
  componentEllipses(model, plane, [1, 2, 3]).forEach((rings, j) => {
    if (!shown(j)) return;
    rings.forEach((e, s) => {
      frame.add(
        ellipsePath(
          frame,
          e,
          `fill="none" stroke="${componentColor(j)}" stroke-width="${[2, 1.4, 1][s]}" stroke-opacity="${[0.95, 0.7, 0.45][s]}"${s > 0 ? ' stroke-dasharray="4 3"' : ''}`,
        ),
      );
    });
  });
  marginal(model, plane.x, plane.y).forEach((m, j) => {
    if (shown(j)) frame.add(meanMarker(frame, m.mx, m.my, componentColor(j)));
  });
  const extra: LegendEntry[] = [{ label: '1σ / 2σ / 3σ ellipses', color: '#555555', shape: 'line' }];
  if (hidden > 0) extra.push({ label: `${hidden} of weight < ${minWeight} not drawn`, color: '#bbbbbb' });
  return frame.render(
    {
      title: options.title ?? `${model.nComponents - hidden} clusters: 1σ, 2σ and 3σ ellipses, means marked`,
      x: plane.xLabel,
      y: plane.yLabel,
    },
    componentLegend(model, extra, shown),
  );
}

/**
 * Soft assignment: each point colored by its most likely component, its
 * opacity and size growing with that component's probability; points whose
 * uncertainty (1 − largest probability) exceeds `threshold` are ringed.
 *
 * @param model - A fitted mixture.
 * @param X - Data, n × d.
 * @param options - As {@link plotClusters}, plus `threshold` (default 0.1).
 * @returns SVG.
 * @example
 * ```ts
 * const svg = plotSoftAssignment(model, X, { threshold: 0.2 });
 * ```
 */
export function plotSoftAssignment(
  model: GaussianMixtureModel,
  X: MatrixLike,
  options: MixtureFigureOptions & { threshold?: number } = {},
): string {
  const { data, plane, xs, ys } = setup(model, X, options);
  const threshold = options.threshold ?? 0.1;
  const frame = frameFor(model, plane, xs, ys, options, 2);
  const k = model.nComponents;
  const proba = model.predictProba(data).data;
  const best = new Int32Array(data.rows);
  const top = new Float64Array(data.rows);
  for (let i = 0; i < data.rows; i++) {
    for (let j = 0; j < k; j++) {
      if (proba[i * k + j]! > top[i]!) {
        top[i] = proba[i * k + j]!;
        best[i] = j;
      }
    }
  }
  componentEllipses(model, plane, [2]).forEach(([e], j) =>
    frame.add(ellipsePath(frame, e!, `fill="none" stroke="${componentColor(j)}" stroke-width="1.6" stroke-opacity="0.8"`)),
  );
  frame.add(
    points(frame, xs, ys, {
      fill: (i) => componentColor(best[i]!),
      radius: (i) => 1.6 + 2 * top[i]!,
      opacity: (i) => 0.15 + 0.8 * top[i]!,
    }),
  );
  const uncertain: number[] = [];
  for (let i = 0; i < data.rows; i++) if (1 - top[i]! > threshold) uncertain.push(i);
  frame.add(
    points(
      frame,
      uncertain.map((i) => xs[i]!),
      uncertain.map((i) => ys[i]!),
      { fill: 'none', radius: 5.5, opacity: 0, stroke: '#111111' },
    ),
  );
  return frame.render(
    {
      title: options.title ?? `Soft assignment: ${uncertain.length} points with uncertainty > ${threshold}`,
      x: plane.xLabel,
      y: plane.yLabel,
    },
    componentLegend(model, [{ label: `uncertainty > ${threshold}`, color: '#111111', shape: 'ring' }]),
  );
}

/**
 * Uncertainty, as mclust draws it: each point colored by its most likely
 * component, its size growing with its uncertainty (1 − largest
 * probability): the big points are where the clusters overlap.
 *
 * @param model - A fitted mixture.
 * @param X - Data, n × d.
 * @param options - As {@link plotClusters}.
 * @returns SVG.
 * @example
 * ```ts
 * const svg = plotUncertainty(model, X);
 * ```
 */
export function plotUncertainty(model: GaussianMixtureModel, X: MatrixLike, options: MixtureFigureOptions = {}): string {
  const { data, plane, xs, ys } = setup(model, X, options);
  const frame = frameFor(model, plane, xs, ys, options, 0);
  const labels = model.predict(data);
  const u = model.uncertainty(data);
  const maxU = 1 - 1 / (model.nComponents + (model.noise ? 1 : 0)) || 1;
  let mean = 0;
  for (const v of u) mean += v / u.length;
  frame.add(
    points(frame, xs, ys, {
      fill: (i) => componentColor(labels[i]!),
      radius: (i) => 1.2 + 7 * Math.sqrt(u[i]! / maxU),
      opacity: 0.55,
    }),
  );
  return frame.render(
    { title: options.title ?? `Uncertainty (larger = less sure); mean ${mean.toFixed(3)}`, x: plane.xLabel, y: plane.yLabel },
    componentLegend(model),
  );
}

/**
 * Density: contours of the log-density of the mixture's marginal on the two
 * plotted features (exact: a mixture's marginal is the mixture of its
 * components' marginals), with the data as faint points.
 *
 * @param model - A fitted mixture.
 * @param X - Data, n × d (sets the extent; drawn faintly).
 * @param options - As {@link plotClusters}, plus `levels` (default 10; the lowest through the least likely
 *   data point, at most 30 below the peak) and the grid `resolution` (cells across, default 160).
 * @returns SVG.
 * @example
 * ```ts
 * const svg = plotDensity(model, X, { levels: 12 });
 * ```
 */
export function plotDensity(
  model: GaussianMixtureModel,
  X: MatrixLike,
  options: MixtureFigureOptions & { levels?: number; resolution?: number } = {},
): string {
  const { plane, xs, ys } = setup(model, X, options);
  const parts = marginal(model, plane.x, plane.y);
  // The lowest contour goes through the least likely data point, so that the contours cover the data
  // (at most 30 below the peak: an outlier further out is left outside rather than spreading every level).
  let peak = -Infinity;
  let lowest = Infinity;
  for (let i = 0; i < xs.length; i++) {
    const v = marginalLogDensity(parts, xs[i]!, ys[i]!);
    if (v > peak) peak = v;
    if (v < lowest) lowest = v;
  }
  for (const m of parts) peak = Math.max(peak, marginalLogDensity(parts, m.mx, m.my));
  const depth = Math.min(30, Math.max(3, peak - lowest + 0.25));
  const floor = peak - depth;
  // The mixture is at most k times its largest term, so its contour at `floor` lies inside the union of each
  // component's own contour at floor − log k: an ellipse of √q standard deviations, framed with the data.
  const slack = Math.log(parts.length);
  const frame = frameFor(model, plane, xs, ys, options, (j) => {
    const { weight, a, b, c } = parts[j]!;
    const q = 2 * (Math.log(weight) - Math.log(2 * Math.PI) - 0.5 * Math.log(a * c - b * b) - (floor - slack));
    return q > 0 ? Math.sqrt(q) : 0;
  });
  const [x0, x1] = frame.x.domain() as [number, number];
  const [y0, y1] = frame.y.domain() as [number, number];
  const gw = options.resolution ?? 160;
  const gh = Math.max(2, Math.round((gw * (frame.height - 92)) / (frame.width - 86)));
  const grid = new Float64Array(gw * gh);
  let max = peak;
  for (let j = 0; j < gh; j++) {
    for (let i = 0; i < gw; i++) {
      const v = marginalLogDensity(parts, x0 + ((i + 0.5) * (x1 - x0)) / gw, y0 + ((j + 0.5) * (y1 - y0)) / gh);
      grid[i + j * gw] = Number.isFinite(v) ? v : -1e300;
      if (v > max) max = v;
    }
  }
  const levels = options.levels ?? 10;
  const thresholds = Array.from({ length: levels }, (_, l) => floor + ((max - floor) * l) / levels);
  frame.add(points(frame, xs, ys, { fill: '#555555', radius: 1.6, opacity: 0.35 }));
  for (const [l, shape] of contours().size([gw, gh]).thresholds(thresholds)(Array.from(grid)).entries()) {
    let d = '';
    for (const polygon of shape.coordinates) {
      for (const ring of polygon) {
        ring.forEach(([gx, gy], p) => {
          d += `${p === 0 ? 'M' : 'L'}${px(frame.x(x0 + (gx! * (x1 - x0)) / gw))},${px(frame.y(y0 + (gy! * (y1 - y0)) / gh))}`;
        });
        d += 'Z';
      }
    }
    if (d)
      frame.add(
        `<path d="${d}" fill="none" stroke="${interpolateViridis(0.1 + (0.85 * l) / Math.max(1, levels - 1))}" stroke-width="1.3"/>`,
      );
  }
  return frame.render(
    { title: options.title ?? `Log-density of the ${model.nComponents}-component mixture`, x: plane.xLabel, y: plane.yLabel },
    [
      { label: `log density ${floor.toFixed(1)} … ${max.toFixed(1)}`, color: interpolateViridis(0.5), shape: 'line' },
      { label: 'data', color: '#555555' },
    ],
  );
}

/**
 * Samples: new points drawn from the model (colored by the component they
 * came from) over the data (grey).
 *
 * @param model - A fitted mixture.
 * @param X - Data, n × d.
 * @param samples - Drawn points and their components (e.g. `model.sample(n)`).
 * @param options - As {@link plotClusters}.
 * @returns SVG.
 * @example
 * ```ts
 * const svg = plotSamples(model, X, model.sample(500, { seed: 1 }));
 * ```
 */
export function plotSamples(
  model: GaussianMixtureModel,
  X: MatrixLike,
  samples: { X: Matrix; labels: Int32Array },
  options: MixtureFigureOptions = {},
): string {
  const { plane, xs, ys } = setup(model, X, options);
  checkColumns(samples.X, model.nFeatures, 'samples');
  const sx = column(samples.X, plane.x);
  const sy = column(samples.X, plane.y);
  const frame = new Frame(extent(xs, sx), extent(ys, sy), options);
  frame.add(points(frame, xs, ys, { fill: '#9a9a9a', radius: 2.4, opacity: 0.5 }));
  frame.add(points(frame, sx, sy, { fill: (i) => componentColor(samples.labels[i]!), radius: 2.4, opacity: 0.8 }));
  return frame.render(
    {
      title: options.title ?? `${samples.X.rows} points drawn from the model, over the ${xs.length} data points`,
      x: plane.xLabel,
      y: plane.yLabel,
    },
    [{ label: 'data', color: '#9a9a9a' }, ...componentLegend(model).map((e) => ({ ...e, label: `sampled from ${e.label}` }))],
  );
}
