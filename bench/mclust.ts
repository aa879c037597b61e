/**
 * The mclust part of `npm run bench`, against R's mclust measured in the same
 * run when `Rscript` with mclust is installed (Debian's r-cran-mclust):
 * - mclust's hierarchical start, `hc(X, "VVV", use = "SVD")`, on 2,000
 *   generated rows (mclust's subset size) in 2, 4 and 8 columns: ours is
 *   `initParams: 'hc'`'s hierarchy (same partitions, checked here for k = 1..9);
 * - mclust's whole BIC grid on iris, `mclustBIC(iris[, 1:4])` (14 models ×
 *   k = 1..9 from its hc start, its defaults), against `selectModel(X,
 *   { covarianceTypes: 'mclust', initParams: 'hc', nInit: 1, tol: 1e-5 })`
 *   (mclust stops at a relative change of 1e-5 in the log-likelihood, ours at
 *   1e-5 in its mean per row: about as tight on iris).
 * Times are seconds, the median of 3 (ours) and the mean of 3 (mclust's
 * `system.time`).
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { hierarchyPartition, hierarchyVVV, svdScaled } from '../src/fit/hierarchical.js';
import { readData } from '../src/io/readData.js';
import { makeBlobs, selectModel, type Matrix } from '../src/node/index.js';

/** What the mclust part measured. */
export interface MclustRows {
  /** Per column count: our hierarchy, mclust's hc, and whether the partitions for k = 1..9 agree. */
  hc: { n: number; d: number; ours: number; mclust?: number | undefined; same?: boolean | undefined }[];
  /** The iris grid: seconds and the chosen model, ours and mclust's. */
  grid: { cells: number; ours: number; oursBest: string; mclust?: number | undefined; mclustBest?: string | undefined };
}

const R_SCRIPT = String.raw`
suppressMessages(library(mclust))
args <- commandArgs(trailingOnly = TRUE)
dir <- args[1]
out <- list(hc = list())
for (d in c(2, 4, 8)) {
  X <- as.matrix(read.csv(file.path(dir, sprintf("hc%d.csv", d)), header = FALSE))
  t <- system.time(for (r in 1:3) h <- hc(X, modelName = "VVV", use = "SVD"))[["elapsed"]] / 3
  cl <- hclass(h, 1:9)
  out$hc[[length(out$hc) + 1]] <- list(d = d, seconds = t, labels = lapply(1:9, function(G) unname(cl[, G]) - 1L))
}
X <- as.matrix(iris[, 1:4])
t <- system.time(for (r in 1:3) B <- mclustBIC(X, G = 1:9))[["elapsed"]] / 3
best <- names(summary(B))[1]
out$grid <- list(seconds = t, best = best)
cat(jsonlite::toJSON(out, auto_unbox = TRUE, digits = NA))
`;

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function timed<T>(f: () => T): { seconds: number; value: T } {
  const runs: number[] = [];
  let value!: T;
  for (let r = 0; r < 3; r++) {
    const t = performance.now();
    value = f();
    runs.push((performance.now() - t) / 1000);
  }
  return { seconds: median(runs), value };
}

/** Whether Rscript with mclust and jsonlite runs here. */
function haveMclust(): boolean {
  const probe = spawnSync('Rscript', ['-e', 'suppressMessages(library(mclust)); library(jsonlite)'], { stdio: 'ignore' });
  return probe.status === 0;
}

/**
 * Runs the mclust part.
 *
 * @param dir - A scratch directory for the data files.
 * @returns The rows (mclust's figures absent when R is not installed).
 */
export async function mclustBench(dir: string): Promise<MclustRows> {
  const data: Record<number, Matrix> = {};
  for (const d of [2, 4, 8]) {
    const { X } = makeBlobs({ nSamples: 2000, nFeatures: d, nCenters: 5, seed: 3 });
    data[d] = X;
    const lines: string[] = [];
    for (let i = 0; i < X.rows; i++) lines.push(Array.from(X.data.subarray(i * d, (i + 1) * d)).join(','));
    writeFileSync(join(dir, `hc${d}.csv`), `${lines.join('\n')}\n`);
  }
  let r: { hc: { d: number; seconds: number; labels: number[][] }[]; grid: { seconds: number; best: string } } | undefined;
  if (haveMclust()) {
    const script = join(dir, 'mclust_bench.R');
    writeFileSync(script, R_SCRIPT);
    const run = spawnSync('Rscript', [script, dir], { encoding: 'utf8', maxBuffer: 1 << 26 });
    if (run.status !== 0) throw new Error(`mclust bench failed: ${run.stderr}`);
    r = JSON.parse(run.stdout);
  }
  const hc = [2, 4, 8].map((d) => {
    const { seconds, value: h } = timed(() => hierarchyVVV(svdScaled(data[d]!)));
    const theirs = r?.hc.find((x) => x.d === d);
    const same =
      theirs && theirs.labels.every((labels, k) => Array.from(hierarchyPartition(h, k + 1)).every((v, i) => v === labels[i]));
    return { n: 2000, d, ours: seconds, mclust: theirs?.seconds, same };
  });
  const iris = fileURLToPath(new URL('../data/iris.csv', import.meta.url));
  const { X } = await readData(iris, { labelColumn: 'species' });
  const options = {
    covarianceTypes: 'mclust',
    nComponents: [1, 2, 3, 4, 5, 6, 7, 8, 9],
    initParams: 'hc',
    nInit: 1,
    tol: 1e-5,
  } as const;
  // Each timed grid starts from fresh data, so the hierarchy is computed in every one (as mclustBIC does).
  const { seconds, value } = timed(() => selectModel(X, { ...options, maxIter: 100_000 }));
  const grid = {
    cells: 14 * 9,
    ours: seconds,
    oursBest: `${value.best.covarianceType},${value.best.nComponents}`,
    mclust: r?.grid.seconds,
    mclustBest: r?.grid.best,
  };
  return { hc, grid };
}

/** The README/results lines of the mclust part. */
export function mclustLines(rows: MclustRows): string[] {
  const fmt = (x: number | undefined, digits = 2) => (x === undefined ? '—' : x.toFixed(digits));
  const ratio = (a: number | undefined, b: number) => (a === undefined ? '—' : `${(a / b).toFixed(1)}×`);
  return [
    '',
    "Against R's mclust (Debian's r-cran-mclust, same run): mclust's hierarchical start (`hc`, VVV on its SVD scaling) on 2,000 generated rows, and its whole BIC grid on iris (`mclustBIC(iris[, 1:4])`: 14 models × k = 1..9 from the hc start) against `selectModel(X, { covarianceTypes: 'mclust', initParams: 'hc', nInit: 1, tol: 1e-5 })`, on one thread; seconds.",
    '',
    '| workload | mclust | gmm | speedup | same result |',
    '|---|---:|---:|---:|---|',
    ...rows.hc.map(
      (h) =>
        `| hc, ${h.n.toLocaleString('en-US')} × ${h.d} | ${fmt(h.mclust)} | ${fmt(h.ours)} | ${ratio(h.mclust, h.ours)} | ${h.same === undefined ? '—' : h.same ? 'partitions k = 1..9 identical' : 'partitions differ'} |`,
    ),
    `| mclustBIC grid, iris (${rows.grid.cells} cells) | ${fmt(rows.grid.mclust)} | ${fmt(rows.grid.ours)} | ${ratio(rows.grid.mclust, rows.grid.ours)} | best ${rows.grid.oursBest} / ${rows.grid.mclustBest ?? '—'} |`,
  ];
}
