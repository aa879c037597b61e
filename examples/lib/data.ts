/**
 * The bundled datasets (data/*.csv, provenance in data/README.md), read with
 * the command line's own reader.
 */
import { fileURLToPath } from 'node:url';
import { readData } from '../../src/io/readData.js';
import type { Matrix } from '../../src/index.js';

/** Names of the bundled datasets. */
export type DatasetName = 'iris' | 'blobs' | 'stretched-blobs' | 'moons' | 'digits';

/** A bundled dataset: features and true labels. */
export interface Dataset {
  /** Features, n × d. */
  X: Matrix;
  /** Feature names from the header. */
  featureNames: string[];
  /** True class of every row, as an index into `classes`. */
  labels: Int32Array;
  /** Class names, in order of first appearance. */
  classes: string[];
}

/** Reads data/NAME.csv; its class column is `species` (iris) or `label`. */
export async function loadDataset(name: DatasetName): Promise<Dataset> {
  const file = fileURLToPath(new URL(`../../data/${name}.csv`, import.meta.url));
  const table = await readData(file, { labelColumn: name === 'iris' ? 'species' : 'label' });
  const names = table.labels!;
  const classes = [...new Set(names)];
  return { X: table.X, featureNames: table.featureNames, labels: Int32Array.from(names, (c) => classes.indexOf(c)), classes };
}
