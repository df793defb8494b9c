// The project the reads benchmark queries: agent-style traces over the last 7 days, as the
// ingestion events an SDK would send (envelopes for /api/public/ingestion). Trace k is a pure
// function of k (its own seeded random stream), so any slice can be generated on its own.
//
// Shape: 500 users (10 % of traces have none); sessions of 5 consecutive traces (1 trace in
// 20 has none), so about N/5 sessions; 90 % production / 10 % staging; tags `chat` plus
// `beta` or `stable`; metadata {plan, region}; per trace a root span, a retrieval span with a
// tool span inside, 1–3 generations (model, usage, streaming; priced by the built-in models),
// sometimes a guardrail event; 2 % of generations ERROR, 3 % WARNING. Scores on 30 % of traces
// (numeric `quality`) and 10 % (categorical `sentiment`). Special traces: `big50-<i>` (10 of
// them) with 50 observations each and `big5000` with 5,000; `RARE_WORD` appears in the input
// of exactly 3 traces, `COMMON_WORD` in every trace's input. With `steps` > 0 every trace but the big ones
// also runs `steps` agent steps (a short tool span each, under the root) — "bigger traces": at
// steps = 5 about 10 observations per trace, the issue's 10M observations at 1M traces.
import { rng } from '../../test/support/random.mjs';

export const USERS = 500;
export const DAYS = 7;
export const RARE_WORD = 'quixotically';
export const COMMON_WORD = 'passages';
const DAY = 86_400_000;
const MODELS = [['gpt-4o-mini', 0.45], ['gpt-4o', 0.25], ['claude-3-5-sonnet-20241022', 0.2], ['gpt-3.5-turbo', 0.1]];
const NAMES = [['chat', 0.45], ['search', 0.2], ['summarize', 0.15], ['classify', 0.1], ['agent', 0.1]];
const REGIONS = ['eu-west-1', 'us-east-1', 'us-west-2', 'ap-south-1'];
const WORDS = 'the retrieval step returned four passages about quarterly revenue and the model summarised them into a short answer with citations'.split(' ');

/** The ids of the special traces for a project of `traces` traces. */
export function specialTraces(traces) {
  const at = (f) => Math.min(traces - 1, Math.floor(traces * f));
  return {
    big50: Array.from({ length: 10 }, (_, i) => at(0.05 + i * 0.09)),
    big5000: at(0.93),
    rare: [at(0.17), at(0.51), at(0.83)],
  };
}

/**
 * A generator of the project's events. `now` is the end of the 7 days (epoch ms); `prefix`
 * keeps ids of separate projects apart in one database.
 */
export function createReadsWorkload({ traces, now, prefix = 'r', steps = 0 }) {
  const from = now - DAYS * DAY;
  const step = (now - 60_000 - from) / traces;
  const special = specialTraces(traces);
  const big50 = new Set(special.big50);
  const rare = new Set(special.rare);

  const sessionOf = (k) => (k % 5 === 4 && Math.floor(k / 5) % 4 === 3 ? null : `${prefix}-session-${Math.floor(k / 5)}`);

  /** Trace k's ingestion events (envelopes), in the order an SDK sends them. */
  function traceEvents(k) {
    const r = rng((k + 1) * 2654435761);
    const weighted = (xs) => {
      let x = r();
      for (const [v, w] of xs) if ((x -= w) < 0) return v;
      return xs[xs.length - 1][0];
    };
    const lognormal = (median, sigma) => Math.max(1, Math.round(median * Math.exp(sigma * Math.sqrt(-2 * Math.log(r() || 1e-12)) * Math.cos(2 * Math.PI * r()))));
    const level = () => { const x = r(); return x < 0.02 ? 'ERROR' : x < 0.05 ? 'WARNING' : 'DEFAULT'; };
    const words = (n) => Array.from({ length: n }, () => WORDS[Math.floor(r() * WORDS.length)]).join(' ');
    const iso = (ms) => new Date(ms).toISOString();
    const start = Math.floor(from + k * step + r() * step * 0.5);
    const traceId = k === special.big5000 ? `${prefix}-big5000` : big50.has(k) ? `${prefix}-big50-${special.big50.indexOf(k)}` : `${prefix}-t${k}`;
    const events = [];
    let n = 0;
    const ev = (type, ms, body) => events.push({ id: `${traceId}-e${n++}`, type, timestamp: iso(ms), body });
    const user = r() < 0.9 ? `user-${Math.floor(r() * USERS)}` : undefined;
    const question = `${words(12)} ${COMMON_WORD} ${rare.has(k) ? `${RARE_WORD} ` : ''}${words(8)}?`;
    ev('trace-create', start, {
      id: traceId, timestamp: iso(start), name: weighted(NAMES), userId: user, sessionId: sessionOf(k) ?? undefined,
      environment: r() < 0.9 ? 'production' : 'staging', release: 'v1.4.2', tags: ['chat', r() < 0.3 ? 'beta' : 'stable'],
      input: { question }, metadata: { plan: r() < 0.4 ? 'pro' : 'free', region: REGIONS[Math.floor(r() * REGIONS.length)] },
    });
    const root = `${traceId}-root`;
    const env = events[0].body.environment;
    ev('span-create', start + 1, { id: root, traceId, name: 'agent-run', startTime: iso(start + 1), environment: env, input: { question } });
    let at = start + 3;
    const retrieval = `${traceId}-retrieve`;
    const toolEnd = at + 2 + lognormal(120, 0.8);
    ev('span-create', at, { id: retrieval, traceId, parentObservationId: root, name: 'retrieve', startTime: iso(at), endTime: iso(toolEnd + 1), environment: env });
    ev('span-create', at + 1, { id: `${traceId}-tool`, traceId, parentObservationId: retrieval, name: 'tool:vector-search', startTime: iso(at + 1), endTime: iso(toolEnd), level: level(), environment: env, output: { hits: 4 } });
    at = toolEnd + 2;
    const extra = k === special.big5000 ? 4994 : big50.has(k) ? 44 : 0;
    const generations = extra > 0 ? 2 : 1 + Math.floor(r() * 3);
    for (let j = 0; j < generations + extra; j++) {
      const id = `${traceId}-g${j}`;
      if (j >= generations) {
        // Steps of a long agent loop: short spans under the root.
        const end = at + lognormal(20, 0.5);
        ev('span-create', at, { id, traceId, parentObservationId: root, name: `step-${j}`, startTime: iso(at), endTime: iso(end), environment: env, output: { step: j } });
        at = end + 1;
        continue;
      }
      const lvl = level();
      const end = at + lognormal(1200, 0.8);
      const usage = lvl === 'ERROR' ? undefined : { input: lognormal(1500, 0.7), output: lognormal(300, 0.7) };
      ev('generation-create', at, {
        id, traceId, parentObservationId: root, name: 'llm-call', startTime: iso(at), model: weighted(MODELS), level: lvl, environment: env,
        modelParameters: { temperature: 0.2 }, input: [{ role: 'user', content: question }],
        completionStartTime: r() < 0.7 ? iso(Math.min(end, at + lognormal(350, 0.6))) : undefined,
      });
      ev('generation-update', end, { id, traceId, endTime: iso(end), output: { role: 'assistant', content: words(30) }, usageDetails: usage, statusMessage: lvl === 'ERROR' ? 'rate limited' : undefined });
      at = end + 3;
    }
    for (let j = 0; j < steps && extra === 0; j++) {
      const end = at + lognormal(40, 0.6);
      ev('span-create', at, { id: `${traceId}-step${j}`, traceId, parentObservationId: root, name: 'tool-call', startTime: iso(at), endTime: iso(end), environment: env, input: { tool: 'lookup', arg: words(4) }, output: { ok: true } });
      at = end + 1;
    }
    if (r() < 0.3) ev('event-create', at, { id: `${traceId}-guard`, traceId, parentObservationId: root, name: 'guardrail', startTime: iso(at), level: level(), environment: env });
    ev('span-update', at + 1, { id: root, traceId, endTime: iso(at + 1), output: { answer: words(20) } });
    ev('trace-create', at + 2, { id: traceId, output: { answer: words(20) } });
    if (r() < 0.3) ev('score-create', at + 500, { id: `${traceId}-quality`, traceId, name: 'quality', value: Math.round(r() * 100) / 100, environment: env });
    if (r() < 0.1) ev('score-create', at + 600, { id: `${traceId}-sentiment`, traceId, name: 'sentiment', value: r() < 0.7 ? 'positive' : 'negative', dataType: 'CATEGORICAL', environment: env });
    return { traceId, start, end: at + 600, events };
  }

  return { traces, from, now, special, traceEvents, sessionOf, prefix, steps };
}
