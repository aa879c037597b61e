/**
 * The k-means figure, as the handbook draws it: hard clusters, each inside
 * the circle around its center that reaches its farthest point, the round
 * boundary that k-means implicitly assumes.
 *
 * @module
 */
import { asMatrix, checkColumns, type MatrixLike } from '../matrix/matrix.js';
import type { KMeansModel } from '../estimators/kmeansModel.js';
import { componentColor, Frame, type FigureOptions, type LegendEntry } from './frame.js';
import { column, ellipsePath, extent, meanMarker, points, resolvePlane, type PlaneOptions } from './marks.js';

/**
 * k-means clusters: the points colored by their cluster (`model.predict(X)`),
 * each center marked, and around it the circle whose radius is the largest
 * distance, in the plotted plane, from the center to a point of its cluster.
 * One data unit is as long on x as on y unless `equalAspect: false`, so the
 * circles look round.
 *
 * @param model - A fitted k-means model.
 * @param X - Data, n × d (usually the training data).
 * @param options - Size, title, plotted features, `equalAspect` (default true).
 * @returns SVG.
 * @throws {@link DimensionMismatchError} if X does not have the model's features.
 * @example
 * ```ts
 * const model = new KMeans({ nClusters: 4 }).fit(X);
 * const svg = plotKMeans(model, X, { title: 'k-means, k = 4' });
 * ```
 */
export function plotKMeans(model: KMeansModel, X: MatrixLike, options: FigureOptions & PlaneOptions = {}): string {
  const data = asMatrix(X);
  const d = model.centers.cols;
  checkColumns(data, d);
  const plane = resolvePlane(d, options);
  const xs = column(data, plane.x);
  const ys = column(data, plane.y);
  const labels = model.predict(data);
  const k = model.nClusters;
  const cx = column(model.centers, plane.x);
  const cy = column(model.centers, plane.y);
  const radius = new Float64Array(k);
  for (let i = 0; i < data.rows; i++) {
    const c = labels[i]!;
    radius[c] = Math.max(radius[c]!, Math.hypot(xs[i]! - cx[c]!, ys[i]! - cy[c]!));
  }
  const reach = (sign: number, centers: Float64Array) => Array.from(centers, (v, c) => v + sign * radius[c]!);
  const frame = new Frame(extent(xs, reach(-1, cx), reach(1, cx)), extent(ys, reach(-1, cy), reach(1, cy)), {
    ...options,
    equalAspect: options.equalAspect ?? true,
  });
  for (let c = 0; c < k; c++) {
    frame.add(
      ellipsePath(
        frame,
        { cx: cx[c]!, cy: cy[c]!, rx: radius[c]!, ry: radius[c]!, angle: 0 },
        `fill="${componentColor(c)}" fill-opacity="0.08" stroke="${componentColor(c)}" stroke-width="1.6"`,
      ),
    );
  }
  frame.add(points(frame, xs, ys, { fill: (i) => componentColor(labels[i]!), radius: 2.8, opacity: 0.75 }));
  for (let c = 0; c < k; c++) frame.add(meanMarker(frame, cx[c]!, cy[c]!, componentColor(c)));
  const legend: LegendEntry[] =
    k > 8
      ? [{ label: `${k} clusters`, color: componentColor(0) }]
      : Array.from({ length: k }, (_, c) => ({
          label: `cluster ${c} (${labels.filter((l) => l === c).length} points)`,
          color: componentColor(c),
        }));
  legend.push({ label: 'reach of each center', color: '#555555', shape: 'ring' });
  return frame.render(
    { title: options.title ?? `k-means, k = ${k}: hard clusters with round boundaries`, x: plane.xLabel, y: plane.yLabel },
    legend,
  );
}
