/**
 * `npm run bench`: EM and k-means speed on generated workloads, against
 * scikit-learn measured in the same run when a python3 with scikit-learn is
 * installed. Prints a table (median ms per EM iteration, useful GFLOP/s, % of
 * the machine's measured peak, ratio to scikit-learn) and writes
 * bench/results.md and bench/results.json. Also against R's mclust, for its
 * hierarchical start and its BIC grid (bench/mclust.ts), when Rscript with
 * mclust is installed.
 *
 * Options: --quick (fewer iterations, skips tall8), --only NAME[,NAME] (workloads, select for the
 * model-selection grids, mclust for the mclust comparison), --no-sklearn, --threads N.
 * `npm run bench -- scale [--rows N] [--passes N]`: streaming EM over a generated CSV larger than memory
 * (bench/scale.ts).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  BayesianGaussianMixture,
  GaussianMixture,
  KMeans,
  PCA,
  activeBackend,
  setBackend,
  wasmBuild,
  type CovarianceFamily,
  type Matrix,
} from '../src/node/index.js';
import { acquireKernels, releaseKernels } from '../src/kernels/loader.js';
import { mclustBench, mclustLines, type MclustRows } from './mclust.js';
import { selectionJobs, timeSelection, type SelectionRow } from './selection.js';
import { WORKLOADS, fixedStart, generate, type Workload } from './workloads.js';

const args = process.argv.slice(2);
const flag = (name: string): string | undefined => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const quick = args.includes('--quick');
const only = flag('--only')?.split(',');
const threads = Number(flag('--threads') ?? availableParallelism());
const ITERS = quick ? 8 : 25;

/** A variational fit's timing: ms per iteration. */
interface BayesianRow {
  workload: string;
  type: CovarianceFamily;
  n: number;
  d: number;
  k: number;
  ms1: number;
  msN: number;
  sklearn?: number;
}

interface Row {
  workload: string;
  type: CovarianceFamily;
  n: number;
  d: number;
  k: number;
  /** float32: `dtype: 'float32'` here, float32 rows (and start) given to scikit-learn. */
  dtype: 'float64' | 'float32';
  wasm1: number; // ms/iteration, synchronous fit (one thread)
  wasmN: number; // ms/iteration, fitAsync on `threads` workers
  typescript?: number; // ms/iteration, TypeScript kernels
  sklearn?: number;
}

/** A row's key in the scikit-learn side's answers. */
const emKey = (r: Pick<Row, 'workload' | 'type' | 'dtype'>): string =>
  `${r.workload}/${r.type}${r.dtype === 'float32' ? '/float32' : ''}`;

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

/** Useful flops of one EM iteration (per point and component: E ≈ d² + 4d, M ≈ d² + 3d + 1; elementwise types ≈ 4d and 3d + 1). */
function flops({ n, d, k }: Pick<Workload, 'n' | 'd' | 'k'>, type: CovarianceFamily): number {
  const perPair = type === 'full' || type === 'tied' ? d * d + 4 * d + d * d + 3 * d + 1 : 4 * d + 3 * d + 1;
  return n * k * perPair;
}

/** Median ms per EM iteration of a synchronous fit from the fixed start. */
function timeSync(X: Matrix, k: number, type: CovarianceFamily, iterations: number, dtype: Row['dtype'] = 'float64'): number {
  const start = fixedStart(X, k, type);
  const times: number[] = [];
  let last = performance.now();
  new GaussianMixture({ nComponents: k, covarianceType: type, tol: 0, maxIter: iterations, dtype, ...start }).fit(X, {
    onIteration: () => {
      const now = performance.now();
      times.push(now - last);
      last = now;
    },
  });
  return median(times.slice(1)); // the first iteration also copies the data into the kernels' memory
}

/** Median ms per EM iteration of fitAsync on `threads` workers. */
async function timeAsync(
  X: Matrix,
  k: number,
  type: CovarianceFamily,
  iterations: number,
  dtype: Row['dtype'] = 'float64',
): Promise<number> {
  const start = fixedStart(X, k, type);
  const times: number[] = [];
  let last = performance.now();
  await new GaussianMixture({ nComponents: k, covarianceType: type, tol: 0, maxIter: iterations, dtype, ...start }).fitAsync(X, {
    threads,
    onIteration: () => {
      const now = performance.now();
      times.push(now - last);
      last = now;
    },
  });
  return median(times.slice(1));
}

/** Each row's nearest of the fixed start's means: the labels a variational fit starts from. */
function nearestLabels(X: Matrix, k: number): Int32Array {
  const { meansInit } = fixedStart(X, k, 'full');
  const { rows: n, cols: d, data } = X;
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let best = Infinity;
    for (let j = 0; j < k; j++) {
      let s = 0;
      for (let a = 0; a < d; a++) s += (data[i * d + a]! - meansInit[j]![a]!) ** 2;
      if (s < best) [best, labels[i]] = [s, j];
    }
  }
  return labels;
}

/** Median ms per iteration of a variational fit (BayesianGaussianMixture) from one-hot labels: `fit`, or `fitAsync` on `threads`. */
async function timeBayesian(
  X: Matrix,
  k: number,
  type: CovarianceFamily,
  labels: Int32Array,
  iterations: number,
  workers?: number,
): Promise<number> {
  const resp = new Float64Array(X.rows * k);
  labels.forEach((j, i) => (resp[i * k + j] = 1));
  const times: number[] = [];
  let last = performance.now();
  const onIteration = (): void => {
    const now = performance.now();
    times.push(now - last);
    last = now;
  };
  const bgm = new BayesianGaussianMixture({ nComponents: k, covarianceType: type, tol: 0, maxIter: iterations });
  const responsibilitiesInit = { rows: X.rows, cols: k, data: resp };
  if (workers === undefined) bgm.fit(X, { responsibilitiesInit, onIteration });
  else await bgm.fitAsync(X, { responsibilitiesInit, onIteration, threads: workers });
  return median(times.slice(1));
}

/**
 * ms per Lloyd iteration: (fit with N iterations − fit with 1) / (N − 1), best
 * of 7 each (an iteration is about a millisecond, so the workers' start-up
 * noise needs the repeats); on this thread (`fit`), or on `threads` workers
 * (`fitAsync`).
 */
async function timeKMeans(
  X: Matrix,
  centers: number[][],
  iterations: number,
  threads?: number,
): Promise<{ ms: number; iterations: number }> {
  const run = async (maxIter: number): Promise<{ ms: number; nIter: number }> => {
    const km = new KMeans({ nClusters: centers.length, init: centers, tol: 0, maxIter });
    const t = performance.now();
    const model = threads === undefined ? km.fit(X) : await km.fitAsync(X, { threads });
    return { ms: performance.now() - t, nIter: model.nIter };
  };
  await run(2);
  const ones: number[] = [];
  const many: { ms: number; nIter: number }[] = [];
  for (let r = 0; r < 7; r++) ones.push((await run(1)).ms);
  for (let r = 0; r < 7; r++) many.push(await run(iterations));
  const best = many.reduce((a, b) => (a.ms < b.ms ? a : b));
  return { ms: (best.ms - Math.min(...ones)) / Math.max(best.nIter - 1, 1), iterations: best.nIter };
}

/** The machine's measured peak (GFLOP/s, one thread) for the kernels' f64x2 multiply-adds. */
function measuredPeak(): number {
  const kernels = acquireKernels();
  if (!kernels) return NaN;
  const iterations = 100_000_000;
  kernels.exports.peakMultiplyAdd(1_000_000, 1e-9);
  const t = performance.now();
  kernels.exports.peakMultiplyAdd(iterations, 1e-9);
  const seconds = (performance.now() - t) / 1000;
  releaseKernels(kernels);
  return (iterations * 32) / seconds / 1e9;
}

function findPython(): string | undefined {
  if (args.includes('--no-sklearn')) return undefined;
  for (const python of ['python3', '/usr/bin/python3']) {
    const probe = spawnSync(python, ['-c', 'import sklearn'], { stdio: 'ignore' });
    if (probe.status === 0) return python;
  }
  return undefined;
}

const fmt = (x: number | undefined, digits = 1): string => (x === undefined || !Number.isFinite(x) ? '—' : x.toFixed(digits));

async function main(): Promise<void> {
  setBackend('auto');
  const peak = measuredPeak();
  const python = findPython();
  const dir = mkdtempSync(join(tmpdir(), 'gmm-bench-'));
  const rows: Row[] = [];
  const spec: { em: unknown[]; kmeans: unknown[]; bayesian: unknown[]; selection: unknown[]; digits?: string } = {
    em: [],
    kmeans: [],
    bayesian: [],
    selection: [],
  };
  const selectionRows: SelectionRow[] = [];
  const bayesianRows: BayesianRow[] = [];
  const workloads = WORKLOADS.filter((w) => (only ? only.includes(w.name) : !(quick && w.name === 'tall8')));
  let kmeansRow:
    { ms: number; ms1: number; iterations: number; sklearn?: number | undefined; elkan?: number | undefined } | undefined;
  const header = `gmm bench — ${cpus()[0]?.model ?? 'unknown CPU'}, ${availableParallelism()} cores, Node ${process.version}, kernels: ${activeBackend()} (${wasmBuild()})`;
  console.log(header);
  console.log(`measured peak (f64x2 multiply-add, registers only): ${fmt(peak)} GFLOP/s per thread`);

  for (const w of workloads) {
    const X = generate(w);
    const file = join(dir, `${w.name}.f64`);
    writeFileSync(file, new Uint8Array(X.data.buffer, X.data.byteOffset, X.data.byteLength));
    const types: CovarianceFamily[] =
      w.name === 'blobs2d' || w.name === 'mid16' ? ['full', 'diag', 'tied', 'spherical'] : ['full'];
    // Every type in f64; full covariances in f32 too (dtype: 'float32'), beside them.
    const jobs: [CovarianceFamily, Row['dtype']][] = [...types.map((t): [CovarianceFamily, Row['dtype']] => [t, 'float64'])];
    jobs.splice(1, 0, ['full', 'float32']);
    for (const [type, dtype] of jobs) {
      const wasm1 = timeSync(X, w.k, type, ITERS, dtype);
      const wasmN = await timeAsync(X, w.k, type, ITERS, dtype);
      const row: Row = { workload: w.name, type, n: w.n, d: w.d, k: w.k, dtype, wasm1, wasmN };
      if (type === 'full' && dtype === 'float64' && w.name !== 'tall8') {
        setBackend('typescript');
        row.typescript = timeSync(X, w.k, type, 4);
        setBackend('auto');
      }
      rows.push(row);
      spec.em.push({
        key: emKey(row),
        file,
        n: w.n,
        d: w.d,
        k: w.k,
        type,
        dtype,
        iters: ITERS,
        start: fixedStart(X, w.k, type),
      });
      console.log(
        `  ${w.name} ${type}${dtype === 'float32' ? ' float32' : ''}: ${fmt(wasm1, 2)} ms/iter (1 thread), ${fmt(wasmN, 2)} ms/iter (${threads} threads)`,
      );
    }
    if (w.name === 'blobs2d' || w.name === 'mid16') {
      const labels = nearestLabels(X, w.k);
      const labelsFile = join(dir, `${w.name}.labels`);
      writeFileSync(labelsFile, new Uint8Array(labels.buffer));
      for (const type of w.name === 'mid16' ? (['full', 'diag'] as const) : (['full'] as const)) {
        const ms1 = await timeBayesian(X, w.k, type, labels, ITERS);
        const msN = await timeBayesian(X, w.k, type, labels, ITERS, threads);
        bayesianRows.push({ workload: w.name, type, n: w.n, d: w.d, k: w.k, ms1, msN });
        spec.bayesian.push({ key: `${w.name}/${type}`, file, labels: labelsFile, n: w.n, d: w.d, k: w.k, type, iters: ITERS });
        console.log(
          `  ${w.name} ${type} variational: ${fmt(ms1, 2)} ms/iter (1 thread), ${fmt(msN, 2)} ms/iter (${threads} threads)`,
        );
      }
    }
    if (w.name === 'mid16') {
      const centers = fixedStart(X, w.k, 'full').meansInit;
      const one = await timeKMeans(X, centers, 30);
      const many = await timeKMeans(X, centers, 30, threads);
      kmeansRow = { ms: many.ms, ms1: one.ms, iterations: many.iterations };
      spec.kmeans.push({ key: 'mid16', file, n: w.n, d: w.d, k: w.k, centers, iters: 30 });
      console.log(
        `  mid16 k-means: ${fmt(one.ms, 2)} ms per Lloyd iteration (1 thread), ${fmt(many.ms, 2)} (${threads} threads)`,
      );
    }
  }

  // The handbook's digits: PCA to 99% of the variance, then 110 full components, end to end.
  const digitsFile = fileURLToPath(new URL('../data/digits.csv', import.meta.url));
  const digits = readFileSync(digitsFile, 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .map((line) => line.split(',').slice(0, 64).map(Number));
  const digitsRuns = [0, 1, 2].map(() => {
    const t = performance.now();
    const Y = new PCA({ nComponents: 0.99, whiten: true }).fit(digits);
    const model = new GaussianMixture({ nComponents: 110, covarianceType: 'full', seed: 0 }).fit(Y.transform(digits));
    return { seconds: (performance.now() - t) / 1000, nIter: model.nIter, dims: Y.nComponents };
  });
  const ours = digitsRuns.reduce((a, b) => (a.seconds < b.seconds ? a : b));
  spec.digits = digitsFile;
  console.log(`  digits: ${fmt(ours.seconds, 3)} s end to end (${ours.dims} dims, ${ours.nIter} EM iterations)`);

  let mclustRows: MclustRows | undefined;
  if (!only || only.includes('mclust')) {
    mclustRows = await mclustBench(dir);
    for (const h of mclustRows.hc) console.log(`  hc 2000 × ${h.d}: gmm ${fmt(h.ours, 3)} s, mclust ${fmt(h.mclust, 3)} s`);
    console.log(`  mclustBIC grid on iris: gmm ${fmt(mclustRows.grid.ours, 2)} s, mclust ${fmt(mclustRows.grid.mclust, 2)} s`);
  }

  if (!only || only.includes('select')) {
    for (const { job, X } of await selectionJobs(dir)) {
      const row = await timeSelection(job, X, threads);
      selectionRows.push(row);
      spec.selection.push(job);
      console.log(
        `  select ${row.key}: gmm select ${fmt(row.cli, 2)} s, selectModelAsync ${fmt(row.async, 2)} s, selectModel ${fmt(row.sync, 2)} s (${row.best})`,
      );
    }
  }

  let sk:
    | {
        version: string;
        em: Record<string, { median_ms: number }>;
        bayesian: Record<string, { median_ms: number }>;
        kmeans: Record<string, { ms_per_iteration: number; elkan_ms_per_iteration?: number }>;
        selection?: Record<string, { seconds: number; best: string }>;
        digits?: { seconds: number; n_iter: number };
      }
    | undefined;
  if (python) {
    const specFile = join(dir, 'spec.json');
    writeFileSync(specFile, JSON.stringify(spec));
    console.log(`running scikit-learn (${python}) on the same data…`);
    sk = JSON.parse(
      execFileSync(python, [fileURLToPath(new URL('./sklearn_bench.py', import.meta.url)), specFile], {
        encoding: 'utf8',
        maxBuffer: 1 << 26,
        // scikit-learn at its best: OpenBLAS on this CPU's own kernel, not one these variables force.
        env: withoutOpenBlasOverrides(process.env),
      }),
    );
    for (const row of rows) row.sklearn = sk!.em[emKey(row)]?.median_ms;
    if (kmeansRow) {
      kmeansRow.sklearn = sk!.kmeans.mid16?.ms_per_iteration;
      kmeansRow.elkan = sk!.kmeans.mid16?.elkan_ms_per_iteration;
    }
    for (const row of bayesianRows) row.sklearn = sk!.bayesian[`${row.workload}/${row.type}`]?.median_ms;
    for (const row of selectionRows) {
      row.sklearn = sk!.selection?.[row.key]?.seconds;
      row.sklearnBest = sk!.selection?.[row.key]?.best;
    }
  }
  rmSync(dir, { recursive: true, force: true });

  const lines = [
    header,
    '',
    `EM, ${ITERS} iterations from a fixed start, tol 0; median ms per iteration. Useful GFLOP/s count, per point and component, E ≈ d² + 4d and M ≈ d² + 3d + 1 (full, tied) or 4d and 3d + 1 (diag, spherical); peak = ${fmt(peak)} GFLOP/s per thread, measured; above 100% means the kernels skip work the count includes (responsibilities that are exactly 0 in the M-step; for d ≥ 32, components provably 416 below a row's best after a partial product; tied whitens each row once for all components). ${python ? `scikit-learn ${sk!.version} (numpy + OpenBLAS) measured in the same run.` : 'scikit-learn not found: no comparison.'}`,
    '',
    `| workload | n × d, k | covariance | dtype | scikit-learn | gmm, 1 thread | gmm, ${threads} threads | speedup vs scikit-learn | GFLOP/s (${threads} threads) | % of peak | TypeScript kernels |`,
    '|---|---|---|---|---:|---:|---:|---:|---:|---:|---:|',
    ...rows.map((r) => {
      const gflops = flops(r, r.type) / (r.wasmN / 1000) / 1e9;
      return `| ${r.workload} | ${r.n.toLocaleString('en-US')} × ${r.d}, ${r.k} | ${r.type} | ${r.dtype === 'float32' ? 'f32' : 'f64'} | ${fmt(r.sklearn)} | ${fmt(r.wasm1, 2)} | ${fmt(r.wasmN, 2)} | ${r.sklearn ? `${fmt(r.sklearn / r.wasmN)}×` : '—'} | ${fmt(gflops)} | ${fmt((100 * gflops) / (peak * threads), 0)}% | ${fmt(r.typescript)} |`;
    }),
    '',
    `Variational inference (BayesianGaussianMixture, Dirichlet process), ${ITERS} iterations from the same one-hot start (each row's nearest initial mean), tol 0; median ms per iteration (E-step, M-step and lower bound), scikit-learn's BayesianGaussianMixture the same way.`,
    '',
    `| workload | n × d, k | covariance | scikit-learn | gmm, 1 thread | gmm, ${threads} threads | speedup vs scikit-learn |`,
    '|---|---|---|---:|---:|---:|---:|',
    ...bayesianRows.map(
      (r) =>
        `| ${r.workload} | ${r.n.toLocaleString('en-US')} × ${r.d}, ${r.k} | ${r.type} | ${fmt(r.sklearn)} | ${fmt(r.ms1, 2)} | ${fmt(r.msN, 2)} | ${r.sklearn ? `${fmt(r.sklearn / r.msN)}×` : '—'} |`,
    ),
    '',
    kmeansRow
      ? `k-means (mid16, Lloyd from fixed centers, ${kmeansRow.iterations} iterations; exact Lloyd with Hamerly's bounds, the labels of a full scan): gmm ${fmt(kmeansRow.ms1, 2)} ms per iteration on one thread (fit), ${fmt(kmeansRow.ms, 2)} ms on ${threads} (fitAsync)${kmeansRow.sklearn !== undefined ? `; scikit-learn ${fmt(kmeansRow.sklearn, 2)} ms with algorithm='lloyd' (${fmt(kmeansRow.sklearn / Math.min(kmeansRow.ms1, kmeansRow.ms))}× the faster gmm figure)` : ''}${kmeansRow.elkan !== undefined ? `, ${fmt(kmeansRow.elkan, 2)} ms with 'elkan' (${fmt(kmeansRow.elkan / Math.min(kmeansRow.ms1, kmeansRow.ms))}×)` : ''}.`
      : '',
    ...(selectionRows.length === 0
      ? []
      : [
          '',
          `Model selection by BIC over a grid (components × the four covariance types, scikit-learn's defaults otherwise: k-means start, tol 1e-3, at most 100 iterations); seconds for the whole grid. \`gmm select\` is the built CLI end to end in a new process (start-up, parsing the CSV, one pool of ${threads} workers for the grid); selectModelAsync the same in process; selectModel on the calling thread; scikit-learn fits the same grid (\`GaussianMixture(k, covariance_type, n_init).fit(X).bic(X)\`), fits only.`,
          '',
          `| data | n × d | grid | runs per cell | scikit-learn | gmm select (CLI) | selectModelAsync (${threads} threads) | selectModel (1 thread) | speedup (CLI) | best: gmm / scikit-learn |`,
          '|---|---|---|---:|---:|---:|---:|---:|---:|---|',
          ...selectionRows.map(
            (r) =>
              `| ${r.key} | ${r.n.toLocaleString('en-US')} × ${r.d} | ${r.cells} cells | ${r.nInit} | ${fmt(r.sklearn, 2)} | ${fmt(r.cli, 2)} | ${fmt(r.async, 2)} | ${fmt(r.sync, 2)} | ${r.sklearn ? `${fmt(r.sklearn / r.cli)}×` : '—'} | ${r.best} / ${r.sklearnBest ?? '—'} |`,
          ),
          '',
        ]),
    ...(mclustRows ? [...mclustLines(mclustRows), ''] : []),
    `Digits (PCA to 99% of the variance, ${ours.dims} dims; 110 full components; 1,797 rows), end to end: gmm ${fmt(ours.seconds, 3)} s (${ours.nIter} EM iterations)${sk?.digits ? `, scikit-learn ${fmt(sk.digits.seconds, 3)} s (${sk.digits.n_iter} iterations; ${fmt(sk.digits.seconds / ours.seconds)}×)` : ''}.`,
  ];
  console.log(`\n${lines.join('\n')}`);
  writeFileSync(new URL('./results.md', import.meta.url), `${lines.join('\n')}\n`);
  writeFileSync(
    new URL('./results.json', import.meta.url),
    `${JSON.stringify({ peak, threads, rows, bayesian: bayesianRows, kmeans: kmeansRow, selection: selectionRows, mclust: mclustRows, digits: ours, sklearn: sk }, null, 2)}\n`,
  );
}

// `npm run bench -- scale`: the data-larger-than-memory benchmark (bench/scale.ts) instead.
if (args[0] === 'scale') await import('./scale.js');
else await main();

/** The environment without OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE (which pick a slower, generic OpenBLAS kernel). */
function withoutOpenBlasOverrides(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const { OPENBLAS_CORETYPE: _core, OPENBLAS_L2_SIZE: _l2, ...rest } = env;
  return rest;
}
