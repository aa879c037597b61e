/**
 * Human-readable output: aligned plain-text tables and compact numbers.
 *
 * @module
 */

/**
 * Rows as an aligned table: numeric columns right-aligned, text left-aligned,
 * two spaces between columns.
 *
 * @param header - Column titles.
 * @param rows - Cells (already formatted as text, or numbers).
 * @param indent - Prefix of every line.
 * @returns The lines, joined with newlines.
 * @example
 * ```ts
 * alignTable(['k', 'BIC'], [[1, '830.0'], [2, '574.0']]);
 * ```
 */
export function alignTable(header: readonly string[], rows: readonly (readonly (string | number)[])[], indent = '  '): string {
  const cells = [header.map(String), ...rows.map((r) => r.map(String))];
  const numeric = header.map(
    (_, c) => rows.length > 0 && rows.every((r) => /^[-+]?[\d.,]+(e[-+]?\d+)?%?[*×]?$|^[-+]?∞$|^—$/.test(String(r[c]))),
  );
  // A loop, not Math.max(...): a table of 100,000+ rows would overflow the call stack.
  const widths = header.map((_, c) => cells.reduce((w, r) => Math.max(w, (r[c] ?? '').length), 0));
  return cells
    .map(
      (r) =>
        indent +
        r
          .map((cell, c) => (numeric[c] ? cell.padStart(widths[c]!) : cell.padEnd(widths[c]!)))
          .join('  ')
          .trimEnd(),
    )
    .join('\n');
}

/**
 * A number for people: up to `digits` significant digits, no exponent for
 * ordinary magnitudes, `∞` for infinities.
 *
 * @param x - The number.
 * @param digits - Significant digits (default 4).
 * @returns The text.
 * @example
 * ```ts
 * num(-180.1943); // '-180.2'
 * ```
 */
export function num(x: number, digits = 4): string {
  if (x === Infinity) return '∞';
  if (x === -Infinity) return '-∞';
  if (x === 0) return '0';
  const magnitude = Math.abs(x);
  if (magnitude >= 1e6 || magnitude < 1e-4) return x.toExponential(digits - 1);
  const decimals = Math.max(0, digits - 1 - Math.floor(Math.log10(magnitude)));
  return x.toFixed(decimals);
}
