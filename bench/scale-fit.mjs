// The fitting process of `npm run bench -- scale` (see scale.ts): the built package only, so that its peak
// resident memory is the fit's. Prints one JSON line.
import { statSync } from 'node:fs';
import { GaussianMixture, fileSource } from '../dist/node/index.js';

const [file, k, passes] = process.argv.slice(2);
const source = await fileSource(file);
let started = performance.now();
let rows = 0;
for await (const chunk of source.chunks()) rows += chunk.X.rows;
const parseOnly = (performance.now() - started) / 1000;
const times = [];
started = performance.now();
let last = started;
const model = await new GaussianMixture({ nComponents: Number(k), tol: 0, maxIter: Number(passes) }).fitAsync(source, {
  onProgress: ({ pass, rows: done, totalRows }) => {
    if (done === totalRows) {
      const now = performance.now();
      times.push((now - last) / 1000);
      last = now;
    }
  },
});
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
