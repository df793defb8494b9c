// A PostgreSQL cluster owned by one test process: initdb in a temporary folder, started and
// stopped with pg_ctl on a free port. Tests use one to take the database away under load without
// touching the machine's shared server; the storage fixture (createPgTestDatabase) starts one
// when no server answers on 127.0.0.1:5432. PostgreSQL refuses to run as root, so as root the cluster runs as
// the `postgres` OS user (`runuser -u postgres --`).
import { execFile, execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from './cli-process.mjs';

const run = promisify(execFile);

export interface PrivateCluster {
  /** Connection string of the `postgres` database on this cluster. */
  url: string;
  start(): Promise<void>;
  /** `pg_ctl stop` in the given mode (`fast` ends sessions cleanly, `immediate` is a crash). */
  stop(mode?: 'fast' | 'immediate'): Promise<void>;
  /** Sends SIGSTOP (`true`) or SIGCONT (`false`) to the postmaster and its backends: a stalled server. */
  freeze(frozen: boolean): void;
  /** Stops the cluster and removes its folder. */
  destroy(): Promise<void>;
  /** The same, synchronously (for a process `exit` handler). */
  destroySync(): void;
}

/** The newest PostgreSQL under /usr/lib/postgresql, or null when none is installed. */
export function findPgBin(): string | null {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).sort((a, b) => Number(b) - Number(a)) : [];
  return versions.map((v) => join(root, v, 'bin')).find((d) => existsSync(join(d, 'initdb')) && existsSync(join(d, 'pg_ctl'))) ?? null;
}

/** Process ids whose parent is `pid`, read from /proc (field 4 of /proc/<id>/stat). */
function childrenOf(pid: number): number[] {
  const out: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // The command name (field 2) may hold spaces; the fields after its closing parenthesis do not.
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === pid) out.push(Number(entry));
    } catch {
      // the process has exited meanwhile
    }
  }
  return out;
}

export async function createPrivateCluster(): Promise<PrivateCluster> {
  const bin = findPgBin();
  if (!bin) throw new Error('no initdb/pg_ctl under /usr/lib/postgresql');
  const dir = mkdtempSync(join(tmpdir(), 'sl-pgpriv-'));
  const prefix: string[] = [];
  if (process.getuid?.() === 0) {
    const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres']).toString().trim());
    chownSync(dir, id('-u'), id('-g'));
    prefix.push('runuser', '-u', 'postgres', '--');
  }
  const argv = (tool: string, args: string[]) => [...prefix, join(bin, tool), ...args];
  const pg = (tool: string, args: string[]) => {
    const [command, ...rest] = argv(tool, args);
    return run(command, rest);
  };
  const data = join(dir, 'data');
  await pg('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '--no-sync', '-E', 'UTF8', '--no-locale']);
  const port = await freePort();
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=100`;
  let running = false;
  const cluster: PrivateCluster = {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    async start() {
      await pg('pg_ctl', ['-D', data, '-l', join(dir, 'server.log'), '-w', '-t', '60', '-o', options, 'start']);
      running = true;
    },
    async stop(mode = 'fast') {
      await pg('pg_ctl', ['-D', data, '-m', mode, '-w', '-t', '60', 'stop']);
      running = false;
    },
    freeze(frozen) {
      const pid = Number(readFileSync(join(data, 'postmaster.pid'), 'utf8').split('\n')[0]);
      for (const p of [pid, ...childrenOf(pid)]) process.kill(p, frozen ? 'SIGSTOP' : 'SIGCONT');
    },
    async destroy() {
      if (running) await cluster.stop('immediate').catch(() => {});
      rmSync(dir, { recursive: true, force: true });
    },
    destroySync() {
      if (running) {
        const [command, ...rest] = argv('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
        try {
          execFileSync(command, rest, { stdio: 'ignore' });
        } catch {
          // already stopped
        }
        running = false;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return cluster;
}
