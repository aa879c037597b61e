/**
 * Formats rows as an aligned plain-text table: text columns left-aligned,
 * numeric columns right-aligned, two spaces between columns.
 */
export function table(header: string[], rows: (string | number)[][], indent = '  '): string {
  const cells = [header, ...rows.map((r) => r.map(String))];
  const numeric = header.map((_, c) => rows.every((r) => typeof r[c] === 'number' || /^[-+]?[\d.,e+-]+%?$/.test(String(r[c]))));
  const widths = header.map((_, c) => Math.max(...cells.map((r) => r[c]!.length)));
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

/** A number with a fixed count of decimals. */
export const fixed = (x: number, digits = 3): string => x.toFixed(digits);
