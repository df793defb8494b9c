// The benchmarks' server: the shared test harness (test/support/cli-process.mjs) with the
// benchmark key pair. `databaseUrl` selects PostgreSQL, otherwise SQLite in `dataDir`.
import { basic, startServer as startShared } from '../../test/support/cli-process.mjs';

export { CLI, freePort } from '../../test/support/cli-process.mjs';
export const PUBLIC_KEY = 'pk-lf-bench';
export const SECRET_KEY = 'sk-lf-bench';
export const AUTH = basic(PUBLIC_KEY, SECRET_KEY);

/** `sightline serve` on a free port; resolves once `GET /api/public/ready` answers 200. */
export function startServer(options) {
  return startShared({ ...options, env: { SIGHTLINE_INIT_PUBLIC_KEY: PUBLIC_KEY, SIGHTLINE_INIT_SECRET_KEY: SECRET_KEY, ...options.env } });
}
