// PostgreSQL taken away under load — first stopped (`pg_ctl stop`), then frozen (SIGSTOP: a
// stalled server that accepts connections and never answers). Throughout, every request is
// answered within a hard bound, with 207 or with 503/429 plus Retry-After (never a 500, never a
// dropped connection); the server's memory stays bounded; it recovers by itself when the
// database returns; and every event acknowledged with a 207 is stored.
// Runs on a private cluster owned by this test (never the machine's shared server).
import { readFileSync } from 'node:fs';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPrivateCluster, findPgBin, until, type PrivateCluster } from '../support/index.js';
import { ackedIds, send, startServer, traceBatch, type Server } from './support/server.js';

/** No request may take longer than this, whatever the database does (connect 5 s + statement 30 s + margin). */
const ANSWER_BOUND_MS = 60_000;
/** The server's resident memory must stay below this during the outage. */
const RSS_BOUND_BYTES = 512 * 2 ** 20;
const CLIENTS = 4;

/** Resident memory of a live process in bytes; 0 once it has exited. */
function rss(pid: number): number {
  try {
    return Number(/^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) * 1024;
  } catch {
    return 0;
  }
}
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Load {
  acked: Set<string>;
  statuses: Map<string, number>;
  /** Answers that break the contract (wrong status, no Retry-After, no answer in time). */
  violations: string[];
  sent(): number;
  count(status: string): number;
  stop(): Promise<void>;
}

/** `CLIENTS` loops POSTing 20-trace batches; non-207 answers are retried after a short pause. */
function startLoad(server: Server, tag: string): Load {
  const acked = new Set<string>();
  const statuses = new Map<string, number>();
  const violations: string[] = [];
  let running = true;
  let sent = 0;
  const client = async (c: number) => {
    for (let b = 0; running; b++) {
      const res = await send(server.url, 'POST', '/api/public/ingestion', {
        body: { batch: traceBatch(`${tag}-c${c}-b${b}`, 20, 300) },
        limitMs: ANSWER_BOUND_MS,
      });
      sent++;
      const key = res.status === 207 ? '207' : `${res.status}`;
      statuses.set(key, (statuses.get(key) ?? 0) + 1);
      if (res.status === 207) {
        if (res.body.errors.length > 0) violations.push(`207 with errors: ${JSON.stringify(res.body.errors[0])}`);
        for (const id of ackedIds(res)) acked.add(id);
      } else if ((res.status === 503 || res.status === 429) && Number(res.retryAfter) > 0) {
        await sleep(200);
      } else {
        violations.push(`${res.status} (${res.timedOut ? `no answer within ${ANSWER_BOUND_MS} ms` : `Retry-After ${res.retryAfter}`}): ${JSON.stringify(res.body).slice(0, 300)}`);
        await sleep(200);
      }
    }
  };
  const loops = Array.from({ length: CLIENTS }, (_, c) => client(c));
  return {
    acked,
    statuses,
    violations,
    sent: () => sent,
    count: (status) => statuses.get(status) ?? 0,
    async stop() {
      running = false;
      await Promise.all(loops);
    },
  };
}

describe.skipIf(!findPgBin())('PostgreSQL stopped and stalled under load', () => {
  let cluster: PrivateCluster;
  let server: Server;
  beforeAll(async () => {
    cluster = await createPrivateCluster();
    await cluster.start();
    server = await startServer({ databaseUrl: cluster.url });
  });
  afterAll(async () => {
    await server?.stop();
    await cluster?.destroy();
  });

  const maxRss: number[] = [];
  const watchMemory = () => {
    const timer = setInterval(() => maxRss.push(rss(server.child.pid!)), 250);
    return () => clearInterval(timer);
  };

  it('answers 503 + Retry-After while the database is down, recovers by itself, keeps every 207', async () => {
    const load = startLoad(server, 'down');
    const unwatch = watchMemory();
    try {
      expect(await until(() => load.acked.size >= 200, 30_000), `load before the outage: ${JSON.stringify([...load.statuses])}; server exit ${server.child.exitCode}: ${server.output().slice(-2000)}`).toBe(true);
      await cluster.stop('fast');
      expect(await until(() => load.count('503') >= 20, 60_000), `503s during the outage: ${JSON.stringify([...load.statuses])}; server exit ${server.child.exitCode}: ${server.output().slice(-2000)}`).toBe(true);
      expect((await send(server.url, 'GET', '/api/public/ready')).status).toBe(503);
      // Reads say the same as writes: 503, not 500.
      const read = await send(server.url, 'GET', '/api/public/traces?limit=1', { limitMs: ANSWER_BOUND_MS });
      expect(read.status).toBe(503);
      expect(Number(read.retryAfter)).toBeGreaterThan(0);

      await cluster.start();
      const before = load.count('207');
      expect(await until(() => load.count('207') >= before + 20, 60_000), 'recovery after the restart').toBe(true);
      expect((await send(server.url, 'GET', '/api/public/ready')).status).toBe(200);
    } finally {
      unwatch();
      await load.stop();
    }
    expect(load.violations).toEqual([]);
    expect(server.child.exitCode).toBeNull();
    expect(Math.max(...maxRss)).toBeLessThan(RSS_BOUND_BYTES);
    await expectStored(cluster.url, load.acked);
  }, 240_000);

  it('answers within the bound while the database is frozen (SIGSTOP), recovers after SIGCONT, keeps every 207', async () => {
    const load = startLoad(server, 'stall');
    const unwatch = watchMemory();
    let frozen = false;
    try {
      expect(await until(() => load.acked.size >= 200, 30_000), `load before the stall: ${JSON.stringify([...load.statuses])}; server exit ${server.child.exitCode}: ${server.output().slice(-2000)}`).toBe(true);
      cluster.freeze(true);
      frozen = true;
      // The statements in flight hit the 30 s statement bound; their requests and everything
      // queued behind them get 503s, and new requests are refused fast for Retry-After.
      expect(await until(() => load.count('503') >= 8, 90_000), `503s during the stall: ${JSON.stringify([...load.statuses])}`).toBe(true);
      cluster.freeze(false);
      frozen = false;
      const before = load.count('207');
      expect(await until(() => load.count('207') >= before + 20, 90_000), 'recovery after SIGCONT').toBe(true);
    } finally {
      if (frozen) cluster.freeze(false);
      unwatch();
      await load.stop();
    }
    expect(load.violations).toEqual([]);
    expect(server.child.exitCode).toBeNull();
    expect(Math.max(...maxRss)).toBeLessThan(RSS_BOUND_BYTES);
    await expectStored(cluster.url, load.acked);
    expect(await server.stop(), server.output().slice(-3000)).toEqual({ code: 0, signal: null });
  }, 240_000);
});

/** Every acknowledged trace id has its row (read straight from the database). */
async function expectStored(url: string, acked: Set<string>): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const ids = [...acked];
    const { rows } = await client.query<{ id: string }>('SELECT id FROM traces WHERE id = ANY($1::text[])', [ids]);
    const stored = new Set(rows.map((r) => r.id));
    expect(ids.filter((id) => !stored.has(id))).toEqual([]);
  } finally {
    await client.end();
  }
}
