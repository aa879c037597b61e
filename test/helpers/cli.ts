/**
 * Runs the real command line, as built by `npm run build` (npm test builds
 * first), in a folder of its own.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The built entry point. */
export const MAIN = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));

/** Exit code and output of one run. */
export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * `gmm ARGS` in `cwd`, with `input` on standard input.
 *
 * @param cwd - Working folder.
 * @param args - Arguments after `gmm`.
 * @param options - Standard input text; a file descriptor for standard output.
 */
export function runGmm(cwd: string, args: string[], options: { input?: string; stdout?: number } = {}): CliResult {
  const r = spawnSync(process.execPath, [MAIN, ...args], {
    cwd,
    input: options.input,
    encoding: 'utf8',
    timeout: 60_000,
    maxBuffer: 1 << 28, // spawnSync SIGTERMs a child whose output passes maxBuffer (1 MB by default)
    ...(options.stdout === undefined ? {} : { stdio: ['pipe', options.stdout, 'pipe'] }),
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}
