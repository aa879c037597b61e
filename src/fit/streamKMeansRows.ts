/**
 * Rows read from a {@link DataSource} for k-means (`KMeans.fitAsync(source)`):
 * every assignment, the farthest rows and the inertia are one pass over the
 * source, cut into the chunks an in-memory k-means of the same rows uses and
 * merged in the same order (summed anew at every pass: the in-memory
 * WebAssembly assignment updates its sums from the last one, so the two agree
 * to rounding there); k-means++ seeds are drawn from the survey's
 * sample. One label per row is kept (4 bytes a row), for the strict
 * convergence test and the model's labels; the data is not.
 *
 * @module
 */
import type { DataSource } from '../data/source.js';
import { createAssignStep, mergeAssignChunks, type AssignPartials, type AssignStep } from '../engines/assign.js';
import { chunkRows } from '../matrix/chunks.js';
import type { Matrix } from '../matrix/matrix.js';
import type { SufficientStatistics } from '../mixture/statistics.js';
import type { Random } from '../random/random.js';
import { LocalRows } from './localRows.js';
import type { Assignment, FarRows, Rows, Seeding } from './rows.js';
import type { PassProgress, StreamRowsOptions } from './streamRows.js';
import { blockRows, sourceBlocks } from './blocks.js';
import type { Survey } from './survey.js';

/** A source's rows for k-means. */
export class StreamKMeansRows implements Rows {
  private readonly sample: LocalRows;
  private readonly labelsOf: Int32Array;
  private readonly rowsPerChunk: number;
  private pass = 0;
  private sums: Float64Array = new Float64Array(0);
  private counts: Float64Array = new Float64Array(0);

  /**
   * @param source - The rows.
   * @param summary - The source's survey.
   * @param options - Abort signal, progress.
   */
  constructor(
    private readonly source: DataSource,
    private readonly summary: Survey,
    private readonly options: StreamRowsOptions = {},
  ) {
    this.sample = new LocalRows(summary.sample.X, summary.sample.weights);
    this.labelsOf = new Int32Array(summary.rows);
    this.rowsPerChunk = chunkRows(summary.rows);
  }

  /**
   * One pass: every block of rows to an assignment step (bound to the whole
   * data's layout), then `each` with the step and the block's first row.
   */
  private async blocks(
    each: (step: AssignStep, X: Matrix, w: Float64Array | null, offset: number) => void,
    k: number,
  ): Promise<void> {
    const { signal, onProgress } = this.options;
    const { rows: n, cols: d, plainMean } = this.summary;
    const pass = ++this.pass;
    const layout = { mean: plainMean, rowsPerChunk: this.rowsPerChunk };
    for await (const { X, weights, offset } of sourceBlocks(
      this.source,
      this.summary,
      blockRows(this.rowsPerChunk, d),
      pass,
      signal,
    )) {
      const step = createAssignStep(X, weights, k, layout);
      try {
        each(step, X, weights, offset);
      } finally {
        step.release();
      }
      onProgress?.({ pass, rows: offset + X.rows, totalRows: n } satisfies PassProgress);
    }
  }

  async assign(k: number, centers: Float64Array, fresh: boolean): Promise<Assignment> {
    const parts: AssignPartials[] = [];
    let changedRows = 0;
    await this.blocks((step, X, _w, offset) => {
      const partials = step.assignPartials(centers, true);
      parts.push({ chunkSums: partials.chunkSums.slice(), chunkCounts: partials.chunkCounts.slice(), changed: 0 });
      const labels = step.labels;
      for (let i = 0; i < X.rows; i++) {
        if (fresh || this.labelsOf[offset + i] !== labels[i]) changedRows++;
        this.labelsOf[offset + i] = labels[i]!;
      }
    }, k);
    const d = this.summary.cols;
    if (this.sums.length !== k * d) [this.sums, this.counts] = [new Float64Array(k * d), new Float64Array(k)];
    mergeAssignChunks(parts, this.summary.plainMean, k, this.sums, this.counts);
    return { sums: this.sums, counts: this.counts, changed: changedRows };
  }

  labels(): Int32Array {
    return this.labelsOf;
  }

  async farthest(k: number, centers: Float64Array, count: number): Promise<FarRows> {
    const d = this.summary.cols;
    // The best `count` so far, farthest first (ties: the earlier row first).
    const best: { distance: number; row: number; values: Float64Array; weight: number; label: number }[] = [];
    await this.blocks((step, X, w, offset) => {
      step.assign(centers, true);
      step.computeDistances(centers);
      for (let i = 0; i < X.rows; i++) {
        const weight = w ? w[i]! : 1;
        if (!(weight > 0)) continue;
        const distance = step.distances[i]!;
        if (best.length === count && !(distance > best[count - 1]!.distance)) continue;
        let at = best.length;
        while (at > 0 && distance > best[at - 1]!.distance) at--;
        best.splice(at, 0, {
          distance,
          row: offset + i,
          values: X.data.slice(i * d, (i + 1) * d),
          weight,
          label: step.labels[i]!,
        });
        if (best.length > count) best.pop();
      }
    }, k);
    const rows = new Float64Array(best.length * d);
    best.forEach((b, e) => rows.set(b.values, e * d));
    // Weights as the fit sees them (rescaled): scaled back by the caller's inertia only.
    return { rows, weights: Float64Array.from(best, (b) => b.weight), labels: Int32Array.from(best, (b) => b.label) };
  }

  async inertia(k: number, centers: Float64Array): Promise<number> {
    let total = 0;
    await this.blocks((step, X, w) => {
      step.assign(centers, true);
      step.computeDistances(centers);
      for (let i = 0; i < X.rows; i++) total += (w ? w[i]! : 1) * step.distances[i]!;
    }, k);
    return total;
  }

  seed(k: number, rng: Random): Seeding {
    return this.sample.seed(k, rng);
  }

  /** k-means asks no E-step of its rows. */
  expectation(): SufficientStatistics {
    throw new Error('StreamKMeansRows: k-means rows answer no E-step');
  }

  hint(): void {}

  release(): void {
    this.sample.release();
  }
}
