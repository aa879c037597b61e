import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
const blocks = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]!);
const dir = fileURLToPath(new URL('./.tmp/readme/', import.meta.url));
// What `import … from 'gmm'` gives a Node user: the Node entry point (package exports, condition "node").
const source = fileURLToPath(new URL('../src/node/index.ts', import.meta.url));

describe('README examples', () => {
  it('has TypeScript examples', () => {
    expect(blocks.length).toBeGreaterThanOrEqual(5);
  });

  it.each(blocks.map((code, i) => [i + 1, code] as const))('example %i runs', async (i, code) => {
    expect(code).toMatch(/from 'gmm'/);
    mkdirSync(dir, { recursive: true });
    const file = `${dir}example-${i}.ts`;
    // Import the package the way users do; 'gmm' resolves to the source here.
    writeFileSync(file, checked(code).replaceAll("from 'gmm'", `from '${source}'`));
    await import(file);
  });

  it('checks the values its comments claim', () => {
    expect(checked('x.length; // 3: three')).toContain("throw new Error('README claims x.length is 3");
    expect(
      blocks
        .map(checked)
        .join('\n')
        .match(/README claims/g)!.length,
    ).toBeGreaterThanOrEqual(4);
  });
});

/**
 * A statement followed by a comment that starts with a literal value (`best.nComponents; // 3`)
 * becomes a check that the statement has that value.
 */
function checked(code: string): string {
  return code.replace(
    /^(\s*)(?!const |let |import |for |if )([^\n;]+);\s*\/\/\s*(-?\d+(?:\.\d+)?|true|false)(?=$|[\s:,;)])(.*)$/gm,
    (_, indent: string, expr: string, value: string, rest: string) =>
      `${indent}if (JSON.stringify(${expr}) !== JSON.stringify(${value})) throw new Error('README claims ${expr.replace(/'/g, "\\'")} is ${value}, got ' + JSON.stringify(${expr})); //${rest}`,
  );
}
