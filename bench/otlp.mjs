#!/usr/bin/env node
// OTLP ingestion benchmark: spans/s through `POST /api/public/otel/v1/traces` with protobuf and
// with JSON bodies, beside the batch endpoint (`POST /api/public/ingestion`) on the same machine
// in the same run. Each path gets the built server as a child process on a fresh database and N
// concurrent clients over loopback; every answer must be 200 `{}` (OTLP) or 207 with 0 errors.
//
// Workload (the same agent-style traces as bench/ingest.mjs, see lib/workload.mjs): per trace a
// root span (trace name, user, session, environment, release, version, tags, input, metadata), a
// child span, a generation nested in it (model, parameters, chat-message input, assistant output,
// usage, completion start) and an event span — 4 spans, ≈ 1 KB of payload each. The batch
// endpoint gets the 6 events per trace that describe the same traces.
// After each run the trace count is read back through the API and must match.
// Usage: npm run bench:otlp -- [--engine sqlite|postgres|both] [--traces N] [--clients N] [--spans-per-request N]
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { benchArgs } from './lib/cli.mjs';
import { otlpExport, otlpSpan } from '../packages/server/dist/otel/otlp-builder.js';
import { encodeTraceRequest } from '../packages/server/dist/otel/otlp-proto.js';
import { createDatabase } from './lib/pg-database.mjs';
import { AUTH, startServer } from './lib/server-process.mjs';
import { EVENTS_PER_TRACE, makeBatches } from './lib/workload.mjs';

const { values: flags } = benchArgs({
  options: {
    engine: { type: 'string', default: 'sqlite' },
    traces: { type: 'string', default: '10000' },
    clients: { type: 'string', default: '4' },
    'spans-per-request': { type: 'string', default: '100' },
  },
});
const opts = { traces: Number(flags.traces), clients: Number(flags.clients), spansPerRequest: Number(flags['spans-per-request']) };
const engines = flags.engine === 'both' ? ['sqlite', 'postgres'] : [flags.engine];
if (!engines.every((e) => e === 'sqlite' || e === 'postgres')) throw new Error(`--engine: expected sqlite, postgres or both; got ${flags.engine}`);
for (const [k, v] of Object.entries(opts)) if (!Number.isInteger(v) || v < 1) throw new Error(`--${k}: expected a positive integer`);

const SPANS_PER_TRACE = 4;
const warmupTraces = () => Math.min(opts.traces, Math.ceil((opts.spansPerRequest * opts.clients * 5) / SPANS_PER_TRACE));
const tempDir = () => mkdtempSync(join(tmpdir(), 'sl-bench-otlp-'));

const WORDS = 'the retrieval step returned four passages about quarterly revenue and the model summarised them into a short answer with citations while the guardrail checked for personal data and latency budgets'.split(' ');
function text(n, seed) {
  let out = '';
  for (let i = seed; out.length < n; i++) out += WORDS[(i * 7 + seed) % WORDS.length] + ' ';
  return out.slice(0, n);
}

/** The `k`-th trace as 4 OTLP spans (ids as hex strings), root first. */
function traceSpans(prefixHex, k, t0) {
  const start = t0 + k * 10;
  const traceId = `${prefixHex}${k.toString(16).padStart(32 - prefixHex.length, '0')}`;
  const sid = (n) => `${prefixHex.slice(0, 8)}${((k * SPANS_PER_TRACE + n) >>> 0).toString(16).padStart(8, '0')}`;
  const [rootId, spanId, genId, eventId] = [0, 1, 2, 3].map(sid);
  const question = text(380, k);
  const answer = text(720, k + 3);
  return [
    otlpSpan({
      traceId, spanId: rootId, name: 'support-chat', startMs: start, endMs: start + 100,
      attributes: {
        'langfuse.user.id': `user-${k % 500}`,
        'langfuse.session.id': `session-${k % 2000}`,
        'langfuse.environment': 'production',
        'langfuse.release': 'v1.4.2',
        'langfuse.version': '7',
        'langfuse.trace.tags': ['chat', k % 3 === 0 ? 'beta' : 'stable'],
        'langfuse.trace.input': JSON.stringify({ question }),
        'langfuse.trace.metadata.region': 'eu-west-1',
        'langfuse.trace.metadata.plan': k % 2 ? 'pro' : 'free',
        'langfuse.trace.metadata.notes': text(330, k + 1),
      },
    }),
    otlpSpan({
      traceId, spanId, parentSpanId: rootId, name: 'answer-question', startMs: start + 1, endMs: start + 95,
      attributes: {
        'langfuse.observation.type': 'span',
        'langfuse.observation.input': JSON.stringify({ question, retrieved: 4 }),
        'langfuse.observation.output': JSON.stringify({ answer: text(700, k + 5), citations: [1, 3] }),
        'langfuse.observation.metadata.retriever': 'bm25+dense',
        'langfuse.observation.metadata.passages': text(420, k + 2),
      },
    }),
    otlpSpan({
      traceId, spanId: genId, parentSpanId: spanId, name: 'chat-completion', startMs: start + 2, endMs: start + 90,
      attributes: {
        'langfuse.observation.type': 'generation',
        'gen_ai.request.model': k % 4 === 0 ? 'gpt-4o' : 'gpt-4o-mini',
        'gen_ai.request.temperature': 0.2,
        'gen_ai.request.max_tokens': 512,
        'langfuse.observation.completion_start_time': JSON.stringify(new Date(start + 40).toISOString()),
        'langfuse.observation.input': JSON.stringify([
          { role: 'system', content: 'You are a concise support assistant. Cite the passages you use.' },
          { role: 'user', content: question },
        ]),
        'langfuse.observation.output': JSON.stringify({ role: 'assistant', content: answer }),
        'gen_ai.usage.input_tokens': 412 + (k % 50),
        'gen_ai.usage.output_tokens': 128 + (k % 30),
        'langfuse.observation.metadata.promptTemplate': 'support-v3',
      },
    }),
    otlpSpan({
      traceId, spanId: eventId, parentSpanId: spanId, name: 'guardrail-check', startMs: start + 3, endMs: start + 3,
      attributes: {
        'langfuse.observation.type': 'event',
        'langfuse.observation.input': JSON.stringify({ checked: text(600, k + 4) }),
        'langfuse.observation.output': JSON.stringify({ verdict: 'pass', categories: ['pii', 'toxicity', 'jailbreak'] }),
      },
    }),
  ];
}

/** OTLP/JSON export requests of `spansPerRequest` spans each, for `traces` consecutive traces. */
function otlpRequests(traces, t0 = Date.now() - 3_600_000) {
  const prefixHex = randomBytes(8).toString('hex');
  const spans = [];
  for (let k = 0; k < traces; k++) spans.push(...traceSpans(prefixHex, k, t0));
  const requests = [];
  for (let i = 0; i < spans.length; i += opts.spansPerRequest) requests.push(otlpExport(spans.slice(i, i + opts.spansPerRequest)));
  return { requests, spans: spans.length };
}

/** The same request with ids as bytes, as OTLP/protobuf carries them, encoded. */
function toProtobuf(request) {
  const hexToBytes = (v) => (typeof v === 'string' ? Buffer.from(v, 'hex') : v);
  for (const rs of request.resourceSpans) {
    for (const ss of rs.scopeSpans) {
      for (const s of ss.spans) {
        s.traceId = hexToBytes(s.traceId);
        s.spanId = hexToBytes(s.spanId);
        if (s.parentSpanId !== undefined) s.parentSpanId = hexToBytes(s.parentSpanId);
      }
    }
  }
  return Buffer.from(encodeTraceRequest(request));
}

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * (sorted.length - 1)))];
}

async function timed(n, concurrency, work) {
  const latencies = [];
  let next = 0;
  const worker = async () => {
    while (next < n) {
      const i = next++;
      const t0 = performance.now();
      await work(i);
      latencies.push(performance.now() - t0);
    }
  };
  const t0 = performance.now();
  await Promise.all(Array.from({ length: Math.min(concurrency, n) }, worker));
  const sorted = latencies.sort((a, b) => a - b);
  return { ms: performance.now() - t0, requests: n, p50: percentile(sorted, 0.5), p99: percentile(sorted, 0.99) };
}

/** Encoded request bodies for one path: `otlp-protobuf`, `otlp-json` or `batch`. */
function bodiesFor(path, traces) {
  if (path === 'batch') {
    const batches = makeBatches(`b${randomBytes(4).toString('hex')}`, traces * EVENTS_PER_TRACE, opts.spansPerRequest);
    return { bodies: batches.map((b) => JSON.stringify({ batch: b })), counts: batches.map((b) => b.length), units: traces * EVENTS_PER_TRACE };
  }
  const { requests, spans } = otlpRequests(traces);
  const counts = requests.map((r) => r.resourceSpans[0].scopeSpans[0].spans.length);
  const bodies = path === 'otlp-protobuf' ? requests.map(toProtobuf) : requests.map((r) => JSON.stringify(r));
  return { bodies, counts, units: spans };
}

async function send(url, path, body, count) {
  const otlp = path !== 'batch';
  const res = await fetch(`${url}/api/public/${otlp ? 'otel/v1/traces' : 'ingestion'}`, {
    method: 'POST',
    headers: { authorization: AUTH, 'content-type': path === 'otlp-protobuf' ? 'application/x-protobuf' : 'application/json' },
    body,
  });
  const text = await res.text();
  if (otlp ? res.status !== 200 : res.status !== 207 || JSON.parse(text).errors.length !== 0 || JSON.parse(text).successes.length !== count) {
    throw new Error(`${path}: unexpected answer ${res.status} ${text.slice(0, 500)}`);
  }
}

async function countTraces(url) {
  const res = await fetch(`${url}/api/public/traces?limit=1&fields=core`, { headers: { authorization: AUTH } });
  if (res.status !== 200) throw new Error(`GET /traces: ${res.status} ${await res.text()}`);
  return (await res.json()).meta.totalItems;
}

async function benchPath(engine, path) {
  const dataDir = tempDir();
  const db = engine === 'postgres' ? await createDatabase() : null;
  let server;
  try {
    server = await startServer({ dataDir, databaseUrl: db?.url });
    const warm = bodiesFor(path, warmupTraces());
    await timed(warm.bodies.length, opts.clients, (i) => send(server.url, path, warm.bodies[i], warm.counts[i]));
    const run = bodiesFor(path, opts.traces);
    const bytes = run.bodies.reduce((s, b) => s + (typeof b === 'string' ? Buffer.byteLength(b) : b.length), 0);
    const r = await timed(run.bodies.length, opts.clients, (i) => send(server.url, path, run.bodies[i], run.counts[i]));
    const stored = await countTraces(server.url);
    if (stored !== warmupTraces() + opts.traces) throw new Error(`${path}: ${stored} traces stored, expected ${warmupTraces() + opts.traces}`);
    return { engine, path, units: run.units, seconds: r.ms / 1000, rate: run.units / (r.ms / 1000), tracesPerSec: opts.traces / (r.ms / 1000), p50: r.p50, p99: r.p99, requests: r.requests, bytesPerUnit: bytes / run.units };
  } catch (err) {
    if (server) console.error(server.output());
    throw err;
  } finally {
    await server?.stop();
    await db?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const fmt = (n, d = 0) => n.toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d });

console.log(`# OTLP ingestion benchmark — ${new Date().toString()}`);
console.log(`machine: ${availableParallelism()} × ${cpus()[0]?.model ?? 'cpu'}, ${fmt(totalmem() / 2 ** 30, 1)} GiB, Node ${process.version}; load average at start ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
console.log(`workload: ${fmt(opts.traces)} traces (${SPANS_PER_TRACE} spans or ${EVENTS_PER_TRACE} batch events each), ${opts.spansPerRequest} spans/events per request, ${opts.clients} clients; warm-up ${fmt(warmupTraces())} traces`);
const rows = [];
for (const engine of engines) {
  for (const path of ['otlp-protobuf', 'otlp-json', 'batch']) {
    const r = await benchPath(engine, path);
    rows.push(r);
    console.error(`${engine} ${path}: ${fmt(r.rate)} ${path === 'batch' ? 'events' : 'spans'}/s`);
  }
}
console.log('\n| engine | path | spans or events/s | traces/s | p50 ms | p99 ms | requests | B/span or event | time s |');
console.log('|---|---|---:|---:|---:|---:|---:|---:|---:|');
for (const r of rows) {
  const label = r.path === 'otlp-protobuf' ? 'OTLP protobuf (spans/s)' : r.path === 'otlp-json' ? 'OTLP JSON (spans/s)' : 'batch /ingestion (events/s)';
  console.log(`| ${r.engine} | ${label} | ${fmt(r.rate)} | ${fmt(r.tracesPerSec)} | ${fmt(r.p50, 1)} | ${fmt(r.p99, 1)} | ${r.requests} | ${fmt(r.bytesPerUnit)} | ${fmt(r.seconds, 2)} |`);
}
console.log(`\nload average at end ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
