import { parseArgs } from 'node:util';

export interface CliArgs {
  command: string[];
  port?: string;
  dataDir?: string;
  host?: string;
  project?: string;
  note?: string;
  trustedProxies?: string;
  /** `export` and `exports`. */
  format?: string;
  out?: string;
  userId?: string;
  sessionId?: string;
  name?: string;
  tags?: string[];
  environments?: string[];
  release?: string;
  traceVersion?: string;
  frequency?: string;
  csv?: boolean;
  disable?: boolean;
  from?: string;
  file?: string;
  publicKey?: string;
  secretKey?: string;
  fromTimestamp?: string;
  toTimestamp?: string;
  pageSize?: string;
  help: boolean;
  version: boolean;
}

export function parseCli(argv: string[]): CliArgs {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      port: { type: 'string', short: 'p' },
      'data-dir': { type: 'string' },
      host: { type: 'string' },
      project: { type: 'string' },
      note: { type: 'string' },
      'trusted-proxies': { type: 'string' },
      format: { type: 'string' },
      out: { type: 'string', short: 'o' },
      'user-id': { type: 'string' },
      'session-id': { type: 'string' },
      name: { type: 'string' },
      tag: { type: 'string', multiple: true },
      environment: { type: 'string', multiple: true },
      release: { type: 'string' },
      'trace-version': { type: 'string' },
      frequency: { type: 'string' },
      csv: { type: 'boolean' },
      disable: { type: 'boolean' },
      from: { type: 'string' },
      file: { type: 'string' },
      'public-key': { type: 'string' },
      'secret-key': { type: 'string' },
      'from-timestamp': { type: 'string' },
      'to-timestamp': { type: 'string' },
      'page-size': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
      version: { type: 'boolean', short: 'v' },
    },
  });
  return {
    command: positionals,
    port: values.port,
    dataDir: values['data-dir'],
    host: values.host,
    project: values.project,
    note: values.note,
    trustedProxies: values['trusted-proxies'],
    format: values.format,
    out: values.out,
    userId: values['user-id'],
    sessionId: values['session-id'],
    name: values.name,
    tags: values.tag,
    environments: values.environment,
    release: values.release,
    traceVersion: values['trace-version'],
    frequency: values.frequency,
    csv: values.csv,
    disable: values.disable,
    from: values.from,
    file: values.file,
    publicKey: values['public-key'],
    secretKey: values['secret-key'],
    fromTimestamp: values['from-timestamp'],
    toTimestamp: values['to-timestamp'],
    pageSize: values['page-size'],
    help: values.help ?? false,
    version: values.version ?? false,
  };
}

export const USAGE = `Usage: sightline <command> [options]

Commands:
  serve                      start the API (default command)
  migrate                    apply database migrations and exit
  projects list              list projects
  projects create <name>     create a project
  projects retention <project> [<days>|off]
                             show or set how many days the project's traces, observations,
                             scores and media are kept (off: forever); the server deletes
                             older data every SIGHTLINE_RETENTION_INTERVAL_MS (default 1 h)
  keys list [--project ID]   list API keys (secrets are never shown again)
  keys create [--project ID] [--note TEXT]
                             create an API key pair; the secret is printed once
  keys revoke <id|publicKey> revoke an API key
  export --project P [--format jsonl|csv] [--out FILE] [filters]
                             write the project's traces with their observations and
                             scores (JSONL: GET /api/public/traces/{id} bodies); filters:
                             --from-timestamp/--to-timestamp ISO, --user-id, --session-id, --name,
                             --tag (repeatable), --environment (repeatable), --release,
                             --trace-version; progress on stderr; stdout without --out
  exports show|schedule|run|remove --project P
                             the project's scheduled export to the blob store:
                             schedule [--frequency hourly|daily] [--csv] [--disable];
                             run exports what changed since the last run, now
  backup <file>              copy the SQLite database to <file> (a new file) while the
                             server keeps running; for PostgreSQL use pg_dump
  import --from URL --public-key PK --secret-key SK [--project ID|NAME]
         [--from-timestamp ISO] [--to-timestamp ISO] [--page-size N]
                             copy prompts, traces (observations, scores, sessions) and
                             datasets from a Langfuse-compatible server's public API into a
                             project (default: the first); resumable, idempotent. The keys
                             default to LANGFUSE_PUBLIC_KEY/LANGFUSE_SECRET_KEY
  import --file FILE [--project ID|NAME]
                             import a JSONL export (one trace per line, as GET
                             /api/public/traces/{id} answers it)

Options:
  --port, -p N      port to listen on (env PORT, default 3000)
  --host H          address to bind (env HOST, default 127.0.0.1)
  --data-dir DIR    folder of the SQLite file (env SIGHTLINE_DATA_DIR, default ./data)
  --trusted-proxies LIST
                    IPs, CIDRs, "loopback" or "private" whose X-Forwarded-For/-Host/-Proto
                    are believed (env SIGHTLINE_TRUSTED_PROXIES, default: none)
  DATABASE_URL=postgres://...  use PostgreSQL instead of SQLite

First start creates a "default" project and one key pair; SIGHTLINE_INIT_PUBLIC_KEY and
SIGHTLINE_INIT_SECRET_KEY (or LANGFUSE_INIT_PROJECT_PUBLIC_KEY/_SECRET_KEY) fix that pair.
While no UI account exists, serve prints a setup link that creates the first one (a browser on
the server machine needs none); SIGHTLINE_SETUP_TOKEN fixes its token.`;
