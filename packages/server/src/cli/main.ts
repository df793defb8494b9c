import { randomBytes } from 'node:crypto';
import { openStorage, type Storage } from '@sightline/storage';
import { bootstrap, createApiKey, createProject, initKeysFromEnv } from '../admin/projects.js';
import { createIngestor } from '../ingest/ingestor.js';
import { jobRunnerFromEnv } from '../jobs/jobs-config.js';
import { llmFromEnv } from '../llm/llm-config.js';
import { createLogger } from '../logger.js';
import { startServer } from '../node-server.js';
import { parseTrustedProxies } from '../http/trusted-proxies.js';
import { importCommand } from '../import/import-command.js';
import { mediaFromEnv } from '../media/media-config.js';
import { parseRetentionDays } from '../retention/retention-days.js';
import { ensureInitUser } from '../ui/accounts.js';
import { setupLink } from '../ui/first-user.js';
import { VERSION } from '../version.js';
import { parseCli, USAGE, type CliArgs } from './args.js';
import { exportCommand, exportsCommand } from './export-commands.js';

const out = (line: string): void => {
  process.stdout.write(line + '\n');
};

async function withStorage<T>(args: CliArgs, fn: (s: Storage) => Promise<T>): Promise<T> {
  const storage = await openStorage({ databaseUrl: process.env.DATABASE_URL, dataDir: args.dataDir ?? process.env.SIGHTLINE_DATA_DIR ?? 'data' });
  try {
    return await fn(storage);
  } finally {
    await storage.close();
  }
}

async function defaultProjectId(storage: Storage, given?: string): Promise<string> {
  if (given) {
    if (!(await storage.projects.get(given))) throw new Error(`project ${given} does not exist`);
    return given;
  }
  const [first] = await storage.projects.list();
  if (!first) throw new Error('no project exists yet; run `sightline projects create <name>` first');
  return first.id;
}

/** SIGHTLINE_SETUP_TOKEN (the same on every instance behind one balancer), else a random one per start. */
function readSetupToken(env: NodeJS.ProcessEnv): string {
  const fixed = env.SIGHTLINE_SETUP_TOKEN;
  if (fixed === undefined || fixed === '') return randomBytes(24).toString('base64url');
  if (fixed.length < 16) throw new Error('SIGHTLINE_SETUP_TOKEN: must be at least 16 characters (it guards who creates the first account)');
  return fixed;
}

/** SIGHTLINE_RETENTION_INTERVAL_MS: time between retention sweeps (default one hour); "off" runs no sweeper on this instance. */
function readRetentionInterval(env: NodeJS.ProcessEnv): number | undefined {
  const raw = env.SIGHTLINE_RETENTION_INTERVAL_MS?.trim();
  if (raw === undefined || raw === '') return 3_600_000;
  if (raw === 'off') return undefined;
  const ms = Number(raw);
  if (!/^\d+$/.test(raw) || ms < 1000 || ms > 2_147_483_647) throw new Error(`SIGHTLINE_RETENTION_INTERVAL_MS: must be a whole number of milliseconds from 1000 to 2147483647, or "off"; got ${raw}`);
  return ms;
}

async function serve(args: CliArgs): Promise<void> {
  const started = performance.now();
  const logger = createLogger();
  const port = Number(args.port ?? process.env.PORT ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port: must be an integer 0..65535, got ${args.port ?? process.env.PORT}`);
  const host = args.host ?? process.env.HOST ?? '127.0.0.1';
  const dataDir = args.dataDir ?? process.env.SIGHTLINE_DATA_DIR ?? 'data';
  const trustedProxies = parseTrustedProxies(args.trustedProxies ?? process.env.SIGHTLINE_TRUSTED_PROXIES);
  const setupToken = readSetupToken(process.env);
  const retentionIntervalMs = readRetentionInterval(process.env);
  const media = mediaFromEnv(process.env, dataDir);
  const storage = await openStorage({ databaseUrl: process.env.DATABASE_URL, dataDir });
  const created = await bootstrap(storage, initKeysFromEnv(process.env));
  const initUser = await ensureInitUser(storage, process.env);
  const { llm, notices } = llmFromEnv(process.env, dataDir, storage.capabilities.sharedByInstances, logger);
  // One ingestor for requests and for what evaluation jobs write (scores, judge traces).
  const ingestor = createIngestor(storage, logger);
  const jobRunner = jobRunnerFromEnv(process.env, storage, logger, llm, { ingestor, evaluators: storage.evaluators });
  const server = await startServer({ storage, logger, version: VERSION, port, host, metricsToken: process.env.SIGHTLINE_METRICS_TOKEN, trustedProxies, setupToken, media, retentionIntervalMs, llm, jobRunner, ingestor });
  for (const notice of notices) out(notice);
  if (created) {
    out(`Created project "${created.project.name}" (${created.project.id}) with an API key pair. The secret is shown only now:`);
    out(`  LANGFUSE_PUBLIC_KEY=${created.publicKey}`);
    out(`  LANGFUSE_SECRET_KEY=${created.secretKey}`);
    out(`  LANGFUSE_HOST=${server.url}`);
  }
  if (initUser) out(`Created user ${initUser.email} from SIGHTLINE_INIT_USER_EMAIL; sign in at ${server.url}`);
  if ((await storage.accounts.countUsers()) === 0) {
    out(`No UI account yet. Create the owner account through this setup link (valid until then):`);
    out(`  ${setupLink(server.url, setupToken)}`);
  }
  out(`Sightline ${VERSION} listening on ${server.url} (${storage.dialect}, ready in ${Math.round(performance.now() - started)} ms)`);
  const shutdown = (signal: string) => {
    logger.info('shutting down', { signal });
    server.stop().then(
      () => process.exit(0),
      (err: unknown) => {
        logger.error('shutdown failed', { error: String(err) });
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
}

async function main(argv: string[]): Promise<void> {
  const args = parseCli(argv);
  if (args.help) return out(USAGE);
  if (args.version) return out(VERSION);
  const [command = 'serve', sub, arg, value] = args.command;
  if (command === 'backup') {
    if (!sub || arg) throw new Error('backup: exactly one destination file is required');
    return withStorage(args, async (s) => {
      const started = performance.now();
      await s.backup(sub);
      out(`backed up to ${sub} in ${Math.round(performance.now() - started)} ms`);
    });
  }
  if (command === 'export') return withStorage(args, (s) => exportCommand(s, args, out));
  if (command === 'exports') return withStorage(args, (s) => exportsCommand(s, sub, args, out, args.dataDir ?? process.env.SIGHTLINE_DATA_DIR ?? 'data'));
  if (command === 'import') {
    if (sub) throw new Error(`import: unexpected argument "${sub}"; the source is --from <url> or --file <path>`);
    const dataDir = args.dataDir ?? process.env.SIGHTLINE_DATA_DIR ?? 'data';
    return withStorage(args, (s) => importCommand(args, s, dataDir, process.env, out));
  }
  switch (`${command} ${sub ?? ''}`.trim()) {
    case 'serve':
      return serve(args);
    case 'migrate':
      return withStorage(args, async () => {
        out('migrations applied');
      });
    case 'projects list':
      return withStorage(args, async (s) => {
        for (const p of await s.projects.list()) out(`${p.id}\t${p.name}\t${new Date(p.createdAt).toISOString()}`);
      });
    case 'projects create':
      if (!arg) throw new Error('projects create: a project name is required');
      return withStorage(args, async (s) => {
        const p = await createProject(s, arg);
        out(`${p.id}\t${p.name}`);
      });
    case 'projects retention':
      if (!arg) throw new Error('projects retention: a project id is required (`sightline projects retention <project> [<days>|off]`)');
      return withStorage(args, async (s) => {
        await defaultProjectId(s, arg);
        if (value !== undefined) {
          let days: number | null;
          try {
            days = parseRetentionDays(value, 'days');
          } catch (err) {
            throw new Error(`projects retention: ${err instanceof Error ? err.message : String(err)}`);
          }
          await s.retention.set(arg, days);
        }
        const days = await s.retention.get(arg);
        out(`${arg}\t${days === null || days === undefined ? 'off (kept forever)' : `${days} days`}`);
      });
    case 'keys list':
      return withStorage(args, async (s) => {
        for (const k of await s.projects.listKeys(args.project)) {
          out(`${k.id}\t${k.projectId}\t${k.publicKey}\t${k.displaySecret}\t${k.revokedAt ? 'revoked' : 'active'}\t${k.note ?? ''}`);
        }
      });
    case 'keys create':
      return withStorage(args, async (s) => {
        const { key, secretKey } = await createApiKey(s, await defaultProjectId(s, args.project), undefined, args.note ?? null);
        out(`project:    ${key.projectId}`);
        out(`public key: ${key.publicKey}`);
        out(`secret key: ${secretKey}   (shown only now)`);
      });
    case 'keys revoke':
      if (!arg) throw new Error('keys revoke: the key id or public key is required');
      return withStorage(args, async (s) => {
        if (!(await s.projects.revokeKey(arg, Date.now()))) throw new Error(`no active key ${arg}`);
        out(`revoked ${arg}`);
      });
    default:
      throw new Error(`unknown command "${args.command.join(' ')}"\n\n${USAGE}`);
  }
}

main(process.argv.slice(2)).catch((err: unknown) => {
  process.stderr.write(`sightline: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
