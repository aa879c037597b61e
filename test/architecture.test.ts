import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const src = fileURLToPath(new URL('../src/', import.meta.url));
/** Node-only edges: everything else is the core, which must run in browsers. */
const NODE_ONLY = ['cli', 'io', 'node'];

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : path.endsWith('.ts') ? [path] : [];
  });
}

/**
 * The layers, lowest first: a module may import its own layer and the ones
 * below, never one above (the README's drawing).
 */
const LAYERS = [
  ['errors.ts', 'validate.ts'],
  ['matrix', 'random', 'data'],
  ['kernels'],
  ['mixture'],
  ['engines'],
  ['fit'],
  ['parallel'],
  ['estimators'],
  ['selection'],
  ['datasets', 'metrics', 'decomposition', 'geometry', 'plot', 'parse'],
  ['io', 'index.ts', 'browserWorker.ts'],
  ['node'],
  ['cli'],
];

interface Import {
  readonly from: string;
  readonly to: string;
  readonly typeOnly: boolean;
}

/** Every relative import and re-export of every source file (paths relative to src/). */
function imports(all: string[]): Import[] {
  return all.flatMap((file) =>
    [...readFileSync(file, 'utf8').matchAll(/^(?:import|export)\s+(type\s+)?(?:[^;]*?\s+from\s+)?'(\.[^']+)'/gms)].map((m) => ({
      from: relative(src, file),
      to: relative(src, resolve(dirname(file), m[2]!.replace(/\.js$/, '.ts'))),
      typeOnly: m[1] !== undefined,
    })),
  );
}

const layerOf = (path: string): number => LAYERS.findIndex((layer) => layer.includes(path.split('/')[0]!));

describe('architecture', () => {
  const core = files(src).filter((f) => !NODE_ONLY.includes(relative(src, f).split('/')[0]!));

  it('the core imports no node:* module and no Node built-in', () => {
    expect(core.length).toBeGreaterThan(10);
    const offenders = core.filter((f) =>
      /from\s+['"](node:|fs['"]|path['"]|os['"]|worker_threads['"])|require\(/.test(readFileSync(f, 'utf8')),
    );
    expect(offenders.map((f) => relative(src, f))).toEqual([]);
  });

  it('io/ holds only the file edges; parsing data text (parse/) is core and runs in browsers', () => {
    expect(readdirSync(join(src, 'io')).sort()).toEqual([
      'arrowFileSource.ts',
      'duckdbSource.ts',
      'fileSource.ts',
      'readData.ts',
      'write.ts',
    ]);
    expect(core.map((f) => relative(src, f))).toContain('parse/parseData.ts');
  });

  it('the core reads no process or Buffer global', () => {
    const offenders = core.filter((f) => /\b(process\.|Buffer\.)/.test(readFileSync(f, 'utf8')));
    expect(offenders.map((f) => relative(src, f))).toEqual([]);
  });

  const all = files(src);
  const edges = imports(all);

  it('every module sits in a layer, and imports only its own layer and those below', () => {
    expect(all.map((f) => relative(src, f)).filter((f) => layerOf(f) < 0)).toEqual([]);
    expect(edges.length).toBeGreaterThan(100);
    const upward = edges.filter((e) => layerOf(e.to) > layerOf(e.from)).map((e) => `${e.from} -> ${e.to}`);
    expect(upward).toEqual([]);
  });

  it('has no import cycle (type-only imports aside)', () => {
    const next = new Map<string, string[]>();
    for (const e of edges) if (!e.typeOnly) next.set(e.from, [...(next.get(e.from) ?? []), e.to]);
    const state = new Map<string, 'open' | 'done'>();
    const cycles: string[] = [];
    const visit = (file: string, path: string[]): void => {
      state.set(file, 'open');
      for (const to of next.get(file) ?? []) {
        if (state.get(to) === 'open') cycles.push([...path.slice(path.indexOf(to)), file, to].join(' > '));
        else if (!state.has(to)) visit(to, [...path, file]);
      }
      state.set(file, 'done');
    };
    for (const f of all) if (!state.has(relative(src, f))) visit(relative(src, f), []);
    expect(cycles).toEqual([]);
  });

  it('CLI commands share cli/common.ts, and import neither the registry nor one another', () => {
    const offenders = edges.filter(
      (e) => e.from.startsWith('cli/commands/') && (e.to === 'cli/program.ts' || e.to.startsWith('cli/commands/')),
    );
    expect(offenders.map((e) => `${e.from} -> ${e.to}`)).toEqual([]);
  });

  it("the README's layer drawing shows the layers in this order, lowest at the bottom", () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    const drawing = readme.split('## Layout')[1]!.split('```text')[1]!.split('```')[0]!.split('\n');
    const lineOf = (name: string): number => drawing.findIndex((line) => line.split(/\s+/).includes(name));
    const rows = LAYERS.map((layer) => layer.map((name) => lineOf(name.endsWith('.ts') ? name : `${name}/`)));
    expect(rows.flat().filter((row) => row < 0)).toEqual([]);
    for (let l = 1; l < LAYERS.length; l++) expect(Math.max(...rows[l]!)).toBeLessThan(Math.min(...rows[l - 1]!));
  });
});
