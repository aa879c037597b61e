/**
 * Hostile conditions for the command line (issue 16): bad files are errors
 * with exit code 1 and nothing written; a full disk and huge models give a
 * clear message, not a stack trace.
 */
import { spawn, spawnSync } from 'node:child_process';
import {
  appendFileSync,
  chmodSync,
  existsSync,
  lstatSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  readlinkSync,
  rmSync,
  statSync,
  symlinkSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { GaussianMixtureModel, makeBlobs, plotConvergence } from '../../src/node/index.js';
import { MAIN, runGmm, type CliResult } from '../helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'gmm-hostile-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const gmm = (args: string[], options: { input?: string; stdout?: number } = {}): CliResult => runGmm(dir, args, options);

describe('the command line on hostile input', () => {
  it('refuses an unterminated quote and a column of mixed kinds, with exit 1 and no output file', () => {
    const rows = Array.from({ length: 100 }, (_, i) => `${i},${(i * 7) % 13},${i % 2 ? 'a' : 'b'}`);
    writeFileSync(join(dir, 'quote.csv'), ['x,y,class', ...rows.slice(0, 50), '50,1,"b', ...rows.slice(51)].join('\n'));
    const quote = gmm(['fit', 'quote.csv', '-k', '2', '-o', 'quote.json']);
    expect(quote.code).toBe(1);
    expect(quote.stderr).toMatch(/^gmm: quote\.csv:52: a quoted field opens here and is never closed/);
    expect(existsSync(join(dir, 'quote.json'))).toBe(false);
    const mixed = gmm(['fit', '-', '--json'], { input: 'a,b,c\nNA,2,9\n3,4,8\n5,6,1\n1,1,3\n' });
    expect(mixed.code).toBe(1);
    expect(mixed.stderr).toMatch(/^gmm: <stdin>:2:1: 'NA' is not a number, but column 1 \('a'\) holds numbers/);
  });

  it('names the weight column when every weight is 0, and gives command-line advice (--reg-covar), not option names', () => {
    writeFileSync(join(dir, 'zero-weights.csv'), 'a,b,w\n1,2,0\n3,4,0\n5,6,0\n');
    for (const command of ['fit', 'select', 'kmeans']) {
      const r = gmm([
        command,
        'zero-weights.csv',
        ...(command === 'select' ? ['--components', '1'] : ['-k', '1']),
        '--weight-column',
        'w',
      ]);
      expect(r.code, command).toBe(1);
      expect(r.stderr).toBe(
        "gmm: zero-weights.csv: every weight in the weight column 'w' is 0: some row needs a positive weight\n",
      );
    }
    writeFileSync(join(dir, 'duplicates.csv'), 'a,b\n1,1\n1,1\n1,1\n2,2\n');
    const collapsed = gmm(['fit', 'duplicates.csv', '-k', '2', '--reg-covar', '0']);
    expect(collapsed.code).toBe(1);
    expect(collapsed.stderr).toMatch(/Increase --reg-covar \(now 0\), use fewer components, or scale the data\.\n$/);
    expect(collapsed.stderr).not.toMatch(/regCovar/);
  });

  it('warns on stderr, in flags, when EM stops at --max-iter before converging; --json and the model file carry it', () => {
    writeFileSync(join(dir, 'few.csv'), 'x,y\n0,0\n1,1\n0,1\n5,5\n6,5\n5,6\n9,0\n8,1\n');
    const r = gmm(['fit', 'few.csv', '-k', '2', '--max-iter', '1', '--tol', '0', '-o', 'few.json']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe(
      'gmm: warning: EM did not converge in 1 iteration (the lower bound still changed by more than --tol): raise --max-iter or --tol, or try other starts\n',
    );
    expect(JSON.parse(readFileSync(join(dir, 'few.json'), 'utf8')).warnings).toHaveLength(1);
    const json = gmm(['fit', 'few.csv', '-k', '2', '--max-iter', '1', '--tol', '0', '--json']);
    expect(JSON.parse(json.stdout).warnings).toHaveLength(1);
    expect(gmm(['fit', 'few.csv', '-k', '2']).stderr).toBe('');
  });

  it('warns, in flags, when --reg-covar swamps a feature of data scaled to 1e-10; --standardize rescues the fit', () => {
    const { X } = makeBlobs({ nSamples: 300, nCenters: 3, nFeatures: 2, seed: 5, clusterStd: 0.5 });
    const rows = Array.from({ length: X.rows }, (_, i) => `${X.data[2 * i]! * 1e-10},${X.data[2 * i + 1]! * 1e-10}`);
    writeFileSync(join(dir, 'tiny.csv'), `u,v\n${rows.join('\n')}\n`);
    const r = gmm(['fit', 'tiny.csv', '-k', '3']);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(
      /^gmm: warning: --reg-covar \(0\.000001\) is \S+ times the variance of feature [01] \('[uv]'\), \S+: it swamps the data's spread, so components merge; standardize the data \(--standardize\) or lower --reg-covar\n$/,
    );
    expect(gmm(['fit', 'tiny.csv', '-k', '3', '--standardize']).stderr).toBe('');
  });

  it('reports a full disk on standard output as one line, exit 1', () => {
    if (!existsSync('/dev/full')) return;
    const model = gmm(['fit', '-', '-k', '1', '-o', 'one.json'], { input: 'x\n1\n2\n3\n4\n' });
    expect(model.code).toBe(0);
    const r = spawnSync('sh', ['-c', `"${process.execPath}" "${MAIN}" sample one.json -n 1000 > /dev/full`], {
      cwd: dir,
      encoding: 'utf8',
    });
    expect(r.status).toBe(1);
    expect(r.stderr.trim()).toBe('gmm: <stdout>: cannot be written (ENOSPC)');
  });

  it('describes a model of 150,000 components without overflowing the call stack (info)', () => {
    const k = 150_000;
    const weights = new Float64Array(k).fill(1 / k);
    const means = Float64Array.from({ length: k }, (_, j) => j);
    const model = new GaussianMixtureModel(
      {
        covarianceType: 'spherical',
        nComponents: k,
        nFeatures: 1,
        weights,
        means,
        covariances: new Float64Array(k).fill(1),
        precisionsCholesky: new Float64Array(k).fill(1),
      },
      { converged: true, nIter: 1, lowerBound: -1, lowerBounds: [-1] },
    );
    writeFileSync(join(dir, 'huge.json'), JSON.stringify(model));
    const info = gmm(['info', 'huge.json']);
    expect(info.stderr).toBe('');
    expect(info.code).toBe(0);
    expect(info.stdout).toMatch(/150000 components/);
  });

  it('draws a convergence trace of 200,000 iterations (no spread of every value into Math.min)', () => {
    const values = Array.from({ length: 200_000 }, (_, i) => -1 / (i + 1));
    expect(plotConvergence(values)).toMatch(/^<svg/);
  });

  describe('-o on what is not a plain file (issue 16 #1)', () => {
    const fit = (output: string) => gmm(['fit', '-', '-k', '1', '-o', output], { input: 'x\n1\n2\n3\n4\n' });

    it('follows a symbolic link: the target is written and the link stays a link', () => {
      writeFileSync(join(dir, 'real.json'), 'old');
      symlinkSync('real.json', join(dir, 'link.json'));
      expect(fit('link.json').code).toBe(0);
      expect(lstatSync(join(dir, 'link.json')).isSymbolicLink()).toBe(true);
      expect(readlinkSync(join(dir, 'link.json'))).toBe('real.json');
      expect(JSON.parse(readFileSync(join(dir, 'real.json'), 'utf8')).nComponents).toBe(1);
      // A dangling link creates its target.
      symlinkSync('made.json', join(dir, 'dangling.json'));
      expect(fit('dangling.json').code).toBe(0);
      expect(lstatSync(join(dir, 'dangling.json')).isSymbolicLink()).toBe(true);
      expect(existsSync(join(dir, 'made.json'))).toBe(true);
    });

    it('refuses a read-only file (even as root) and leaves it intact', () => {
      writeFileSync(join(dir, 'locked.json'), 'keep me');
      chmodSync(join(dir, 'locked.json'), 0o444);
      const r = fit('locked.json');
      expect(r.code).toBe(1);
      expect(r.stderr.trim()).toBe('gmm: locked.json: is read-only: not replaced (make it writable, or write elsewhere)');
      expect(readFileSync(join(dir, 'locked.json'), 'utf8')).toBe('keep me');
    });

    it('writes into a FIFO instead of replacing it', async () => {
      if (spawnSync('mkfifo', [join(dir, 'pipe')]).status !== 0) return;
      const reader = spawn('cat', [join(dir, 'pipe')]);
      let received = '';
      reader.stdout.on('data', (chunk: Buffer) => (received += chunk.toString()));
      const done = new Promise((resolve) => reader.on('close', resolve));
      const r = fit('pipe');
      await done;
      expect(r.code).toBe(0);
      expect(statSync(join(dir, 'pipe')).isFIFO()).toBe(true);
      expect(JSON.parse(received).nComponents).toBe(1);
    });

    it('names a folder as a folder', () => {
      const r = fit('.');
      expect(r.code).toBe(1);
      expect(r.stderr.trim()).toBe('gmm: .: is a folder, not a file');
    });
  });

  it('streams its output: sample, predict and score write a piece at a time, in a heap too small for the whole (#8)', () => {
    writeFileSync(join(dir, 'two.csv'), 'x,y\n0,0\n1,1\n0,1\n5,5\n6,5\n5,6\n');
    expect(gmm(['fit', 'two.csv', '-k', '2', '-o', 'stream.json']).code).toBe(0);
    // A million rows in a 40 MB heap: built whole in memory (the old way) this died of heap exhaustion (rc 134).
    const small = (args: string[], heapMb = 40) =>
      spawnSync(process.execPath, [`--max-old-space-size=${heapMb}`, MAIN, ...args], {
        cwd: dir,
        encoding: 'utf8',
        timeout: 120_000,
      });
    const sampled = small(['sample', 'stream.json', '-n', '1000000', '--seed', '3', '-o', 'million.csv']);
    expect(sampled.stderr).toBe('');
    expect(sampled.status).toBe(0);
    const text = readFileSync(join(dir, 'million.csv'), 'utf8');
    const lines = text.trimEnd().split('\n');
    expect(lines).toHaveLength(1_000_001);
    // The same points as the library's model.sample, across the pieces' boundaries (16,384 rows).
    const model = GaussianMixtureModel.fromJSON(JSON.parse(readFileSync(join(dir, 'stream.json'), 'utf8')));
    const { X, labels } = model.sample(40_000, { seed: 3 });
    for (const i of [0, 16_383, 16_384, 32_768, 39_999]) {
      expect(lines[i + 1]).toBe(`${X.data[2 * i]},${X.data[2 * i + 1]},${labels[i]}`);
    }
    // predict --proba and score --per-sample on that million rows in 100 MB (the input is read whole: 40 MB of
    // text), where predict died of heap exhaustion until 300 MB; the same labels as the library's predict.
    const predicted = small(['predict', 'stream.json', 'million.csv', '--columns', 'x,y', '--proba', '-o', 'labels.csv'], 100);
    expect(predicted.stderr).toBe('');
    const out = readFileSync(join(dir, 'labels.csv'), 'utf8').trimEnd().split('\n');
    expect(out).toHaveLength(1_000_001);
    const head = model.predict(X);
    for (const i of [0, 16_383, 16_384, 39_999]) expect(Number(out[i + 1]!.split(',')[0])).toBe(head[i]);
    const scored = small(['score', 'stream.json', 'million.csv', '--columns', 'x,y', '--per-sample', '-o', 'density.csv'], 100);
    expect(scored.stderr).toBe('');
    const density = readFileSync(join(dir, 'density.csv'), 'utf8').trimEnd().split('\n');
    expect(density).toHaveLength(1_000_001);
    const expected = model.scoreSamples(X);
    for (const i of [0, 16_384, 39_999]) expect(Number(density[i + 1])).toBe(expected[i]);
    for (const file of ['million.csv', 'labels.csv', 'density.csv']) rmSync(join(dir, file));
  }, 180_000);

  it('reads CSV longer than the longest string JavaScript holds, piece by piece, from a file and from a pipe (#8)', () => {
    // 547 MB, 3,600,000 rows × 8: more characters (547,200,016) than a string holds (536,870,888). It used to fail
    // with "Invalid string length" (a file) or an internal error (standard input).
    const big = join(dir, 'big.csv');
    const rows = Array.from({ length: 20_000 }, (_, i) =>
      Array.from({ length: 8 }, (_, j) => (1_000_000 + (((i * 8 + j) * 7919) % 1_000_003) / 1000).toFixed(10)).join(','),
    );
    const block = `${rows.join('\n')}\n`;
    writeFileSync(big, 'a,b,c,d,e,f,g,h\n');
    for (let b = 0; b < 180; b++) appendFileSync(big, block);
    expect(statSync(big).size).toBeGreaterThan(536_870_888);
    const fitted = gmm(['fit', 'big.csv', '-k', '1', '--max-iter', '2', '--json']);
    expect(fitted.stderr).toBe('');
    const facts = JSON.parse(fitted.stdout) as { n: number; featureNames: string[] };
    expect(facts.n).toBe(3_600_000);
    expect(facts.featureNames).toEqual(['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h']);
    const piped = spawnSync('sh', ['-c', `cat big.csv | ${process.execPath} ${MAIN} fit - -k 1 --max-iter 2 --json`], {
      cwd: dir,
      encoding: 'utf8',
      maxBuffer: 1 << 24,
    });
    expect(piped.stderr).toBe('');
    expect(JSON.parse(piped.stdout)).toEqual(facts);
    rmSync(big);
  }, 180_000);

  it('refuses what it cannot read piece by piece, over the longest string: JSON, a line without end (#8)', () => {
    // Sparse 600 MB files: nothing but zero bytes.
    for (const name of ['huge.csv', 'huge.json']) {
      writeFileSync(join(dir, name), '');
      truncateSync(join(dir, name), 600_000_000);
    }
    const json = gmm(['fit', 'huge.json', '-k', '2', '-o', 'too-big.json']);
    expect(json.code).toBe(1);
    expect(json.stderr).toBe(
      'gmm: huge.json: is over 536.9 MB of JSON: more text than gmm reads into memory at once (536.9 MB, the longest string JavaScript holds): convert it to CSV, TSV or NDJSON (one row per line), which gmm reads piece by piece at any size\n',
    );
    const zeros = gmm(['fit', 'huge.csv', '-k', '2', '-o', 'too-big.json']);
    expect(zeros.code).toBe(1);
    expect(zeros.stderr).toBe(
      'gmm: huge.csv:1: has a line of over 67,108,864 characters: not a table of data (no line breaks?)\n',
    );
    const piped = spawnSync('sh', ['-c', `head -c 600000000 /dev/zero | ${process.execPath} ${MAIN} predict too-big.json -`], {
      cwd: dir,
      encoding: 'utf8',
    });
    expect(piped.status).toBe(1);
    expect(piped.stderr).toMatch(/^gmm: too-big\.json: /); // no model there: the model is read first
    expect(existsSync(join(dir, 'too-big.json'))).toBe(false);
    for (const name of ['huge.csv', 'huge.json']) rmSync(join(dir, name));
  });

  it('cleans up the temporary file a SIGKILLed write left behind, on the next write of the same target (#5)', async () => {
    writeFileSync(join(dir, 'one.csv'), 'x,y\n0,0\n1,1\n0,1\n5,5\n6,5\n5,6\n');
    expect(gmm(['fit', 'one.csv', '-k', '2', '-o', 'two.json']).code).toBe(0);
    const temporaries = () => readdirSync(dir).filter((f) => /^\.big\.csv\.\d+\.[0-9a-f]{8}\.tmp$/.test(f));
    // Kill the writer while its temporary file exists: poll for it, then SIGKILL (again if a run ended first).
    let seen = false;
    for (let attempt = 0; attempt < 3 && !seen; attempt++) {
      writeFileSync(join(dir, 'big.csv'), 'old\n');
      const child = spawn(process.execPath, [MAIN, 'sample', 'two.json', '-n', '1000000', '-o', 'big.csv'], { cwd: dir });
      let running = true;
      const exited = new Promise<void>((done) =>
        child.on('exit', () => {
          running = false;
          done();
        }),
      );
      while (running && !seen) {
        await new Promise((resolve) => setTimeout(resolve, 2));
        seen = temporaries().length > 0;
      }
      child.kill('SIGKILL');
      await exited;
    }
    expect(seen).toBe(true);
    expect(readFileSync(join(dir, 'big.csv'), 'utf8')).toBe('old\n'); // the old output is intact
    expect(temporaries()).toHaveLength(1);
    // A temporary file of a running process (this one) is left alone.
    const live = `.big.csv.${process.pid}.0123abcd.tmp`;
    writeFileSync(join(dir, live), 'in progress');
    expect(gmm(['sample', 'two.json', '-n', '5', '-o', 'big.csv']).code).toBe(0);
    expect(temporaries()).toEqual([live]);
    expect(readFileSync(join(dir, 'big.csv'), 'utf8').trim().split('\n')).toHaveLength(6);
    rmSync(join(dir, live));
  });
});
