/**
 * The package as npm would publish it (issue 15 #5): what `npm pack` ships,
 * and a consumer project that type-checks against it with `skipLibCheck:
 * false` while having only the package's `dependencies` (and Node's types),
 * none of its devDependencies.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, posix } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  name: string;
  license: string;
  scripts: Record<string, string>;
  dependencies: Record<string, string>;
  peerDependencies?: Record<string, string>;
};
let files: string[] = [];
const consumer = mkdtempSync(join(tmpdir(), 'gmm-consumer-'));

beforeAll(() => {
  // --ignore-scripts: prepack would rebuild dist/ while other test files run the built command line.
  const out = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: ROOT, encoding: 'utf8' });
  files = (JSON.parse(out) as { files: { path: string }[] }[])[0]!.files.map((f) => f.path);
});
afterAll(() => rmSync(consumer, { recursive: true, force: true }));

describe('the published package', () => {
  it('ships a license, the build and the sources its maps point at, and runs no install script', () => {
    expect(pkg.license).toBe('MIT');
    expect(files).toContain('LICENSE');
    expect(readFileSync(join(ROOT, 'LICENSE'), 'utf8')).toMatch(/^MIT License\n/);
    expect(files).toContain('dist/index.js');
    expect(files).toContain('dist/cli/main.js');
    for (const script of ['preinstall', 'install', 'postinstall', 'prepare']) expect(pkg.scripts[script], script).toBeUndefined();
    expect(files.some((f) => f.startsWith('test/') || f.startsWith('bench/'))).toBe(false);
  });

  it('has source maps whose every source is a shipped file', () => {
    const maps = files.filter((f) => f.endsWith('.map'));
    expect(maps.length).toBeGreaterThan(100);
    const shipped = new Set(files);
    for (const map of maps) {
      const { sources } = JSON.parse(readFileSync(join(ROOT, map), 'utf8')) as { sources: string[] };
      for (const source of sources) expect(shipped.has(posix.join(posix.dirname(map), source)), `${map} → ${source}`).toBe(true);
    }
  });

  it('has declarations that import only its dependencies and Node, and no huge literal types', () => {
    // Optional peer dependencies (apache-arrow, @duckdb/node-api) appear only in TSDoc examples of the sources that use them.
    const allowed = new Set([...Object.keys(pkg.dependencies), ...Object.keys(pkg.peerDependencies ?? {})]);
    for (const file of files.filter((f) => f.endsWith('.d.ts'))) {
      const text = readFileSync(join(ROOT, file), 'utf8');
      // A literal type blown up by inference runs to hundreds of kB; the largest real declaration (the model's class,
      // about 40 documented methods) is about 22 kB.
      expect(text.length, file).toBeLessThan(25_000);
      for (const [, specifier] of text.matchAll(/(?:from|import\()\s*'([^']+)'/g)) {
        if (specifier!.startsWith('.') || specifier!.startsWith('node:')) continue;
        // Examples in TSDoc import the package by its own name.
        if (specifier === pkg.name) continue;
        const bare = specifier!.startsWith('@') ? specifier!.split('/').slice(0, 2).join('/') : specifier!.split('/')[0]!;
        expect(allowed.has(bare), `${file} imports '${specifier}', not a dependency`).toBe(true);
      }
    }
  });

  it('type-checks in a strict consumer with skipLibCheck false and only the dependencies installed', () => {
    const modules = join(consumer, 'node_modules');
    for (const file of files) {
      mkdirSync(dirname(join(modules, pkg.name, file)), { recursive: true });
      cpSync(join(ROOT, file), join(modules, pkg.name, file));
    }
    cpSync(join(ROOT, 'package.json'), join(modules, pkg.name, 'package.json'));
    // The dependencies as installed here, and Node's types (a Node project has them): no devDependency.
    for (const dep of [...Object.keys(pkg.dependencies), '@types/node', 'undici-types']) {
      mkdirSync(dirname(join(modules, dep)), { recursive: true });
      symlinkSync(join(ROOT, 'node_modules', dep), join(modules, dep), 'dir');
    }
    writeFileSync(
      join(consumer, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          target: 'ES2022',
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          strict: true,
          exactOptionalPropertyTypes: true,
          skipLibCheck: false,
          noEmit: true,
          types: ['node'],
          lib: ['ES2022', 'DOM'],
        },
        files: ['main.ts'],
      }),
    );
    writeFileSync(join(consumer, 'package.json'), '{"type":"module"}');
    writeFileSync(
      join(consumer, 'main.ts'),
      [
        "import { GaussianMixture, plotClusters, selectModel, type FigureOptions } from 'gmm';",
        'const X = [[0, 0], [0.1, 0.2], [5, 5], [5.2, 4.9]];',
        'const model = new GaussianMixture({ nComponents: 2, seed: 1 }).fit(X);',
        'const options: FigureOptions = { width: 400 };',
        'const svg: string = plotClusters(model, X, options);',
        'const best: number = selectModel(X, { nComponents: [1, 2] }).best.nComponents;',
        'console.log(svg.length, best, model.predict(X));',
        '',
      ].join('\n'),
    );
    const tsc = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
    const r = spawnSync(process.execPath, [tsc, '-p', consumer], { encoding: 'utf8' });
    expect(`${r.stdout}${r.stderr}`).toBe('');
    expect(r.status).toBe(0);
  });
});
