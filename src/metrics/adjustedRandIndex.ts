import { InvalidParameterError } from '../errors.js';

/**
 * Adjusted Rand index between two labelings of the same items (Hubert &
 * Arabie, 1985): 1 for identical partitions (up to renaming the labels),
 * about 0 for independent ones, negative when worse than chance. The usual
 * score of a clustering against known classes.
 *
 * Complexity: O(n + a·b) for a and b distinct labels.
 *
 * @param labelsTrue - Reference labels (any integers), n values.
 * @param labelsPred - Predicted labels (any integers), n values.
 * @returns The adjusted Rand index.
 * @throws {@link InvalidParameterError} if the lengths differ, n < 2, or a label is not an integer.
 * @example
 * ```ts
 * adjustedRandIndex([0, 0, 1, 1], [1, 1, 0, 0]); // 1
 * ```
 */
export function adjustedRandIndex(labelsTrue: ArrayLike<number>, labelsPred: ArrayLike<number>): number {
  const n = labelsTrue.length;
  if (labelsPred.length !== n) {
    throw new InvalidParameterError('labelsPred', labelsPred, `an array of the same length as labelsTrue (${n})`);
  }
  if (n < 2) throw new InvalidParameterError('labelsTrue', labelsTrue, 'at least 2 labels');
  const [a, trueIds] = denseIds(labelsTrue, 'labelsTrue');
  const [b, predIds] = denseIds(labelsPred, 'labelsPred');
  const table = new Float64Array(a * b);
  for (let i = 0; i < n; i++) table[trueIds[i] * b + predIds[i]] += 1;
  return indexOfTable(table, a, b, n);
}

/**
 * The adjusted Rand index of two labelings given a piece at a time: it keeps
 * only their contingency table (one count per pair of labels that occur
 * together), so the labelings of a stream of any length are scored in the
 * memory of their labels' pairs. Equal to {@link adjustedRandIndex} of the
 * whole labelings.
 *
 * @example
 * ```ts
 * const table = new ContingencyTable();
 * table.add(['a', 'a'], [0, 0]);
 * table.add(['b', 'b'], [1, 1]);
 * table.adjustedRandIndex(); // 1
 * ```
 */
export class ContingencyTable {
  private readonly counts = new Map<string | number, Map<number, number>>();
  private n = 0;

  /**
   * Counts the next items.
   *
   * @param labelsTrue - Their reference labels (strings or numbers).
   * @param labelsPred - Their predicted labels (integers), as many.
   * @throws {@link InvalidParameterError} if the lengths differ.
   */
  add(labelsTrue: ArrayLike<string | number>, labelsPred: ArrayLike<number>): void {
    if (labelsPred.length !== labelsTrue.length) {
      throw new InvalidParameterError(
        'labelsPred',
        labelsPred,
        `an array of the same length as labelsTrue (${labelsTrue.length})`,
      );
    }
    for (let i = 0; i < labelsTrue.length; i++) {
      let row = this.counts.get(labelsTrue[i]!);
      if (!row) this.counts.set(labelsTrue[i]!, (row = new Map()));
      row.set(labelsPred[i]!, (row.get(labelsPred[i]!) ?? 0) + 1);
    }
    this.n += labelsTrue.length;
  }

  /**
   * The adjusted Rand index of everything added.
   *
   * @returns The index.
   * @throws {@link InvalidParameterError} if fewer than 2 items were added.
   */
  adjustedRandIndex(): number {
    if (this.n < 2) throw new InvalidParameterError('labelsTrue', this.n, 'at least 2 labels');
    const predicted = [...new Set([...this.counts.values()].flatMap((row) => [...row.keys()]))];
    const column = new Map(predicted.map((p, j) => [p, j]));
    const a = this.counts.size;
    const b = predicted.length;
    const table = new Float64Array(a * b);
    let i = 0;
    for (const row of this.counts.values()) {
      for (const [p, count] of row) table[i * b + column.get(p)!] = count;
      i++;
    }
    return indexOfTable(table, a, b, this.n);
  }
}

/** The adjusted Rand index of an a × b contingency table of n items. */
function indexOfTable(table: Float64Array, a: number, b: number, n: number): number {
  const rows = new Float64Array(a);
  const cols = new Float64Array(b);
  for (let i = 0; i < a; i++) {
    for (let j = 0; j < b; j++) {
      rows[i] += table[i * b + j];
      cols[j] += table[i * b + j];
    }
  }
  const pairs = (x: number): number => (x * (x - 1)) / 2;
  let index = 0;
  for (let i = 0; i < table.length; i++) index += pairs(table[i]);
  let sumRows = 0;
  for (let i = 0; i < a; i++) sumRows += pairs(rows[i]);
  let sumCols = 0;
  for (let j = 0; j < b; j++) sumCols += pairs(cols[j]);
  const expected = (sumRows * sumCols) / pairs(n);
  const max = (sumRows + sumCols) / 2;
  if (max === expected) return 1; // both partitions trivial (one cluster each, or all singletons)
  return (index - expected) / (max - expected);
}

/** Maps labels to 0..m−1 in order of first appearance. */
function denseIds(labels: ArrayLike<number>, name: string): [number, Int32Array] {
  const ids = new Int32Array(labels.length);
  const seen = new Map<number, number>();
  for (let i = 0; i < labels.length; i++) {
    const v = labels[i];
    if (!Number.isInteger(v)) throw new InvalidParameterError(`${name}[${i}]`, v, 'an integer label');
    let id = seen.get(v);
    if (id === undefined) {
      id = seen.size;
      seen.set(v, id);
    }
    ids[i] = id;
  }
  return [seen.size, ids];
}
