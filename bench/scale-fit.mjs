// The fitting process of `npm run bench -- scale` (see scale.ts): the built package only, so that its peak
// resident memory is the fit's. Prints one JSON line.
import { statSync } from 'node:fs';
import { GaussianMixture, duckdbSource, fileSource } from '../dist/node/index.js';

const [file, k, passes] = process.argv.slice(2);
// A CSV file piece by piece, or a Parquet file through DuckDB.
const source = file.endsWith('.parquet')
  ? await duckdbSource({ sql: `SELECT * FROM read_parquet('${file}')` })
  : await fileSource(file);
/** Seconds of one pass that only reads the rows; and the rows. */
async function readPass() {
  const started = performance.now();
  let rows = 0;
  for await (const chunk of source.chunks()) rows += chunk.X.rows;
  return { seconds: (performance.now() - started) / 1000, rows };
}
const before = await readPass();
const rows = before.rows;
const times = [];
let last = performance.now();
const model = await new GaussianMixture({ nComponents: Number(k), tol: 0, maxIter: Number(passes) }).fitAsync(source, {
  onProgress: ({ pass, rows: done, totalRows }) => {
    if (done === totalRows) {
      const now = performance.now();
      times.push((now - last) / 1000);
      last = now;
    }
  },
});
const parseOnly = Math.min(before.seconds, (await readPass()).seconds);
// The first time also holds the survey pass and the start (k-means on the sample).
console.log(
  JSON.stringify({
    rows,
    bytes: statSync(file).size,
    parseOnly,
    passes: times,
    peakRssMB: process.resourceUsage().maxRSS / 1024,
    lowerBound: model.lowerBound,
  }),
);
