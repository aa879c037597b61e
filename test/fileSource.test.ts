import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  DataFileError,
  GaussianMixture,
  KMeans,
  delimitedSource,
  ndjsonSource,
  type ColumnSpec,
  type DataChunk,
  type DataSource,
} from '../src/index.js';
import { fileSource } from '../src/io/fileSource.js';
import { readData } from '../src/io/readData.js';

const IRIS = fileURLToPath(new URL('../data/iris.csv', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'gmm-stream-'));

async function rows(chunks: AsyncIterable<DataChunk>): Promise<{ data: number[]; weights: number[]; sizes: number[] }> {
  const out = { data: [] as number[], weights: [] as number[], sizes: [] as number[] };
  for await (const { X, weights } of chunks) {
    out.data.push(...X.data);
    if (weights) out.weights.push(...weights);
    out.sizes.push(X.rows);
  }
  return out;
}

/** Pieces of `text` cut at the given lengths (cycled): cuts fall inside lines and numbers. */
function pieces(text: string, sizes: number[]) {
  return async function* () {
    for (let at = 0, s = 0; at < text.length; s++) {
      const end = Math.min(text.length, at + sizes[s % sizes.length]!);
      yield new TextEncoder().encode(text.slice(at, end));
      at = end;
    }
  };
}

/**
 * A file streamed gives the rows, names and weights of the file read whole (weight column w, features a and b),
 * and so does its text cut into odd pieces, in chunks of at least 64 rows.
 */
async function expectStreamedAsWhole(file: string, cut: (spec: ColumnSpec) => Promise<DataSource>): Promise<void> {
  const spec = { weightColumn: 'w' };
  const whole = await readData(file, spec);
  const source = await fileSource(file, { spec, chunkRows: 100 });
  expect(source.cols).toBe(2);
  expect(source.featureNames).toEqual(['a', 'b']);
  const read = await rows(source.chunks());
  expect(read.data).toEqual([...whole.X.data]);
  expect(read.weights).toEqual([...whole.weights!]);
  const again = await rows((await cut(spec)).chunks());
  expect(again.data).toEqual(read.data);
  expect(again.weights).toEqual(read.weights);
  expect(again.sizes.slice(0, -1).every((n) => n >= 64)).toBe(true);
}

describe('sources of delimited text', () => {
  it('a file streamed gives the rows, names and weights of the file read whole, in chunks of at least chunkRows', async () => {
    const text = 'a,b,w\n' + Array.from({ length: 1000 }, (_, i) => `${i / 7},${-i},${i % 3}`).join('\n') + '\n';
    const file = join(dir, 'weighted.csv');
    writeFileSync(file, text);
    await expectStreamedAsWhole(file, (spec) =>
      delimitedSource(pieces(text, [5, 1, 333]), 'weighted.csv', { spec, chunkRows: 64 }),
    );
  });

  it('fitting a CSV file streamed is bit-identical to fitting it in memory', async () => {
    const { X } = await readData(IRIS, { labelColumn: 'species' });
    const gm = new GaussianMixture({ nComponents: 3, seed: 3, nInit: 2 });
    const featureNames = ['sepal_length', 'sepal_width', 'petal_length', 'petal_width'];
    const expected = gm.fit(X, { featureNames });
    const source = await fileSource(IRIS, { spec: { labelColumn: 'species' }, chunkRows: 16 });
    const streamed = await gm.fitAsync(source);
    expect(streamed.featureNames).toEqual(featureNames);
    expect(JSON.stringify(streamed)).toBe(JSON.stringify(expected));
    // Scoring streams too: the criteria and the predictions of the rows read whole.
    expect(await streamed.criteriaAsync(source)).toEqual(expected.criteria(X));
    const labels: number[] = [];
    const proba: number[] = [];
    const logDensity: number[] = [];
    for await (const chunk of streamed.predictAsync(source)) {
      labels.push(...chunk.labels);
      proba.push(...chunk.proba.data);
      logDensity.push(...chunk.logDensity);
    }
    expect(labels).toEqual([...expected.predict(X)]);
    expect(proba).toEqual([...expected.predictProba(X).data]);
    expect(logDensity).toEqual([...expected.scoreSamples(X)]);
  });

  it('a bad cell far down the file is named by file, line and column, and the fit fails in its first pass', async () => {
    const lines = ['x,y', ...Array.from({ length: 30_000 }, (_, i) => `${i % 17},${(i * 7) % 13}`)];
    lines[25_001] = '3,oops'; // line 25,002 of the file
    const file = join(dir, 'bad.csv');
    writeFileSync(file, lines.join('\n') + '\n');
    const source = await fileSource(file, { chunkRows: 1000 });
    let passes = 0;
    const error = await new GaussianMixture({ nComponents: 2 })
      .fitAsync(source, { onProgress: () => passes++ })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DataFileError);
    expect((error as DataFileError).message).toMatch(/^.*bad\.csv:25002:2: 'oops' is not a number/);
    expect([(error as DataFileError).line, (error as DataFileError).column]).toEqual([25_002, 2]);
    expect(passes).toBe(0); // no E-step ran: the survey pass found it
  });

  it('refuses standard input, a missing file and JSON, naming the file', async () => {
    await expect(fileSource('-')).rejects.toThrow(/standard input can be read only once/);
    await expect(fileSource(join(dir, 'nope.csv'))).rejects.toThrow(/nope\.csv: no such file/);
    const json = join(dir, 'x.json');
    writeFileSync(json, '[[1,2],[3,4]]');
    await expect(fileSource(json)).rejects.toThrow(/x\.json: is a JSON array, which is parsed whole: .*NDJSON/);
    const header = join(dir, 'header.csv');
    writeFileSync(header, 'a,b\n');
    await expect(fileSource(header)).rejects.toThrow(/no data rows/);
  });

  it("chunks carry the label column and the kept columns' text, row for row, however the text is cut", async () => {
    const text =
      'id,x,kind\n' + Array.from({ length: 300 }, (_, i) => `r${i},${i / 3},${i % 2 ? 'odd' : 'even'}`).join('\n') + '\n';
    const spec = { labelColumn: 'kind', keepColumns: ['id'] };
    for (const source of [
      await delimitedSource(pieces(text, [17, 3, 101]), 'kinds.csv', { spec, chunkRows: 40 }),
      await ndjsonSource(
        pieces(
          text
            .trim()
            .split('\n')
            .slice(1)
            .map((line) =>
              JSON.stringify(
                Object.fromEntries(line.split(',').map((v, j) => [['id', 'x', 'kind'][j], j === 1 ? Number(v) : v])),
              ),
            )
            .join('\n'),
          [9, 250],
        ),
        'kinds.ndjson',
        { spec, chunkRows: 40 },
      ),
    ]) {
      const labels: string[] = [];
      const ids: string[] = [];
      for await (const chunk of source.chunks()) {
        expect(chunk.labels).toHaveLength(chunk.X.rows);
        expect(chunk.kept!.map((c) => c.name)).toEqual(['id']);
        labels.push(...chunk.labels!);
        ids.push(...chunk.kept![0]!.values);
      }
      expect(labels).toEqual(Array.from({ length: 300 }, (_, i) => (i % 2 ? 'odd' : 'even')));
      expect(ids).toEqual(Array.from({ length: 300 }, (_, i) => `r${i}`));
    }
  });

  it('a file of one data row without a final newline is read', async () => {
    const file = join(dir, 'one.csv');
    writeFileSync(file, 'a,b\n1,2');
    const source = await fileSource(file);
    expect((await rows(source.chunks())).data).toEqual([1, 2]);
  });

  it('stopping a pass early closes the text', async () => {
    let closed = 0;
    const text = 'a\n' + Array.from({ length: 5000 }, (_, i) => String(i)).join('\n');
    const open = () =>
      (async function* () {
        try {
          yield* pieces(text, [1000])();
        } finally {
          closed++;
        }
      })();
    const source = await delimitedSource(open, 'a.csv', { chunkRows: 10 });
    expect(closed).toBe(1); // the header's read
    for await (const chunk of source.chunks()) {
      expect(chunk.X.rows).toBeGreaterThan(0);
      break;
    }
    expect(closed).toBe(2);
    const controller = new AbortController();
    const pass = source.chunks(controller.signal)[Symbol.asyncIterator]();
    await pass.next();
    controller.abort(new Error('stopped'));
    await expect(pass.next()).rejects.toThrow('stopped');
    expect(closed).toBe(3);
  });
});

describe('sources of newline-delimited JSON', () => {
  const objects = (n: number) =>
    Array.from({ length: n }, (_, i) =>
      JSON.stringify({ a: Math.sin(i) * 3 + (i % 3) * 5, b: Math.cos(i * 1.3), w: (i % 4) + 0.5 }),
    );

  it('a file streamed gives the rows, names and weights of the file read whole, cut anywhere', async () => {
    const text = objects(900).join('\n') + '\n\n'; // a blank line at the end is skipped
    const file = join(dir, 'rows.ndjson');
    writeFileSync(file, text);
    expect((await readData(file, {})).X.rows).toBe(900);
    await expectStreamedAsWhole(file, (spec) => ndjsonSource(pieces(text, [7, 1, 250]), 'rows.ndjson', { spec, chunkRows: 64 }));
    // Rows as arrays, in a .jsonl file, without a final newline: columns x1, x2.
    const arrays = join(dir, 'rows.jsonl');
    writeFileSync(arrays, '[1, 2]\n[3, 4.5]\n\n[-1, 0]');
    const plain = await fileSource(arrays);
    expect(plain.featureNames).toEqual(['x1', 'x2']);
    expect((await rows(plain.chunks())).data).toEqual([1, 2, 3, 4.5, -1, 0]);
  });

  it('fitting an NDJSON file streamed is bit-identical to fitting it in memory (GaussianMixture and KMeans)', async () => {
    const file = join(dir, 'fit.ndjson');
    writeFileSync(file, objects(1200).join('\n'));
    const spec = { weightColumn: 'w' };
    const { X, weights, featureNames } = await readData(file, spec);
    const gm = new GaussianMixture({ nComponents: 3, seed: 5, covarianceType: 'diag' });
    const expected = gm.fit(X, { sampleWeight: weights!, featureNames });
    const streamed = await gm.fitAsync(await fileSource(file, { spec, chunkRows: 50 }));
    expect(streamed.nIter).toBeGreaterThan(2);
    expect(JSON.stringify(streamed)).toBe(JSON.stringify(expected));
    const km = new KMeans({ nClusters: 3, seed: 2 });
    const kExpected = km.fit(X, { sampleWeight: weights! });
    const kStreamed = await km.fitAsync(await fileSource(file, { spec, chunkRows: 50 }));
    expect([...kStreamed.labels]).toEqual([...kExpected.labels]);
    expect(kStreamed.inertia).toBeCloseTo(kExpected.inertia, 8);
  });

  it('a bad row far down the file is named by file and line, and the fit fails in its first pass', async () => {
    const lines = objects(20_000);
    lines[15_001] = '{"a": 1, "b": "oops", "w": 1}'; // line 15,002
    const file = join(dir, 'bad.ndjson');
    writeFileSync(file, lines.join('\n') + '\n');
    const source = await fileSource(file, { chunkRows: 1000 });
    const error = await new GaussianMixture({ nComponents: 2 }).fitAsync(source).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DataFileError);
    expect((error as DataFileError).message).toMatch(/bad\.ndjson:15002:2: 'oops' is not a number/);
    lines[15_001] = '{"a": 1, "b": 2, "w": 1'; // not JSON
    writeFileSync(file, lines.join('\n') + '\n');
    const broken = await fileSource(file, { chunkRows: 1000 });
    const invalid = await new GaussianMixture({ nComponents: 2 }).fitAsync(broken).catch((e: unknown) => e);
    expect((invalid as DataFileError).message).toMatch(/bad\.ndjson:15002: not valid JSON/);
    expect((invalid as DataFileError).line).toBe(15_002);
  });

  it('refuses an empty file, mixed rows and a line without end', async () => {
    await expect(ndjsonSource(pieces('\n\n', [10]), 'e.ndjson')).rejects.toThrow(/e\.ndjson: the file is empty/);
    const mixed = await ndjsonSource(pieces('[1,2]\n{"a":1,"b":2}\n', [3]), 'm.ndjson');
    await expect(rows(mixed.chunks())).rejects.toThrow(/m\.ndjson:2: rows mix arrays and objects/);
    const endless = async function* () {
      yield '[1]\n';
      for (let i = 0; i < 80; i++) yield ' '.repeat(1 << 20);
    };
    const source = await ndjsonSource(endless, 'endless.ndjson');
    await expect(rows(source.chunks())).rejects.toThrow(/endless\.ndjson:2: has a line of over 67,108,864 characters/);
  });
});
