/**
 * Arrow IPC files and streams (`.arrow`, `.arrows`, `.feather` v2) as a
 * {@link DataSource} (Node): each pass reads the file again, record batch by
 * record batch, through `apache-arrow` (an optional peer dependency). The
 * batches become chunks as `arrowSource`'s do.
 *
 * @module
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { arrowChunk, arrowColumns, type ArrowBatchLike, type ArrowSourceOptions } from '../data/arrow.js';
import type { DataChunk, DataSource } from '../data/source.js';
import { GmmError } from '../errors.js';
import { DataFileError } from '../parse/errors.js';

/** Loads apache-arrow, with a clear error when it is not installed. */
async function arrow(): Promise<typeof import('apache-arrow')> {
  try {
    return await import('apache-arrow');
  } catch (e) {
    throw new GmmError(`reading Arrow files needs the apache-arrow package: npm install apache-arrow (${(e as Error).message})`);
  }
}

/** An open reader of the file's record batches. */
async function open(
  file: string,
): Promise<
  AsyncIterable<ArrowBatchLike> & { schema: { fields: { name: string; type: unknown }[] }; cancel(): Promise<void> | void }
> {
  const { RecordBatchReader } = await arrow();
  try {
    const reader = await RecordBatchReader.from(createReadStream(file));
    await reader.open();
    return reader as never;
  } catch (e) {
    throw new DataFileError(file, `is not an Arrow IPC file or stream (${(e as Error).message})`);
  }
}

/**
 * An Arrow IPC file or stream as a source, read batch by batch on every pass.
 *
 * @param file - The file's path.
 * @param options - Feature columns, weight column.
 * @returns A promise of the source.
 * @throws {@link DataFileError} for a missing file or one that is not Arrow IPC.
 * @throws {@link InvalidParameterError} for an unknown or non-numeric column.
 * @example
 * ```ts
 * const model = await gm.fitAsync(await arrowFileSource('big.arrow'));
 * ```
 */
export async function arrowFileSource(file: string, options: ArrowSourceOptions = {}): Promise<DataSource> {
  const info = await stat(file).catch(() => undefined);
  if (!info?.isFile()) throw new DataFileError(file, info ? 'is a directory, not a file' : 'no such file');
  const first = await open(file);
  const { features, weight } = arrowColumns(first.schema.fields, options);
  await first.cancel();
  return {
    cols: features.length,
    featureNames: features,
    async *chunks(signal?: AbortSignal): AsyncGenerator<DataChunk> {
      const reader = await open(file);
      let offset = 0;
      try {
        for await (const batch of reader) {
          signal?.throwIfAborted();
          if (batch.numRows === 0) continue;
          yield arrowChunk(batch, features, weight, offset);
          offset += batch.numRows;
        }
      } finally {
        await reader.cancel();
      }
    },
  };
}
