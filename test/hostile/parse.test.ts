/**
 * Hostile data files (issue 16, "data loss or silent wrong results"): each
 * case once produced a fit of the wrong data, exit 0. Now each is an error
 * naming the place.
 */
import { describe, expect, it } from 'vitest';
import { DataFileError, parseData } from '../../src/index.js';

function failure(text: string, file = 'data.csv'): DataFileError {
  try {
    parseData(text, file);
  } catch (e) {
    if (e instanceof DataFileError) return e;
    throw e;
  }
  throw new Error('parsed without an error');
}

/** 100 rows of two numbers and a class name. */
const rows = Array.from({ length: 100 }, (_, i) => `${i},${(i * 7) % 13},${i % 2 ? 'a' : 'b'}`);

describe('hostile data files', () => {
  it('an unterminated quote is an error at the line it opens, mid-file or at the end', () => {
    const mid = ['x,y,class', ...rows.slice(0, 50), '50,1,"b', ...rows.slice(51)].join('\n');
    const e = failure(mid);
    expect(e.line).toBe(52); // the header is line 1, row 51 is line 52
    expect(e.message).toMatch(/^data\.csv:52: a quoted field opens here and is never closed/);
    expect(failure('x,y\n1,2\n3,"4\n').line).toBe(3);
    // Escaped quotes inside a closed field are fine.
    expect(parseData('x,y,c\n1,2,"say ""hi"""\n3,4,z\n', 'ok.csv').X.rows).toBe(2);
  });

  it.each(['NA', '0x10', '1_000', '"2,5"', ''])(
    'a first-row cell %s in a numeric column is an error, not a dropped column',
    (odd) => {
      const e = failure(`a,b,c\n${odd},2,9\n3,4,8\n5,6,1\n1,1,3\n`);
      expect([e.line, e.column]).toEqual([2, 1]);
      expect(e.message).toMatch(/is not a number, but column 1 \('a'\) holds numbers \(3 on line 3\)/);
      // The same cell on row 2 was already an error; its place is named the same way.
      expect(failure(`a,b,c\n3,4,8\n${odd},2,9\n`).line).toBe(3);
    },
  );

  it('a text column stays a text column, and explicit columns decide alone', () => {
    const data = parseData('x,y,species\n1,2,setosa\n3,4,virginica\n', 'iris.csv');
    expect(data.featureNames).toEqual(['x', 'y']);
    expect(parseData('a,b\nNA,2\n3,4\n', 'f.csv', { columns: ['b'] }).X.data).toEqual(Float64Array.from([2, 4]));
  });

  it('a header narrower or wider than the rows is an error', () => {
    expect(failure('a,b\n1,2,3\n4,5,6\n').message).toBe(
      'data.csv:1: the header has 2 column names but the first data row has 3 fields: every row needs one name per field',
    );
    expect(failure('a,b,c\n1,2\n4,5\n').message).toMatch(/header has 3 column names but the first data row has 2 fields/);
  });

  it('a column name used twice (among the columns used) is an error', () => {
    expect(failure('a,b,a\n1,2,3\n4,5,6\n').message).toBe(
      "data.csv:1: the header names two columns 'a' (columns 1 and 3): column names must be unique",
    );
    // Unused duplicates (e.g. two unnamed text columns) are harmless.
    expect(parseData('a,,,b\n1,x,y,2\n3,z,w,4\n', 'f.csv').featureNames).toEqual(['a', 'b']);
  });
});
