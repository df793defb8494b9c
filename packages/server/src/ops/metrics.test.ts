import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../testing/test-app.js';
import { isLoopback } from './metrics-endpoint.js';
import { Counter, Histogram, Registry } from './prometheus.js';

const TOKEN = 'metrics-secret-token';
const bearer = { authorization: `Bearer ${TOKEN}` };

/** Parses the text exposition: types by family and sample values by `name{labels}`. */
function parse(text: string): { types: Map<string, string>; samples: Map<string, number> } {
  const types = new Map<string, string>();
  const samples = new Map<string, number>();
  expect(text.endsWith('\n')).toBe(true);
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const type = /^# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge|histogram|summary|untyped)$/.exec(line);
    if (type) {
      expect(types.has(type[1])).toBe(false);
      types.set(type[1], type[2]);
      continue;
    }
    if (line.startsWith('# HELP ')) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?:[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\]|\\.)*",?)*\})? (\S+)$/.exec(line);
    expect(m, `malformed sample line: ${line}`).not.toBeNull();
    const family = m![1].replace(/_(bucket|sum|count)$/, '');
    expect(types.has(m![1]) || types.has(family), `sample before its # TYPE: ${line}`).toBe(true);
    const value = m![3] === '+Inf' ? Infinity : Number(m![3]);
    expect(Number.isNaN(value)).toBe(false);
    samples.set(`${m![1]}${m![2] ?? ''}`, value);
  }
  return { types, samples };
}

describe('prometheus registry', () => {
  it('renders counters and cumulative histogram buckets with escaped labels', () => {
    const r = new Registry();
    const c = r.register(new Counter('x_total', 'help'));
    const h = r.register(new Histogram('x_seconds', 'help', [0.1, 1]));
    c.inc({ path: 'a"b\\c\nd' }, 2);
    h.observe(0.05);
    h.observe(0.5);
    h.observe(5);
    const text = r.render();
    expect(text).toContain('x_total{path="a\\"b\\\\c\\nd"} 2');
    const { samples } = parse(text);
    expect(samples.get('x_seconds_bucket{le="0.1"}')).toBe(1);
    expect(samples.get('x_seconds_bucket{le="1"}')).toBe(2);
    expect(samples.get('x_seconds_bucket{le="+Inf"}')).toBe(3);
    expect(samples.get('x_seconds_count')).toBe(3);
    expect(() => c.inc({}, -1)).toThrow();
    expect(() => new Counter('bad-name', 'h')).toThrow();
  });

  it('knows loopback addresses', () => {
    for (const a of ['127.0.0.1', '127.1.2.3', '::1', '::ffff:127.0.0.1']) expect(isLoopback(a)).toBe(true);
    for (const a of [undefined, '', '10.0.0.1', '192.168.1.5', '::ffff:10.0.0.1', 'fe80::1', '1127.0.0.1']) expect(isLoopback(a)).toBe(false);
  });
});

describe('GET /metrics', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp('sqlite', { metricsToken: TOKEN });
  });
  afterAll(() => t.close());

  const scrape = async () => {
    const res = await t.request('GET', '/metrics', { auth: null, headers: bearer });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    return parse(await res.text());
  };

  it('refuses a client that is not on loopback without the token, and a wrong token', async () => {
    // In-process requests have no socket, so they are not loopback.
    expect((await t.request('GET', '/metrics', { auth: null })).status).toBe(403);
    expect((await t.request('GET', '/metrics', { auth: null, headers: { authorization: 'Bearer nope' } })).status).toBe(403);
    expect((await t.request('GET', '/metrics', { auth: t.a.auth })).status).toBe(403);
    expect((await t.request('GET', '/metrics', { auth: null, headers: bearer })).status).toBe(200);
  });

  it('is valid text exposition with the expected families', async () => {
    const { types, samples } = await scrape();
    expect(types.get('sightline_ingestion_events_accepted_total')).toBe('counter');
    expect(types.get('sightline_ingestion_events_rejected_total')).toBe('counter');
    expect(types.get('sightline_ingestion_requests_total')).toBe('counter');
    expect(types.get('sightline_ingestion_commit_duration_seconds')).toBe('histogram');
    expect(types.get('sightline_http_request_duration_seconds')).toBe('histogram');
    expect(types.get('sightline_http_requests_total')).toBe('counter');
    expect(types.get('sightline_http_errors_total')).toBe('counter');
    expect(types.get('sightline_ingestion_queue_events')).toBe('gauge');
    expect(samples.get('sightline_ingestion_queue_events')).toBe(0);
    expect(samples.get('sightline_database_ready')).toBe(1);
    expect(samples.get('process_resident_memory_bytes')).toBeGreaterThan(0);
    expect(samples.get('nodejs_heap_used_bytes')).toBeGreaterThan(0);
    expect(samples.get('process_uptime_seconds')).toBeGreaterThan(0);
    expect(samples.get('sightline_build_info{version="test"}')).toBe(1);
  });

  it('does not disturb the JSON metrics API nor fall through to the UI', async () => {
    const res = await t.request('GET', '/api/public/metrics?query=' + encodeURIComponent(JSON.stringify({ view: 'traces', metrics: [{ measure: 'count', aggregation: 'count' }], dimensions: [], filters: [], fromTimestamp: '2020-01-01T00:00:00Z', toTimestamp: '2030-01-01T00:00:00Z' })));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/json/);
  });

  it('counts ingestion, rejected events, request classes and 5xx errors', async () => {
    const before = (await scrape()).samples;
    const at = (s: Map<string, number>, k: string) => s.get(k) ?? 0;
    const now = new Date().toISOString();
    const ok = await t.json('POST', '/api/public/ingestion', {
      body: {
        batch: [
          { id: 'e1', type: 'trace-create', timestamp: now, body: { id: 'm-t1' } },
          { id: 'e2', type: 'trace-create', timestamp: now, body: { id: 'm-t2' } },
          { id: 'e3', type: 'no-such-type', timestamp: now, body: {} },
        ],
      },
    });
    expect(ok.status).toBe(207);

    // A storage failure: the request is answered 503 and counts as a server error.
    const ingest = t.storage.ingest;
    t.storage.ingest = () => Promise.reject(new Error('disk on fire'));
    try {
      const failed = await t.request('POST', '/api/public/ingestion', { body: { batch: [{ id: 'e4', type: 'trace-create', timestamp: now, body: { id: 'm-t3' } }] } });
      expect(failed.status).toBe(503);
    } finally {
      t.storage.ingest = ingest;
    }
    expect((await t.request('GET', '/api/public/traces', { auth: null })).status).toBe(401);

    const after = (await scrape()).samples;
    const delta = (k: string) => at(after, k) - at(before, k);
    expect(delta('sightline_ingestion_events_accepted_total')).toBe(2);
    expect(delta('sightline_ingestion_events_rejected_total{status="400"}')).toBe(1);
    expect(delta('sightline_ingestion_events_rejected_total{status="503"}')).toBe(1);
    expect(delta('sightline_ingestion_requests_total{status="207"}')).toBe(1);
    expect(delta('sightline_ingestion_requests_total{status="503"}')).toBe(1);
    expect(delta('sightline_http_requests_total{group="ingestion",code="2xx"}')).toBe(1);
    expect(delta('sightline_http_requests_total{group="ingestion",code="5xx"}')).toBe(1);
    expect(delta('sightline_http_requests_total{group="public_api",code="4xx"}')).toBe(1);
    expect(delta('sightline_http_errors_total{group="ingestion"}')).toBe(1);
    expect(delta('sightline_ingestion_commit_duration_seconds_count')).toBe(1);
    expect(delta('sightline_http_request_duration_seconds_count{group="ingestion"}')).toBe(2);
  });

  it('reports the database as not ready when it does not answer', async () => {
    const ping = t.storage.ping;
    t.storage.ping = () => Promise.reject(new Error('down'));
    try {
      expect((await scrape()).samples.get('sightline_database_ready')).toBe(0);
    } finally {
      t.storage.ping = ping;
    }
    expect((await scrape()).samples.get('sightline_database_ready')).toBe(1);
  });
});
