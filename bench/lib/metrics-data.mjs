// Generated observability data for the metrics benchmark: agent-style traces spread evenly
// over a time window, each with a root span, 1–3 LLM generations, tool spans, an optional
// embedding and an optional log event (≈ 4.8 observations per trace). Records come out fully
// merged and priced, exactly as storage keeps them after ingestion; costs use the core
// pricing engine with the built-in model prices.
import { builtinModels, calculateCost, matchModel } from '../../packages/core/dist/index.js';
import { rng } from '../../test/support/random.mjs';

const CHAT_MODELS = [['gpt-4o-mini', 0.4], ['gpt-4o', 0.25], ['claude-3-5-sonnet-20241022', 0.2], ['gpt-3.5-turbo', 0.15]];
const TRACE_NAMES = [['chat', 0.45], ['search', 0.2], ['summarize', 0.15], ['classify', 0.1], ['agent', 0.1]];
const PRICED = new Map([...CHAT_MODELS.map(([m]) => m), 'text-embedding-3-small'].map((m) => [m, matchModel(m, [], builtinModels())]));


export function createGenerator({ projectId, from, to, traces, seed = 1 }) {
  const r = rng(seed);
  const weighted = (xs) => {
    let x = r();
    for (const [v, w] of xs) if ((x -= w) < 0) return v;
    return xs[xs.length - 1][0];
  };
  // Log-normal with the given median and spread.
  const lognormal = (median, sigma) => Math.round(median * Math.exp(sigma * Math.sqrt(-2 * Math.log(r() || 1e-12)) * Math.cos(2 * Math.PI * r())));
  const level = () => { const x = r(); return x < 0.02 ? 'ERROR' : x < 0.05 ? 'WARNING' : 'DEFAULT'; };
  const step = (to - from) / traces;

  function observation(base, fields) {
    const o = {
      projectId, traceId: base.traceId, parentObservationId: base.parent, environment: base.environment, version: null, input: null, output: null,
      metadata: {}, statusMessage: null, model: null, modelParameters: null, promptName: null, promptVersion: null, providedUsageDetails: {},
      providedCostDetails: {}, usageDetails: {}, costDetails: {}, totalCost: null, modelId: null, pricingTierId: null, pricingTierName: null,
      inputPrice: null, outputPrice: null, totalPrice: null, completionStartTime: null, endTime: null, level: 'DEFAULT', createdAt: base.now,
      updatedAt: base.now, lastEventKey: '0', ...fields,
    };
    if (o.model) {
      const model = PRICED.get(o.model);
      const cost = calculateCost(model, { providedUsage: o.providedUsageDetails, providedCost: {}, level: o.level, input: null, output: null, modelParameters: null, metadata: {} });
      const prices = model.pricingTiers.find((t) => t.isDefault).prices;
      Object.assign(o, {
        usageDetails: cost.usageDetails, costDetails: cost.costDetails, totalCost: cost.totalCost, modelId: model.id, pricingTierId: cost.tierId,
        pricingTierName: cost.tierName, inputPrice: prices.input ?? 0, outputPrice: prices.output ?? 0, totalPrice: prices.total ?? 0,
      });
    }
    return o;
  }

  /** The `k`-th trace and its observations. */
  function trace(k) {
    const start = Math.floor(from + k * step + r() * step);
    const traceId = `t${k}`;
    const environment = r() < 0.9 ? 'production' : 'staging';
    const now = start + 60_000;
    const t = {
      projectId, id: traceId, timestamp: start, name: weighted(TRACE_NAMES), input: null, output: null, sessionId: `s${k % 50_000}`,
      userId: `u${k % 5_000}`, environment, metadata: {}, release: 'v1.4.2', version: null, public: false, bookmarked: false, tags: [],
      createdAt: now, updatedAt: now, lastEventKey: '0',
    };
    const base = { traceId, environment, parent: null, now };
    const obs = [];
    let at = start + 5;
    const child = { ...base, parent: `${traceId}-root` };
    if (r() < 0.5) {
      const end = at + lognormal(80, 0.5);
      obs.push(observation(child, { id: `${traceId}-emb`, type: 'GENERATION', name: 'embed', model: 'text-embedding-3-small', startTime: at, endTime: end, providedUsageDetails: { input: lognormal(200, 0.6) } }));
      at = end;
    }
    for (let j = 0, n = 1 + Math.floor(r() * 3); j < n; j++) {
      const lvl = level();
      const end = at + lognormal(1200, 0.8);
      const streaming = r() < 0.7;
      const usage = lvl === 'ERROR' ? {} : { input: lognormal(1500, 0.7), output: lognormal(300, 0.7) };
      obs.push(observation(child, {
        id: `${traceId}-g${j}`, type: 'GENERATION', name: 'llm-call', model: weighted(CHAT_MODELS), startTime: at, endTime: end, level: lvl,
        completionStartTime: streaming ? Math.min(end, at + lognormal(350, 0.6)) : null, providedUsageDetails: usage,
      }));
      at = end + 3;
      if (r() < 0.5) {
        const toolEnd = at + lognormal(150, 1);
        obs.push(observation(child, { id: `${traceId}-tool${j}`, type: 'TOOL', name: r() < 0.5 ? 'tool:search' : 'tool:db', startTime: at, endTime: toolEnd, level: level() }));
        at = toolEnd + 2;
      }
    }
    if (r() < 0.3) obs.push(observation(child, { id: `${traceId}-log`, type: 'EVENT', name: 'log', startTime: at, level: level() }));
    obs.unshift(observation(base, { id: `${traceId}-root`, type: 'SPAN', name: 'agent-run', startTime: start, endTime: at + 1 }));
    return { trace: t, observations: obs };
  }

  return { trace };
}
