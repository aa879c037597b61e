/**
 * Where the PostgreSQL tests find a server, and whether they must: `.ci/run`
 * installs Debian's `postgresql`, starts its cluster on loopback and sets
 * GMM_POSTGRES_URL and GMM_REQUIRE_POSTGRES=1, so in CI a missing server
 * fails the run; elsewhere the PostgreSQL suite is skipped and the run ends
 * with a loud notice saying so (test/setup/notices.ts).
 */

/** The connection string (postgres://user:password@127.0.0.1:5432/db), if set. */
export const POSTGRES_URL: string | undefined = process.env.GMM_POSTGRES_URL || undefined;

/** True when a missing server is a failure (CI), not a skip. */
export const POSTGRES_REQUIRED = process.env.GMM_REQUIRE_POSTGRES === '1';

/** How to get a server, for messages. */
export const HOW_TO_GET_POSTGRES =
  'apt-get install postgresql, start it (pg_ctlcluster 15 main start), create a role and database, and set GMM_POSTGRES_URL=postgres://user:password@127.0.0.1:5432/db (.ci/run does it)';
