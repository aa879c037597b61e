/**
 * Signals in every phase of the command line (issue 16 #6): SIGINT, SIGTERM
 * and SIGKILL while it reads a FIFO nobody writes, reads a standard input
 * left open, parses, initializes a fit of many components, runs EM and
 * writes its output. Each must end the program within a second, by the
 * signal; the old output file must be intact and, but for SIGKILL in the
 * write phase, no temporary file may be left (SIGKILL cannot be caught: the
 * next write of the same target removes what it left, tested in
 * cli.test.ts).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAIN } from '../helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'gmm-signals-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Rows of 8 uniform values from a seeded linear congruential generator, optionally every cell quoted. */
function table(rows: number, quoted: boolean): string {
  let x = 1;
  const q = quoted ? '"' : '';
  const lines = [Array.from({ length: 8 }, (_, j) => `${q}c${j}${q}`).join(',')];
  for (let i = 0; i < rows; i++) {
    const cells: string[] = [];
    for (let j = 0; j < 8; j++) {
      x = (x * 48271) % 2147483647;
      cells.push(`${q}${((x / 2147483647) * 10 + (i % 3) * 5).toFixed(6)}${q}`);
    }
    lines.push(cells.join(','));
  }
  return `${lines.join('\n')}\n`;
}

beforeAll(() => {
  writeFileSync(join(dir, 'quoted.csv'), table(600_000, true)); // ~53 MB: d3-dsv parses it in about 2 s
  writeFileSync(join(dir, 'rows.csv'), table(50_000, false));
  const warm = spawnSync(process.execPath, [MAIN, 'fit', 'rows.csv', '-k', '3', '-o', 'warm.json'], { cwd: dir });
  expect(warm.status).toBe(0);
  spawnSync('mkfifo', [join(dir, 'fifo')]);
});

/** A running `gmm`, its standard error so far, and how it ended. */
interface Run {
  child: ChildProcess;
  stderr: () => string;
  ended: Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>;
  running: () => boolean;
}

function start(args: string[]): Run {
  const child = spawn(process.execPath, [MAIN, ...args], { cwd: dir, stdio: ['pipe', 'ignore', 'pipe'] });
  let stderr = '';
  let running = true;
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const ended = new Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>((resolve) =>
    child.on('exit', (code, signal) => {
      running = false;
      resolve({ code, signal, at: performance.now() });
    }),
  );
  return { child, stderr: () => stderr, ended, running: () => running };
}

/** Waits until `ready` holds (polling every 2 ms) or the run ends; whether it held. */
async function until(run: Run, ready: () => boolean, timeoutMs = 30_000): Promise<boolean> {
  const deadline = performance.now() + timeoutMs;
  while (run.running() && performance.now() < deadline) {
    if (ready()) return true;
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
  return false;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const temporaries = (name: string) => readdirSync(dir).filter((f) => f.startsWith(`.${name}.`) && f.endsWith('.tmp'));

/** One phase: the command, and how to tell that the run is in that phase (and still in it when signalled). */
interface Phase {
  name: string;
  target: string;
  args: string[];
  /** Resolves once the run is in the phase; false if it never got there. */
  enter: (run: Run) => Promise<boolean>;
  /** What the run must not have said if the signal came in the phase (it would say it on leaving). */
  notLeft?: RegExp;
}

const phases: Phase[] = [
  {
    name: 'reading a FIFO that no one writes',
    target: 'fifo.json',
    args: ['fit', 'fifo', '-k', '2', '-o', 'fifo.json'],
    enter: async () => (await sleep(300), true),
  },
  {
    name: 'reading a standard input left open',
    target: 'stdin.json',
    args: ['fit', '-', '-k', '2', '-o', 'stdin.json'],
    enter: async (run) => (run.child.stdin!.write('a,b\n1,2\n3,4\n'), await sleep(300), true),
  },
  {
    name: 'parsing',
    target: 'parse.json',
    args: ['fit', 'quoted.csv', '-k', '2', '--verbose', '-o', 'parse.json'],
    enter: (run) => until(run, () => /^read /m.test(run.stderr())),
    notLeft: /^parse /m,
  },
  {
    name: 'initializing 500 components (k-means)',
    target: 'init.json',
    args: ['fit', 'rows.csv', '-k', '500', '--max-iter', '1', '--verbose', '-o', 'init.json'],
    enter: async (run) => (await until(run, () => /^parse /m.test(run.stderr()))) && (await sleep(200), true),
    notLeft: /^fit /m,
  },
  {
    name: 'running EM',
    target: 'em.json',
    args: ['fit', 'rows.csv', '--init-model', 'warm.json', '--tol', '0', '--max-iter', '1000000', '--verbose', '-o', 'em.json'],
    enter: async (run) => (await until(run, () => /^parse /m.test(run.stderr()))) && (await sleep(300), true),
    notLeft: /^fit /m,
  },
  {
    name: 'writing the output',
    target: 'sample.csv',
    args: ['sample', 'warm.json', '-n', '2000000', '-o', 'sample.csv'],
    enter: (run) => until(run, () => temporaries('sample.csv').length > 0),
  },
];

describe('signals in every phase of the command line', () => {
  for (const phase of phases) {
    for (const signal of ['SIGINT', 'SIGTERM', 'SIGKILL'] as const) {
      it(`${signal} while ${phase.name}: ends within a second, the old output intact, nothing left`, async () => {
        writeFileSync(join(dir, phase.target), 'old\n');
        // A run may leave the phase before the signal lands (the write phase is short): try again, up to 3 times.
        let landed = false;
        for (let attempt = 0; attempt < 3 && !landed; attempt++) {
          const run = start(phase.args);
          const entered = await phase.enter(run);
          const sent = performance.now();
          run.child.kill(signal);
          const end = await run.ended;
          if (!entered || end.signal === null) continue; // it had finished: not this phase
          if (phase.notLeft?.test(run.stderr())) continue;
          landed = true;
          expect(end.signal).toBe(signal);
          expect(end.at - sent).toBeLessThan(1000);
          expect(run.stderr()).not.toMatch(/gmm:/); // no error, no stack trace: the signal's default action
        }
        expect(landed, `the signal never landed while ${phase.name}`).toBe(true);
        expect(readFileSync(join(dir, phase.target), 'utf8')).toBe('old\n');
        const left = temporaries(phase.target);
        if (signal === 'SIGKILL' && phase.name === 'writing the output') expect(left.length).toBeLessThanOrEqual(1);
        else expect(left).toEqual([]);
        for (const file of left) rmSync(join(dir, file));
      }, 120_000);
    }
  }

  it('a FIFO that no one writes is still the only thing a run waits for: a writer lets it go on', async () => {
    const run = start(['fit', 'fifo', '-k', '1', '-o', 'fifo-ok.json']);
    await sleep(200);
    writeFileSync(join(dir, 'fifo'), 'a,b\n1,2\n3,5\n2,2\n');
    const end = await run.ended;
    expect(end.code).toBe(0);
    expect(existsSync(join(dir, 'fifo-ok.json'))).toBe(true);
  });
});
