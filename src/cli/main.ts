#!/usr/bin/env node
/**
 * The `gmm` executable (package.json `bin`).
 *
 * @module
 */
import '../node/index.js'; // worker threads for fitAsync
import { run } from './program.js';

// A closed pipe (`gmm … | head`) ends the program quietly instead of crashing it. Other write errors (a full
// disk) reach the command through writeStdout, which reports them as `gmm: <stdout>: cannot be written (ENOSPC)`.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
});

process.exitCode = await run(process.argv.slice(2));
