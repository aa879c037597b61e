/**
 * `npm run figures`: runs the tour and every example and writes their SVG
 * figures to docs/figures/NAME/, the figures the README shows. A test checks
 * that the committed figures are what the code draws today.
 */
import { fileURLToPath } from 'node:url';
import { EXAMPLES } from './all.js';
import { writeFiles } from './lib/report.js';

const docs = fileURLToPath(new URL('../docs/figures/', import.meta.url));
for (const [name, run] of Object.entries(EXAMPLES)) {
  const { files } = await run();
  const figures = Object.fromEntries(Object.entries(files).filter(([file]) => file.endsWith('.svg')));
  const written = await writeFiles(`${docs}${name}`, figures);
  console.log(`${name}: ${written.length} figures`);
}
