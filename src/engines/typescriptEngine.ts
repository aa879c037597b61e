import type { Matrix } from '../matrix/matrix.js';
import type { CovarianceStrategy, PreparedMixture } from '../mixture/covariance/index.js';
import { accumulateRows, BLOCK_ROWS } from '../mixture/estep.js';
import { noiseLogDensity, type MixtureParameters } from '../mixture/parameters.js';
import { createStatistics, resetStatistics, type SufficientStatistics } from '../mixture/statistics.js';
import type { EStepEngine } from './mixtureEngine.js';

/** The E-step in TypeScript: the reference kernels, and the fallback where WebAssembly SIMD is missing. */
export class TypeScriptEngine implements EStepEngine {
  readonly chunks: number;
  readonly backend = 'typescript' as const;
  private prepared: PreparedMixture | undefined;
  private noise = -Infinity;
  private stats: SufficientStatistics | undefined;
  private block = new Float64Array(0);
  private logOut = new Float64Array(0);
  private readonly scratch: Float64Array;

  constructor(
    private readonly strategy: CovarianceStrategy,
    private readonly X: Matrix,
    private readonly weights: Float64Array | null,
    private readonly rowOffset: number,
    private readonly rowsPerChunk: number,
  ) {
    this.chunks = Math.ceil(X.rows / rowsPerChunk);
    this.scratch = new Float64Array(X.cols);
  }

  setParameters(parameters: MixtureParameters, centers: Float64Array): void {
    const { nComponents: k, nFeatures: d } = parameters;
    this.prepared = this.strategy.prepare(parameters);
    this.noise = noiseLogDensity(parameters);
    this.stats = createStatistics(this.strategy.type, k, d, centers, this.strategy.secondMomentLength(k, d));
    if (this.block.length < BLOCK_ROWS * k) this.block = new Float64Array(BLOCK_ROWS * k);
  }

  chunk(c: number): SufficientStatistics {
    const stats = this.stats!;
    resetStatistics(stats);
    const start = c * this.rowsPerChunk;
    const end = Math.min(start + this.rowsPerChunk, this.X.rows);
    accumulateRows(
      this.strategy,
      this.prepared!,
      this.X,
      this.weights,
      start,
      end,
      stats,
      this.block,
      this.scratch,
      this.rowOffset,
      this.noise,
    );
    return stats;
  }

  logProb(c: number): Float64Array {
    const prepared = this.prepared!;
    const k = prepared.k;
    const start = c * this.rowsPerChunk;
    const end = Math.min(start + this.rowsPerChunk, this.X.rows);
    if (this.logOut.length < (end - start) * k) this.logOut = new Float64Array(this.rowsPerChunk * k);
    for (let b = start; b < end; b += BLOCK_ROWS) {
      const be = Math.min(b + BLOCK_ROWS, end);
      this.strategy.logProb(this.X.data, this.X.cols, b, be, prepared, this.logOut.subarray((b - start) * k, (be - start) * k));
    }
    return this.logOut.subarray(0, (end - start) * k);
  }

  hint(): void {}

  release(): void {}
}
