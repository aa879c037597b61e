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
    writeFileSync(file, code.replaceAll("from 'gmm'", `from '${source}'`));
    await import(file);
  });
});
