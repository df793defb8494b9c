import { beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../db.js';
import { runMigrations } from '../migrate.js';
import { openSqlite, sqliteDialect } from '../sqlite/driver.js';
import { migrations } from '../sqlite/migrations.js';
import { describeEachEngine } from '../testing/each-engine.js';
import { rawEvent, type RawEvent } from '../testing/events.js';
import { promptGenerations, promptRefKey, promptVersionUsage } from './prompt-usage.js';

const T0 = Date.UTC(2025, 0, 10, 12);
const iso = (ms: number) => new Date(ms).toISOString();

/** A generation of trace `traceId` linked to `prompt` (name, version), started at T0 + `at` s, taking `latency` ms (none: not ended). */
function generation(id: string, traceId: string, prompt: [string, number] | null, at: number, latency: number | null): RawEvent {
  const start = T0 + at * 1000;
  return rawEvent(
    'generation-create',
    {
      id, traceId, name: `gen-${id}`, model: 'gpt-4o', startTime: iso(start),
      ...(latency === null ? {} : { endTime: iso(start + latency) }),
      ...(prompt ? { promptName: prompt[0], promptVersion: prompt[1] } : {}),
      usageDetails: { input: 10, output: 5, total: 15 },
      costDetails: { input: 0.001, output: 0.002, total: 0.003 },
    },
    start,
  );
}

const trace = (id: string) => rawEvent('trace-create', { id, name: 'chat', timestamp: iso(T0) }, T0);
const score = (id: string, name: string, value: number | string, target: { traceId: string; observationId?: string }, dataType = 'NUMERIC') =>
  rawEvent('score-create', { id, name, value, dataType, ...target }, T0 + 60_000);

describeEachEngine('prompt usage by generations', (ctx) => {
  let p = '';
  let other = '';
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    p = ctx.newProject();
    other = ctx.newProject();
    for (const [project, name, n] of [[p, 'greet', 3], [p, 'other', 1], [other, 'greet', 1]] as const) {
      for (let v = 1; v <= n; v++) {
        const id = `${project}-${name}-${v}`;
        ids[id] = id;
        await ctx.storage.prompts.create({
          id, projectId: project, name, type: 'text', prompt: `hello ${v}`, config: {}, labels: [], tags: null, commitMessage: null, createdBy: 'test', createdAt: T0,
        });
      }
    }
    await ctx.ingest(
      p,
      trace('t1'), trace('t2'), trace('t3'), trace('t4'),
      // greet v1: latencies 100..1000 plus one not ended; two of them in t1.
      generation('g1', 't1', ['greet', 1], 1, 300),
      generation('g2', 't1', ['greet', 1], 2, 100),
      generation('g3', 't2', ['greet', 1], 3, 1000),
      generation('g4', 't2', ['greet', 1], 4, 200),
      generation('g5', 't2', ['greet', 1], 5, 400),
      generation('g6', 't3', ['greet', 1], 6, null),
      // greet v2 and a version that was never stored (or was deleted).
      generation('h1', 't3', ['greet', 2], 10, 70),
      generation('h2', 't4', ['greet', 2], 11, 50),
      generation('k1', 't4', ['greet', 9], 12, 5),
      // Another prompt in the same traces, and a generation without a prompt.
      generation('o1', 't1', ['other', 1], 20, 9999),
      generation('n1', 't1', null, 21, 9999),
      score('s1', 'quality', 1, { traceId: 't1' }),
      score('s2', 'quality', 0.5, { traceId: 't1', observationId: 'g1' }),
      score('s3', 'quality', 0, { traceId: 't1', observationId: 'o1' }),
      score('s4', 'quality', 0, { traceId: 't1', observationId: 'n1' }),
      score('s5', 'ok', 1, { traceId: 't3', observationId: 'h1' }, 'BOOLEAN'),
      score('s6', 'mood', 'happy', { traceId: 't1' }, 'CATEGORICAL'),
    );
    await ctx.ingest(other, trace('t1'), generation('g1', 't1', ['greet', 1], 1, 77777), score('s1', 'quality', 0.1, { traceId: 't1' }));
  });

  it('resolves (name, version) pairs of a page to the stored versions of the project only', async () => {
    const found = await ctx.storage.prompts.ids(p, [
      { name: 'greet', version: 1 }, { name: 'greet', version: 1 }, { name: 'greet', version: 2 }, { name: 'greet', version: 9 }, { name: 'other', version: 1 },
      { name: 'missing', version: 1 },
    ]);
    expect(Object.fromEntries(found)).toEqual({
      [promptRefKey('greet', 1)]: `${p}-greet-1`,
      [promptRefKey('greet', 2)]: `${p}-greet-2`,
      [promptRefKey('other', 1)]: `${p}-other-1`,
    });
    expect((await ctx.storage.prompts.ids(other, [{ name: 'greet', version: 1 }])).get(promptRefKey('greet', 1))).toBe(`${other}-greet-1`);
    expect((await ctx.storage.prompts.ids(p, [])).size).toBe(0);
  });

  it('unlinks a deleted version and links a version created after its generations', async () => {
    const q = ctx.newProject();
    await ctx.ingest(q, trace('t'), generation('g', 't', ['late', 1], 1, 10));
    expect((await ctx.storage.prompts.ids(q, [{ name: 'late', version: 1 }])).size).toBe(0);
    await ctx.storage.prompts.create({ id: 'late-1', projectId: q, name: 'late', type: 'text', prompt: 'x', config: {}, labels: [], tags: null, commitMessage: null, createdBy: 't', createdAt: T0 });
    expect((await ctx.storage.prompts.ids(q, [{ name: 'late', version: 1 }])).get(promptRefKey('late', 1))).toBe('late-1');
    await ctx.storage.prompts.delete(q, 'late');
    expect((await ctx.storage.prompts.ids(q, [{ name: 'late', version: 1 }])).size).toBe(0);
  });

  it('gives per-version counts, nearest-rank latency percentiles, tokens, cost, first/last use and score averages', async () => {
    const versions = await ctx.storage.prompts.versionMetrics(p, 'greet');
    expect(versions.map((v) => v.version)).toEqual([9, 3, 2, 1]);
    const [v9, v3, v2, v1] = versions;
    expect(v1).toEqual({
      version: 1,
      generations: 6,
      // Ended: 100, 200, 300, 400, 1000 → ranks ceil(2.5) = 3 and ceil(4.75) = 5.
      latencyP50Ms: 300,
      latencyP95Ms: 1000,
      inputTokens: 60,
      outputTokens: 30,
      totalTokens: 90,
      totalCost: expect.closeTo(0.018, 12),
      // Trace-level 1 (once, though t1 holds two v1 generations) and g1's 0.5; o1's and n1's scores are not v1's.
      scores: [{ name: 'quality', average: 0.75, count: 2 }],
      firstUsedAt: T0 + 1000,
      lastUsedAt: T0 + 6000,
    });
    expect(v2).toMatchObject({ generations: 2, latencyP50Ms: 50, latencyP95Ms: 70, totalTokens: 30, firstUsedAt: T0 + 10_000, lastUsedAt: T0 + 11_000 });
    expect(v2.scores).toEqual([{ name: 'ok', average: 1, count: 1 }]);
    expect(v3).toEqual({
      version: 3, generations: 0, latencyP50Ms: null, latencyP95Ms: null, inputTokens: 0, outputTokens: 0, totalTokens: 0, totalCost: 0, scores: [], firstUsedAt: null, lastUsedAt: null,
    });
    expect(v9).toMatchObject({ generations: 1, latencyP50Ms: 5, latencyP95Ms: 5 });

    const elsewhere = await ctx.storage.prompts.versionMetrics(other, 'greet');
    expect(elsewhere).toMatchObject([{ version: 1, generations: 1, latencyP50Ms: 77777, scores: [{ name: 'quality', average: 0.1, count: 1 }] }]);
    expect(await ctx.storage.prompts.versionMetrics(p, 'nothing')).toEqual([]);
  });

  it('lists the generations of one version newest first, a page at a time', async () => {
    const first = await ctx.storage.prompts.generations(p, 'greet', 1, { page: 1, limit: 4 });
    expect(first.totalItems).toBe(6);
    expect(first.rows.map((r) => r.observationId)).toEqual(['g6', 'g5', 'g4', 'g3']);
    expect(first.rows[1]).toEqual({ traceId: 't2', observationId: 'g5', name: 'gen-g5', model: 'gpt-4o', startTime: T0 + 5000, latencyMs: 400, totalCost: 0.003 });
    expect(first.rows[0].latencyMs).toBeNull();
    const second = await ctx.storage.prompts.generations(p, 'greet', 1, { page: 2, limit: 4 });
    expect(second.rows.map((r) => r.observationId)).toEqual(['g2', 'g1']);
    expect((await ctx.storage.prompts.generations(other, 'greet', 1, { page: 1, limit: 50 })).rows.map((r) => r.latencyMs)).toEqual([77777]);
    expect(await ctx.storage.prompts.generations(p, 'greet', 3, { page: 1, limit: 50 })).toEqual({ rows: [], totalItems: 0 });
  });
});

describe('prompt usage queries (SQLite plans)', () => {
  it('read observations only through the prompt index or the primary key, never a project scan', async () => {
    const db = openSqlite({ file: ':memory:' });
    try {
      await runMigrations(db, sqliteDialect, migrations);
      const seen: string[] = [];
      const recording: Db = {
        all: (sql, params) => (seen.push(sql), db.all(sql, params)),
        get: (sql, params) => (seen.push(sql), db.get(sql, params)),
        run: (sql, params) => db.run(sql, params),
        values: (sql, params) => db.values(sql, params),
      };
      await promptVersionUsage(recording, sqliteDialect, 'p', 'greet');
      await promptGenerations(recording, 'p', 'greet', 1, { page: 1, limit: 10 });
      const observationReads = seen.filter((sql) => sql.includes('FROM observations'));
      expect(observationReads.length).toBeGreaterThanOrEqual(5);
      for (const sql of observationReads) {
        const params = Array.from(sql.matchAll(/\?/g), () => 'p');
        const plan = (await db.all<{ detail: string }>(`EXPLAIN QUERY PLAN ${sql}`, params)).map((r) => r.detail);
        const onObservations = plan.filter((d) => /\b(SCAN|SEARCH) (o|so|observations)\b/.test(d));
        expect(onObservations.length, sql).toBeGreaterThan(0);
        for (const d of onObservations) expect(d, sql).toMatch(/USING (COVERING )?INDEX observations_prompt|USING INDEX sqlite_autoindex_observations_1|PRIMARY KEY/);
      }
    } finally {
      await db.close();
    }
  });
});
