/**
 * A Gaussian mixture regression of one output on one input: the data, the
 * regression curve E[y | x] and its band E[y | x] ± z·sd[y | x].
 *
 * @module
 */
import { InvalidParameterError } from '../errors.js';
import { asMatrix, type MatrixLike } from '../matrix/matrix.js';
import type { GaussianMixtureRegression } from '../estimators/gaussianMixtureRegressor.js';
import { Frame, px, type FigureOptions, type LegendEntry } from './frame.js';
import { column, extent, points } from './marks.js';

/** Options of {@link plotRegression}. */
export interface RegressionFigureOptions extends FigureOptions {
  /** Which output is drawn (index among the regression's outputs). Default 0. */
  output?: number;
  /** Half-width of the band in conditional standard deviations. Default 2 (about 95% for one Gaussian). */
  band?: number;
  /** Points on the curve. Default 241. */
  resolution?: number;
  /** A known curve to draw for comparison (e.g. the function the data were made from), dashed. */
  reference?: {
    /** Its legend text. */
    label: string;
    /** Its value at x. */
    f: (x: number) => number;
  };
}

/**
 * The data (x, y), the regression's mean E[y | x] as a line, and the band
 * E[y | x] ± `band`·sd[y | x] shaded, over the data's range of x.
 *
 * @param regression - A fitted regression with one input.
 * @param X - Inputs, n × 1.
 * @param y - Targets: n values, or n × t (column `output` is drawn).
 * @param options - Output, band width, resolution, a reference curve, size, title.
 * @returns SVG.
 * @throws {@link InvalidParameterError} for a regression with more than one input, a bad
 *   output index, band or resolution, or targets that do not match X.
 * @example
 * ```ts
 * const svg = plotRegression(gmr, x, y, { reference: { label: 'sin x', f: Math.sin } });
 * ```
 */
export function plotRegression(
  regression: GaussianMixtureRegression,
  X: MatrixLike,
  y: MatrixLike | ArrayLike<number>,
  options: RegressionFigureOptions = {},
): string {
  if (regression.nInputs !== 1) {
    throw new InvalidParameterError(
      'regression',
      regression.nInputs,
      'a regression with one input (this figure draws y against x)',
    );
  }
  const t = regression.nOutputs;
  const output = options.output ?? 0;
  if (!Number.isSafeInteger(output) || output < 0 || output >= t)
    throw new InvalidParameterError('output', output, `an output index from 0 to ${t - 1}`);
  const band = options.band ?? 2;
  if (!(band >= 0) || !Number.isFinite(band)) throw new InvalidParameterError('band', band, 'a finite number ≥ 0');
  const resolution = options.resolution ?? 241;
  if (!Number.isSafeInteger(resolution) || resolution < 2)
    throw new InvalidParameterError('resolution', resolution, 'an integer ≥ 2');
  const inputs = asMatrix(X);
  const xs = column(inputs, 0);
  const ys = targetColumn(y, output, t, inputs.rows);
  const [lo, hi] = extent(xs);
  const grid = Array.from({ length: resolution }, (_, i) => [lo + ((hi - lo) * i) / (resolution - 1)]);
  const { mean, covariance } = regression.predictDistribution(grid);
  const centre = grid.map((_, i) => mean.data[i * t + output]!);
  const spread = grid.map((_, i) => band * Math.sqrt(Math.max(0, covariance[i * t * t + output * t + output]!)));
  const upper = centre.map((m, i) => m + spread[i]!);
  const lower = centre.map((m, i) => m - spread[i]!);
  const reference = options.reference ? grid.map(([u]) => options.reference!.f(u!)) : [];
  const [y0, y1] = extent(ys, upper, lower, reference.filter(Number.isFinite));
  const frame = new Frame([lo, hi], [y0, y1], { ...options, equalAspect: false });
  const line = (values: readonly number[]) =>
    values.map((v, i) => `${i === 0 ? 'M' : 'L'}${px(frame.x(grid[i]![0]!))},${px(frame.y(v))}`).join('');
  const back = [...lower].reverse().map((v, i) => `L${px(frame.x(grid[resolution - 1 - i]![0]!))},${px(frame.y(v))}`);
  frame.add(`<path d="${line(upper)}${back.join('')}Z" fill="#f28e2b" fill-opacity="0.22" stroke="none"/>`);
  frame.add(points(frame, xs, ys, { fill: '#4e79a7', radius: 2.2, opacity: 0.45 }));
  if (options.reference) {
    frame.add(`<path d="${line(reference)}" fill="none" stroke="#333" stroke-width="1.4" stroke-dasharray="5 3"/>`);
  }
  frame.add(`<path d="${line(centre)}" fill="none" stroke="#e15759" stroke-width="2.4"/>`);
  for (let i = 0; i < resolution; i += 12) frame.occupy(frame.x(grid[i]![0]!), frame.y(centre[i]!));
  const names = regression.mixture.featureNames;
  const xName = names?.[regression.inputs[0]!] ?? 'x';
  const yName = names?.[regression.outputs[output]!] ?? (t === 1 ? 'y' : `y${output + 1}`);
  const legend: LegendEntry[] = [
    { label: `data (${inputs.rows} points)`, color: '#4e79a7' },
    { label: `E[${yName} | ${xName}], ${regression.mixture.nComponents} components`, color: '#e15759', shape: 'line' },
    { label: `± ${band} sd`, color: '#f28e2b' },
  ];
  if (options.reference) legend.push({ label: options.reference.label, color: '#333', shape: 'dashed' });
  return frame.render(
    { title: options.title ?? `Gaussian mixture regression of ${yName} on ${xName}`, x: xName, y: yName },
    legend,
  );
}

/** Column `output` of the targets, checked against the rows of X. */
function targetColumn(y: MatrixLike | ArrayLike<number>, output: number, t: number, rows: number): Float64Array {
  const vector = (Array.isArray(y) && typeof y[0] === 'number') || (ArrayBuffer.isView(y) && !(y instanceof DataView));
  if (vector) {
    const values = y as ArrayLike<number>;
    if (t !== 1 || values.length !== rows) {
      throw new InvalidParameterError('y', values, `${rows} targets${t === 1 ? '' : `, ${t} per row`}, one row per row of X`);
    }
    const out = Float64Array.from(values);
    for (let i = 0; i < rows; i++) {
      if (!Number.isFinite(out[i]!)) throw new InvalidParameterError(`y[${i}]`, values[i], 'a finite number');
    }
    return out;
  }
  const m = asMatrix(y as MatrixLike, 'y');
  if (m.rows !== rows || m.cols !== t) {
    throw new InvalidParameterError('y', `${m.rows} × ${m.cols}`, `${rows} × ${t}: one row per row of X, a column per output`);
  }
  return column(m, output);
}
