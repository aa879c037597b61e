import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
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
    expect(readdirSync(join(src, 'io')).sort()).toEqual(['readData.ts', 'write.ts']);
    expect(core.map((f) => relative(src, f))).toContain('parse/parseData.ts');
  });

  it('the core reads no process or Buffer global', () => {
    const offenders = core.filter((f) => /\b(process\.|Buffer\.)/.test(readFileSync(f, 'utf8')));
    expect(offenders.map((f) => relative(src, f))).toEqual([]);
  });
});
