// Real requests captured from the official JS SDKs (test/contract/payloads/), replayed verbatim and
// read back the way Langfuse would show them.
import { describe, expect, it } from 'vitest';
import { API, ENGINES, getOk, useTestApp } from './helpers.js';

/** langfuse-js v3.39.2: POST /ingestion with trace, span, event, generation and two scores (Basic auth). */
const JS_V3_BATCH = {
  "batch": [
    {
      "id": "c08600fd-5d3c-4b05-8884-7217ddf20ba6",
      "type": "score-create",
      "timestamp": "2026-11-23T20:58:51.515Z",
      "body": {
        "id": "f466b63b-0941-4c80-823d-a0f59885879c",
        "name": "quality",
        "value": 0.9,
        "comment": "good",
        "traceId": "92e45cf7-2fe7-4453-9c1e-d9b07737feda",
        "observationId": null
      }
    },
    {
      "id": "7158e112-ee53-4d92-889b-ade748863128",
      "type": "score-create",
      "timestamp": "2026-11-23T20:58:51.516Z",
      "body": {
        "id": "5d1ce188-cf49-4c8f-9a46-11777601d091",
        "traceId": "92e45cf7-2fe7-4453-9c1e-d9b07737feda",
        "observationId": "5d0a5f4e-b649-47e2-883c-01d64efb63b5",
        "name": "cat",
        "value": "good",
        "dataType": "CATEGORICAL"
      }
    },
    {
      "id": "f6b327d1-6cac-426b-8538-2544c7604363",
      "type": "trace-create",
      "timestamp": "2026-11-23T20:58:51.538Z",
      "body": {
        "id": "92e45cf7-2fe7-4453-9c1e-d9b07737feda",
        "release": "r1",
        "timestamp": "2026-11-23T20:58:51.503Z",
        "name": "chat-request",
        "userId": "user-1",
        "sessionId": "sess-1",
        "input": {
          "q": "hi"
        },
        "metadata": {
          "env": "test"
        },
        "tags": [
          "t1"
        ],
        "version": "v1"
      }
    },
    {
      "id": "38c79ade-db3f-40a0-a891-e102a41eb87d",
      "type": "span-create",
      "timestamp": "2026-11-23T20:58:51.538Z",
      "body": {
        "id": "19163f75-5904-49de-9687-46f04e17615d",
        "startTime": "2026-11-23T20:58:51.504Z",
        "name": "retrieve",
        "input": {
          "query": "hi"
        },
        "traceId": "92e45cf7-2fe7-4453-9c1e-d9b07737feda",
        "parentObservationId": null
      }
    },
    {
      "id": "491a702b-848d-479b-b949-4121d839c24b",
      "type": "event-create",
      "timestamp": "2026-11-23T20:58:51.538Z",
      "body": {
        "id": "7952b541-9f37-4104-a5a4-c8a2c55dcc0e",
        "startTime": "2026-11-23T20:58:51.504Z",
        "name": "cache-miss",
        "input": {
          "k": 1
        },
        "traceId": "92e45cf7-2fe7-4453-9c1e-d9b07737feda",
        "parentObservationId": "19163f75-5904-49de-9687-46f04e17615d"
      }
    },
    {
      "id": "996bc212-bfbd-48ef-bc53-12ef2a66ad04",
      "type": "generation-update",
      "timestamp": "2026-11-23T20:58:51.538Z",
      "body": {
        "output": {
          "role": "assistant",
          "content": "hello"
        },
        "usage": {
          "input": 10,
          "output": 5,
          "total": 15
        },
        "usageDetails": {
          "input": 10,
          "output": 5
        },
        "costDetails": {
          "input": 0.0001
        },
        "id": "5d0a5f4e-b649-47e2-883c-01d64efb63b5",
        "traceId": "92e45cf7-2fe7-4453-9c1e-d9b07737feda",
        "endTime": "2026-11-23T20:58:51.513Z"
      }
    },
    {
      "id": "6aaffe5d-441b-47ec-9db0-2cc78beef13c",
      "type": "trace-create",
      "timestamp": "2026-11-23T20:58:51.538Z",
      "body": {
        "id": "92e45cf7-2fe7-4453-9c1e-d9b07737feda",
        "timestamp": "2026-11-23T20:58:51.513Z",
        "output": {
          "a": "hello"
        }
      }
    },
    {
      "id": "e338ed72-0ac7-45d5-ae18-03d399f0cffa",
      "type": "span-update",
      "timestamp": "2026-11-23T20:58:51.538Z",
      "body": {
        "output": {
          "docs": [
            "a",
            "b"
          ]
        },
        "id": "19163f75-5904-49de-9687-46f04e17615d",
        "traceId": "92e45cf7-2fe7-4453-9c1e-d9b07737feda",
        "endTime": "2026-11-23T20:58:51.504Z"
      }
    },
    {
      "id": "982ed889-817f-4871-9ac7-448a96d955a9",
      "type": "generation-create",
      "timestamp": "2026-11-23T20:58:51.538Z",
      "body": {
        "id": "5d0a5f4e-b649-47e2-883c-01d64efb63b5",
        "startTime": "2026-11-23T20:58:51.513Z",
        "name": "llm-call",
        "model": "gpt-4o",
        "modelParameters": {
          "temperature": 0.7
        },
        "input": [
          {
            "role": "user",
            "content": "hi"
          }
        ],
        "parentObservationId": null,
        "traceId": "92e45cf7-2fe7-4453-9c1e-d9b07737feda"
      }
    }
  ],
  "metadata": {
    "batch_size": 9,
    "sdk_integration": "DEFAULT",
    "sdk_version": "3.39.2",
    "sdk_variant": "langfuse",
    "public_key": "pk-lf-test",
    "sdk_name": "langfuse-js"
  }
};

/** langfuse-js v5.11.1 browser client: score-create events sent with the public key only (Bearer). */
const JS_V5_CLIENT_SCORES = {
  "batch": [
    {
      "id": "ac8190fd-15fb-4616-a3d3-cbc6a71b0765",
      "type": "score-create",
      "timestamp": "2026-11-23T20:59:58.989Z",
      "body": {
        "traceId": "a96a09de1c9f2a75afa4763481b3c265",
        "name": "quality",
        "value": 0.9,
        "comment": "good",
        "id": "8fd9b867-e8ab-478c-890b-d8274e6c9f22"
      }
    },
    {
      "id": "396ba003-7871-4289-9807-80ce0b8a0b79",
      "type": "score-create",
      "timestamp": "2026-11-23T20:59:58.989Z",
      "body": {
        "name": "cat",
        "value": "good",
        "dataType": "CATEGORICAL",
        "traceId": "a96a09de1c9f2a75afa4763481b3c265",
        "observationId": "fcb5c2f0cf8c4076",
        "id": "287ec966-efeb-4d99-9bb4-c3560e5742ba"
      }
    }
  ]
};

const TRACE = '92e45cf7-2fe7-4453-9c1e-d9b07737feda';
const SPAN = '19163f75-5904-49de-9687-46f04e17615d';
const EVENT = '7952b541-9f37-4104-a5a4-c8a2c55dcc0e';
const GENERATION = '5d0a5f4e-b649-47e2-883c-01d64efb63b5';

describe.each(ENGINES)('recorded SDK payloads (%s)', (engine) => {
  const app = useTestApp(engine);

  it('the langfuse-js v3 batch is accepted and reads back merged', async () => {
    const t = app();
    const res = await t.json('POST', `${API}/ingestion`, { body: JS_V3_BATCH, headers: { 'x-langfuse-sdk-name': 'langfuse-js', 'x-langfuse-sdk-version': '3.39.2' } });
    expect(res.status).toBe(207);
    expect(res.body.errors).toEqual([]);
    expect(res.body.successes).toEqual(JS_V3_BATCH.batch.map((e) => ({ id: e.id, status: 201 })));

    const trace = await getOk(t, `${API}/traces/${TRACE}`);
    // Both trace-create events share one envelope timestamp; the first in the batch sets the immutable timestamp.
    // (Soft, so that the rest of the read-back is still checked when this fails.)
    expect.soft(trace.timestamp).toBe('2026-11-23T20:58:51.503Z');
    expect(trace).toMatchObject({
      id: TRACE,
      name: 'chat-request',
      userId: 'user-1',
      sessionId: 'sess-1',
      release: 'r1',
      version: 'v1',
      input: { q: 'hi' },
      output: { a: 'hello' },
      metadata: { env: 'test' },
      tags: ['t1'],
      environment: 'default',
    });
    const byId = Object.fromEntries(trace.observations.map((o: { id: string }) => [o.id, o]));
    expect(Object.keys(byId).sort()).toEqual([SPAN, EVENT, GENERATION].sort());
    expect(byId[SPAN]).toMatchObject({
      type: 'SPAN',
      name: 'retrieve',
      parentObservationId: null,
      input: { query: 'hi' },
      output: { docs: ['a', 'b'] },
      startTime: '2026-11-23T20:58:51.504Z',
      endTime: '2026-11-23T20:58:51.504Z',
    });
    expect(byId[EVENT]).toMatchObject({ type: 'EVENT', name: 'cache-miss', parentObservationId: SPAN, input: { k: 1 } });
    expect(byId[GENERATION]).toMatchObject({
      type: 'GENERATION',
      name: 'llm-call',
      model: 'gpt-4o',
      modelParameters: { temperature: 0.7 },
      input: [{ role: 'user', content: 'hi' }],
      output: { role: 'assistant', content: 'hello' },
      startTime: '2026-11-23T20:58:51.513Z',
      endTime: '2026-11-23T20:58:51.513Z',
      usageDetails: { input: 10, output: 5, total: 15 },
      // Provided costs win outright; total = input + output when only those keys are given.
      costDetails: { input: 0.0001, total: 0.0001 },
      calculatedTotalCost: 0.0001,
    });
    const scores = Object.fromEntries(trace.scores.map((s: { name: string }) => [s.name, s]));
    expect(scores.quality).toMatchObject({ value: 0.9, comment: 'good', observationId: null, dataType: 'NUMERIC', traceId: TRACE });
    expect(scores.cat).toMatchObject({ value: 0, stringValue: 'good', dataType: 'CATEGORICAL', observationId: GENERATION, traceId: TRACE });
    expect(await getOk(t, `${API}/sessions/sess-1`)).toMatchObject({ id: 'sess-1', environment: 'default' });
  });

  it('the langfuse-js v5 browser score batch is accepted with a Bearer public key', async () => {
    const t = app();
    const res = await t.json('POST', `${API}/ingestion`, { body: JS_V5_CLIENT_SCORES, auth: `Bearer ${t.a.publicKey}` });
    expect(res.status).toBe(207);
    expect(res.body.errors).toEqual([]);
    expect(res.body.successes).toEqual(JS_V5_CLIENT_SCORES.batch.map((e) => ({ id: e.id, status: 201 })));
    const [quality, cat] = JS_V5_CLIENT_SCORES.batch.map((e) => e.body.id);
    expect(await getOk(t, `${API}/scores/${quality}`)).toMatchObject({ name: 'quality', value: 0.9, comment: 'good', traceId: 'a96a09de1c9f2a75afa4763481b3c265' });
    expect(await getOk(t, `${API}/scores/${cat}`)).toMatchObject({ name: 'cat', stringValue: 'good', dataType: 'CATEGORICAL', observationId: 'fcb5c2f0cf8c4076' });
  });
});
