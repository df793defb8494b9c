// A realistic agent-style workload: each trace is a trace-create, a span, a generation nested
// in the span (model, usage, chat-message input, assistant output), an event, and the
// generation/span updates that close them — six events of about 1 KB each on average.
//
// Its texts come from a 30-word vocabulary by default. With BENCH_TEXT=prose they are windows of
// real English instead — the words of this repository's README.md, CHANGELOG.md and docs/*.md, in
// order, from an offset that varies with the trace — whose trigram variety is what LLM inputs and
// outputs have: a search index costs far more per row on it (bench/RESULTS.md). Same lengths.
import { readdirSync, readFileSync } from 'node:fs';
import { toEntityEvent, validateEvent } from '../../packages/core/dist/index.js';

const WORDS =
  'the retrieval step returned four passages about quarterly revenue and the model summarised them into a short answer with citations while the guardrail checked for personal data and latency budgets'.split(
    ' ',
  );

export const TEXT_MODE = process.env.BENCH_TEXT ?? 'vocabulary';
if (!['vocabulary', 'prose'].includes(TEXT_MODE)) throw new Error(`BENCH_TEXT: vocabulary or prose; got ${TEXT_MODE}`);

/** The words of the repository's prose, in order (BENCH_TEXT=prose). */
function proseWords() {
  const root = new URL('../../', import.meta.url);
  const files = ['README.md', 'CHANGELOG.md', ...readdirSync(new URL('docs/', root)).filter((f) => f.endsWith('.md')).sort().map((f) => `docs/${f}`)];
  return files.flatMap((f) => readFileSync(new URL(f, root), 'utf8').split(/\s+/)).filter((w) => w.length > 0);
}
const PROSE = TEXT_MODE === 'prose' ? proseWords() : null;

/** Deterministic filler text of `n` characters, varied by `seed`. */
export function text(n, seed) {
  let out = '';
  if (PROSE) {
    for (let i = (seed * 7919) % PROSE.length; out.length < n; i = (i + 1) % PROSE.length) out += PROSE[i] + ' ';
  } else {
    for (let i = seed; out.length < n; i++) out += WORDS[(i * 7 + seed) % WORDS.length] + ' ';
  }
  return out.slice(0, n);
}

export const EVENTS_PER_TRACE = 6;

/**
 * The `k`-th trace's events (envelopes as sent to `/api/public/ingestion`). `prefix` keeps the
 * ids of separate runs apart; `t0` is the first trace's epoch ms.
 */
export function traceEvents(prefix, k, t0) {
  const at = (ms) => new Date(t0 + k * 10 + ms).toISOString();
  const traceId = `${prefix}-t${k}`;
  const spanId = `${prefix}-s${k}`;
  const genId = `${prefix}-g${k}`;
  const ev = (n, type, ms, body) => ({ id: `${prefix}-e${k}-${n}`, type, timestamp: at(ms), body });
  const question = text(380, k);
  const answer = text(720, k + 3);
  return [
    ev(0, 'trace-create', 0, {
      id: traceId,
      timestamp: at(0),
      name: 'support-chat',
      userId: `user-${k % 500}`,
      sessionId: `session-${k % 2000}`,
      environment: 'production',
      release: 'v1.4.2',
      version: '7',
      tags: ['chat', k % 3 === 0 ? 'beta' : 'stable'],
      input: { question },
      metadata: { region: 'eu-west-1', plan: k % 2 ? 'pro' : 'free', requestId: `req-${k}`, notes: text(330, k + 1) },
    }),
    ev(1, 'span-create', 1, {
      id: spanId,
      traceId,
      name: 'answer-question',
      startTime: at(1),
      input: { question, retrieved: 4 },
      metadata: { retriever: 'bm25+dense', topK: 4, passages: text(420, k + 2) },
    }),
    ev(2, 'generation-create', 2, {
      id: genId,
      traceId,
      parentObservationId: spanId,
      name: 'chat-completion',
      startTime: at(2),
      completionStartTime: at(40),
      model: k % 4 === 0 ? 'gpt-4o' : 'gpt-4o-mini',
      modelParameters: { temperature: 0.2, max_tokens: 512, top_p: 1 },
      input: [
        { role: 'system', content: 'You are a concise support assistant. Cite the passages you use.' },
        { role: 'user', content: question },
      ],
      metadata: { promptTemplate: 'support-v3' },
    }),
    ev(3, 'event-create', 3, {
      id: `${prefix}-ev${k}`,
      traceId,
      parentObservationId: spanId,
      name: 'guardrail-check',
      startTime: at(3),
      level: 'DEFAULT',
      input: { checked: text(600, k + 4) },
      output: { verdict: 'pass', categories: ['pii', 'toxicity', 'jailbreak'], scores: { pii: 0.01, toxicity: 0.002 } },
    }),
    ev(4, 'generation-update', 90, {
      id: genId,
      traceId,
      endTime: at(90),
      output: { role: 'assistant', content: answer },
      usageDetails: { input: 412 + (k % 50), output: 128 + (k % 30), total: 540 + (k % 80) },
    }),
    ev(5, 'span-update', 95, {
      id: spanId,
      traceId,
      endTime: at(95),
      output: { answer: text(700, k + 5), citations: [1, 3] },
    }),
  ];
}

/** `count` events of consecutive traces, split into batches of `batchSize` events. */
export function makeBatches(prefix, count, batchSize, t0 = Date.now() - 3_600_000) {
  const batches = [];
  let current = [];
  for (let k = 0, n = 0; n < count; k++) {
    for (const event of traceEvents(prefix, k, t0)) {
      if (n++ >= count) break;
      current.push(event);
      if (current.length === batchSize) {
        batches.push(current);
        current = [];
      }
    }
  }
  if (current.length) batches.push(current);
  return batches;
}

/**
 * Batches as `storage.ingest` takes them (what the ingestion route hands it): each event
 * validated and turned into its entity event, with its raw JSON for the event log.
 */
export function storageItems(batches, projectId = 'bench-project') {
  return batches.map((batch) => {
    const item = { projectId, events: [], raw: [] };
    for (const raw of batch) {
      const entity = toEntityEvent(validateEvent(raw).event);
      if (entity) {
        item.events.push(entity);
        item.raw.push(JSON.stringify(raw));
      }
    }
    return item;
  });
}
