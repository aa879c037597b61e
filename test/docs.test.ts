import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const src = fileURLToPath(new URL('../src/', import.meta.url));
const files = (dir: string): string[] =>
  readdirSync(dir).flatMap((n) =>
    statSync(join(dir, n)).isDirectory() ? files(join(dir, n)) : n.endsWith('.ts') ? [join(dir, n)] : [],
  );
const sources = files(src).map((f) => readFileSync(f, 'utf8'));

/** Every name exported from the public entry point. */
function publicNames(): string[] {
  const index = readFileSync(join(src, 'index.ts'), 'utf8');
  const names: string[] = [];
  for (const m of index.matchAll(/export\s+(?:type\s+)?\{([^}]*)\}/g)) {
    for (const part of m[1]!.split(',')) {
      const name = part
        .replace(/\btype\b/, '')
        .trim()
        .split(/\s+as\s+/)
        .pop()!
        .trim();
      if (name) names.push(name);
    }
  }
  return names;
}

/** The doc comment right before `export <kind> <name>`, if any, and the declaration kind. */
function docOf(name: string): { kind: string; doc: string | undefined } | undefined {
  const declaration = new RegExp(
    `(/\\*\\*(?:(?!\\*/)[\\s\\S])*\\*/\\s*)?export\\s+(?:declare\\s+)?(?:async\\s+)?(class|function|interface|type|const)\\s+${name}\\b`,
  );
  for (const text of sources) {
    const m = declaration.exec(text);
    if (m) return { kind: m[2]!, doc: m[1] };
  }
  return undefined;
}

describe('public API documentation', () => {
  const names = publicNames();

  it('exports something', () => expect(names.length).toBeGreaterThan(20));

  it.each(names)('%s has a doc comment (and an @example if it is a class or function)', (name) => {
    const found = docOf(name);
    expect(found, `declaration of ${name}`).toBeDefined();
    expect(found!.doc, `doc comment of ${name}`).toBeDefined();
    if (found!.kind === 'class' || found!.kind === 'function') expect(found!.doc).toMatch(/@example/);
  });
});
