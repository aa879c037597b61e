/** Small page helpers: elements, numbers, the rows drawn, clicks mapped back to data. */
import type { Matrix } from 'gmm';

/** The element with this id (the page is static: a missing one is a bug). */
export function element<T extends HTMLElement = HTMLElement>(id: string): T {
  const found = document.getElementById(id);
  if (!found) throw new Error(`the page has no #${id}`);
  return found as T;
}

/** 100000 → "100,000". */
export const format = (n: number): string => n.toLocaleString('en-US');

/**
 * At most about this many points are drawn (the figures' `maxPoints`: every
 * m-th row of large data); fits, counts and legends always use every row.
 */
export const MAX_DRAWN = 3000;

/** How many of n rows the figures draw under {@link MAX_DRAWN}. */
export function drawnRows(n: number): number {
  return n <= MAX_DRAWN ? n : Math.ceil(n / Math.ceil(n / MAX_DRAWN));
}

/** Axis ranges that hold the data with a margin (a fixed frame for every figure of one dataset). */
export function viewOf(X: Matrix): { xDomain: [number, number]; yDomain: [number, number] } {
  if (X.rows === 0) return { xDomain: [-10, 10], yDomain: [-10, 10] };
  const range = (c: number): [number, number] => {
    let lo = Infinity;
    let hi = -Infinity;
    for (let i = 0; i < X.rows; i++) {
      const v = X.data[i * X.cols + c]!;
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
    const pad = (hi - lo) * 0.25 || Math.abs(lo) * 0.5 || 1;
    return [lo - pad, hi + pad];
  };
  return { xDomain: range(0), yDomain: range(1) };
}

/**
 * The data coordinates of a click on a figure, from the figure's data-plot
 * (plot area in px) and data-domain (axis ranges); undefined outside the plot area.
 */
export function clickToData(event: MouseEvent, container: HTMLElement): [number, number] | undefined {
  const svg = container.querySelector('svg');
  if (!svg?.dataset.plot || !svg.dataset.domain) return undefined;
  const [left, top, right, bottom] = svg.dataset.plot.split(' ').map(Number) as [number, number, number, number];
  const [x0, x1, y0, y1] = svg.dataset.domain.split(' ').map(Number) as [number, number, number, number];
  const box = svg.getBoundingClientRect();
  const [width, height] = [Number(svg.getAttribute('width')), Number(svg.getAttribute('height'))];
  const px = ((event.clientX - box.left) * width) / box.width;
  const py = ((event.clientY - box.top) * height) / box.height;
  if (px < left || px > right || py < top || py > bottom) return undefined;
  return [x0 + ((px - left) / (right - left)) * (x1 - x0), y0 + ((bottom - py) / (bottom - top)) * (y1 - y0)];
}
