/**
 * Where the browser tests find Chromium, and whether they must: `.ci/run`
 * installs Debian's `chromium` and sets GMM_REQUIRE_BROWSER=1, so in CI a
 * missing browser fails the run; elsewhere the browser suite is skipped and
 * the run ends with a loud notice saying so (test/setup/notices.ts).
 */
import { existsSync } from 'node:fs';

/** The Chromium binary: GMM_CHROMIUM, else Debian's, else undefined. */
export const CHROMIUM: string | undefined =
  process.env.GMM_CHROMIUM ?? ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p));

/** True when a missing Chromium is a failure (CI), not a skip. */
export const BROWSER_REQUIRED = process.env.GMM_REQUIRE_BROWSER === '1';

/** How to get Chromium, for messages. */
export const HOW_TO_GET_CHROMIUM =
  'apt-get install chromium (Debian, Ubuntu; .ci/run does it), or set GMM_CHROMIUM to a Chromium or Chrome binary';
