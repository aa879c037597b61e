import type { Matrix } from '../matrix/matrix.js';
import { releaseKernels, type KernelInstance } from '../kernels/loader.js';
import type { CovarianceStrategy } from '../mixture/covariance/index.js';
import { evenWidth, singleWidth, writePadded, type WasmBinding } from '../mixture/covariance/wasmLayout.js';
import { nonFiniteRow } from '../mixture/estep.js';
import { noiseLogDensity, type CovarianceType, type MixtureParameters } from '../mixture/parameters.js';
import { recenterStatistics, statisticsLength, statisticsView, type SufficientStatistics } from '../mixture/statistics.js';
import type { EStepEngine } from './mixtureEngine.js';

/**
 * The E-step on the WebAssembly kernels. The rows are copied once into the
 * module's memory, padded to an even width; the statistics of each chunk are
 * read straight from memory. Where the parameters go and which kernel runs a
 * chunk is the covariance strategy's (its `wasm` layout); for few features
 * (d ≤ SMALL_D) one component-lane kernel (wasm/small.ts) serves every type,
 * with the parameters in lanes written here and each strategy's factor lanes.
 */
export class WasmEngine implements EStepEngine {
  readonly chunks: number;
  readonly backend = 'wasm' as const;
  private readonly type: CovarianceType;
  private readonly n: number;
  private readonly d: number;
  private readonly secondLength: number;
  // Byte offsets in the module's memory.
  private readonly x: number;
  private readonly w: number;
  private readonly out: number;
  private readonly outView: Float64Array;
  /** Evaluation engines: rows × k weighted log-densities of a chunk. */
  private readonly logOut: number;
  private readonly logOutView: Float64Array;
  /** Many features: the strategy's own kernel and parameter buffers. */
  private readonly binding: WasmBinding | undefined;
  /** Few features: the lane kernel's means, centers, factors, constants and scratch. */
  private readonly lanes: { means: number; centers: number; factors: number; consts: number; scratch: number } | undefined;
  private centers: Float64Array = new Float64Array(0);
  /** The centers the f32 kernels' sums are about: `centers` rounded to f32. */
  private singleCenters: Float64Array = new Float64Array(0);
  /** The noise component's log π₀ + log V⁻¹ under the current parameters, or −∞. */
  private noise = -Infinity;
  private released = false;
  /** Whether the f32 kernels run (see the constructor's `single`). */
  readonly single: boolean;

  /**
   * @param instance - A kernel instance (released with the engine).
   * @param strategy - Covariance strategy.
   * @param X - The rows.
   * @param weights - Row weights or null.
   * @param k - Components.
   * @param rowOffset - Index of X's first row in the whole data (for error messages).
   * @param rowsPerChunk - Chunk size, from the whole data's size.
   * @param evaluation - Also able to return log-densities (`logProb`).
   * @param single - Run the strategy's f32 kernels where it has them (d > SMALL_D; the rows are then held
   *   in f32, so they should be f32 values already); elsewhere the f64 kernels run.
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
    single = false,
  ) {
    const n = (this.n = X.rows);
    const d = (this.d = X.cols);
    const ex = instance.exports;
    const small = d <= (ex.SMALL_D.value as number);
    this.single = single && !small && strategy.wasm.single === true;
    const dx = this.single ? singleWidth(d) : evenWidth(d);
    this.type = strategy.type;
    this.chunks = Math.ceil(n / rowsPerChunk);
    this.secondLength = strategy.secondMomentLength(k, d);
    const length = statisticsLength(k, d, this.secondLength);
    this.x = instance.alloc(n * dx * (this.single ? 4 : 8));
    this.w = weights ? instance.alloc(n * 8) : 0;
    this.out = instance.alloc(length * 8);
    this.logOut = evaluation ? instance.alloc(rowsPerChunk * k * 8) : 0;
    if (small) {
      // Lane-major parameters: means and centers d × kp, factors (triangle or d) × kp, constants kp; room for
      // a noise component's lane.
      const kp = (k + 2) & ~1;
      this.lanes = {
        means: instance.alloc(d * kp * 8),
        centers: instance.alloc(d * kp * 8),
        factors: instance.alloc(((d * (d + 1)) / 2) * kp * 8),
        consts: instance.alloc(kp * 8),
        scratch: instance.alloc(ex.smallScratchBytes(strategy.wasm.smallCode, d, k)),
      };
    } else {
      this.binding = strategy.wasm.bind(instance, n, k, d, this.single);
    }
    // Views only after the last allocation (growing memory detaches views).
    writePadded(this.single ? instance.f32(this.x, n * dx) : instance.f64(this.x, n * dx), X.data, n, d, dx);
    if (weights) instance.f64(this.w, n).set(weights);
    this.outView = instance.f64(this.out, length);
    this.logOutView = evaluation ? instance.f64(this.logOut, rowsPerChunk * k) : new Float64Array(0);
  }

  setParameters(parameters: MixtureParameters, centers: Float64Array): void {
    const prepared = this.strategy.prepare(parameters);
    this.centers = centers;
    // The f32 kernels center their sums on the centers rounded to f32 (chunk moves them back).
    this.singleCenters = this.single ? Float64Array.from(new Float32Array(centers)) : centers;
    this.noise = noiseLogDensity(parameters);
    if (this.binding) this.binding.write(parameters, prepared, centers);
    else this.writeLanes(parameters, prepared.constants, centers);
  }

  chunk(c: number): SufficientStatistics {
    this.run(c, 0);
    if (!this.single) return statisticsView(this.outView, 0, this.type, this.k, this.d, this.centers, this.secondLength);
    const about = statisticsView(this.outView, 0, this.type, this.k, this.d, this.singleCenters, this.secondLength);
    return recenterStatistics(about, this.centers);
  }

  logProb(c: number): Float64Array {
    if (this.logOut === 0) throw new Error('logProb needs an engine created for evaluation');
    const rows = this.run(c, this.logOut);
    return this.logOutView.subarray(0, rows * this.k);
  }

  /** Runs the kernel on chunk c: statistics into `out`, or (logOut ≠ 0) log-densities into logOut. Returns its rows. */
  private run(c: number, logOut: number): number {
    const { d, k, x, out, lanes } = this;
    // Scoring: unit weights, as the TypeScript kernels.
    const w = logOut === 0 ? this.w : 0;
    const start = c * this.rowsPerChunk;
    const end = Math.min(start + this.rowsPerChunk, this.n);
    const rc = lanes
      ? this.instance.exports.smallChunk(
          x,
          w,
          start,
          end,
          d,
          k,
          this.strategy.wasm.smallCode,
          lanes.means,
          lanes.factors,
          lanes.consts,
          lanes.centers,
          out,
          lanes.scratch,
          logOut,
          this.noise,
        )
      : this.binding!.run({ x, w, start, end, out, logOut, noise: this.noise });
    if (rc !== 0) throw nonFiniteRow(rc - 1 + this.rowOffset);
    return end - start;
  }

  hint(labels: Int32Array): void {
    this.binding?.hint(labels);
  }

  /** Parameters in the component-lane layout of wasm/small.ts. */
  private writeLanes(parameters: MixtureParameters, constants: Float64Array, centers: Float64Array): void {
    const { instance, d, k } = this;
    const lanes = this.lanes!;
    // The kernel's lanes: k, and the noise's if any, rounded up to even (wasm/block.ts's blockColumns).
    const kp = (k + (this.noise > -Infinity ? 1 : 0) + 1) & ~1;
    const { means, precisionsCholesky: pc } = parameters;
    const m = instance.f64(lanes.means, d * kp).fill(0);
    const c = instance.f64(lanes.centers, d * kp).fill(0);
    for (let j = 0; j < k; j++) {
      for (let a = 0; a < d; a++) {
        m[a * kp + j] = means[j * d + a];
        c[a * kp + j] = centers[j * d + a];
      }
    }
    const f = instance.f64(lanes.factors, ((d * (d + 1)) / 2) * kp).fill(0);
    for (let j = 0; j < k; j++) this.strategy.wasm.laneFactor(pc, j, d, kp, f);
    const consts = instance.f64(lanes.consts, kp).fill(-Infinity);
    consts.set(constants);
    // A noise component's lane: factors 0 (left so above), so its log-density is this constant.
    if (this.noise > -Infinity) consts[k] = this.noise;
  }

  release(): void {
    if (this.released) return;
    this.released = true;
    releaseKernels(this.instance);
  }
}
