#!/usr/bin/env node
/**
 * The `gmm` executable (package.json `bin`).
 *
 * @module
 */
import '../node/index.js'; // worker threads for fitAsync
import { run } from './program.js';

// A closed pipe (`gmm … | head`) ends the program quietly instead of crashing it.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});

process.exitCode = await run(process.argv.slice(2));
