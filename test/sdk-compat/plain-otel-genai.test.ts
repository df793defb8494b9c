// A plain OpenTelemetry SDK app with only GenAI semantic-convention attributes — what any
// instrumented framework sends — against a live server, read back through the public API.
import { describe, expect, it } from 'vitest';
import { byName, PUBLIC_KEY, SECRET_KEY, useLiveServer } from './live-server.js';
import { runApp } from './run-app.js';

type Row = { name: string; [k: string]: unknown };
type Ids = { traceId: string; root: string; chat: string; tool: string; retry: string; embed: string; t0: number };

describe('plain OpenTelemetry SDK with gen_ai.* attributes', () => {
  const server = useLiveServer();

  it('maps the span tree to a trace with agent, generation, tool and embedding observations', async () => {
    const { url, get } = server();
    const ids = await runApp<Ids>('plain-otel-genai.mjs', { PUBLIC_KEY, SECRET_KEY, BASE_URL: url });
    const at = (ms: number) => new Date(ids.t0 + ms).toISOString();

    const t = await get(`traces/${ids.traceId}`);
    const userMessage = { role: 'user', parts: [{ type: 'text', content: 'Weather in Paris?' }] };
    expect(t).toMatchObject({
      id: ids.traceId,
      name: 'invoke_agent travel-agent',
      timestamp: at(0),
      sessionId: 'conv-42',
      userId: 'traveller-7',
      environment: 'staging',
      version: '2.3.4',
      input: [userMessage],
      output: [{ role: 'assistant', parts: [{ type: 'text', content: 'Sunny, 21°C.' }], finish_reason: 'stop' }],
    });

    const obs = byName(t.observations as Row[]);
    expect(obs['invoke_agent travel-agent']).toMatchObject({ id: ids.root, type: 'AGENT', parentObservationId: null, startTime: at(0), endTime: at(400) });
    expect(obs['chat gpt-4o']).toMatchObject({
      id: ids.chat,
      type: 'GENERATION',
      parentObservationId: ids.root,
      startTime: at(10),
      endTime: at(200),
      latency: 0.19,
      model: 'gpt-4o-2024-08-06',
      modelParameters: { temperature: 0.2, max_tokens: 256 },
      usageDetails: { input: 100, output: 30, input_cached_tokens: 20, total: 150 },
      input: [{ role: 'system', content: 'You are a travel agent.' }, userMessage],
      output: [{ role: 'assistant', parts: [{ type: 'tool_call', id: 'call_1', name: 'get_weather', arguments: { city: 'Paris' } }] }],
      environment: 'staging',
    });
    expect(obs['chat gpt-4o'].metadata).toMatchObject({
      attributes: { 'gen_ai.operation.name': 'chat', 'gen_ai.provider.name': 'openai' },
      resourceAttributes: { 'service.name': 'travel-agent', 'deployment.environment.name': 'Staging' },
      scope: { name: 'travel-agent-instrumentation', version: '0.1.0' },
    });
    expect(obs.get_weather).toMatchObject({ id: ids.tool, type: 'TOOL', parentObservationId: ids.root, input: { city: 'Paris' }, output: { temp: 21 } });
    expect(obs['chat gpt-4o retry']).toMatchObject({
      id: ids.retry,
      type: 'GENERATION',
      level: 'ERROR',
      statusMessage: 'rate limited',
      model: 'gpt-4o',
      input: [
        { role: 'system', content: 'You are a travel agent.' },
        { role: 'user', content: 'Weather in Paris?' },
      ],
    });
    expect(obs['embeddings text-embedding-3-small']).toMatchObject({ id: ids.embed, type: 'EMBEDDING', model: 'text-embedding-3-small', usageDetails: { input: 8 } });

    const session = await get('sessions/conv-42');
    expect((session.traces as { id: string }[]).map((x) => x.id)).toEqual([ids.traceId]);
  });
});
