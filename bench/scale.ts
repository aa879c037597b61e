/**
 * `npm run bench -- scale`: data larger than memory. Writes a CSV of
 * `--rows` rows (default 25,000,000) × 8 columns from 8 Gaussians (about
 * 4 GB, kept in the system's temporary folder for later runs), then, in a
 * new process of the built package (so its memory is the fit's alone):
 * a parse-only pass, and `fitAsync(fileSource(...))` for `--passes` EM
 * iterations (default 5, tol 0), reporting seconds per pass, the share of a
 * pass spent parsing, and the peak resident memory. Then the exactness
 * check: the first 1,000,000 rows fitted streamed and in memory.
 *
 * Options: --rows N, --passes N, --dir DIR.
 */
import { execFileSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, renameSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { GaussianMixture, Random } from '../src/node/index.js';
import { fileSource } from '../src/io/fileSource.js';
import { DuckDBInstance } from '@duckdb/node-api';
import { readData } from '../src/io/readData.js';

const args = process.argv.slice(2);
const flag = (name: string): string | undefined => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const ROWS = Number(flag('--rows') ?? 25_000_000);
const PASSES = Number(flag('--passes') ?? 5);
const DIR = flag('--dir') ?? join(tmpdir(), 'gmm-scale');
const D = 8;
const K = 8;
const SUBSET = 1_000_000;

/**
 * Writes `rows` rows of the mixture to `file` (the same first rows for any
 * `rows`: a smaller file is a prefix of a larger one). Full precision, so the
 * text parses back to the same doubles.
 */
function writeCsv(file: string, rows: number): void {
  const rng = new Random(7);
  const centers = Array.from({ length: K }, () => Array.from({ length: D }, () => -10 + 20 * rng.uniform()));
  const scales = Array.from({ length: K }, () => Array.from({ length: D }, () => 0.5 + rng.uniform()));
  const mixing = Array.from({ length: K }, () => Array.from({ length: D }, () => 0.6 * (rng.uniform() - 0.5)));
  const partial = `${file}.partial`;
  const fd = openSync(partial, 'w');
  writeSync(fd, `${Array.from({ length: D }, (_, a) => `x${a + 1}`).join(',')}\n`);
  const lines: string[] = [];
  const z = new Float64Array(D);
  for (let i = 0; i < rows; i++) {
    const c = rng.integer(K);
    for (let a = 0; a < D; a++) z[a] = rng.normal() * scales[c]![a]!;
    const cells: string[] = [];
    for (let a = 0; a < D; a++) cells.push(String(centers[c]![a]! + z[a]! + mixing[c]![a]! * z[(a + 1) % D]!));
    lines.push(cells.join(','));
    if (lines.length === 50_000) {
      writeSync(fd, `${lines.join('\n')}\n`);
      lines.length = 0;
    }
  }
  if (lines.length > 0) writeSync(fd, `${lines.join('\n')}\n`);
  closeSync(fd);
  renameSync(partial, file);
}

function dataFile(rows: number): string {
  mkdirSync(DIR, { recursive: true });
  const file = join(DIR, `mixture-${rows}x${D}.csv`);
  if (!existsSync(file)) {
    const started = performance.now();
    writeCsv(file, rows);
    console.log(
      `wrote ${file}: ${(statSync(file).size / 1e9).toFixed(2)} GB in ${((performance.now() - started) / 1000).toFixed(0)} s`,
    );
  }
  return file;
}

/** What the fitting process reports. */
interface Measured {
  rows: number;
  bytes: number;
  parseOnly: number;
  passes: number[];
  peakRssMB: number;
  lowerBound: number;
}

/** The CSV as Parquet, written once by DuckDB beside it. */
async function parquetFile(csv: string): Promise<string> {
  const file = csv.replace(/\.csv$/, '.parquet');
  if (existsSync(file)) return file;
  const started = performance.now();
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  await connection.run(`COPY (SELECT * FROM read_csv('${csv}', header = true)) TO '${file}.partial' (FORMAT parquet)`);
  connection.closeSync();
  instance.closeSync();
  renameSync(`${file}.partial`, file);
  console.log(
    `wrote ${file}: ${(statSync(file).size / 1e9).toFixed(2)} GB in ${((performance.now() - started) / 1000).toFixed(0)} s`,
  );
  return file;
}

/** Fits `file` in a new process of the built package; what it measured. */
function measure(file: string): Measured {
  const child = fileURLToPath(new URL('./scale-fit.mjs', import.meta.url));
  const out = execFileSync(process.execPath, [child, file, String(K), String(PASSES)], { encoding: 'utf8', maxBuffer: 1 << 24 });
  return JSON.parse(out.trim().split('\n').at(-1)!) as Measured;
}

/** The report's lines, printed and written to bench/scale-results.md. */
const lines: string[] = [];
const say = (line: string): void => {
  console.log(line);
  lines.push(line);
};

const mean = (values: number[]): number => values.reduce((a, b) => a + b, 0) / Math.max(1, values.length);
const list = (values: number[]): string => values.map((s) => s.toFixed(1)).join(', ');

/** The lines of one measured fit. */
function report(m: Measured, what: string): number {
  const perPass = mean(m.passes.slice(1));
  say(
    `${what}: survey pass (validation, moments, a 100,000-row sample), the start on the sample and EM pass 1: ${m.passes[0]!.toFixed(1)} s`,
  );
  say(
    `${what}: EM passes 2–${m.passes.length} (read + E-step + M-step): ${list(m.passes.slice(1))} s; mean ${perPass.toFixed(1)} s`,
  );
  say(
    `${what}: reading alone (the fastest of a pass before and one after the fit): ${m.parseOnly.toFixed(1)} s per pass, ${((100 * m.parseOnly) / perPass).toFixed(0)}% of an EM pass`,
  );
  say(`${what}: peak resident memory of the fitting process: ${m.peakRssMB.toFixed(0)} MB`);
  return perPass;
}

async function main(): Promise<void> {
  const big = dataFile(ROWS);
  const m = measure(big);
  say(`\n## Streaming EM: ${m.rows.toLocaleString('en-US')} rows × ${D}, k = ${K}, full covariances`);
  say(
    `node ${process.version}; E-steps on worker threads (the cores less one) while the calling thread reads; ${PASSES} EM iterations (tol 0) after the survey pass`,
  );
  const csvPass = report(m, `CSV (${(m.bytes / 1e9).toFixed(2)} GB, fileSource)`);

  const parquet = await parquetFile(big);
  const p = measure(parquet);
  const parquetPass = report(p, `Parquet (${(p.bytes / 1e9).toFixed(2)} GB, duckdbSource)`);
  say(`Parquet through DuckDB: ${(csvPass / parquetPass).toFixed(1)}× faster per pass than the CSV`);
  const same = p.rows === m.rows && Math.abs(p.lowerBound - m.lowerBound) <= 1e-12 * Math.abs(m.lowerBound);
  say(`lower bounds: CSV ${m.lowerBound}, Parquet ${p.lowerBound}${same ? ' (equal)' : ' (DIFFERENT)'}`);

  // Exactness: the first million rows, streamed (a sample of all of them) and in memory.
  const small = dataFile(Math.min(SUBSET, ROWS));
  const gm = new GaussianMixture({ nComponents: K, tol: 0, maxIter: 5, seed: 0 });
  const { X, featureNames } = await readData(small);
  const inMemory = gm.fit(X, { featureNames });
  const streamed = await gm.fitAsync(await fileSource(small), { sampleSize: SUBSET });
  const relative = Math.abs(streamed.lowerBound - inMemory.lowerBound) / Math.abs(inMemory.lowerBound);
  say(
    `first ${X.rows.toLocaleString('en-US')} rows, 5 EM iterations: streamed lower bound ${streamed.lowerBound}, in memory ${inMemory.lowerBound} (relative difference ${relative.toExponential(1)}; model files ${JSON.stringify(streamed) === JSON.stringify(inMemory) ? 'bit-identical' : 'differ'})`,
  );
}

await main();
writeFileSync(
  fileURLToPath(new URL('./scale-results.md', import.meta.url)),
  `# npm run bench -- scale (${new Date().toISOString().slice(0, 10)})\n\n\`\`\`text\n${lines.join('\n').trim()}\n\`\`\`\n`,
);
