import { readFileSync } from 'node:fs';
import { expect } from 'vitest';

const NUMBER = /-?\d+(?:\.\d+)?(?:e[-+]?\d+)?/g;

/**
 * Expects an SVG to be the committed figure `docs/figures/<path>`: the same
 * markup, and every number within `tolerance` (coordinates are rounded to
 * 0.1 px, and a last-bit difference in a fit may round the other way).
 */
export function expectCommittedFigure(svg: string, path: string, tolerance = 0.11): void {
  const file = new URL(`../../docs/figures/${path}`, import.meta.url);
  const committed = readFileSync(file, 'utf8');
  const hint = `docs/figures/${path} is stale: run npm run figures and commit it`;
  expect(svg.replace(NUMBER, '#'), hint).toBe(committed.replace(NUMBER, '#'));
  const actual = svg.match(NUMBER)!.map(Number);
  const expected = committed.match(NUMBER)!.map(Number);
  const worst = actual.reduce((m, v, i) => Math.max(m, Math.abs(v - expected[i]!)), 0);
  expect(worst, hint).toBeLessThanOrEqual(tolerance);
}
