import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';

/** Fisher's iris, from the bundled data/iris.csv. */
export interface Iris {
  /** 150 × 4 measurements (cm). */
  X: number[][];
  /** Feature names. */
  features: string[];
  /** Species of each flower, as an index into `species`. */
  labels: number[];
  /** The three species names. */
  species: string[];
}

/** Reads data/iris.csv. */
export function loadIris(): Iris {
  const text = readFileSync(new URL('../../data/iris.csv', import.meta.url), 'utf8');
  const records = parse(text, { columns: true, skip_empty_lines: true }) as Record<string, string>[];
  const features = ['sepal_length', 'sepal_width', 'petal_length', 'petal_width'];
  const species = [...new Set(records.map((r) => r.species!))];
  return {
    X: records.map((r) => features.map((f) => Number(r[f]))),
    features,
    labels: records.map((r) => species.indexOf(r.species!)),
    species,
  };
}
