/**
 * The data before any model: a scatter of two features, colored by known
 * classes when there are some.
 *
 * @module
 */
import { InvalidParameterError } from '../errors.js';
import { asMatrix, type MatrixLike } from '../matrix/matrix.js';
import { componentColor, Frame, type FigureOptions, type LegendEntry } from './frame.js';
import { column, extent, points, resolvePlane, type PlaneOptions } from './marks.js';

/**
 * A scatter plot of two features of the data, each point colored by its
 * class (`labels`, integers from 0) or all alike.
 *
 * @param X - Data, n × d.
 * @param options - Plotted features and their names, size, title, `equalAspect`,
 *   `labels` (n class indices) and `classNames` (their legend names).
 * @returns SVG.
 * @throws {@link InvalidParameterError} if `labels` does not have one non-negative integer per row.
 * @example
 * ```ts
 * const svg = plotData(X, { labels: species, classNames: ['setosa', 'versicolor', 'virginica'] });
 * ```
 */
export function plotData(
  X: MatrixLike,
  options: FigureOptions & PlaneOptions & { labels?: ArrayLike<number>; classNames?: readonly string[] } = {},
): string {
  const data = asMatrix(X);
  const plane = resolvePlane(data.cols, options);
  const { labels } = options;
  if (labels !== undefined) {
    const ok = labels.length === data.rows && Array.from(labels).every((l) => Number.isInteger(l) && l >= 0);
    if (!ok) throw new InvalidParameterError('labels', labels, `${data.rows} non-negative integers, one per row`);
  }
  const xs = column(data, plane.x);
  const ys = column(data, plane.y);
  const frame = new Frame(extent(xs), extent(ys), options);
  frame.add(points(frame, xs, ys, { fill: labels ? (i) => componentColor(labels[i]!) : '#4e79a7', radius: 2.8, opacity: 0.75 }));
  // A loop, not Math.max(...labels): hundreds of thousands of arguments overflow the call stack.
  let classes = 0;
  if (labels) for (let i = 0; i < labels.length; i++) classes = Math.max(classes, labels[i]! + 1);
  const legend: LegendEntry[] =
    classes === 0
      ? [{ label: `${data.rows} points`, color: '#4e79a7' }]
      : classes > 8
        ? [{ label: `${data.rows} points in ${classes} classes`, color: componentColor(0) }]
        : Array.from({ length: classes }, (_, c) => ({
            label: options.classNames?.[c] ?? `class ${c}`,
            color: componentColor(c),
          }));
  return frame.render({ title: options.title ?? `${data.rows} points`, x: plane.xLabel, y: plane.yLabel }, legend);
}
