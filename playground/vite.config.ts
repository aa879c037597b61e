import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

// The playground runs the package as users get it: the built browser entry (dist/index.js, made by
// `npm run build`), with its Web Worker and embedded WebAssembly.
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: './',
  resolve: { alias: { gmm: fileURLToPath(new URL('../dist/index.js', import.meta.url)) } },
  server: { port: 5173, fs: { allow: [fileURLToPath(new URL('..', import.meta.url))] } },
  preview: { port: 4173 },
  build: { outDir: 'dist', emptyOutDir: true, target: 'es2022' },
  worker: { format: 'es' },
});
