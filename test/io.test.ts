import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dsvFormat } from 'd3-dsv';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { DelimitedReader, readDelimited, splitRows } from '../src/parse/delimited.js';
import { DataFileError } from '../src/parse/errors.js';
import { readData } from '../src/io/readData.js';
import { parseData } from '../src/parse/parseData.js';
import { formatTable } from '../src/io/write.js';

const dir = mkdtempSync(join(tmpdir(), 'gmm-io-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, content: string): string => {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
};
async function failure(path: string, spec = {}): Promise<DataFileError> {
  try {
    await readData(path, spec);
  } catch (e) {
    expect(e).toBeInstanceOf(DataFileError);
    return e as DataFileError;
  }
  throw new Error('expected a DataFileError');
}

describe('reading data files', () => {
  it('detects a header, and a headerless first row with a text column is data', async () => {
    const withHeader = await readData(file('h.csv', 'a,b,species\n1,2,x\n3,4,y\n'));
    expect(withHeader.featureNames).toEqual(['a', 'b']);
    expect(withHeader.X.rows).toBe(2);
    const headerless = await readData(file('nh.csv', '5.1,3.5,setosa\n4.9,3.0,setosa\n'));
    expect(headerless.featureNames).toEqual(['x1', 'x2']);
    expect(Array.from(headerless.X.data)).toEqual([5.1, 3.5, 4.9, 3.0]);
    const forced = await readData(file('f.csv', '1,2\n3,4\n'), { header: true });
    expect(forced.featureNames).toEqual(['1', '2']);
    expect(forced.X.rows).toBe(1);
  });

  it('keeps exact line numbers through quoted fields with newlines, blank lines and a byte-order mark', async () => {
    const path = file('q.csv', '\ufeffname,a,b\n"multi\nline",1,2\n\n"ok",3,oops\n');
    const e = await failure(path);
    expect(e.message).toBe(`${path}:5:3: 'oops' is not a number`);
    expect([e.line, e.column]).toEqual([5, 3]);
  });

  it('rejects hexadecimal, binary and octal literals and infinities', async () => {
    for (const bad of ['0x1f', '0b101', '0o17', 'Infinity', '-inf', 'NaN']) {
      const e = await failure(file('bad.csv', `a,b\n1,2\n3,${bad}\n`));
      expect(e.message).toMatch(new RegExp(`:3:2: '${bad}' is not a (finite )?number( \\(a missing value: .*\\))?$`));
    }
  });

  it('sniffs the delimiter of a file without a telling extension', async () => {
    const semicolons = await readData(file('data.txt', 'a;b\n1;2\n3;4\n'));
    expect(semicolons.featureNames).toEqual(['a', 'b']);
    const tabs = await readData(file('data.dat', 'a\tb\n1\t2\n'));
    expect(Array.from(tabs.X.data)).toEqual([1, 2]);
  });

  it('reads labels and weights, and checks weights', async () => {
    const data = await readData(file('lw.csv', 'x,label,w\n1,a,2\n2,b,0.5\n'), { labelColumn: 'label', weightColumn: 'w' });
    expect(data.labels).toEqual(['a', 'b']);
    expect(Array.from(data.weights!)).toEqual([2, 0.5]);
    expect(data.featureNames).toEqual(['x']);
    const e = await failure(file('lw2.csv', 'x,w\n1,2\n2,-3\n'), { weightColumn: 'w' });
    expect(e.message).toMatch(/:3:2: weight '-3' must be a finite number ≥ 0$/);
    expect((await failure(file('lw3.csv', 'x,w\n1,2\n'), { weightColumn: '7' })).message).toMatch(
      /weight column 7 is out of range: the data has 2 columns \(numbered from 1\)$/,
    );
  });

  it('reads NDJSON with line numbers, and JSON objects by key', async () => {
    const nd = await failure(file('d.ndjson', '{"a":1,"b":2}\n\n{"a":3,"b":"z"}\n'));
    expect(nd.message).toMatch(/d\.ndjson:3:2: 'z' is not a number$/);
    const broken = await failure(file('e.ndjson', '{"a":1}\n{"a":\n'));
    expect(broken.message).toMatch(/e\.ndjson:2: not valid JSON/);
    const extra = await failure(file('o.json', JSON.stringify([{ a: 1 }, { a: 2, b: 3 }])));
    expect(extra.message).toMatch(/o\.json:2: unexpected key 'b' \(the first row has a\)$/);
    const objects = await readData(
      file(
        'p.json',
        JSON.stringify([
          { a: 1, b: 'x' },
          { a: 2, b: 'y' },
        ]),
      ),
    );
    expect(objects.featureNames).toEqual(['a']);
  });

  it('refuses picking a column twice, or as both feature and label', async () => {
    expect((await failure(file('t.csv', 'a,b\n1,2\n'), { columns: ['a', '1'] })).message).toMatch(/column 'a' is picked twice$/);
    expect((await failure(file('u.csv', 'a,b\n1,2\n'), { columns: ['a'], labelColumn: 'a' })).message).toMatch(
      /column 'a' cannot be both a feature and the label column$/,
    );
  });
});

describe('parsing data text in memory (parseData, also in browsers)', () => {
  it('parses CSV, TSV by name and JSON by content, with the same errors as files', () => {
    const csv = parseData('x,y,kind\n1,2,a\n3,4,b\n', 'points.csv', { labelColumn: 'kind' });
    expect([csv.X.rows, csv.X.cols, ...csv.X.data]).toEqual([2, 2, 1, 2, 3, 4]);
    expect(csv.featureNames).toEqual(['x', 'y']);
    expect(csv.labels).toEqual(['a', 'b']);
    expect(Array.from(parseData('a\tb\n1\t2\n', 'p.tsv').X.data)).toEqual([1, 2]);
    expect(Array.from(parseData('[[1, 2], [3, 4]]', 'dropped').X.data)).toEqual([1, 2, 3, 4]);
    expect(() => parseData('x,y\n1,2\n3,abc\n', 'dropped.csv')).toThrow("dropped.csv:3:2: 'abc' is not a number");
    expect(() => parseData('  \n', 'empty.csv')).toThrow(DataFileError);
  });
});

describe('delimited text without quotes', () => {
  it('is cut into the same records as d3-dsv parses (any mix of line endings, blank lines, empty cells)', () => {
    const text = fc.string({ unit: fc.constantFrom('1', '-2.5', 'e', ' ', ',', '\t', '\n', '\r\n', '\r', ''), maxLength: 60 });
    fc.assert(
      fc.property(text, fc.constantFrom(',', '\t'), (t, delimiter) => {
        expect(splitRows(t, delimiter)).toEqual(dsvFormat(delimiter).parseRows(t));
      }),
      { numRuns: 2000 },
    );
  });

  it('read piece by piece (DelimitedReader), cut anywhere, gives the table of the whole text, or the same error', () => {
    const cell = fc.constantFrom('1', '-2.5', '3e2', ' 4 ', '', 'NA', 'x', '0.125');
    const row = fc.array(cell, { minLength: 1, maxLength: 4 }).map((cells) => cells.join(','));
    const table = fc.record({
      header: fc.boolean(),
      rows: fc.array(fc.oneof({ weight: 5, arbitrary: row }, { weight: 1, arbitrary: fc.constant('') }), { maxLength: 12 }),
      eol: fc.constantFrom('\n', '\r\n'),
      bom: fc.boolean(),
      na: fc.constantFrom('error', 'drop') as fc.Arbitrary<'error' | 'drop'>,
    });
    const outcome = (f: () => unknown): unknown => {
      try {
        return f();
      } catch (e) {
        return (e as Error).message;
      }
    };
    fc.assert(
      fc.property(table, fc.array(fc.nat(), { maxLength: 6 }), (t, cuts) => {
        const lines = [...(t.header ? ['a,b,c,d'] : []), ...t.rows];
        const text = `${t.bom ? '\ufeff' : ''}${lines.join(t.eol)}${t.eol}`;
        const spec = { na: t.na };
        const whole = outcome(() => readDelimited(text, ',', 't.csv', spec));
        const at = [...new Set(cuts.map((c) => c % (text.length + 1)))].sort((a, b) => a - b);
        const pieces = [0, ...at].map((from, i) => text.slice(from, [...at, text.length][i]));
        const reader = new DelimitedReader('t.csv', spec, ',');
        expect(outcome(() => (pieces.forEach((p) => reader.push(p)), reader.finish()))).toEqual(whole);
      }),
      { numRuns: 1500 },
    );
  });

  it('read piece by piece, names the line of a quote, which it cannot read across pieces', () => {
    const reader = new DelimitedReader('big.csv', {}, ',');
    reader.push('a,b\n1,2\n3,');
    expect(() => reader.push('4\n5,"6"\n')).toThrow(/^big\.csv:4: has a quote \("\): text read piece by piece/);
  });

  it('keeps line numbers in messages with Windows line endings and blank lines', () => {
    const X = parseData('x,y\r\n1,2\r\n\r\n3,4\r\n', 'win.csv').X;
    expect([X.rows, ...X.data]).toEqual([2, 1, 2, 3, 4]);
    expect(() => parseData('x,y\r\n1,2\r\n\r\n3,four\r\n', 'win.csv')).toThrow("win.csv:4:2: 'four' is not a number");
  });
});

describe('writing tables', () => {
  it('quotes CSV cells that need it and writes numbers exactly', () => {
    expect(
      formatTable(
        'csv',
        ['name', 'x'],
        [
          ['a,b', 0.1 + 0.2],
          ['say "hi"', 1e-300],
        ],
      ),
    ).toBe('name,x\n"a,b",0.30000000000000004\n"say ""hi""",1e-300\n');
    expect(formatTable('ndjson', ['x'], [[1], [2]])).toBe('{"x":1}\n{"x":2}\n');
    expect(JSON.parse(formatTable('json', ['x', 'y'], [[1, 'a']]))).toEqual([{ x: 1, y: 'a' }]);
  });
});
