import { beforeAll, expect, it } from 'vitest';
import { describeEachEngine } from '../testing/each-engine.js';
import { rawEvent } from '../testing/index.js';
import { h } from '../testing/store-queries.js';

// Keyset pages of the scores list (v3's cursor): timestamp desc, then id desc. Scores sharing a
// timestamp must neither repeat nor go missing across page boundaries.
describeEachEngine('scores list after a cursor', (ctx) => {
  const p = ctx.newProject();
  const at = [5, 5, 5, 4, 4, 3, 3, 3, 3, 1];
  beforeAll(async () => {
    await ctx.ingest(p, ...at.map((hour, i) => rawEvent('score-create', { id: `s${i}`, traceId: 't', name: 'q', value: i, timestamp: new Date(h(hour)).toISOString() }, h(hour))));
  });

  it.each([1, 2, 3, 4])('walks every score once in order, %i per page', async (limit) => {
    const expected = at.map((hour, i) => ({ hour, id: `s${i}` })).sort((a, b) => b.hour - a.hour || (a.id < b.id ? 1 : -1)).map((s) => s.id);
    const seen: string[] = [];
    let after: { timestamp: number; id: string } | undefined;
    for (let pages = 0; pages < 20; pages++) {
      const page = await ctx.storage.scores.list(p, { page: 1, limit, skipCount: true, after });
      seen.push(...page.rows.map((s) => s.id));
      if (page.rows.length < limit) break;
      const last = page.rows[page.rows.length - 1];
      after = { timestamp: last.timestamp, id: last.id };
    }
    expect(seen).toEqual(expected);
  });
});
