/**
 * The assignment step of Lloyd's algorithm — nearest center of every row and
 * the weighted sums of the next centers — on the WebAssembly kernels where
 * available, in TypeScript otherwise (same results to rounding).
 *
 * @module
 */
import type { Matrix } from '../matrix/matrix.js';
import { acquireKernels, releaseKernels, type KernelInstance } from '../wasm/runtime.js';
import { nearestCenter, squaredDistance } from './distance.js';

/** Assigns rows to centers; bound to one data set and k. */
export interface AssignStep {
  /** Each row's nearest center (first on ties). */
  readonly labels: Int32Array;
  /** Each row's squared distance to its center, after {@link AssignStep.computeDistances}. */
  readonly distances: Float64Array;
  /** Σ w·x per center (k × d). */
  readonly sums: Float64Array;
  /** Σ w per center. */
  readonly counts: Float64Array;
  /** Assigns every row to the nearest of `centers` (k × d): labels, sums, counts. */
  assign(centers: Float64Array): void;
  /** Fills `distances`: each row's exact squared distance to `centers[labels[i]]`. */
  computeDistances(centers: Float64Array): void;
  /** Three buffers of n values for k-means++ seeding (see {@link AssignStep.seedDistances}). */
  readonly seeding: readonly [Float64Array, Float64Array, Float64Array];
  /**
   * k-means++'s distance pass: seeding[to][i] = min(seeding[from][i], ‖x_i − x_row‖²)
   * (from = −1: no earlier centers).
   *
   * @returns Σ w·seeding[to][i], the potential.
   */
  seedDistances(row: number, from: number, to: number): number;
  /** Frees the kernel memory. */
  release(): void;
}

/**
 * Binds data to an assignment step.
 *
 * @param X - Data, n × d.
 * @param weights - Row weights or null.
 * @param k - Number of centers.
 * @returns The assignment step.
 */
export function createAssignStep(X: Matrix, weights: Float64Array | null, k: number): AssignStep {
  const instance = acquireKernels();
  return instance ? new WasmAssign(instance, X, weights, k) : new TypeScriptAssign(X, weights, k);
}

class TypeScriptAssign implements AssignStep {
  readonly labels: Int32Array;
  readonly distances: Float64Array;
  readonly sums: Float64Array;
  readonly counts: Float64Array;
  readonly seeding: readonly [Float64Array, Float64Array, Float64Array];
  private readonly scratch = new Float64Array(1);

  constructor(
    private readonly X: Matrix,
    private readonly weights: Float64Array | null,
    private readonly k: number,
  ) {
    this.seeding = [new Float64Array(X.rows), new Float64Array(X.rows), new Float64Array(X.rows)];
    this.labels = new Int32Array(X.rows);
    this.distances = new Float64Array(X.rows);
    this.sums = new Float64Array(k * X.cols);
    this.counts = new Float64Array(k);
  }

  computeDistances(centers: Float64Array): void {
    const { rows: n, cols: d, data } = this.X;
    for (let i = 0; i < n; i++) this.distances[i] = squaredDistance(data, i, centers, this.labels[i], d);
  }

  seedDistances(row: number, from: number, to: number): number {
    const { rows: n, cols: d, data } = this.X;
    const closest = from >= 0 ? this.seeding[from] : null;
    const out = this.seeding[to];
    let potential = 0;
    for (let i = 0; i < n; i++) {
      const dist = closest
        ? Math.min(closest[i], squaredDistance(data, i, data, row, d))
        : squaredDistance(data, i, data, row, d);
      out[i] = dist;
      potential += (this.weights ? this.weights[i] : 1) * dist;
    }
    return potential;
  }

  assign(centers: Float64Array): void {
    const { rows: n, cols: d, data } = this.X;
    const { sums, counts, weights } = this;
    sums.fill(0);
    counts.fill(0);
    for (let i = 0; i < n; i++) {
      const label = nearestCenter(data, i, centers, this.k, d, this.scratch);
      this.labels[i] = label;
      this.distances[i] = this.scratch[0];
      const w = weights ? weights[i] : 1;
      counts[label] += w;
      for (let j = 0; j < d; j++) sums[label * d + j] += w * data[i * d + j];
    }
  }

  release(): void {}
}

class WasmAssign implements AssignStep {
  readonly labels: Int32Array;
  readonly distances: Float64Array;
  readonly sums: Float64Array;
  readonly counts: Float64Array;
  private readonly paddedSums: Float64Array;
  private readonly paddedCenters: Float64Array;
  readonly seeding: readonly [Float64Array, Float64Array, Float64Array];
  private readonly seedPointers: readonly [number, number, number];
  private readonly pointers: {
    x: number;
    w: number;
    centers: number;
    lanes: number;
    norms: number;
    labels: number;
    distances: number;
    sums: number;
    counts: number;
  };
  /** Column means, subtracted from the rows in the kernels' memory (and from the centers). */
  private readonly mean: Float64Array;
  private readonly n: number;
  private readonly d: number;
  private readonly dx: number;

  constructor(
    private readonly instance: KernelInstance,
    X: Matrix,
    weights: Float64Array | null,
    private readonly k: number,
  ) {
    const n = (this.n = X.rows);
    const d = (this.d = X.cols);
    const dx = (this.dx = (d + 1) & ~1);
    this.pointers = {
      x: instance.alloc(n * dx * 8),
      w: weights ? instance.alloc(n * 8) : 0,
      centers: instance.alloc(k * dx * 8),
      lanes: instance.alloc(dx * ((k + 3) & ~3) * 8),
      norms: instance.alloc(((k + 3) & ~3) * 8),
      labels: instance.alloc(n * 4),
      distances: instance.alloc(n * 8),
      sums: instance.alloc(k * dx * 8),
      counts: instance.alloc(k * 8),
    };
    this.seedPointers = [instance.alloc(n * 8), instance.alloc(n * 8), instance.alloc(n * 8)];
    // Views only after the last allocation.
    this.mean = new Float64Array(d);
    for (let i = 0; i < n; i++) for (let a = 0; a < d; a++) this.mean[a] += X.data[i * d + a];
    for (let a = 0; a < d; a++) this.mean[a] /= n;
    const xs = instance.f64(this.pointers.x, n * dx);
    xs.fill(0); // memory is reused between fits: padding must be zero
    for (let i = 0; i < n; i++) for (let a = 0; a < d; a++) xs[i * dx + a] = X.data[i * d + a] - this.mean[a];
    if (weights) instance.f64(this.pointers.w, n).set(weights);
    const buffer = instance.exports.memory.buffer as ArrayBuffer;
    this.labels = new Int32Array(buffer, this.pointers.labels, n);
    this.distances = instance.f64(this.pointers.distances, n);
    this.paddedSums = instance.f64(this.pointers.sums, k * dx);
    this.paddedCenters = instance.f64(this.pointers.centers, k * dx);
    this.paddedCenters.fill(0);
    this.counts = instance.f64(this.pointers.counts, k);
    this.sums = new Float64Array(k * d);
    this.seeding = [
      instance.f64(this.seedPointers[0], n),
      instance.f64(this.seedPointers[1], n),
      instance.f64(this.seedPointers[2], n),
    ];
  }

  computeDistances(centers: Float64Array): void {
    const { k, d, dx, pointers: p, mean } = this;
    for (let c = 0; c < k; c++) for (let a = 0; a < d; a++) this.paddedCenters[c * dx + a] = centers[c * d + a] - mean[a];
    this.instance.exports.kmeansDistances(p.x, this.n, dx, p.centers, p.labels, p.distances);
  }

  seedDistances(row: number, from: number, to: number): number {
    const p = this.pointers;
    return this.instance.exports.seedDistances(
      p.x,
      p.w,
      this.n,
      this.dx,
      row,
      from >= 0 ? this.seedPointers[from]! : 0,
      this.seedPointers[to]!,
    );
  }

  assign(centers: Float64Array): void {
    const { k, d, dx, pointers: p, mean } = this;
    for (let c = 0; c < k; c++) for (let a = 0; a < d; a++) this.paddedCenters[c * dx + a] = centers[c * d + a] - mean[a];
    this.instance.exports.kmeansAssign(
      p.x,
      p.w,
      this.n,
      dx,
      k,
      p.centers,
      p.lanes,
      p.norms,
      p.labels,
      p.distances,
      p.sums,
      p.counts,
    );
    // Sums of the centered rows, shifted back: Σ w·x = Σ w·(x − mean) + (Σ w)·mean.
    for (let c = 0; c < k; c++)
      for (let a = 0; a < d; a++) this.sums[c * d + a] = this.paddedSums[c * dx + a] + this.counts[c] * mean[a];
  }

  release(): void {
    releaseKernels(this.instance);
  }
}
