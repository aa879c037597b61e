/**
 * Vitest global setup: after the run, says loudly what was not tested on this
 * machine (today: the browser suite without Chromium), so that a green run
 * without it is never mistaken for a full one.
 */
import { BROWSER_REQUIRED, CHROMIUM, HOW_TO_GET_CHROMIUM } from '../helpers/chromium.js';

export default function setup(): () => void {
  return () => {
    if (CHROMIUM || BROWSER_REQUIRED) return;
    const rule = '!'.repeat(100);
    process.stderr.write(
      `\n${rule}\n!! SKIPPED: the playground's browser tests (test/playground.test.ts): Chromium was not found.\n!! To run them: ${HOW_TO_GET_CHROMIUM}.\n!! CI (.ci/run) installs it and fails without it.\n${rule}\n\n`,
    );
  };
}
