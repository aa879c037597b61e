/**
 * The assignment step of Lloyd's algorithm — nearest center of every row and
 * the weighted sums of the next centers — on the WebAssembly kernels where
 * available, in TypeScript otherwise (same results to rounding).
 *
 * The sums are taken per chunk of rows (the same chunks as EM's, a function
 * of the whole data's size only), about a fixed center (the data's column
 * mean), and merged in chunk order by {@link mergeAssignChunks}; so a worker
 * pool owning ranges of chunks gives the same bits as one thread.
 *
 * @module
 */
import type { Matrix } from '../matrix/matrix.js';
import { chunkRows } from '../matrix/chunks.js';
import { acquireKernels, releaseKernels, type KernelInstance } from '../kernels/loader.js';
import { nearestCenter, squaredDistance } from './distance.js';

/** Per-chunk partial sums of an assignment, as workers send them. */
export interface AssignPartials {
  /** Σ w·(x − mean) per chunk and center: chunks × k × d. */
  readonly chunkSums: Float64Array;
  /** Σ w per chunk and center: chunks × k. */
  readonly chunkCounts: Float64Array;
  /** Rows whose label changed since the previous assignment (all of them after a reset). */
  readonly changed: number;
}

/** Where the rows of an assignment step sit in the whole data. */
export interface AssignLayout {
  /** The whole data's column means (the sums' center). */
  readonly mean: Float64Array;
  /** Rows per chunk, from the whole data's size (`chunkRows(n)`). */
  readonly rowsPerChunk: number;
}

/** Assigns rows to centers; bound to one data set and k. */
export interface AssignStep {
  /** Each row's nearest center (first on ties). */
  readonly labels: Int32Array;
  /** Each row's squared distance to its center, after {@link AssignStep.computeDistances}. */
  readonly distances: Float64Array;
  /** Σ w·x per center (k × d), after {@link AssignStep.assign}. */
  readonly sums: Float64Array;
  /** Σ w per center, after {@link AssignStep.assign}. */
  readonly counts: Float64Array;
  /** Rows whose label changed in the last assignment (all of them after a reset). */
  readonly changed: number;
  /**
   * Assigns every row to the nearest of `centers` (k × d): labels, sums, counts, changed.
   *
   * @param centers - k × d.
   * @param fresh - A new run: every row counts as changed.
   */
  assign(centers: Float64Array, fresh?: boolean): void;
  /** Assigns every row: labels, and the per-chunk partial sums (valid until the next call). */
  assignPartials(centers: Float64Array, fresh?: boolean): AssignPartials;
  /** Fills `distances`: each row's exact squared distance to `centers[labels[i]]`. */
  computeDistances(centers: Float64Array): void;
  /** k-means++: each row's squared distance to its closest chosen center so far (n values; see seedFirst). */
  readonly closest: Float64Array;
  /**
   * k-means++'s first center: closest[i] = ‖x_i − x_row‖².
   *
   * @returns Σ w·closest[i], the potential.
   */
  seedFirst(row: number): number;
  /**
   * k-means++'s candidates, in one pass over the rows: for candidate r,
   * min(closest[i], ‖x_i − x_{rows[r]}‖²) into trial buffer r (at most
   * 2 + ⌊ln k⌋ candidates).
   *
   * @returns Each candidate's potential (valid until the next call).
   */
  seedTrials(rows: Int32Array): Float64Array;
  /** Makes trial r's distances the closest ones. */
  seedAccept(r: number): void;
  /** Frees the kernel memory. */
  release(): void;
}

/** Candidates k-means++ tries per new center (scikit-learn's 2 + ⌊ln k⌋). */
export function seedTrialCount(k: number): number {
  return 2 + Math.floor(Math.log(k));
}

/** Column means of X. */
export function columnMeans(X: Matrix): Float64Array {
  const { rows: n, cols: d, data } = X;
  const mean = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let a = 0; a < d; a++) mean[a] += data[i * d + a];
  for (let a = 0; a < d; a++) mean[a] /= n;
  return mean;
}

/**
 * Merges per-chunk partial sums in chunk order and shifts them back from the
 * mean: sums = Σ_chunks Σ w·(x − mean) + (Σ w)·mean.
 *
 * @param parts - Partials of consecutive ranges of chunks, in order.
 * @param mean - The sums' center.
 * @param k - Centers.
 * @param sums - Out: k × d.
 * @param counts - Out: k.
 */
export function mergeAssignChunks(
  parts: readonly AssignPartials[],
  mean: Float64Array,
  k: number,
  sums: Float64Array,
  counts: Float64Array,
): void {
  const d = mean.length;
  sums.fill(0);
  counts.fill(0);
  for (const { chunkSums, chunkCounts } of parts) {
    for (let c = 0; c < chunkCounts.length / k; c++) {
      for (let j = 0; j < k; j++) counts[j] += chunkCounts[c * k + j];
      for (let t = 0; t < k * d; t++) sums[t] += chunkSums[c * k * d + t];
    }
  }
  for (let j = 0; j < k; j++) for (let a = 0; a < d; a++) sums[j * d + a] += counts[j] * mean[a];
}

/**
 * Binds data to an assignment step.
 *
 * @param X - Data, n × d (the whole data, or a worker's chunk-aligned slice of it).
 * @param weights - Row weights or null.
 * @param k - Number of centers.
 * @param layout - The whole data's column means and chunk size (default: X's own).
 * @param backend - `'auto'` follows `setBackend`; workers are told which one the main thread uses.
 * @returns The assignment step.
 */
export function createAssignStep(
  X: Matrix,
  weights: Float64Array | null,
  k: number,
  layout: AssignLayout = { mean: columnMeans(X), rowsPerChunk: chunkRows(X.rows) },
  backend: 'auto' | 'wasm' | 'typescript' = 'auto',
): AssignStep {
  const instance = backend === 'typescript' ? null : acquireKernels();
  if (instance === null && backend === 'wasm') throw new Error('the WebAssembly kernels are not available in this worker');
  return instance ? new WasmAssign(instance, X, weights, k, layout) : new TypeScriptAssign(X, weights, k, layout);
}

abstract class ChunkedAssign {
  readonly sums: Float64Array;
  readonly counts: Float64Array;
  protected readonly chunks: number;

  constructor(
    protected readonly n: number,
    protected readonly d: number,
    protected readonly k: number,
    protected readonly layout: AssignLayout,
  ) {
    this.chunks = Math.ceil(n / layout.rowsPerChunk);
    this.sums = new Float64Array(k * d);
    this.counts = new Float64Array(k);
  }

  changed = 0;

  abstract assignPartials(centers: Float64Array, fresh?: boolean): AssignPartials;

  assign(centers: Float64Array, fresh = false): void {
    const partials = this.assignPartials(centers, fresh);
    this.changed = partials.changed;
    mergeAssignChunks([partials], this.layout.mean, this.k, this.sums, this.counts);
  }
}

class TypeScriptAssign extends ChunkedAssign implements AssignStep {
  readonly labels: Int32Array;
  readonly distances: Float64Array;
  readonly closest: Float64Array;
  private readonly trials: Float64Array[];
  private readonly potentials: Float64Array;
  private readonly partials: { chunkSums: Float64Array; chunkCounts: Float64Array; changed: number };
  private readonly scratch = new Float64Array(1);

  constructor(
    private readonly X: Matrix,
    private readonly weights: Float64Array | null,
    k: number,
    layout: AssignLayout,
  ) {
    super(X.rows, X.cols, k, layout);
    this.closest = new Float64Array(X.rows);
    this.trials = Array.from({ length: seedTrialCount(k) }, () => new Float64Array(X.rows));
    this.potentials = new Float64Array(this.trials.length);
    this.labels = new Int32Array(X.rows).fill(-1);
    this.distances = new Float64Array(X.rows);
    this.partials = {
      chunkSums: new Float64Array(this.chunks * k * X.cols),
      chunkCounts: new Float64Array(this.chunks * k),
      changed: 0,
    };
  }

  computeDistances(centers: Float64Array): void {
    const { rows: n, cols: d, data } = this.X;
    for (let i = 0; i < n; i++) this.distances[i] = squaredDistance(data, i, centers, this.labels[i], d);
  }

  seedFirst(row: number): number {
    const { rows: n, cols: d, data } = this.X;
    let potential = 0;
    for (let i = 0; i < n; i++) {
      this.closest[i] = squaredDistance(data, i, data, row, d);
      potential += (this.weights ? this.weights[i] : 1) * this.closest[i];
    }
    return potential;
  }

  seedTrials(rows: Int32Array): Float64Array {
    const { rows: n, cols: d, data } = this.X;
    this.potentials.fill(0);
    for (let i = 0; i < n; i++) {
      const w = this.weights ? this.weights[i] : 1;
      for (let r = 0; r < rows.length; r++) {
        const dist = Math.min(this.closest[i], squaredDistance(data, i, data, rows[r], d));
        this.trials[r][i] = dist;
        this.potentials[r] += w * dist;
      }
    }
    return this.potentials.subarray(0, rows.length);
  }

  seedAccept(r: number): void {
    this.closest.set(this.trials[r]);
  }

  assignPartials(centers: Float64Array, fresh = false): AssignPartials {
    const { rows: n, cols: d, data } = this.X;
    const { k, weights } = this;
    const { mean, rowsPerChunk } = this.layout;
    const { chunkSums, chunkCounts } = this.partials;
    chunkSums.fill(0);
    chunkCounts.fill(0);
    if (fresh) this.labels.fill(-1);
    let changed = 0;
    for (let i = 0; i < n; i++) {
      const label = nearestCenter(data, i, centers, k, d, this.scratch);
      if (this.labels[i] !== label) changed++;
      this.labels[i] = label;
      this.distances[i] = this.scratch[0];
      const w = weights ? weights[i] : 1;
      const c = Math.floor(i / rowsPerChunk);
      chunkCounts[c * k + label] += w;
      const o = (c * k + label) * d;
      for (let a = 0; a < d; a++) chunkSums[o + a] += w * (data[i * d + a] - mean[a]);
    }
    this.partials.changed = changed;
    return this.partials;
  }

  release(): void {}
}

class WasmAssign extends ChunkedAssign implements AssignStep {
  readonly labels: Int32Array;
  readonly distances: Float64Array;
  readonly closest: Float64Array;
  private readonly trialViews: Float64Array;
  private readonly candidateView: Int32Array;
  private readonly potentialView: Float64Array;
  private readonly paddedCenters: Float64Array;
  private readonly paddedSums: Float64Array;
  private readonly partials: { chunkSums: Float64Array; chunkCounts: Float64Array; changed: number };
  private readonly seedPointers: { closest: number; trials: number; candidates: number; potentials: number; count: number };
  private readonly pointers: {
    x: number;
    w: number;
    centers: number;
    lanes: number;
    norms: number;
    scores: number;
    labels: number;
    distances: number;
    bounds: number;
    xnorms: number;
    moves: number;
    pending: number;
    sums: number;
    counts: number;
    members: number;
  };
  private readonly dx: number;
  /** The centers of the last assignment (k × d), from which the bounds moved; null: no bounds. */
  private previous: Float64Array | null = null;
  private readonly moves: Float64Array;
  /** √(max ‖x‖²) of the centered rows: the scale of the bounds' rounding. */
  private readonly rowScale: number;

  constructor(
    private readonly instance: KernelInstance,
    X: Matrix,
    weights: Float64Array | null,
    k: number,
    layout: AssignLayout,
  ) {
    super(X.rows, X.cols, k, layout);
    const { n, d, chunks } = this;
    const dx = (this.dx = (d + 1) & ~1);
    this.pointers = {
      x: instance.alloc(n * dx * 8),
      w: weights ? instance.alloc(n * 8) : 0,
      centers: instance.alloc(k * dx * 8),
      lanes: instance.alloc(dx * ((k + 3) & ~3) * 8),
      norms: instance.alloc(((k + 3) & ~3) * 8),
      scores: instance.alloc(4 * ((k + 3) & ~3) * 8),
      labels: instance.alloc(n * 4),
      distances: instance.alloc(n * 8),
      bounds: instance.alloc(2 * n * 8),
      xnorms: instance.alloc(n * 8),
      moves: instance.alloc(3 * k * 8),
      pending: instance.alloc(n * 4),
      sums: instance.alloc(chunks * k * dx * 8),
      counts: instance.alloc(chunks * k * 8),
      members: instance.alloc(chunks * (2 * k + 1) * 4),
    };
    const count = seedTrialCount(k);
    this.seedPointers = {
      closest: instance.alloc(n * 8),
      trials: instance.alloc(count * n * 8),
      candidates: instance.alloc(count * 4),
      potentials: instance.alloc(count * 8),
      count,
    };
    // Views only after the last allocation. Rows are stored centered on the whole data's mean.
    const { mean } = layout;
    const xs = instance.f64(this.pointers.x, n * dx);
    xs.fill(0); // memory is reused between fits: padding must be zero
    for (let i = 0; i < n; i++) for (let a = 0; a < d; a++) xs[i * dx + a] = X.data[i * d + a] - mean[a];
    if (weights) instance.f64(this.pointers.w, n).set(weights);
    const xnorms = instance.f64(this.pointers.xnorms, n);
    let widest = 0;
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let a = 0; a < d; a++) s += xs[i * dx + a]! * xs[i * dx + a]!;
      xnorms[i] = s;
      widest = Math.max(widest, s);
    }
    this.rowScale = Math.sqrt(widest);
    this.moves = instance.f64(this.pointers.moves, 3 * k);
    const buffer = instance.exports.memory.buffer as ArrayBuffer;
    this.labels = new Int32Array(buffer, this.pointers.labels, n).fill(-1); // no previous labels
    this.distances = instance.f64(this.pointers.distances, n);
    this.paddedCenters = instance.f64(this.pointers.centers, k * dx);
    this.paddedCenters.fill(0);
    this.paddedSums = instance.f64(this.pointers.sums, chunks * k * dx);
    this.partials = {
      chunkSums: new Float64Array(chunks * k * d),
      chunkCounts: instance.f64(this.pointers.counts, chunks * k),
      changed: 0,
    };
    const sp = this.seedPointers;
    this.closest = instance.f64(sp.closest, n);
    this.trialViews = instance.f64(sp.trials, sp.count * n);
    this.candidateView = new Int32Array(buffer, sp.candidates, sp.count);
    this.potentialView = instance.f64(sp.potentials, sp.count);
  }

  /** The centers, centered like the rows and padded, into the kernels' memory. */
  private writeCenters(centers: Float64Array): void {
    const { k, d, dx } = this;
    const { mean } = this.layout;
    for (let c = 0; c < k; c++) for (let a = 0; a < d; a++) this.paddedCenters[c * dx + a] = centers[c * d + a] - mean[a];
  }

  computeDistances(centers: Float64Array): void {
    const p = this.pointers;
    this.writeCenters(centers);
    this.instance.exports.kmeansDistances(p.x, this.n, this.dx, p.centers, p.labels, p.distances);
  }

  seedFirst(row: number): number {
    const p = this.pointers;
    const sp = this.seedPointers;
    this.candidateView[0] = row;
    this.instance.exports.seedDistances(p.x, p.w, this.n, this.dx, sp.candidates, 1, 0, sp.closest, sp.potentials);
    return this.potentialView[0]!;
  }

  seedTrials(rows: Int32Array): Float64Array {
    const p = this.pointers;
    const sp = this.seedPointers;
    if (rows.length > sp.count) throw new Error(`k-means++: at most ${sp.count} candidates at once`);
    this.candidateView.set(rows);
    this.instance.exports.seedDistances(
      p.x,
      p.w,
      this.n,
      this.dx,
      sp.candidates,
      rows.length,
      sp.closest,
      sp.trials,
      sp.potentials,
    );
    return this.potentialView.subarray(0, rows.length);
  }

  seedAccept(r: number): void {
    this.closest.set(this.trialViews.subarray(r * this.n, (r + 1) * this.n));
  }

  /**
   * Hamerly's moves from the previous centers to `centers`: each center's
   * drift, the largest drift of the others, half the distance to the nearest
   * other center; drifts widened and halves narrowed by more than the
   * rounding of the bounds' updates (relative 1e-10, absolute 1e-13 of the
   * data's scale), so the bounds stay bounds.
   */
  private writeMoves(previous: Float64Array, centers: Float64Array): void {
    const { k, d, moves } = this;
    const { mean } = this.layout;
    let centerScale = 0;
    for (let c = 0; c < k; c++) {
      let s = 0;
      for (let a = 0; a < d; a++) s += (centers[c * d + a]! - mean[a]!) ** 2;
      centerScale = Math.max(centerScale, s);
    }
    const pad = 1e-13 * (this.rowScale + Math.sqrt(centerScale));
    let first = 0;
    let second = 0;
    let firstAt = -1;
    for (let c = 0; c < k; c++) {
      let s = 0;
      for (let a = 0; a < d; a++) s += (centers[c * d + a]! - previous[c * d + a]!) ** 2;
      const drift = Math.sqrt(s) * (1 + 1e-10) + pad;
      moves[c] = drift;
      if (drift > first) {
        second = first;
        first = drift;
        firstAt = c;
      } else if (drift > second) second = drift;
    }
    for (let c = 0; c < k; c++) {
      moves[k + c] = c === firstAt ? second : first;
      let nearest = Infinity;
      for (let o = 0; o < k; o++) {
        if (o === c) continue;
        let s = 0;
        for (let a = 0; a < d; a++) s += (centers[c * d + a]! - centers[o * d + a]!) ** 2;
        nearest = Math.min(nearest, s);
      }
      moves[2 * k + c] = 0.5 * Math.sqrt(nearest) * (1 - 1e-10) - pad;
    }
  }

  assignPartials(centers: Float64Array, fresh = false): AssignPartials {
    const { k, d, dx, n, pointers: p } = this;
    const { rowsPerChunk } = this.layout;
    this.writeCenters(centers);
    if (fresh) {
      this.labels.fill(-1);
      this.previous = null;
    }
    const full = this.previous === null ? 1 : 0;
    if (this.previous === null) this.previous = new Float64Array(k * d);
    else this.writeMoves(this.previous, centers);
    this.previous.set(centers);
    let changed = 0;
    for (let c = 0; c < this.chunks; c++) {
      const start = c * rowsPerChunk;
      const rows = Math.min(rowsPerChunk, n - start);
      changed += this.instance.exports.kmeansAssign(
        p.x + start * dx * 8,
        p.w === 0 ? 0 : p.w + start * 8,
        rows,
        dx,
        k,
        p.centers,
        p.lanes,
        p.norms,
        p.scores,
        p.labels + start * 4,
        p.bounds + start * 8,
        p.bounds + (n + start) * 8,
        p.xnorms + start * 8,
        p.moves,
        p.pending,
        p.sums + c * k * dx * 8,
        p.counts + c * k * 8,
        p.members + c * (2 * k + 1) * 4,
        full,
      );
    }
    // The chunks' sums without the padding column.
    const { chunkSums } = this.partials;
    for (let t = 0; t < this.chunks * k; t++) for (let a = 0; a < d; a++) chunkSums[t * d + a] = this.paddedSums[t * dx + a];
    this.partials.changed = changed;
    return this.partials;
  }

  release(): void {
    releaseKernels(this.instance);
  }
}
