/**
 * Reading model files for the command line.
 *
 * @module
 */
import { DataFileError } from '../parse/errors.js';
import { readText } from '../io/readData.js';
import { GaussianMixtureModel } from '../estimators/mixtureModel.js';
import { ModelFormatError } from '../errors.js';

/**
 * Reads and validates a model file.
 *
 * @param file - Path (or `-`).
 * @returns The model.
 * @throws {@link DataFileError} for a missing file, invalid JSON, or a file that is not a valid gmm model.
 */
export async function loadModel(file: string): Promise<GaussianMixtureModel> {
  const text = await readText(file);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new DataFileError(file, `not a gmm model file: not valid JSON (${(e as Error).message})`);
  }
  try {
    return GaussianMixtureModel.fromJSON(json);
  } catch (e) {
    if (e instanceof ModelFormatError) throw new DataFileError(file, e.message);
    throw e;
  }
}
