/**
 * Vitest global setup: after the run, says loudly what was not tested on this
 * machine (the browser suite without Chromium, the PostgreSQL suite without a
 * server), so that a green run without them is never mistaken for a full one.
 */
import { BROWSER_REQUIRED, CHROMIUM, HOW_TO_GET_CHROMIUM } from '../helpers/chromium.js';
import { HOW_TO_GET_POSTGRES, POSTGRES_REQUIRED, POSTGRES_URL } from '../helpers/postgres.js';

export default function setup(): () => void {
  return () => {
    const rule = '!'.repeat(100);
    if (!CHROMIUM && !BROWSER_REQUIRED) {
      process.stderr.write(
        `\n${rule}\n!! SKIPPED: the playground's browser tests (test/playground.test.ts): Chromium was not found.\n!! To run them: ${HOW_TO_GET_CHROMIUM}.\n!! CI (.ci/run) installs it and fails without it.\n${rule}\n\n`,
      );
    }
    if (!POSTGRES_URL && !POSTGRES_REQUIRED) {
      process.stderr.write(
        `\n${rule}\n!! SKIPPED: the SQL pushdown tests on PostgreSQL (test/postgres.test.ts): GMM_POSTGRES_URL is not set.\n!! To run them: ${HOW_TO_GET_POSTGRES}.\n!! CI (.ci/run) does it and fails without it.\n${rule}\n\n`,
      );
    }
  };
}
