/**
 * The playground's datasets: the handbook's bundled points, iris, a large
 * generated set, an empty canvas to click on, and dropped files.
 */
import { makeBlobs, matrix, parseData, type Matrix } from 'gmm';
import blobsCsv from '../../data/blobs.csv?raw';
import irisCsv from '../../data/iris.csv?raw';
import moonsCsv from '../../data/moons.csv?raw';
import stretchedCsv from '../../data/stretched-blobs.csv?raw';

/** Points to cluster: two features picked from the table's columns, and their true classes when known. */
export interface Dataset {
  /** What the page calls it. */
  name: string;
  /** Every numeric column, n × c. */
  table: Matrix;
  /** The names of the table's columns. */
  columns: string[];
  /** The two columns shown and fitted (indices into `columns`). */
  picked: [number, number];
  /** The picked columns, n × 2. */
  X: Matrix;
  featureNames: [string, string];
  /** True class of each row, if known. */
  labels?: Int32Array;
  /** The classes' names. */
  classNames?: string[];
  /** A good k to start with. */
  k: number;
}

/** The choices of the dataset menu: id → label. */
export const DATASETS = {
  'stretched-blobs': 'stretched blobs (handbook, 400 points)',
  blobs: 'blobs (handbook, 400 points)',
  moons: 'moons (handbook, 200 points)',
  iris: 'iris (150 flowers, 4 measurements)',
  'big-stretched': 'stretched blobs, 100,000 generated points',
  empty: 'empty: click to add points',
} as const;

export type DatasetId = keyof typeof DATASETS;

/** Classes of a label column, as indices in order of first appearance. */
function classesOf(labels: readonly string[]): { labels: Int32Array; classNames: string[] } {
  const classNames = [...new Set(labels)];
  return { labels: Int32Array.from(labels, (l) => classNames.indexOf(l)), classNames };
}

/** A dataset of two columns. */
function plain(name: string, X: Matrix, featureNames: [string, string], k: number): Dataset {
  return { name, table: X, columns: [...featureNames], picked: [0, 1], X, featureNames, k };
}

/**
 * The same data with columns x and y picked (fits and figures use those two).
 *
 * @throws Error for a column index out of range, or x = y.
 */
export function pickColumns(data: Dataset, x: number, y: number): Dataset {
  const c = data.table.cols;
  if (!(x >= 0 && x < c && y >= 0 && y < c) || x === y)
    throw new Error(`pick two different columns of ${c}; got ${x + 1} and ${y + 1}`);
  const n = data.table.rows;
  const X = new Float64Array(n * 2);
  for (let i = 0; i < n; i++) {
    X[2 * i] = data.table.data[i * c + x]!;
    X[2 * i + 1] = data.table.data[i * c + y]!;
  }
  return { ...data, picked: [x, y], X: matrix(n, 2, X), featureNames: [data.columns[x]!, data.columns[y]!] };
}

function fromCsv(name: string, text: string, file: string, picked: [string, string], labelColumn: string, k: number): Dataset {
  const table = parseData(text, file, { labelColumn });
  const columns = table.featureNames;
  const data: Dataset = {
    name,
    table: table.X,
    columns,
    picked: [0, 1],
    X: table.X,
    featureNames: [columns[0]!, columns[1]!],
    ...classesOf(table.labels!),
    k,
  };
  return pickColumns(data, columns.indexOf(picked[0]), columns.indexOf(picked[1]));
}

/** The handbook's stretch: the blobs times RandomState(13).randn(2, 2). */
const STRETCH = [
  [-0.71239066, 0.75376638],
  [-0.04450308, 0.45181234],
];
/** make_blobs(random_state=0)'s centers, columns swapped as in the handbook. */
const CENTERS = [
  [4.30378733, 0.97627008],
  [0.89766366, 2.05526752],
  [2.91788226, -1.52690401],
  [7.83546002, -1.24825577],
];

/** Loads a dataset of the menu. */
export function loadDataset(id: DatasetId): Dataset {
  switch (id) {
    case 'blobs':
      return fromCsv(DATASETS[id], blobsCsv, 'blobs.csv', ['x', 'y'], 'label', 4);
    case 'stretched-blobs':
      return fromCsv(DATASETS[id], stretchedCsv, 'stretched-blobs.csv', ['x', 'y'], 'label', 4);
    case 'moons':
      return fromCsv(DATASETS[id], moonsCsv, 'moons.csv', ['x', 'y'], 'label', 8);
    case 'iris':
      return fromCsv(DATASETS[id], irisCsv, 'iris.csv', ['petal_length', 'petal_width'], 'species', 3);
    case 'big-stretched': {
      const { X, labels } = makeBlobs({ nSamples: 100_000, centers: CENTERS, clusterStd: 0.6, seed: 1 });
      const out = new Float64Array(X.data.length);
      for (let i = 0; i < X.rows; i++) {
        const [a, b] = [X.data[2 * i]!, X.data[2 * i + 1]!];
        out[2 * i] = a * STRETCH[0]![0]! + b * STRETCH[1]![0]!;
        out[2 * i + 1] = a * STRETCH[0]![1]! + b * STRETCH[1]![1]!;
      }
      return { ...plain(DATASETS[id], matrix(X.rows, 2, out), ['x', 'y'], 4), labels };
    }
    case 'empty':
      return plain(DATASETS[id], matrix(0, 2, new Float64Array(0)), ['x', 'y'], 2);
  }
}

/**
 * A dropped or chosen file: CSV, TSV, JSON or NDJSON. Every numeric column
 * can be picked; the first two are shown first.
 *
 * @throws {@link DataFileError} naming the line and column of a bad cell.
 */
export function datasetFromFile(text: string, file: string): Dataset {
  const table = parseData(text, file);
  if (table.X.cols < 2) throw new Error(`${file}: needs at least two numeric columns; found ${table.X.cols}`);
  const data: Dataset = {
    name: file,
    table: table.X,
    columns: table.featureNames,
    picked: [0, 1],
    X: table.X,
    featureNames: [table.featureNames[0]!, table.featureNames[1]!],
    k: 3,
  };
  return pickColumns(data, 0, 1);
}

/** Adds a row to a dataset (a click on the plot). */
export function withPoint(data: Dataset, x: number, y: number): Dataset {
  const X = new Float64Array(data.X.data.length + 2);
  X.set(data.X.data);
  X[data.X.data.length] = x;
  X[data.X.data.length + 1] = y;
  const { labels: _, classNames: __, ...rest } = data;
  const points = matrix(data.X.rows + 1, 2, X);
  // The new point has only the two shown coordinates: the custom data has just those columns.
  return {
    ...rest,
    name: data.name.startsWith('custom') ? data.name : `custom (from ${data.name})`,
    table: points,
    columns: [...data.featureNames],
    picked: [0, 1],
    X: points,
  };
}
