import { rawEvent, type RawEvent } from '@sightline/storage/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type Engine, type TestApp } from '../testing/test-app.js';
import { EXPORT_PAGE_SIZE } from './trace-pages.js';

/** A tiny RFC 4180 reader: quoted fields may hold commas, doubled quotes and line breaks. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else field += ch;
  }
  if (field !== '' || row.length > 0) throw new Error('CSV does not end with CRLF');
  return rows;
}

const lines = (text: string) => text.split('\n').filter((l, i, all) => l !== '' || i < all.length - 1);

function data(): RawEvent[] {
  const at = '2024-03-01T00:00:00Z';
  return [
    rawEvent('trace-create', { id: 't1', timestamp: '2024-03-01T10:00:00Z', name: 'chat', userId: 'u1', sessionId: 's1', tags: ['x', 'y'], environment: 'prod', release: 'r1', version: 'v1', input: { q: 'hi, "there"\nnext' }, output: '=HYPERLINK("http://evil")', metadata: { k: 'v' } }, at),
    rawEvent('generation-create', { id: 'g1', traceId: 't1', name: 'llm', startTime: '2024-03-01T10:00:00Z', endTime: '2024-03-01T10:00:02Z', model: 'gpt-4o', usageDetails: { input: 10, output: 5 }, costDetails: { total: 0.25 } }, at),
    rawEvent('span-create', { id: 'sp1', traceId: 't1', name: 'tool', startTime: '2024-03-01T10:00:01Z' }, at),
    rawEvent('score-create', { id: 'sc1', traceId: 't1', name: 'quality', value: 0.9 }, at),
    rawEvent('score-create', { id: 'sc2', traceId: 't1', name: 'label', value: 'good', dataType: 'CATEGORICAL' }, at),
    rawEvent('trace-create', { id: 't2', timestamp: '2024-03-02T10:00:00Z', name: '@sum', userId: 'u2', tags: ['x'], environment: 'dev', input: '+1', output: '-2' }, at),
    rawEvent('trace-create', { id: 't3', timestamp: '2024-03-03T10:00:00Z', name: 'chat', userId: 'u1' }, at),
  ];
}

describe.each<Engine>(['sqlite', 'postgres'])('trace export API on %s', (engine) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(engine);
    const res = await t.json('POST', '/api/public/ingestion', { body: { batch: data() } });
    expect(res.body.errors).toEqual([]);
    await t.json('POST', '/api/public/ingestion', { body: { batch: [rawEvent('trace-create', { id: 'b-only', timestamp: '2024-03-01T00:00:00Z' }, '2024-03-01T00:00:00Z')] }, auth: t.b.auth });
  });
  afterAll(async () => t?.close());

  const exportText = async (query: string, auth?: string | null) => {
    const res = await t.request('GET', `/api/public/export/traces${query}`, { auth });
    return { res, text: await res.text() };
  };

  it('writes each trace as the exact body of GET /api/public/traces/{id}, oldest first', async () => {
    const { res, text } = await exportText('?format=jsonl');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('application/x-ndjson');
    expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="sightline-traces-.*\.jsonl"$/);
    expect(res.headers.get('x-total-count')).toBe('3');
    expect(text.endsWith('\n')).toBe(true);
    const docs = lines(text).map((l) => JSON.parse(l));
    expect(docs.map((d) => d.id)).toEqual(['t1', 't2', 't3']);
    for (const doc of docs) {
      const single = await t.json('GET', `/api/public/traces/${doc.id}`);
      expect(doc).toEqual(single.body);
    }
    expect(docs[0].observations).toHaveLength(2);
    expect(docs[0].scores).toHaveLength(2);
  });

  it('applies the filters of GET /api/public/traces', async () => {
    const ids = async (q: string) => lines((await exportText(q)).text).map((l) => JSON.parse(l).id);
    expect(await ids('?userId=u1')).toEqual(['t1', 't3']);
    expect(await ids('?name=chat&fromTimestamp=2024-03-02T00:00:00Z')).toEqual(['t3']);
    expect(await ids('?toTimestamp=2024-03-02T00:00:00Z')).toEqual(['t1']);
    expect(await ids('?tags=x&tags=y')).toEqual(['t1']);
    expect(await ids('?environment=dev&environment=prod')).toEqual(['t1', 't2']);
    expect(await ids('?sessionId=s1&release=r1&version=v1')).toEqual(['t1']);
    const filter = JSON.stringify([{ type: 'string', column: 'userId', operator: '=', value: 'u2' }]);
    expect(await ids(`?filter=${encodeURIComponent(filter)}`)).toEqual(['t2']);
  });

  it('writes CSV that parses back, one row per trace, with formula-like text defused', async () => {
    const { res, text } = await exportText('?format=csv');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/csv');
    const [header, ...rows] = parseCsv(text);
    expect(header.slice(0, 12)).toEqual(['id', 'timestamp', 'name', 'userId', 'sessionId', 'release', 'version', 'environment', 'tags', 'input', 'output', 'metadata']);
    const byId = new Map(rows.map((r) => [r[0], Object.fromEntries(header.map((h, i) => [h, r[i]]))]));
    expect([...byId.keys()]).toEqual(['t1', 't2', 't3']);
    const t1 = byId.get('t1')!;
    expect(JSON.parse(t1.input)).toEqual({ q: 'hi, "there"\nnext' });
    expect(t1.output).toBe(`'=HYPERLINK("http://evil")`);
    expect(JSON.parse(t1.tags)).toEqual(['x', 'y']);
    expect(JSON.parse(t1.metadata)).toEqual({ k: 'v' });
    expect(t1).toMatchObject({ timestamp: '2024-03-01T10:00:00.000Z', environment: 'prod', latency: '2', totalCost: '0.25', inputTokens: '10', outputTokens: '5', totalTokens: '15', observationCount: '2' });
    expect(JSON.parse(t1.scores)).toEqual({ quality: [0.9], label: ['good'] });
    expect(byId.get('t2')).toMatchObject({ name: "'@sum", input: "'+1", output: "'-2", sessionId: '', scores: '{}' });
    expect(byId.get('t3')).toMatchObject({ latency: '0', observationCount: '0' });
  });

  it('streams an export larger than one page without repeating or losing a trace', async () => {
    const n = EXPORT_PAGE_SIZE + 7;
    const batch = Array.from({ length: n }, (_, i) =>
      rawEvent('trace-create', { id: `many-${String(i).padStart(4, '0')}`, name: 'bulk', timestamp: '2024-04-01T00:00:00Z' }, '2024-04-01T00:00:00Z'),
    );
    expect((await t.json('POST', '/api/public/ingestion', { body: { batch } })).body.errors).toEqual([]);
    const { res, text } = await exportText('?name=bulk');
    expect(res.headers.get('x-total-count')).toBe(String(n));
    const ids = lines(text).map((l) => JSON.parse(l).id);
    expect(ids).toHaveLength(n);
    expect(new Set(ids).size).toBe(n);
    expect(ids).toEqual([...ids].sort());
  });

  it('exports only the calling key’s project', async () => {
    const asB = lines((await exportText('', t.b.auth)).text).map((l) => JSON.parse(l).id);
    expect(asB).toEqual(['b-only']);
    const asBFiltered = await exportText('?userId=u1', t.b.auth);
    expect(asBFiltered.text).toBe('');
    expect((await exportText('', null)).res.status).toBe(401);
  });

  it('answers 400 naming the field for bad input, before streaming anything', async () => {
    for (const [query, field] of [
      ['?format=xml', 'format'],
      ['?fromTimestamp=yesterday', 'fromTimestamp'],
      ['?toTimestamp=2024-13-45', 'toTimestamp'],
      ['?filter=notjson', 'filter'],
    ] as const) {
      const { res, text } = await exportText(query);
      expect(res.status, query).toBe(400);
      expect(JSON.parse(text).message, query).toContain(`${field}:`);
    }
    const unknownColumn = JSON.stringify([{ type: 'string', column: 'nope', operator: '=', value: 'x' }]);
    expect((await exportText(`?filter=${encodeURIComponent(unknownColumn)}`)).res.status).toBe(400);
  });
});
