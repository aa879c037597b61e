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
  const rows = new Float64Array(a);
  const cols = new Float64Array(b);
  for (let i = 0; i < n; i++) {
    table[trueIds[i] * b + predIds[i]] += 1;
    rows[trueIds[i]] += 1;
    cols[predIds[i]] += 1;
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
