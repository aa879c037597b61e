/**
 * The chunk rule: how the rows of a data set are cut into chunks whose
 * statistics are computed independently and merged in chunk order. Every fit
 * path (one thread, a worker pool, a stream) cuts alike, so their results are
 * bit-identical.
 *
 * @module
 */

/**
 * Rows per chunk of statistics for data of n rows. Statistics are
 * accumulated per chunk and merged in chunk order, so any split of the chunks
 * across threads gives the same bits as a single thread. A function of the
 * problem's size only — never of the thread count: enough chunks to balance
 * the threads (about 32), each of 512 to 4,096 rows so that merging stays
 * cheap; and where a chunk's statistics are large (full covariances, many
 * components and features), chunks of at least twice as many values as
 * their statistics, as long as that leaves 8 chunks.
 *
 * @param n - Rows of the whole data.
 * @param statisticsSize - Values in one chunk's statistics (0: ignore).
 * @param d - Features.
 * @returns Rows per chunk (a power of two).
 * @example
 * ```ts
 * chunkRows(100_000); // 4096
 * chunkRows(20_000, 16 + 16 * 64 + 16 * 64 * 64 + 2, 64); // 2048 (k = 16 full components, d = 64)
 * ```
 */
export function chunkRows(n: number, statisticsSize = 0, d = 1): number {
  let rows = 512;
  while (rows < 4096 && (rows * 32 < n || (rows * d < 2 * statisticsSize && rows * 16 <= n))) rows *= 2;
  return rows;
}
