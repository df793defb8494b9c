// Items 1–10 and 17 of docs/compatibility.md §9: what POST /ingestion stores, read back over HTTP.
import { describe, expect, it } from 'vitest';
import { API, ENGINES, enc, ev, get, getOk, ingest, ingestOk, uid, useTestApp } from './helpers.js';

describe.each(ENGINES)('ingestion (%s)', (engine) => {
  const app = useTestApp(engine);

  it('a trace-create with only id and timestamp reads back with empty metadata, null input/output and the default environment', async () => {
    const t = app();
    const id = uid('trace');
    const timestamp = '2024-01-01T00:00:00.000Z';
    await ingestOk(t, [ev('trace-create', { id, timestamp })]);
    const trace = await getOk(t, `${API}/traces/${enc(id)}`);
    expect(trace).toMatchObject({ id, timestamp, metadata: {}, input: null, output: null, environment: 'default' });
    expect(trace.observations).toEqual([]);
    expect(trace.scores).toEqual([]);
  });

  it('trace input and output round-trip strings, emoji and nested values', async () => {
    const t = app();
    const cases: [unknown, unknown][] = [
      ['plain text input', 'plain text output'],
      ['emoji 👋🏽 🚀 — ünïcödé 漢字', { reply: '🙂', list: ['é', '∑'] }],
      [['hello', { world: 'world' }, [1, 2, 3]], { deep: { deeper: { deepest: [true, null, 1.5, 'x'] } } }],
    ];
    for (const [input, output] of cases) {
      const id = uid('trace-io');
      await ingestOk(t, [ev('trace-create', { id, input, output })]);
      const trace = await getOk(t, `${API}/traces/${enc(id)}`);
      expect(trace.input).toEqual(input);
      expect(trace.output).toEqual(output);
    }
  });

  it('each observation event type yields an observation of that type', async () => {
    const t = app();
    const traceId = uid('trace-types');
    const types: [string, string][] = [
      ['span-create', 'SPAN'],
      ['generation-create', 'GENERATION'],
      ['event-create', 'EVENT'],
      ['agent-create', 'AGENT'],
      ['tool-create', 'TOOL'],
      ['chain-create', 'CHAIN'],
      ['retriever-create', 'RETRIEVER'],
      ['evaluator-create', 'EVALUATOR'],
      ['embedding-create', 'EMBEDDING'],
      ['guardrail-create', 'GUARDRAIL'],
    ];
    const ids = types.map(([type]) => uid(type));
    await ingestOk(t, [
      ev('trace-create', { id: traceId }),
      ...types.map(([type], i) => ev(type, { id: ids[i], traceId, name: type })),
      ev('observation-create', { id: `${traceId}-legacy`, traceId, type: 'GENERATION', name: 'legacy' }),
    ]);
    for (const [i, [type, expected]] of types.entries()) {
      const obs = await getOk(t, `${API}/observations/${enc(ids[i])}`);
      expect(obs, type).toMatchObject({ id: ids[i], traceId, type: expected, name: type });
    }
    expect(await getOk(t, `${API}/observations/${enc(`${traceId}-legacy`)}`)).toMatchObject({ type: 'GENERATION', name: 'legacy' });
    const trace = await getOk(t, `${API}/traces/${enc(traceId)}`);
    expect(new Set(trace.observations.map((o: { type: string }) => o.type))).toEqual(new Set(types.map(([, e]) => e)));
  });

  it('a numeric score on a trace and observation is stored with its environment', async () => {
    const t = app();
    const traceId = uid('trace-score');
    const observationId = uid('obs-score');
    const scoreId = uid('score');
    await ingestOk(t, [
      ev('trace-create', { id: traceId }),
      ev('span-create', { id: observationId, traceId }),
      ev('score-create', { id: scoreId, traceId, observationId, name: 'accuracy', value: 0.75, environment: 'production' }),
    ]);
    const score = await getOk(t, `${API}/scores/${enc(scoreId)}`);
    expect(score).toMatchObject({
      id: scoreId,
      traceId,
      observationId,
      name: 'accuracy',
      value: 0.75,
      stringValue: null,
      dataType: 'NUMERIC',
      source: 'API',
      environment: 'production',
    });
    const v2 = await getOk(t, `${API}/v2/scores?traceId=${enc(traceId)}`);
    expect(v2.data.map((s: { id: string }) => s.id)).toEqual([scoreId]);
    expect(v2.data[0]).toMatchObject({ value: 0.75, environment: 'production', observationId });
    const trace = await getOk(t, `${API}/traces/${enc(traceId)}`);
    expect(trace.scores.map((s: { id: string }) => s.id)).toEqual([scoreId]);
  });

  it('ids containing URL-special characters round-trip', async () => {
    const t = app();
    const special = '& $ @ = ; / + space , ? { } ^ % \\ ] " > [ ~ < # |';
    const traceId = `trace ${special} ${uid()}`;
    const observationId = `obs ${special} ${uid()}`;
    const scoreId = `score ${special} ${uid()}`;
    await ingestOk(t, [
      ev('trace-create', { id: traceId, name: 'special-ids' }),
      ev('span-create', { id: observationId, traceId }),
      ev('score-create', { id: scoreId, traceId, observationId, name: 's', value: 1 }),
    ]);
    const trace = await getOk(t, `${API}/traces/${enc(traceId)}`);
    expect(trace.id).toBe(traceId);
    expect(trace.observations.map((o: { id: string }) => o.id)).toEqual([observationId]);
    expect(trace.scores.map((s: { id: string }) => s.id)).toEqual([scoreId]);
    expect((await getOk(t, `${API}/observations/${enc(observationId)}`)).id).toBe(observationId);
    expect((await getOk(t, `${API}/scores/${enc(scoreId)}`)).id).toBe(scoreId);
    const listed = await getOk(t, `${API}/observations?traceId=${enc(traceId)}`);
    expect(listed.data.map((o: { id: string }) => o.id)).toEqual([observationId]);
  });

  it('an event id containing a carriage return is a per-event 400 inside the 207', async () => {
    const t = app();
    const res = await ingest(t, [ev('trace-create', { id: uid('trace-cr') }, new Date().toISOString(), 'bad\rid')]);
    expect(res.status).toBe(207);
    expect(res.body.successes).toEqual([]);
    expect(res.body.errors).toHaveLength(1);
    expect(res.body.errors[0]).toMatchObject({ status: 400, message: 'Invalid request data' });
    expect(res.body.errors[0].error).toContain('ID cannot contain carriage return characters');
  });

  it('a trace name over 1000 characters is a per-event 400 while the rest of the batch is stored', async () => {
    const t = app();
    const bad = ev('trace-create', { id: uid('trace-long'), name: 'x'.repeat(1001) });
    const goodId = uid('trace-ok');
    const good = ev('trace-create', { id: goodId, name: 'y'.repeat(1000) });
    const res = await ingest(t, [bad, good]);
    expect(res.status).toBe(207);
    expect(res.body.successes).toEqual([{ id: good.id, status: 201 }]);
    expect(res.body.errors).toEqual([expect.objectContaining({ id: bad.id, status: 400, message: 'Invalid request data' })]);
    expect((await get(t, `${API}/traces/${enc(bad.body.id as string)}`)).status).toBe(404);
    expect((await getOk(t, `${API}/traces/${enc(goodId)}`)).name).toBe('y'.repeat(1000));
  });

  it('a float in usageDetails is a per-event 400, as in usage (one rule for both)', async () => {
    const t = app();
    const id = uid('gen-float');
    const res = await ingest(t, [ev('generation-create', { id, traceId: uid('trace'), usageDetails: { input: 1.5, output: 3 } })]);
    expect(res.status).toBe(207);
    expect(res.body.successes).toHaveLength(0);
    expect(res.body.errors).toEqual([expect.objectContaining({ status: 400, error: expect.stringMatching(/^body\.usageDetails\.input: usage counts must be integers/) as string })]);
  });

  it('invalid environments still succeed and are normalised or replaced by "default"', async () => {
    const t = app();
    const cases: [string, string][] = [
      ['.invalidcharacter!', 'default'],
      ['a'.repeat(50), 'a'.repeat(40)],
      ['langfuse-prod', 'prod'],
      ['Langfuse_Langfuse-Staging', 'staging'],
      ['langfuse', 'default'],
      ['Production', 'production'],
    ];
    const ids = cases.map(() => uid('trace-env'));
    await ingestOk(t, cases.map(([environment], i) => ev('trace-create', { id: ids[i], environment })));
    for (const [i, [given, expected]] of cases.entries()) {
      expect((await getOk(t, `${API}/traces/${enc(ids[i])}`)).environment, given).toBe(expected);
    }
    const obsId = uid('obs-env');
    await ingestOk(t, [ev('span-create', { id: obsId, traceId: ids[0], environment: 'langfuse-prod' })]);
    expect((await getOk(t, `${API}/observations/${enc(obsId)}`)).environment).toBe('prod');
  });

  it('metadata value types survive on traces, observations and scores', async () => {
    const t = app();
    const metadata = { bigId: '1983516295378495150', int: 5, float: 5.5, str: 'hello', flag: true };
    const traceId = uid('trace-meta');
    const obsId = uid('obs-meta');
    const scoreId = uid('score-meta');
    await ingestOk(t, [
      ev('trace-create', { id: traceId, metadata }),
      ev('generation-create', { id: obsId, traceId, metadata }),
      ev('score-create', { id: scoreId, traceId, name: 'm', value: 1, metadata }),
    ]);
    for (const path of [`traces/${enc(traceId)}`, `observations/${enc(obsId)}`, `scores/${enc(scoreId)}`]) {
      const body = await getOk(t, `${API}/${path}`);
      expect(body.metadata, path).toMatchObject(metadata);
      expect(typeof body.metadata.bigId, path).toBe('string');
      expect(Number.isInteger(body.metadata.int), path).toBe(true);
    }
  });

  describe('usage normalisation (usageDetails read via GET /observations/{id})', () => {
    const usageOf = async (body: Record<string, unknown>) => {
      const t = app();
      const id = uid('gen-usage');
      await ingestOk(t, [ev('generation-create', { id, traceId: uid('trace'), ...body })]);
      return (await getOk(t, `${API}/observations/${enc(id)}`)).usageDetails;
    };

    it('usage {input, output} gives total = input + output', async () => {
      expect(await usageOf({ usage: { input: 10, output: 20 } })).toEqual({ input: 10, output: 20, total: 30 });
    });

    it('usage with an explicit total keeps that total', async () => {
      expect(await usageOf({ usage: { input: 100, output: 200, total: 100, unit: 'CHARACTERS' } })).toEqual({ input: 100, output: 200, total: 100 });
    });

    it('usage in the OpenAI {promptTokens, completionTokens} shape becomes input/output/total', async () => {
      expect(await usageOf({ usage: { promptTokens: 512, completionTokens: 49 } })).toEqual({ input: 512, output: 49, total: 561 });
    });

    it('usageDetails overrides usage', async () => {
      expect(await usageOf({ usage: { input: 10, output: 20, total: 30 }, usageDetails: { input: 7, output: 3, total: 10 } })).toEqual({
        input: 7,
        output: 3,
        total: 10,
      });
      expect(await usageOf({ usage: { input: 10, output: 20 }, usageDetails: { input: 7 } })).toMatchObject({ input: 7, output: 20 });
    });

    it('OpenAI chat usageDetails subtract cached and reasoning tokens into input_cached_tokens / output_reasoning_tokens', async () => {
      const usage = await usageOf({
        usageDetails: {
          prompt_tokens: 100,
          completion_tokens: 50,
          total_tokens: 150,
          prompt_tokens_details: { cached_tokens: 30 },
          completion_tokens_details: { reasoning_tokens: 20 },
        },
      });
      expect(usage).toEqual({ input: 70, input_cached_tokens: 30, output: 30, output_reasoning_tokens: 20, total: 150 });
    });

    it('OpenAI Responses usageDetails are normalised the same way', async () => {
      const usage = await usageOf({
        usageDetails: {
          input_tokens: 40,
          output_tokens: 25,
          total_tokens: 65,
          input_tokens_details: { cached_tokens: 10 },
          output_tokens_details: { reasoning_tokens: 5 },
        },
      });
      expect(usage).toEqual({ input: 30, input_cached_tokens: 10, output: 20, output_reasoning_tokens: 5, total: 65 });
    });

    it('null or empty usage and usageDetails give {}', async () => {
      expect(await usageOf({ usage: null, usageDetails: null })).toEqual({});
      expect(await usageOf({ usage: {}, usageDetails: {} })).toEqual({});
      expect(await usageOf({})).toEqual({});
    });
  });
});

