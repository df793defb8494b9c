// Two Sightline processes on one PostgreSQL database (issue 18, point 5): instance A ingests
// without pause (traces with a generation, a span and a score, in sessions and for users, through
// POST /api/public/ingestion, two senders at once) while instance B serves the lists. Every answer
// of B must be exact for some state committed meanwhile:
//   - counts and totals lie between what was acknowledged before the read began and what had been
//     sent when it ended (a commit can be visible just before its 207 arrives), never negative,
//     and never fall from one read to the next (the load only appends);
//   - a session whose batch was acknowledged is complete and exact in the sessions list, and its
//     page's totals equal the sum over the traces the same page lists;
//   - a page sorted by latency or cost is in order and leaves out no acknowledged trace that
//     belongs on it.
// Once ingestion stops, both instances answer every list identically, equal to a recomputation
// from the raw rows (SQL over traces and observations) and to the test's own ledger.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPgTestDatabase, type PgTestDatabase } from '../support/index.js';
import { send, startServer, type Server } from './support/server.js';

const ROUNDS = 40;
const TRACES_PER_ROUND = 6;
const SESSIONS_PER_ROUND = 2;
const USERS = 5;
const SENDERS = 2;
const OWNER = { email: 'reads-owner@example.com', password: 'reads owner password' };

/** What one trace is, as the ledger knows it: the figures every read must show once it is committed. */
interface Planned {
  id: string;
  round: number;
  sessionId: string;
  userId: string;
  latencyMs: number;
  /** Exact in binary (multiples of 1/1024), so sums compare exactly. */
  cost: number;
  tokens: number;
  /** Epoch ms of the trace and its observations' start. */
  start: number;
}

function plan(): Planned[][] {
  const rounds: Planned[][] = [];
  const t0 = Date.now() - 60_000;
  for (let r = 0; r < ROUNDS; r++) {
    rounds.push(Array.from({ length: TRACES_PER_ROUND }, (_, i) => {
      const n = r * TRACES_PER_ROUND + i;
      return {
        id: `rt-${r}-${i}`,
        round: r,
        sessionId: `rs-${r}-${i % SESSIONS_PER_ROUND}`,
        userId: `ru-${n % USERS}`,
        latencyMs: 100 + ((n * 7919) % 5000), // distinct for n < 5000, unrelated to the round
        cost: (n + 1) / 1024, // distinct, growing with the round
        tokens: 10 + (n % 13),
        start: t0 + n * 10,
      };
    }));
  }
  return rounds;
}

function events(traces: Planned[]): object[] {
  return traces.flatMap((t) => {
    const start = t.start;
    const at = (ms: number) => new Date(ms).toISOString();
    return [
      { id: `e-${t.id}`, type: 'trace-create', timestamp: at(start), body: { id: t.id, name: 'reads', timestamp: at(start), sessionId: t.sessionId, userId: t.userId } },
      {
        id: `e-${t.id}-g`, type: 'generation-create', timestamp: at(start),
        body: {
          id: `${t.id}-g`, traceId: t.id, name: 'llm', model: 'reads-test-model', startTime: at(start), endTime: at(start + t.latencyMs),
          usageDetails: { input: t.tokens - 4, output: 4, total: t.tokens }, costDetails: { input: t.cost / 2, output: t.cost / 2 },
        },
      },
      { id: `e-${t.id}-s`, type: 'span-create', timestamp: at(start), body: { id: `${t.id}-s`, traceId: t.id, parentObservationId: `${t.id}-g`, name: 'tool', startTime: at(start + 1), endTime: at(start + 2) } },
      { id: `e-${t.id}-q`, type: 'score-create', timestamp: at(start), body: { id: `${t.id}-q`, traceId: t.id, name: 'quality', value: (t.tokens % 5) / 4 } },
    ];
  });
}

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

/** Totals of a set of planned traces, by trace, session and user. */
function totalsOf(traces: Planned[]) {
  const group = (key: 'sessionId' | 'userId') => {
    const m = new Map<string, { traceCount: number; totalCost: number; totalTokens: number; userIds: Set<string> }>();
    for (const t of traces) {
      let g = m.get(t[key]);
      if (!g) m.set(t[key], (g = { traceCount: 0, totalCost: 0, totalTokens: 0, userIds: new Set() }));
      g.traceCount++;
      g.totalCost += t.cost;
      g.totalTokens += t.tokens;
      g.userIds.add(t.userId);
    }
    return m;
  };
  return { traces: traces.length, observations: traces.length * 2, cost: sum(traces.map((t) => t.cost)), sessions: group('sessionId'), users: group('userId') };
}

describe('two instances on one PostgreSQL database: reads stay exact while the other ingests', () => {
  let db: PgTestDatabase;
  let writer: Server;
  let reader: Server;
  let ui = '';
  let cookie = '';
  const rounds = plan();
  const byId = new Map(rounds.flat().map((t) => [t.id, t]));
  /** Rounds sent (their request started) and acknowledged (207 with every event a success). */
  const sent = new Set<number>();
  const acked = new Set<number>();

  beforeAll(async () => {
    db = await createPgTestDatabase();
    const env = { SIGHTLINE_INIT_USER_EMAIL: OWNER.email, SIGHTLINE_INIT_USER_PASSWORD: OWNER.password };
    writer = await startServer({ databaseUrl: db.url, env });
    reader = await startServer({ databaseUrl: db.url, env });
    const projects = await send(reader.url, 'GET', '/api/public/projects');
    ui = `/api/ui/projects/${projects.body.data[0].id as string}`;
    const res = await fetch(`${reader.url}/api/ui/auth/sign-in`, {
      method: 'POST', headers: { 'content-type': 'application/json', 'x-sightline-csrf': '1' }, body: JSON.stringify(OWNER),
    });
    expect(res.status).toBe(200);
    cookie = res.headers.getSetCookie().find((c) => c.startsWith('sightline_session='))!.split(';')[0];
  }, 60_000);
  afterAll(async () => {
    for (const s of [writer, reader]) if (s) await s.stop();
    await db?.drop();
  });

  const get = async (server: Server, path: string) => {
    const res = await send(server.url, 'GET', path, path.startsWith('/api/ui') ? { auth: null, headers: { cookie } } : {});
    expect(res.status, `${path}: ${JSON.stringify(res.body)}`).toBe(200);
    return res.body;
  };

  /** Every check one pass of reads makes against the ledger: `low` was acknowledged before the pass began, `high` had been sent when it ended. */
  async function readPass(server: Server, previous: { count: number; users: Map<string, number>; daily: number }) {
    const ackedBefore = [...acked];
    const low = totalsOf(ackedBefore.flatMap((r) => rounds[r]));
    const reads = {
      count: await get(server, `${ui}/trace-count`),
      byLatency: await get(server, `${ui}/traces?limit=50&sort=latency.desc`),
      byCost: await get(server, `${ui}/traces?limit=50&sort=cost.desc`),
      sessions: await get(server, `${ui}/sessions?limit=100`),
      users: await get(server, `${ui}/users?limit=100`),
      daily: await get(server, '/api/public/metrics/daily?limit=50'),
    };
    const ackedSessions = [...low.sessions.keys()];
    const oneSession = ackedSessions.length ? await get(server, `${ui}/sessions/${ackedSessions[ackedSessions.length - 1]}?limit=100`) : null;
    const oneUser = low.users.size ? await get(server, `${ui}/users/${[...low.users.keys()][0]}`) : null;
    const high = totalsOf([...sent].flatMap((r) => rounds[r]));

    // The trace count: exact (not an estimate), within the bounds, never falling.
    expect(reads.count.estimated).toBe(false);
    expect(reads.count.count).toBeGreaterThanOrEqual(Math.max(low.traces, previous.count));
    expect(reads.count.count).toBeLessThanOrEqual(high.traces);
    previous.count = reads.count.count;

    // Sorted pages: in order, each row's figures those of a committed trace, no acknowledged trace missing.
    for (const [page, field, value] of [[reads.byLatency, 'latency', (t: Planned) => t.latencyMs], [reads.byCost, 'cost', (t: Planned) => t.cost]] as const) {
      const rows = page.data as { id: string; latencyMs: number; totalCost: number; totalTokens: number; observationCount: number }[];
      const shown = rows.map((row) => {
        const t = byId.get(row.id);
        expect(t, `${field}: unknown trace ${row.id}`).toBeDefined();
        expect(sent.has(t!.round), `${field}: trace ${row.id} shown before it was sent`).toBe(true);
        // One batch commits a trace with its observations: a trace shown is shown whole.
        expect({ latencyMs: row.latencyMs, totalCost: row.totalCost, totalTokens: row.totalTokens, observationCount: row.observationCount }, `${field}: trace ${row.id}`)
          .toEqual({ latencyMs: t!.latencyMs, totalCost: t!.cost, totalTokens: t!.tokens, observationCount: 2 });
        return value(t!);
      });
      for (let i = 1; i < shown.length; i++) expect(shown[i], `${field} order`).toBeLessThan(shown[i - 1]);
      const floor = shown.length === 50 ? shown[49] : -Infinity;
      const missing = ackedBefore.flatMap((r) => rounds[r]).filter((t) => value(t) > floor && !rows.some((row) => row.id === t.id));
      expect(missing.map((t) => t.id), `${field}: acknowledged traces missing from the page`).toEqual([]);
    }

    // Sessions: an acknowledged session is complete and exact; any other is one that was sent, whole.
    const sessions = reads.sessions.data as { id: string; traceCount: number; totalCost: number; totalTokens: number; userIds: string[] }[];
    expect(reads.sessions.totalItems).toBeGreaterThanOrEqual(low.sessions.size);
    expect(reads.sessions.totalItems).toBeLessThanOrEqual(high.sessions.size);
    const listed = new Set(sessions.map((s) => s.id));
    expect([...low.sessions.keys()].filter((id) => !listed.has(id)), 'acknowledged sessions missing from the list').toEqual([]);
    for (const s of sessions) {
      const want = high.sessions.get(s.id);
      expect(want, `session ${s.id} shown before it was sent`).toBeDefined();
      expect({ traceCount: s.traceCount, totalCost: s.totalCost, totalTokens: s.totalTokens, userIds: [...s.userIds].sort() }, `session ${s.id}`)
        .toEqual({ traceCount: want!.traceCount, totalCost: want!.totalCost, totalTokens: want!.totalTokens, userIds: [...want!.userIds].sort() });
    }

    // One acknowledged session: its totals, and the sum over the traces its page lists, are the ledger's.
    if (oneSession) {
      const want = low.sessions.get(oneSession.session.id as string)!;
      const traces = oneSession.traces as { totalCost: number | null }[];
      expect(oneSession.totalItems).toBe(want.traceCount);
      expect(traces).toHaveLength(want.traceCount);
      expect(sum(traces.map((t) => t.totalCost ?? 0))).toBe(want.totalCost);
      expect({ traceCount: oneSession.totals.traceCount, totalCost: oneSession.totals.totalCost }).toEqual({ traceCount: want.traceCount, totalCost: want.totalCost });
    }

    // Users grow: each between its acknowledged and its sent totals, never falling.
    for (const u of reads.users.data as { userId: string; traceCount: number; totalCost: number; totalTokens: number }[]) {
      const lo = low.users.get(u.userId);
      const hi = high.users.get(u.userId);
      expect(hi, `user ${u.userId} shown before a trace of theirs was sent`).toBeDefined();
      expect(u.traceCount).toBeGreaterThanOrEqual(Math.max(lo?.traceCount ?? 1, previous.users.get(u.userId) ?? 0));
      expect(u.traceCount).toBeLessThanOrEqual(hi!.traceCount);
      expect(u.totalCost).toBeGreaterThanOrEqual(lo?.totalCost ?? 0);
      expect(u.totalCost).toBeLessThanOrEqual(hi!.totalCost);
      expect(u.totalTokens).toBeGreaterThanOrEqual(lo?.totalTokens ?? 0);
      expect(u.totalTokens).toBeLessThanOrEqual(hi!.totalTokens);
      previous.users.set(u.userId, u.traceCount);
    }
    for (const id of low.users.keys()) expect((reads.users.data as { userId: string }[]).some((u) => u.userId === id), `user ${id} missing`).toBe(true);
    if (oneUser) {
      const id = oneUser.user.userId as string;
      const days = oneUser.activity.days as { traceCount: number; totalCost: number }[];
      for (const n of [oneUser.user.traceCount as number, sum(days.map((d) => d.traceCount))]) {
        expect(n).toBeGreaterThanOrEqual(low.users.get(id)!.traceCount);
        expect(n).toBeLessThanOrEqual(high.users.get(id)!.traceCount);
      }
    }

    // Daily metrics: traces, observations and cost within the bounds, never falling.
    const daily = reads.daily.data as { countTraces: number; countObservations: number; totalCost: number }[];
    const traces = sum(daily.map((d) => d.countTraces));
    expect(traces).toBeGreaterThanOrEqual(Math.max(low.traces, previous.daily));
    expect(traces).toBeLessThanOrEqual(high.traces);
    expect(sum(daily.map((d) => d.countObservations))).toBeGreaterThanOrEqual(low.observations);
    expect(sum(daily.map((d) => d.countObservations))).toBeLessThanOrEqual(high.observations);
    expect(sum(daily.map((d) => d.totalCost))).toBeGreaterThanOrEqual(low.cost - 1e-9);
    expect(sum(daily.map((d) => d.totalCost))).toBeLessThanOrEqual(high.cost + 1e-9);
    previous.daily = traces;
  }

  it('B answers exactly for the committed data at every moment; afterwards A and B agree with the raw rows', async () => {
    let next = 0;
    let failure: unknown = null;
    const sender = async () => {
      while (next < ROUNDS && failure === null) {
        const r = next++;
        sent.add(r);
        const batch = events(rounds[r]);
        const res = await send(writer.url, 'POST', '/api/public/ingestion', { body: { batch } });
        if (res.status !== 207 || res.body.errors.length !== 0 || res.body.successes.length !== batch.length) {
          failure = new Error(`round ${r}: ${res.status} ${JSON.stringify(res.body).slice(0, 500)}`);
          return;
        }
        acked.add(r);
      }
    };
    const ingesting = Promise.all(Array.from({ length: SENDERS }, sender));
    let done = false;
    void ingesting.finally(() => (done = true));

    const previous = { count: 0, users: new Map<string, number>(), daily: 0 };
    let passes = 0;
    let passesDuringIngestion = 0;
    while (!done) {
      const during = acked.size < ROUNDS;
      await readPass(reader, previous);
      passes++;
      if (during) passesDuringIngestion++;
    }
    await ingesting;
    expect(failure).toBeNull();
    expect(acked.size).toBe(ROUNDS);
    // The reads overlapped the ingestion (on a slow machine the ingestion may outrun them; one pass still counts).
    expect(passesDuringIngestion).toBeGreaterThan(0);
    await readPass(reader, previous);
    expect(passes + 1).toBeGreaterThan(1);

    // After ingestion: both instances answer every list identically.
    const all = totalsOf(rounds.flat());
    const firstUser = [...all.users.keys()][0];
    const lastSession = [...all.sessions.keys()].pop()!;
    const paths = [
      `${ui}/trace-count`, `${ui}/traces?limit=50&sort=latency.desc`, `${ui}/traces?limit=50&sort=cost.desc`, `${ui}/traces?limit=50`,
      `${ui}/sessions?limit=100`, `${ui}/sessions?limit=100&sort=totalCost.desc`, `${ui}/users?limit=100`, `${ui}/users/${firstUser}`,
      `${ui}/sessions/${lastSession}`, '/api/public/metrics/daily?limit=50', '/api/public/sessions?limit=100', `/api/public/traces?limit=100&userId=${firstUser}`,
    ];
    for (const path of paths) expect(await get(writer, path), path).toEqual(await get(reader, path));

    // …and equal to a recomputation from the raw rows, which equals the ledger.
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    try {
      const perTrace = (await client.query<{ id: string; session_id: string; user_id: string; n: string; cost: number; tokens: number; latency: string }>(`
        SELECT t.id, t.session_id, t.user_id, count(o.id) AS n, sum(o.total_cost) AS cost,
          sum(CAST(o.usage_details::json->>'total' AS DOUBLE PRECISION)) AS tokens, max(o.end_time) - min(o.start_time) AS latency
        FROM traces t JOIN observations o ON o.project_id = t.project_id AND o.trace_id = t.id
        GROUP BY t.id, t.session_id, t.user_id`)).rows;
      expect(perTrace).toHaveLength(all.traces);
      const raw = totalsOf(perTrace.map((r) => ({ id: r.id, round: 0, sessionId: r.session_id, userId: r.user_id, latencyMs: Number(r.latency), cost: Number(r.cost), tokens: Number(r.tokens), start: 0 })));
      expect(raw).toEqual(all);
      for (const r of perTrace) {
        const t = byId.get(r.id)!;
        expect({ n: Number(r.n), cost: Number(r.cost), tokens: Number(r.tokens), latency: Number(r.latency) }, r.id).toEqual({ n: 2, cost: t.cost, tokens: t.tokens, latency: t.latencyMs });
      }

      const count = await get(reader, `${ui}/trace-count`);
      expect(count).toEqual({ count: all.traces, estimated: false });
      const sessions = (await get(reader, `${ui}/sessions?limit=100`)) as { totalItems: number; data: { id: string; traceCount: number; totalCost: number; totalTokens: number; userIds: string[] }[] };
      expect(sessions.totalItems).toBe(raw.sessions.size);
      expect(Object.fromEntries(sessions.data.map((s) => [s.id, { traceCount: s.traceCount, totalCost: s.totalCost, totalTokens: s.totalTokens, userIds: new Set(s.userIds) }])))
        .toEqual(Object.fromEntries(raw.sessions));
      const users = (await get(reader, `${ui}/users?limit=100`)) as { totalItems: number; data: { userId: string; traceCount: number; totalCost: number; totalTokens: number }[] };
      expect(users.totalItems).toBe(USERS);
      for (const u of users.data) {
        const want = raw.users.get(u.userId)!;
        expect({ traceCount: u.traceCount, totalCost: u.totalCost, totalTokens: u.totalTokens }, u.userId).toEqual({ traceCount: want.traceCount, totalCost: want.totalCost, totalTokens: want.totalTokens });
        // A user's totals are the sum over their traces, listed by the same instance.
        const theirs = (await get(reader, `/api/public/traces?limit=100&userId=${u.userId}`)) as { data: { totalCost: number }[]; meta: { totalItems: number } };
        expect(theirs.meta.totalItems).toBe(u.traceCount);
        expect(sum(theirs.data.map((t) => t.totalCost))).toBe(u.totalCost);
      }
      for (const [field, value] of [['latency', (t: Planned) => t.latencyMs], ['cost', (t: Planned) => t.cost]] as const) {
        const want = [...byId.values()].sort((a, b) => value(b) - value(a)).slice(0, 50).map((t) => t.id);
        expect(((await get(reader, `${ui}/traces?limit=50&sort=${field}.desc`)).data as { id: string }[]).map((t) => t.id), field).toEqual(want);
      }
      const daily = (await get(reader, '/api/public/metrics/daily?limit=50')).data as { countTraces: number; countObservations: number; totalCost: number }[];
      expect(sum(daily.map((d) => d.countTraces))).toBe(all.traces);
      expect(sum(daily.map((d) => d.countObservations))).toBe(all.observations);
      expect(sum(daily.map((d) => d.totalCost))).toBeCloseTo(all.cost, 9);
    } finally {
      await client.end();
    }
  }, 300_000);
});
