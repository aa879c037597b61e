import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const alias = {
  // README examples import from 'gmm' as users do; tests resolve it to the source.
  gmm: fileURLToPath(new URL('./src/index.ts', import.meta.url)),
};

// The whole suite runs twice: on the WebAssembly kernels and on the TypeScript fallback.
export default defineConfig({
  resolve: { alias },
  test: {
    testTimeout: 60_000,
    globalSetup: ['test/setup/notices.ts'],
    projects: [
      {
        resolve: { alias },
        test: { name: 'wasm', include: ['test/**/*.test.ts'], setupFiles: ['test/setup/wasm.ts'], testTimeout: 60_000 },
      },
      {
        resolve: { alias },
        test: {
          name: 'typescript',
          include: ['test/**/*.test.ts'],
          // The command line and the playground (Chromium) run the built package on its own (WebAssembly)
          // kernels, and the examples and the tour are about results, not kernels: once is enough.
          exclude: [
            'test/cli.test.ts',
            'test/hostile/cli.test.ts',
            'test/hostile/signals.test.ts',
            'test/users/cli.test.ts',
            'test/examples.test.ts',
            'test/tour.test.ts',
            'test/playground.test.ts',
            'test/package.test.ts',
            'test/kmeansBounds.test.ts', // the WebAssembly kernel's own bounds
          ],
          setupFiles: ['test/setup/typescript.ts'],
          testTimeout: 60_000,
        },
      },
    ],
  },
});
