import type { Matrix } from '../matrix/matrix.js';
import { releaseKernels, type KernelInstance } from '../kernels/loader.js';
import type { CovarianceStrategy } from '../mixture/covariance/index.js';
import { nonFiniteRow } from '../mixture/estep.js';
import type { CovarianceType, MixtureParameters } from '../mixture/parameters.js';
import { statisticsLength, statisticsView, type SufficientStatistics } from '../mixture/statistics.js';
import type { EStepEngine } from './mixtureEngine.js';

/**
 * Full covariances from this many features on stop computing a component's
 * log-density for a row once it certainly cannot matter (see `PRUNE` in
 * wasm/full.ts); below, the triangular product is too short to stop early.
 */
const PRUNE_FROM_D = 32;

/** Covariance types as wasm/small.ts numbers them. */
const TYPE_CODES: Record<CovarianceType, number> = { full: 0, tied: 1, diag: 2, spherical: 3 };

/**
 * The E-step on the WebAssembly kernels. The rows are copied once into the
 * module's memory, padded to an even width; each iteration writes the
 * parameters in the layout of the covariance type's kernel (see `wasm/`), and
 * each chunk's statistics are read straight from memory.
 */
export class WasmEngine implements EStepEngine {
  readonly chunks: number;
  readonly backend = 'wasm' as const;
  private readonly type: CovarianceType;
  private readonly n: number;
  private readonly d: number;
  private readonly dx: number;
  private readonly dp: number;
  private readonly secondLength: number;
  // Byte offsets in the module's memory.
  private readonly x: number;
  private readonly w: number;
  private readonly means: number;
  private readonly factors: number;
  private readonly consts: number;
  private readonly guide: number;
  private readonly previous: number;
  private readonly nu: number;
  private readonly whiteningCenter: number;
  private readonly statsCenter: number;
  /** Few features: the component-lane kernel (wasm/small.ts) for every type; its parameters and centers. */
  private readonly small: boolean;
  private readonly laneCenters: number;
  private readonly out: number;
  private readonly scratch: number;
  private readonly outView: Float64Array;
  /** Evaluation engines: rows × k weighted log-densities of a chunk. */
  private readonly logOut: number;
  private readonly logOutView: Float64Array;
  private centers: Float64Array = new Float64Array(0);
  private released = false;

  /**
   * @param instance - A kernel instance (released with the engine).
   * @param strategy - Covariance strategy.
   * @param X - The rows.
   * @param weights - Row weights or null.
   * @param k - Components.
   * @param rowOffset - Index of X's first row in the whole data (for error messages).
   * @param rowsPerChunk - Chunk size, from the whole data's size.
   */
  constructor(
    private readonly instance: KernelInstance,
    private readonly strategy: CovarianceStrategy,
    X: Matrix,
    weights: Float64Array | null,
    private readonly k: number,
    private readonly rowOffset: number,
    private readonly rowsPerChunk: number,
    evaluation = false,
  ) {
    const n = (this.n = X.rows);
    const d = (this.d = X.cols);
    const dx = (this.dx = (d + 1) & ~1);
    const dp = (this.dp = (d + 3) & ~3);
    this.type = strategy.type;
    this.chunks = Math.ceil(n / rowsPerChunk);
    this.secondLength = strategy.secondMomentLength(k, d);
    const length = statisticsLength(k, d, this.secondLength);
    const ex = instance.exports;
    this.x = instance.alloc(n * dx * 8);
    this.w = weights ? instance.alloc(n * 8) : 0;
    this.means = instance.alloc(k * dx * 8);
    this.factors = instance.alloc(k * d * dp * 8);
    this.consts = instance.alloc(k * 8);
    this.guide = this.type === 'full' && d >= PRUNE_FROM_D ? instance.alloc(k * 8) : 0;
    this.previous = this.guide !== 0 ? instance.alloc(n * 4) : 0;
    this.nu = instance.alloc(k * dp * 8);
    this.whiteningCenter = instance.alloc(dx * 8);
    this.statsCenter = instance.alloc(dx * 8);
    this.small = d <= (ex.SMALL_D.value as number);
    const kp = (k + 1) & ~1;
    this.laneCenters = this.small ? instance.alloc(d * kp * 8) : 0;
    if (this.small) {
      // Lane-major parameters: means and centers d × kp, factors (triangle or d) × kp, constants kp.
      this.means = instance.alloc(d * kp * 8);
      this.factors = instance.alloc(((d * (d + 1)) / 2) * kp * 8);
      this.consts = instance.alloc(kp * 8);
    }
    this.out = instance.alloc(length * 8);
    this.logOut = evaluation ? instance.alloc(rowsPerChunk * k * 8) : 0;
    this.scratch = instance.alloc(
      this.small
        ? ex.smallScratchBytes(TYPE_CODES[this.type], d, k)
        : this.type === 'full'
          ? ex.fullScratchBytes(d, k)
          : this.type === 'tied'
            ? ex.tiedScratchBytes(d, k)
            : ex.diagScratchBytes(d, k),
    );
    // Views only after the last allocation (growing memory detaches views).
    writePadded(instance.f64(this.x, n * dx), X.data, n, d, dx);
    if (weights) instance.f64(this.w, n).set(weights);
    // Each row's best component in the previous E-step: none yet.
    if (this.previous !== 0) new Int32Array(instance.exports.memory.buffer, this.previous, n).fill(-1);
    this.outView = instance.f64(this.out, length);
    this.logOutView = evaluation ? instance.f64(this.logOut, rowsPerChunk * k) : new Float64Array(0);
  }

  setParameters(parameters: MixtureParameters, centers: Float64Array): void {
    const { instance, d, dx, dp, k } = this;
    const prepared = this.strategy.prepare(parameters);
    const { means, precisionsCholesky: pc } = parameters;
    this.centers = centers;
    if (this.small) {
      this.writeLanes(parameters, prepared.constants, centers);
      return;
    }
    instance.f64(this.consts, k).set(prepared.constants);
    switch (this.type) {
      case 'full':
        writePadded(instance.f64(this.means, k * dx), means, k, d, dx);
        writePadded(instance.f64(this.factors, k * d * dp), pc, k * d, d, dp);
        if (this.guide !== 0) {
          // gⱼ = d / (2·trace Σⱼ): orders the work by a guess of each row's best component.
          const g = instance.f64(this.guide, k);
          for (let j = 0; j < k; j++) {
            let trace = 0;
            for (let a = 0; a < d; a++) trace += parameters.covariances[j * d * d + a * d + a];
            g[j] = d / (2 * trace);
          }
        }
        break;
      case 'tied':
        // The tied strategy's prepared aux is [ν (k × d), whitening center (d)].
        writePadded(instance.f64(this.factors, d * dp), pc, d, d, dp);
        writePadded(instance.f64(this.nu, k * dp), prepared.aux, k, d, dp);
        writePadded(instance.f64(this.whiteningCenter, dx), prepared.aux.subarray(k * d), 1, d, dx);
        writePadded(instance.f64(this.statsCenter, dx), centers, 1, d, dx);
        break;
      case 'diag':
      case 'spherical': {
        writePadded(instance.f64(this.means, k * dx), means, k, d, dx);
        const f = instance.f64(this.factors, k * dx);
        f.fill(0);
        for (let j = 0; j < k; j++) for (let a = 0; a < d; a++) f[j * dx + a] = this.type === 'diag' ? pc[j * d + a] : pc[j];
        break;
      }
      default: {
        const unreachable: never = this.type;
        throw new Error(`no WebAssembly kernel for ${String(unreachable)}`);
      }
    }
  }

  chunk(c: number): SufficientStatistics {
    this.run(c, 0);
    return statisticsView(this.outView, 0, this.type, this.k, this.d, this.centers, this.secondLength);
  }

  logProb(c: number): Float64Array {
    if (this.logOut === 0) throw new Error('logProb needs an engine created for evaluation');
    const rows = this.run(c, this.logOut);
    return this.logOutView.subarray(0, rows * this.k);
  }

  /** Runs the kernel on chunk c: statistics into `out`, or (logOut ≠ 0) log-densities into logOut. Returns its rows. */
  private run(c: number, logOut: number): number {
    const ex = this.instance.exports;
    const { d, k, x } = this;
    // Scoring: unit weights, and every component computed in full (no pruning), as the TypeScript kernels.
    const w = logOut === 0 ? this.w : 0;
    const guide = logOut === 0 ? this.guide : 0;
    const start = c * this.rowsPerChunk;
    const end = Math.min(start + this.rowsPerChunk, this.n);
    let rc: number;
    if (this.small) {
      rc = ex.smallChunk(
        x,
        w,
        start,
        end,
        d,
        k,
        TYPE_CODES[this.type],
        this.means,
        this.factors,
        this.consts,
        this.laneCenters,
        this.out,
        this.scratch,
        logOut,
      );
    } else
      switch (this.type) {
        case 'full':
          rc = ex.fullChunk(
            x,
            w,
            start,
            end,
            d,
            k,
            this.means,
            this.factors,
            this.consts,
            guide,
            this.previous,
            this.out,
            this.scratch,
            logOut,
          );
          break;
        case 'tied':
          rc = ex.tiedChunk(
            x,
            w,
            start,
            end,
            d,
            k,
            this.factors,
            this.consts,
            this.whiteningCenter,
            this.nu,
            this.statsCenter,
            this.out,
            this.scratch,
            logOut,
          );
          break;
        default:
          rc = ex.diagChunk(
            x,
            w,
            start,
            end,
            d,
            k,
            this.means,
            this.factors,
            this.consts,
            this.type === 'spherical' ? 1 : 0,
            this.out,
            this.scratch,
            logOut,
          );
      }
    if (rc !== 0) throw nonFiniteRow(rc - 1 + this.rowOffset);
    return end - start;
  }

  hint(labels: Int32Array): void {
    if (this.previous !== 0) new Int32Array(this.instance.exports.memory.buffer, this.previous, this.n).set(labels);
  }

  /** Parameters in the component-lane layout of wasm/small.ts. */
  private writeLanes(parameters: MixtureParameters, constants: Float64Array, centers: Float64Array): void {
    const { instance, d, k } = this;
    const kp = (k + 1) & ~1;
    const { means, precisionsCholesky: pc } = parameters;
    const m = instance.f64(this.means, d * kp).fill(0);
    const c = instance.f64(this.laneCenters, d * kp).fill(0);
    for (let j = 0; j < k; j++) {
      for (let a = 0; a < d; a++) {
        m[a * kp + j] = means[j * d + a];
        c[a * kp + j] = centers[j * d + a];
      }
    }
    const triangle = (d * (d + 1)) / 2;
    const f = instance.f64(this.factors, triangle * kp).fill(0);
    for (let j = 0; j < k; j++) {
      switch (this.type) {
        case 'full':
        case 'tied': {
          const o = this.type === 'full' ? j * d * d : 0;
          // Column by column (the kernel's y_b = Σ_{a ≤ b} δ_a·U_ab reads column b contiguously).
          let t = 0;
          for (let b = 0; b < d; b++) for (let a = 0; a <= b; a++) f[t++ * kp + j] = pc[o + a * d + b];
          break;
        }
        case 'diag':
          for (let a = 0; a < d; a++) f[a * kp + j] = pc[j * d + a];
          break;
        case 'spherical':
          for (let a = 0; a < d; a++) f[a * kp + j] = pc[j];
          break;
      }
    }
    const consts = instance.f64(this.consts, kp).fill(-Infinity);
    consts.set(constants);
  }

  release(): void {
    if (this.released) return;
    this.released = true;
    releaseKernels(this.instance);
  }
}

/** Copies `rows` rows of `cols` values into rows of `stride` values, zero-padded. */
function writePadded(target: Float64Array, source: Float64Array, rows: number, cols: number, stride: number): void {
  target.fill(0);
  for (let i = 0; i < rows; i++) for (let a = 0; a < cols; a++) target[i * stride + a] = source[i * cols + a];
}
