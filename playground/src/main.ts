/**
 * The playground page: pick data, fit k-means and a Gaussian mixture side by
 * side off the main thread, step or animate EM, sample, and plot BIC over k.
 * Every figure is drawn by the library (SVG strings); this file only wires
 * the page.
 */
import {
  adjustedRandIndex,
  GaussianMixture,
  KMeans,
  plotConvergence,
  plotCriteria,
  plotData,
  plotKMeans,
  plotSamples,
  plotSoftAssignment,
  selectModelAsync,
  type CovarianceType,
  type EMSnapshot,
  type GaussianMixtureModel,
} from 'gmm';
import { DATASETS, datasetFromFile, loadDataset, pickColumns, withPoint, type Dataset, type DatasetId } from './datasets.js';
import { clickToData, drawnRows, element, format, MAX_DRAWN, viewOf } from './view.js';

const ui = {
  dataset: element<HTMLSelectElement>('dataset'),
  k: element<HTMLInputElement>('k'),
  columns: element('columns'),
  xColumn: element<HTMLSelectElement>('x-column'),
  yColumn: element<HTMLSelectElement>('y-column'),
  covariance: element<HTMLSelectElement>('covariance'),
  fit: element<HTMLButtonElement>('fit'),
  reset: element<HTMLButtonElement>('reset'),
  step: element<HTMLButtonElement>('step'),
  animate: element<HTMLButtonElement>('animate'),
  sample: element<HTMLButtonElement>('sample'),
  bic: element<HTMLButtonElement>('bic'),
  allTypes: element<HTMLInputElement>('all-types'),
  file: element<HTMLInputElement>('file'),
  status: element('status'),
  error: element('error'),
  kmeansPlot: element('kmeans-plot'),
  kmeansCaption: element('kmeans-caption'),
  gmmPlot: element('gmm-plot'),
  gmmCaption: element('gmm-caption'),
  trace: element('trace'),
  bicPlot: element('bic-plot'),
};

/** Everything the page shows. */
const state: {
  data: Dataset;
  /** Fixed axes for every figure of this dataset, so that they do not jump as EM moves. */
  view: { xDomain: [number, number]; yDomain: [number, number] };
  /** EM one step at a time, and the log-likelihood of each snapshot. */
  stepper: Generator<EMSnapshot, GaussianMixtureModel> | undefined;
  trace: number[];
  traceStart: number;
  /** The mixture shown: a snapshot of the stepper or a finished fit. */
  model: GaussianMixtureModel | undefined;
  converged: boolean;
  animation: ReturnType<typeof setTimeout> | undefined;
  /** Aborts the running fit or selection when the data change. */
  work: AbortController | undefined;
} = {
  data: loadDataset('stretched-blobs'),
  view: viewOf(loadDataset('empty').X),
  stepper: undefined,
  trace: [],
  traceStart: 0,
  model: undefined,
  converged: false,
  animation: undefined,
  work: undefined,
};

for (const [id, label] of Object.entries(DATASETS)) ui.dataset.add(new Option(label, id));

function settings(): { k: number; covarianceType: CovarianceType } {
  const k = Number(ui.k.value);
  if (!Number.isInteger(k) || k < 1 || k > 20) throw new Error(`k must be a whole number from 1 to 20; got '${ui.k.value}'`);
  return { k, covarianceType: ui.covariance.value as CovarianceType };
}

function say(text: string): void {
  ui.status.textContent = text;
}

function showError(e: unknown): void {
  ui.error.textContent = e instanceof Error ? e.message : String(e);
  ui.error.hidden = false;
}

function clearError(): void {
  ui.error.hidden = true;
  ui.error.textContent = '';
}

/** Runs a page action; any error is shown in the page, never thrown away. */
function action(run: () => void | Promise<void>): () => Promise<void> {
  return async () => {
    clearError();
    try {
      await run();
    } catch (e) {
      if (!(e instanceof DOMException && e.name === 'AbortError')) showError(e);
    } finally {
      refreshButtons();
    }
  };
}

let busy = false;
function refreshButtons(): void {
  const enough = state.data.X.rows >= Math.max(2, Number(ui.k.value) || 1);
  for (const button of [ui.fit, ui.reset, ui.step, ui.bic]) button.disabled = busy || !enough;
  ui.animate.disabled = busy || !enough;
  ui.sample.disabled = busy || state.model === undefined;
}

// --- Drawing ---------------------------------------------------------------------------------------

/**
 * Options every data figure of the page shares: feature names, the fixed axes, and at most about
 * MAX_DRAWN points drawn (every m-th row of large data; counts and legends are of every row).
 */
const frame = () => ({ featureNames: state.data.featureNames, ...state.view, equalAspect: true, maxPoints: MAX_DRAWN });
const names = (): { featureNames: [string, string] } => ({ featureNames: state.data.featureNames });

function drawData(): void {
  const { data } = state;
  const { labels } = data;
  ui.kmeansPlot.innerHTML = plotData(data.X, {
    ...frame(),
    title: data.X.rows === 0 ? 'Click to add points' : `${format(data.X.rows)} points${labels ? ', colored by true class' : ''}`,
    ...(labels ? { labels, ...(data.classNames ? { classNames: data.classNames } : {}) } : {}),
  });
  ui.kmeansCaption.textContent = `k-means — ${data.name}`;
}

function drawModel(title: string): void {
  if (!state.model) return;
  ui.gmmPlot.innerHTML = plotSoftAssignment(state.model, state.data.X, { ...frame(), title });
  ui.gmmPlot.dataset.components = String(state.model.nComponents);
}

function drawTrace(): void {
  ui.trace.dataset.values = state.trace.join(' ');
  ui.trace.innerHTML =
    state.trace.length === 0 ? '' : plotConvergence(state.trace, { firstIteration: state.traceStart, height: 300 });
}

function caption(model: GaussianMixtureModel): string {
  const { labels, X } = state.data;
  const ari = labels
    ? `; adjusted Rand index ${adjustedRandIndex(labels, model.predict(X)).toFixed(3)} against the true classes`
    : '';
  return `Gaussian mixture — k = ${model.nComponents}, ${model.covarianceType} covariances${ari}`;
}

// --- Data --------------------------------------------------------------------------------------------

function setData(data: Dataset, keepView = false): void {
  stopAnimation();
  state.work?.abort();
  state.data = data;
  showColumns(data);
  if (!keepView) state.view = viewOf(data.X);
  if (!keepView) ui.k.value = String(data.k);
  state.model = undefined;
  state.stepper = undefined;
  state.trace = [];
  ui.gmmPlot.innerHTML = '';
  ui.bicPlot.innerHTML = '';
  ui.gmmCaption.textContent = 'Gaussian mixture';
  drawData();
  drawTrace();
  const drawn = drawnRows(data.X.rows);
  const shownNote = drawn < data.X.rows ? ` (drawing ${format(drawn)} of them)` : '';
  const about = `${data.name}: ${format(data.X.rows)} points${shownNote}.`;
  const needed = Math.max(2, Number(ui.k.value));
  if (data.X.rows >= needed) {
    restartEM();
    say(`${about} EM's starting guess is on the right: press Step or Animate to run EM, or Fit both.`);
  } else {
    say(`${about} Click on a plot to add points: EM needs at least ${needed}.`);
  }
}

/** The column picker: shown for data with more than two numeric columns, set to the two picked. */
function showColumns(data: Dataset): void {
  ui.columns.hidden = data.columns.length <= 2;
  for (const [select, picked] of [
    [ui.xColumn, data.picked[0]],
    [ui.yColumn, data.picked[1]],
  ] as const) {
    select.replaceChildren(...data.columns.map((name, c) => new Option(name, String(c))));
    select.value = String(picked);
  }
}

// --- EM step by step -------------------------------------------------------------------------------

function restartEM(): void {
  stopAnimation();
  const { k, covarianceType } = settings();
  state.stepper = new GaussianMixture({ nComponents: k, covarianceType, seed: 0 }).iterate(state.data.X, names());
  state.trace = [];
  state.traceStart = 0;
  state.converged = false;
  step();
}

/** One E-step and M-step (the first call shows the starting guess). */
function step(): boolean {
  if (!state.stepper) restartEM();
  const next = state.stepper!.next();
  if (next.done) {
    state.converged = true;
    say(`EM converged after ${next.value.nIter} iterations: log-likelihood ${state.trace.at(-1)?.toFixed(5)} per point.`);
    return false;
  }
  const { iteration, logLikelihood, model } = next.value;
  state.model = model;
  state.trace.push(logLikelihood);
  drawModel(
    iteration === 0 ? 'EM: the starting guess (k-means)' : `EM after ${iteration} iteration${iteration === 1 ? '' : 's'}`,
  );
  ui.gmmCaption.textContent = caption(model);
  drawTrace();
  say(`EM iteration ${iteration}: log-likelihood ${logLikelihood.toFixed(5)} per point.`);
  return true;
}

function stopAnimation(): void {
  if (state.animation !== undefined) clearTimeout(state.animation);
  state.animation = undefined;
  ui.animate.setAttribute('aria-pressed', 'false');
  ui.animate.textContent = 'Animate';
}

function animate(): void {
  if (state.animation !== undefined) {
    stopAnimation();
    return;
  }
  if (state.converged || !state.stepper) restartEM();
  ui.animate.setAttribute('aria-pressed', 'true');
  ui.animate.textContent = 'Pause';
  const tick = (): void => {
    try {
      if (step()) {
        state.animation = setTimeout(tick, 350);
        return;
      }
    } catch (e) {
      showError(e);
    }
    stopAnimation();
  };
  state.animation = setTimeout(tick, 0);
}

// --- Fitting off the main thread ---------------------------------------------------------------------

/**
 * Measures how long the main thread is ever blocked while `work` runs (a
 * timer that should fire every 10 ms): the proof that the page stays responsive.
 */
async function watchMainThread<T>(work: Promise<T>): Promise<{ result: T; longestGap: number }> {
  let last = performance.now();
  let longestGap = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    longestGap = Math.max(longestGap, now - last);
    last = now;
  }, 10);
  try {
    return { result: await work, longestGap };
  } finally {
    clearInterval(timer);
  }
}

async function fitBoth(): Promise<void> {
  stopAnimation();
  const { k, covarianceType } = settings();
  const { X } = state.data;
  state.work?.abort();
  const work = (state.work = new AbortController());
  busy = true;
  refreshButtons();
  const threads = Math.max(1, navigator.hardwareConcurrency || 1);
  say(`Fitting k-means and the mixture on ${format(X.rows)} points (${threads} worker threads)…`);
  state.trace = [];
  state.traceStart = 1;
  const started = performance.now();
  try {
    const { result, longestGap } = await watchMainThread(
      Promise.all([
        new KMeans({ nClusters: k, seed: 0 }).fitAsync(X, { threads, signal: work.signal }),
        new GaussianMixture({ nComponents: k, covarianceType, seed: 0 }).fitAsync(X, {
          ...names(),
          threads,
          signal: work.signal,
          onIteration: ({ lowerBound }) => {
            state.trace.push(lowerBound);
            drawTrace();
          },
        }),
      ]),
    );
    const seconds = ((performance.now() - started) / 1000).toFixed(2);
    const [kmeans, model] = result;
    state.model = model;
    state.stepper = undefined;
    state.converged = true;
    ui.kmeansPlot.innerHTML = plotKMeans(kmeans, state.data.X, { ...frame(), title: `k-means, k = ${k}` });
    const ari = state.data.labels
      ? `; adjusted Rand index ${adjustedRandIndex(state.data.labels, kmeans.labels).toFixed(3)} against the true classes`
      : '';
    ui.kmeansCaption.textContent = `k-means — inertia ${kmeans.inertia.toFixed(2)} after ${kmeans.nIter} iterations${ari}`;
    drawModel(`Gaussian mixture, k = ${k}, ${covarianceType}: soft assignment`);
    ui.gmmCaption.textContent = caption(model);
    drawTrace();
    document.body.dataset.longestGap = longestGap.toFixed(0);
    say(
      `Fitted in ${seconds} s: EM ${model.converged ? 'converged' : 'stopped'} after ${model.nIter} iterations ` +
        `(log-likelihood ${model.lowerBound.toFixed(5)} per point). The page stayed responsive: the main thread ` +
        `was never blocked for more than ${longestGap.toFixed(0)} ms.`,
    );
  } finally {
    busy = false;
    if (state.work === work) state.work = undefined;
  }
}

async function bicCurve(): Promise<void> {
  stopAnimation();
  const { covarianceType } = settings();
  const { X } = state.data;
  const ks = Array.from({ length: Math.min(10, X.rows) }, (_, i) => i + 1);
  const types: CovarianceType[] = ui.allTypes.checked ? ['full', 'tied', 'diag', 'spherical'] : [covarianceType];
  state.work?.abort();
  const work = (state.work = new AbortController());
  busy = true;
  refreshButtons();
  try {
    const selection = await selectModelAsync(X, {
      nComponents: ks,
      covarianceTypes: types,
      nInit: 3,
      seed: 0,
      signal: work.signal,
      onResult: (r, done, total) => say(`BIC: fitted k = ${r.nComponents} (${r.covarianceType}), ${done} of ${total}…`),
    });
    ui.bicPlot.innerHTML = plotCriteria(selection.results, { height: 300, title: 'BIC against k (best of 3 starts each)' });
    say(`Lowest BIC: k = ${selection.best.nComponents}, ${selection.best.covarianceType} covariances.`);
  } finally {
    busy = false;
    if (state.work === work) state.work = undefined;
  }
}

function sample(): void {
  if (!state.model) return;
  const n = Math.min(Math.max(state.data.X.rows, 100), 3000);
  const drawn = state.model.sample(n, { seed: Math.floor(Math.random() * 1e9) });
  ui.gmmPlot.innerHTML = plotSamples(state.model, state.data.X, drawn, {
    ...frame(),
    title: `${format(n)} new points drawn from the mixture`,
  });
  say(`Drew ${format(n)} new points from the mixture (colored by the component each came from).`);
}

// --- Events ------------------------------------------------------------------------------------------

ui.dataset.addEventListener(
  'change',
  action(() => setData(loadDataset(ui.dataset.value as DatasetId))),
);
const settingsChanged = action(() => {
  if (state.data.X.rows >= Math.max(2, Number(ui.k.value))) restartEM();
});
ui.k.addEventListener('change', settingsChanged);
const columnsChanged = action(() => {
  const [x, y] = [Number(ui.xColumn.value), Number(ui.yColumn.value)];
  if (x === y) throw new Error(`x and y are both ${state.data.columns[x]}: pick two different columns`);
  // Another view of the same data: k stays as chosen.
  setData({ ...pickColumns(state.data, x, y), k: Number(ui.k.value) || state.data.k });
});
ui.xColumn.addEventListener('change', columnsChanged);
ui.yColumn.addEventListener('change', columnsChanged);
ui.covariance.addEventListener('change', settingsChanged);
ui.fit.addEventListener('click', action(fitBoth));
ui.reset.addEventListener('click', action(restartEM));
ui.step.addEventListener(
  'click',
  action(() => void step()),
);
ui.animate.addEventListener('click', action(animate));
ui.sample.addEventListener('click', action(sample));
ui.bic.addEventListener('click', action(bicCurve));

async function openFile(file: File): Promise<void> {
  const data = datasetFromFile(await file.text(), file.name);
  const option = new Option(`file: ${file.name}`, 'file');
  ui.dataset.querySelector('option[value="file"]')?.remove();
  ui.dataset.add(option);
  ui.dataset.value = 'file';
  setData(data);
}

ui.file.addEventListener(
  'change',
  action(async () => {
    const file = ui.file.files?.[0];
    ui.file.value = '';
    if (file) await openFile(file);
  }),
);
document.addEventListener('dragover', (e) => {
  e.preventDefault();
  document.body.classList.add('dragging');
});
document.addEventListener('dragleave', () => document.body.classList.remove('dragging'));
document.addEventListener('drop', (e) => {
  e.preventDefault();
  document.body.classList.remove('dragging');
  const file = e.dataTransfer?.files[0];
  if (file) void action(() => openFile(file))();
});

for (const plot of [ui.kmeansPlot, ui.gmmPlot]) {
  plot.addEventListener('click', (event) => {
    void action(() => {
      const point = clickToData(event, plot);
      // A click adds a point; the axes stay where they are.
      if (point) setData(withPoint(state.data, point[0], point[1]), true);
    })();
  });
}

setData(state.data);
refreshButtons();
