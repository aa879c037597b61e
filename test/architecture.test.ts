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

  it('the in-memory data readers (io/ but for reading and writing files) are portable too: the playground uses them', () => {
    const readers = files(join(src, 'io')).filter((f) => !/readData\.ts$|write\.ts$/.test(f));
    expect(readers.map((f) => relative(src, f)).sort()).toEqual([
      'io/delimited.ts',
      'io/errors.ts',
      'io/json.ts',
      'io/parse.ts',
      'io/table.ts',
    ]);
    const offenders = readers.filter((f) => /from\s+['"]node:|\b(process\.|Buffer\.)/.test(readFileSync(f, 'utf8')));
    expect(offenders.map((f) => relative(src, f))).toEqual([]);
  });

  it('the core reads no process or Buffer global', () => {
    const offenders = core.filter((f) => /\b(process\.|Buffer\.)/.test(readFileSync(f, 'utf8')));
    expect(offenders.map((f) => relative(src, f))).toEqual([]);
  });
});
