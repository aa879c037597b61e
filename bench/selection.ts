/**
 * The model-selection part of `npm run bench`: a grid of (number of
 * components × covariance type) fits chosen by BIC, timed three ways — the
 * `gmm select` command end to end as a user runs it (a new Node process:
 * start-up, reading and parsing the CSV, one worker pool for the whole grid),
 * `selectModelAsync` in process on the same pool design, and `selectModel` on
 * the calling thread — on iris (bundled, 150 × 4) and on generated
 * 100,000 × 8 and 400,000 × 8 CSVs. scikit-learn's side (bench/sklearn_bench.py) fits the same
 * grid with `GaussianMixture(n_components, covariance_type, n_init)` and its
 * `bic`, on the same numbers, timing the fits only (no start-up, no parsing).
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readData } from '../src/io/readData.js';
import { selectModel, selectModelAsync, type CovarianceType, type Matrix } from '../src/node/index.js';
import { generate } from './workloads.js';

/** One grid: its data (a CSV for the CLI, raw f64 for scikit-learn) and cells. */
export interface SelectionJob {
  key: string;
  csv: string;
  /** The label column the features leave out, if any. */
  labelColumn?: string;
  /** Raw little-endian f64 of the features, n × d, for scikit-learn. */
  file: string;
  n: number;
  d: number;
  components: number[];
  types: CovarianceType[];
  nInit: number;
}

/** Timings of one grid, in seconds, and what it picked. */
export interface SelectionRow {
  key: string;
  n: number;
  d: number;
  cells: number;
  nInit: number;
  cli: number;
  async: number;
  sync: number;
  best: string;
  sklearn?: number | undefined;
  sklearnBest?: string | undefined;
}

const TYPES: CovarianceType[] = ['full', 'diag', 'tied', 'spherical'];

/** The grids: iris with the CLI's defaults (1–10 components, all four types, 10 EM runs per cell), 100k × 8 and 400k × 8 with 1–5 and one run. */
export async function selectionJobs(dir: string): Promise<{ job: SelectionJob; X: Matrix }[]> {
  const iris = fileURLToPath(new URL('../data/iris.csv', import.meta.url));
  const { X: irisX } = await readData(iris, { labelColumn: 'species' });
  const big = generate({ name: 'select8', n: 100_000, d: 8, k: 5 }, 3);
  const bigCsv = join(dir, 'select8.csv');
  const header = Array.from({ length: big.cols }, (_, j) => `x${j + 1}`).join(',');
  const lines = [header];
  for (let i = 0; i < big.rows; i++) lines.push(Array.from(big.data.subarray(i * big.cols, (i + 1) * big.cols)).join(','));
  writeFileSync(bigCsv, `${lines.join('\n')}\n`);
  // Four times the rows: work enough for the grid's cells to go to workers (selectModelAsync's CELLS_ON_WORKERS).
  const large = generate({ name: 'select8x4', n: 400_000, d: 8, k: 5 }, 3);
  const largeCsv = join(dir, 'select8x4.csv');
  const largeLines = [header];
  for (let i = 0; i < large.rows; i++)
    largeLines.push(Array.from(large.data.subarray(i * large.cols, (i + 1) * large.cols)).join(','));
  writeFileSync(largeCsv, `${largeLines.join('\n')}\n`);
  const out: { job: SelectionJob; X: Matrix }[] = [];
  for (const [key, csv, X, components, nInit, labelColumn] of [
    ['iris', iris, irisX, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 10, 'species'],
    ['select8', bigCsv, big, [1, 2, 3, 4, 5], 1, undefined],
    ['select8x4', largeCsv, large, [1, 2, 3, 4, 5], 1, undefined],
  ] as const) {
    const file = join(dir, `${key}.select.f64`);
    writeFileSync(file, new Uint8Array(X.data.buffer, X.data.byteOffset, X.data.byteLength));
    const job: SelectionJob = { key, csv, file, n: X.rows, d: X.cols, components: [...components], types: TYPES, nInit };
    if (labelColumn) job.labelColumn = labelColumn;
    out.push({ job, X });
  }
  return out;
}

/** Times one grid: `gmm select` (built CLI, new process), selectModelAsync, selectModel. */
export async function timeSelection(job: SelectionJob, X: Matrix, threads: number): Promise<SelectionRow> {
  const cliPath = fileURLToPath(new URL('../dist/cli/main.js', import.meta.url));
  const grid = { nComponents: job.components, covarianceTypes: job.types, nInit: job.nInit, seed: 0 };
  const argv = [
    cliPath,
    'select',
    job.csv,
    '--components',
    job.components.join(','),
    '--covariance',
    job.types.join(','),
    '--n-init',
    String(job.nInit),
    '--seed',
    '0',
    '--threads',
    String(threads),
    '--json',
    ...(job.labelColumn ? ['--label-column', job.labelColumn] : []),
  ];
  const t0 = performance.now();
  const printed = JSON.parse(execFileSync(process.execPath, argv, { encoding: 'utf8', maxBuffer: 1 << 26 })) as {
    best: { nComponents: number; covarianceType: string };
  };
  const cli = (performance.now() - t0) / 1000;
  // Each in-process way twice, alternating, the faster kept: neither gets the other's warm-up alone.
  let async = Infinity;
  let sync = Infinity;
  let pooled: Awaited<ReturnType<typeof selectModelAsync>> | undefined;
  let here: ReturnType<typeof selectModel> | undefined;
  for (let round = 0; round < 2; round++) {
    const t1 = performance.now();
    pooled = await selectModelAsync(X, { ...grid, threads });
    async = Math.min(async, (performance.now() - t1) / 1000);
    const t2 = performance.now();
    here = selectModel(X, grid);
    sync = Math.min(sync, (performance.now() - t2) / 1000);
  }
  if (!pooled || !here) throw new Error('no selection ran');
  const best = `${here.best.covarianceType} k=${here.best.nComponents}`;
  for (const other of [pooled.best, printed.best]) {
    const b = `${other.covarianceType} k=${other.nComponents}`;
    if (b !== best) throw new Error(`selection ${job.key}: ${b} is not ${best}: the three ways must pick the same model`);
  }
  return {
    key: job.key,
    n: job.n,
    d: job.d,
    cells: job.components.length * job.types.length,
    nInit: job.nInit,
    cli,
    async,
    sync,
    best,
  };
}
