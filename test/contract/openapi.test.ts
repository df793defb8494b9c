// Contract checks (issue 3 item 4): the JSON bodies of the public routes Sightline implements
// validate against the operation's 200/207 response schema in the upstream Langfuse OpenAPI
// document (langfuse-openapi.yml beside this file, vendored: see README.md). Any drift — a renamed,
// missing, mistyped or wrongly-null field on either side — fails here.
//
// The spec is OpenAPI 3.0, so before handing it to Ajv (a JSON-schema validator) `nullable: true`
// becomes a type union with "null" (also next to a `$ref`, which Langfuse's generator emits and
// means), and `$ref`s resolve inside the document itself.
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv, type ErrorObject } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../packages/server/src/testing/test-app.js';
import { llmDeps } from '../llm/helpers.js';

const SPEC_URL = new URL('./langfuse-openapi.yml', import.meta.url);
const SPEC_PATH = fileURLToPath(SPEC_URL);
const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const API = '/api/public';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

/** OpenAPI 3.0 schema object → JSON Schema (draft 7 as Ajv reads it), recursively. */
function toJsonSchema(node: Json): Json {
  if (Array.isArray(node)) return node.map(toJsonSchema);
  if (!node || typeof node !== 'object') return node;
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(node)) out[key] = key === 'example' || key === 'examples' ? value : toJsonSchema(value);
  if (out.nullable !== true) {
    delete out.nullable;
    return out;
  }
  delete out.nullable;
  if (typeof out.$ref === 'string') {
    const { $ref, ...rest } = out;
    return { ...rest, anyOf: [{ $ref }, { type: 'null' }] };
  }
  if (typeof out.type === 'string') {
    out.type = [out.type, 'null'];
    if (Array.isArray(out.enum)) out.enum = [...out.enum, null];
    return out;
  }
  if (out.allOf || out.oneOf || out.anyOf) {
    const { description, ...rest } = out;
    return { ...(description !== undefined ? { description } : {}), anyOf: [rest, { type: 'null' }] };
  }
  return out; // no type: any value, null included
}

const pointer = (...parts: string[]) => parts.map((p) => p.replace(/~/g, '~0').replace(/\//g, '~1')).join('/');

function loadValidator() {
  if (!existsSync(SPEC_PATH)) {
    throw new Error(`Upstream Langfuse OpenAPI spec not found at ${SPEC_PATH} (vendored in test/contract/)`);
  }
  const spec = parse(readFileSync(SPEC_PATH, 'utf8'), { maxAliasCount: -1 }) as JsonObject;
  const doc = toJsonSchema({ paths: spec.paths, components: spec.components }) as JsonObject;
  const ajv = new Ajv({ strict: false, allErrors: true });
  // ajv-formats is CommonJS; under NodeNext its default import is the module namespace.
  const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (a: Ajv) => Ajv;
  addFormats(ajv);
  ajv.addSchema(doc, 'langfuse');
  const paths = spec.paths as Record<string, Record<string, JsonObject>>;
  return (method: string, path: string, status: number, body: unknown) => {
    const op = paths[path]?.[method.toLowerCase()];
    if (!op) throw new Error(`spec has no operation ${method} ${path}`);
    const response = (op.responses as JsonObject)[String(status)] as JsonObject | undefined;
    if (!response) throw new Error(`spec has no ${status} response for ${method} ${path}`);
    const ref = `langfuse#/${pointer('paths', path, method.toLowerCase(), 'responses', String(status), 'content', 'application/json', 'schema')}`;
    const validate = ajv.compile({ $ref: ref });
    const ok = validate(body);
    return ok ? [] : (validate.errors ?? []).map((e: ErrorObject) => `${e.instancePath || '(root)'} ${e.message ?? ''} ${JSON.stringify(e.params)}`);
  };
}

// Both engines: the presenters are shared, but row decoding (numbers, JSON, timestamps) is not.
describe.each(['sqlite', 'postgres'] as const)('OpenAPI contract (%s)', (engine) => {
  let t: TestApp;
  let check: ReturnType<typeof loadValidator>;
  const traceId = 'contract-trace-1';
  const sessionId = 'contract-session-1';
  const genId = 'contract-gen-1';
  const spanId = 'contract-span-1';
  const eventId = 'contract-event-1';
  const scoreId = 'contract-score-1';
  const catScoreId = 'contract-score-2';
  const T = '2024-05-01T10:00:00.000Z';
  let ingestion: { status: number; body: unknown };

  /** Sends a request, asserts the status and that the body matches the operation's schema. */
  async function expectValid(method: string, url: string, specPath: string, status = 200, body?: unknown) {
    const res = await t.json(method, url, { body });
    expect(res.status, `${method} ${url} → ${JSON.stringify(res.body)}`).toBe(status);
    expect(check(method, specPath, status, res.body), `${method} ${url}`).toEqual([]);
    return res.body;
  }

  beforeAll(async () => {
    check = loadValidator();
    t = await createTestApp(engine, { llm: llmDeps() });
    const e = (type: string, body: Record<string, unknown>, n: number) => ({ id: `contract-ev-${n}`, type, timestamp: T, body });
    ingestion = await t.json('POST', `${API}/ingestion`, {
      body: {
        batch: [
          e('trace-create', { id: traceId, timestamp: T, name: 'contract', userId: 'u-1', sessionId, input: { q: 'hi' }, output: 'hello', metadata: { k: 'v' }, tags: ['a', 'b'], release: 'r1', version: 'v1', environment: 'production' }, 1),
          e('span-create', { id: spanId, traceId, name: 'retrieve', startTime: T, endTime: '2024-05-01T10:00:01.000Z', input: ['doc'], metadata: { step: 1 } }, 2),
          e(
            'generation-create',
            {
              id: genId,
              traceId,
              parentObservationId: spanId,
              name: 'llm',
              startTime: '2024-05-01T10:00:00.100Z',
              completionStartTime: '2024-05-01T10:00:00.300Z',
              endTime: '2024-05-01T10:00:00.900Z',
              model: 'gpt-4o',
              modelParameters: { temperature: 0.2, max_tokens: 100 },
              usageDetails: { input: 10, output: 20 },
              costDetails: { input: 0.001, output: 0.002 },
              input: [{ role: 'user', content: 'hi' }],
              output: { role: 'assistant', content: 'hello' },
              level: 'DEFAULT',
            },
            3,
          ),
          e('event-create', { id: eventId, traceId, name: 'log', startTime: T, level: 'WARNING', statusMessage: 'careful' }, 4),
          e('score-create', { id: scoreId, traceId, name: 'quality', value: 0.9, comment: 'good', dataType: 'NUMERIC' }, 5),
          e('score-create', { id: catScoreId, traceId, observationId: genId, name: 'label', value: 'ok', dataType: 'CATEGORICAL' }, 6),
          e('event-create', { traceId, name: 'broken', startTime: 'not-a-time' }, 7),
        ],
      },
    });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('POST /ingestion: the 207 body (successes and errors)', () => {
    expect(ingestion.status).toBe(207);
    expect((ingestion.body as { errors: unknown[] }).errors.length).toBeGreaterThan(0); // the broken event
    expect(check('POST', `${API}/ingestion`, 207, ingestion.body)).toEqual([]);
  });

  it('GET /health', async () => {
    await expectValid('GET', `${API}/health`, `${API}/health`);
  });

  it('GET /traces, with every field group and with fields=core', async () => {
    const list = (await expectValid('GET', `${API}/traces`, `${API}/traces`)) as { data: unknown[] };
    expect(list.data.length).toBeGreaterThan(0);
    await expectValid('GET', `${API}/traces?fields=core`, `${API}/traces`);
  });

  it('GET /traces/{traceId}', async () => {
    await expectValid('GET', `${API}/traces/${traceId}`, `${API}/traces/{traceId}`);
  });

  it('GET /observations and /observations/{observationId} (span, generation, event)', async () => {
    const list = (await expectValid('GET', `${API}/observations`, `${API}/observations`)) as { data: unknown[] };
    expect(list.data).toHaveLength(3);
    for (const id of [spanId, genId, eventId]) await expectValid('GET', `${API}/observations/${id}`, `${API}/observations/{observationId}`);
  });

  it('GET /v2/observations', async () => {
    const res = (await expectValid('GET', `${API}/v2/observations`, `${API}/v2/observations`)) as { data: unknown[] };
    expect(res.data.length).toBeGreaterThan(0);
    await expectValid('GET', `${API}/v2/observations?fields=core,basic,usage,io,metadata,model`, `${API}/v2/observations`);
  });

  it('GET /v2/scores and /v2/scores/{scoreId} (numeric and categorical)', async () => {
    const list = (await expectValid('GET', `${API}/v2/scores`, `${API}/v2/scores`)) as { data: unknown[] };
    expect(list.data).toHaveLength(2);
    for (const id of [scoreId, catScoreId]) await expectValid('GET', `${API}/v2/scores/${id}`, `${API}/v2/scores/{scoreId}`);
  });

  it('GET /sessions and /sessions/{sessionId}', async () => {
    const list = (await expectValid('GET', `${API}/sessions`, `${API}/sessions`)) as { data: unknown[] };
    expect(list.data).toHaveLength(1);
    await expectValid('GET', `${API}/sessions/${sessionId}`, `${API}/sessions/{sessionId}`);
  });

  it('POST /models, GET /models and /models/{id}', async () => {
    const created = (await expectValid('POST', `${API}/models`, `${API}/models`, 200, {
      modelName: 'contract-model',
      matchPattern: '(?i)^contract-model$',
      unit: 'TOKENS',
      inputPrice: 0.000001,
      outputPrice: 0.000002,
    })) as { id: string };
    await expectValid('GET', `${API}/models`, `${API}/models`);
    await expectValid('GET', `${API}/models/${created.id}`, `${API}/models/{id}`);
  });

  it('GET /projects', async () => {
    await expectValid('GET', `${API}/projects`, `${API}/projects`);
  });

  it('POST /v2/prompts (text and chat), GET /v2/prompts/{promptName}, PATCH …/versions/{version}, GET /v2/prompts', async () => {
    await expectValid('POST', `${API}/v2/prompts`, `${API}/v2/prompts`, 200, { name: 'contract/text', prompt: 'Hi {{x}}', labels: ['production'], config: { a: 1 }, tags: ['t'] });
    await expectValid('POST', `${API}/v2/prompts`, `${API}/v2/prompts`, 200, {
      name: 'contract-chat',
      type: 'chat',
      prompt: [{ role: 'system', content: 'S @@@langfusePrompt:name=contract/text|label=production@@@' }, { type: 'placeholder', name: 'history' }],
      labels: ['production'],
      commitMessage: 'first',
    });
    await expectValid('GET', `${API}/v2/prompts/${encodeURIComponent('contract/text')}`, `${API}/v2/prompts/{promptName}`);
    const chat = (await expectValid('GET', `${API}/v2/prompts/contract-chat`, `${API}/v2/prompts/{promptName}`)) as { resolutionGraph: unknown };
    expect(chat.resolutionGraph).not.toBeNull();
    await expectValid('PATCH', `${API}/v2/prompts/contract-chat/versions/1`, `${API}/v2/prompts/{name}/versions/{version}`, 200, { newLabels: ['beta'] });
    const list = (await expectValid('GET', `${API}/v2/prompts`, `${API}/v2/prompts`)) as { data: unknown[] };
    expect(list.data).toHaveLength(2);
  });

  it('datasets, items, runs, run items, experiments and experiment items', async () => {
    const runs = `${API}/datasets/{datasetName}/runs`;
    const ds = (await expectValid('POST', `${API}/v2/datasets`, `${API}/v2/datasets`, 200, { name: 'contract/ds', description: 'd', metadata: { a: 1 } })) as { id: string };
    await expectValid('GET', `${API}/v2/datasets/${encodeURIComponent('contract/ds')}`, `${API}/v2/datasets/{datasetName}`);
    await expectValid('GET', `${API}/v2/datasets`, `${API}/v2/datasets`);
    const body = { datasetName: 'contract/ds', id: 'contract-item', input: { q: 1 }, expectedOutput: 'a', metadata: { m: 1 }, sourceTraceId: traceId };
    await expectValid('POST', `${API}/dataset-items`, `${API}/dataset-items`, 200, body);
    await expectValid('GET', `${API}/dataset-items/contract-item`, `${API}/dataset-items/{id}`);
    await expectValid('GET', `${API}/dataset-items?datasetName=${encodeURIComponent('contract/ds')}`, `${API}/dataset-items`);
    const link = { runName: 'contract run', runDescription: 'r', metadata: { x: 1 }, datasetItemId: 'contract-item', traceId, observationId: genId };
    const runItem = (await expectValid('POST', `${API}/dataset-run-items`, `${API}/dataset-run-items`, 200, link)) as { datasetRunId: string };
    await expectValid('GET', `${API}/dataset-run-items?datasetId=${ds.id}&runName=${encodeURIComponent('contract run')}`, `${API}/dataset-run-items`);
    await expectValid('GET', `${API}/datasets/${encodeURIComponent('contract/ds')}/runs`, runs);
    await expectValid('GET', `${API}/datasets/${encodeURIComponent('contract/ds')}/runs/${encodeURIComponent('contract run')}`, `${runs}/{runName}`);
    await t.json('POST', `${API}/ingestion`, { body: { batch: [{ id: 'contract-run-score', type: 'score-create', timestamp: T, body: { name: 'avg', value: 1, datasetRunId: runItem.datasetRunId } }] } });
    await expectValid('GET', `${API}/experiments?fromStartTime=2000-01-01T00:00:00Z&fields=core,metadata,scores`, `${API}/experiments`);
    const all = 'core,dataset,io,metadata,itemMetadata,experimentMetadata,scores';
    const items = (await expectValid('GET', `${API}/experiment-items?fromStartTime=2000-01-01T00:00:00Z&fields=${all}`, `${API}/experiment-items`)) as { data: unknown[] };
    expect(items.data).toHaveLength(1);
    await expectValid('DELETE', `${API}/datasets/${encodeURIComponent('contract/ds')}/runs/${encodeURIComponent('contract run')}`, `${runs}/{runName}`);
    await expectValid('DELETE', `${API}/dataset-items/contract-item`, `${API}/dataset-items/{id}`);
  });

  it('POST /media, PATCH and GET /media/{mediaId}', async () => {
    const bytes = new TextEncoder().encode('contract media');
    const sha256Hash = createHash('sha256').update(bytes).digest('base64');
    const { mediaId, uploadUrl } = (await expectValid('POST', `${API}/media`, `${API}/media`, 200, {
      traceId, field: 'input', contentType: 'text/plain', contentLength: bytes.length, sha256Hash,
    })) as { mediaId: string; uploadUrl: string };
    const u = new URL(uploadUrl);
    expect((await t.app.request(`${u.pathname}${u.search}`, { method: 'PUT', body: bytes })).status).toBe(200);
    expect((await t.json('PATCH', `${API}/media/${mediaId}`, { body: { uploadedAt: T, uploadHttpStatus: 200, uploadHttpError: null, uploadTimeMs: 3 } })).status).toBe(204);
    await expectValid('GET', `${API}/media/${mediaId}`, `${API}/media/{mediaId}`);
  });

  it('score configs, GET /v3/scores, comments and annotation queues', async () => {
    const SC = `${API}/score-configs`;
    const numeric = (await expectValid('POST', SC, SC, 200, { name: 'contract-range', dataType: 'NUMERIC', minValue: 0, maxValue: 1 })) as { id: string };
    await expectValid('POST', SC, SC, 200, { name: 'contract-tone', dataType: 'CATEGORICAL', categories: [{ label: 'a', value: 1 }], description: 'd' });
    await expectValid('POST', SC, SC, 200, { name: 'contract-bool', dataType: 'BOOLEAN' });
    await expectValid('GET', SC, SC);
    await expectValid('GET', `${SC}/${numeric.id}`, `${SC}/{configId}`);
    await expectValid('PATCH', `${SC}/${numeric.id}`, `${SC}/{configId}`, 200, { isArchived: true });
    for (const fields of ['', '?fields=details,subject,annotation']) await expectValid('GET', `${API}/v3/scores${fields}`, `${API}/v3/scores`);
    const paged = (await expectValid('GET', `${API}/v3/scores?limit=1`, `${API}/v3/scores`)) as { meta: { cursor?: string } };
    expect(paged.meta.cursor).toEqual(expect.any(String));

    const C = `${API}/comments`;
    const comment = (await expectValid('POST', C, C, 200, { projectId: t.a.project.id, objectType: 'TRACE', objectId: traceId, content: 'hi' })) as { id: string };
    await expectValid('GET', `${C}?objectType=TRACE&objectId=${traceId}`, C);
    await expectValid('GET', `${C}/${comment.id}`, `${C}/{commentId}`);

    const Q = `${API}/annotation-queues`;
    const queue = (await expectValid('POST', Q, Q, 200, { name: 'contract queue', scoreConfigIds: [numeric.id] })) as { id: string };
    await expectValid('GET', Q, Q);
    await expectValid('GET', `${Q}/${queue.id}`, `${Q}/{queueId}`);
    const item = (await expectValid('POST', `${Q}/${queue.id}/items`, `${Q}/{queueId}/items`, 200, { objectId: traceId, objectType: 'TRACE' })) as { id: string };
    await expectValid('GET', `${Q}/${queue.id}/items`, `${Q}/{queueId}/items`);
    await expectValid('GET', `${Q}/${queue.id}/items/${item.id}`, `${Q}/{queueId}/items/{itemId}`);
    await expectValid('PATCH', `${Q}/${queue.id}/items/${item.id}`, `${Q}/{queueId}/items/{itemId}`, 200, { status: 'COMPLETED' });
    await expectValid('DELETE', `${Q}/${queue.id}/items/${item.id}`, `${Q}/{queueId}/items/{itemId}`);
    await t.storage.accounts.createUser({ id: 'contract-user', email: 'c@example.com', name: null, passwordHash: 'x', createdAt: 1 });
    await t.storage.accounts.setMembership({ projectId: t.a.project.id, userId: 'contract-user', role: 'member', createdAt: 1 });
    await expectValid('POST', `${Q}/${queue.id}/assignments`, `${Q}/{queueId}/assignments`, 200, { userId: 'contract-user' });
    await expectValid('DELETE', `${Q}/${queue.id}/assignments`, `${Q}/{queueId}/assignments`, 200, { userId: 'contract-user' });
  });

  it('LLM connections: PUT, GET and DELETE', async () => {
    const L = `${API}/llm-connections`;
    const conn = (await expectValid('PUT', L, L, 200, { provider: 'contract', adapter: 'openai', secretKey: 'sk-contract-1234', baseURL: 'http://127.0.0.1:1/v1', extraHeaders: { 'x-a': 'b' } })) as { id: string };
    await expectValid('PUT', L, L, 200, { provider: 'contract-anthropic', adapter: 'anthropic', secretKey: 'sk-contract-5678', customModels: ['m'], withDefaultModels: false });
    await expectValid('GET', L, L);
    await expectValid('DELETE', `${L}/${conn.id}`, `${L}/{id}`);
  });

  it('unstable evaluators and evaluation rules: POST, GET, PATCH and DELETE', async () => {
    const E = `${API}/unstable/evaluators`;
    const R = `${API}/unstable/evaluation-rules`;
    await t.json('PUT', `${API}/llm-connections`, { body: { provider: 'contract-judge', adapter: 'openai', secretKey: 'sk-contract-9999', baseURL: 'http://127.0.0.1:1/v1', customModels: ['judge'] } });
    const outputs = [
      { dataType: 'NUMERIC', reasoning: { description: 'why' }, score: { description: '0..1', minValue: 0, maxValue: 1 } },
      { dataType: 'BOOLEAN', reasoning: { description: 'why' }, score: { description: 'true if fine' } },
      { dataType: 'CATEGORICAL', reasoning: { description: 'why' }, score: { description: 'label', categories: ['a', 'b'], shouldAllowMultipleMatches: false } },
    ];
    const created: { id: string; name: string }[] = [];
    for (const [i, outputDefinition] of outputs.entries()) {
      created.push((await expectValid('POST', E, E, 200, { name: `contract-judge-${i}`, type: 'llm_as_judge', prompt: 'Is {{output}} fine for {{input}}?', outputDefinition, modelConfig: { provider: 'contract-judge', model: 'judge' }, mapping: [{ variable: 'input', source: 'input' }] })) as { id: string; name: string });
    }
    await expectValid('GET', E, E);
    await expectValid('GET', `${E}/${created[0].id}`, `${E}/{evaluatorId}`);
    const mapping = [{ variable: 'input', source: 'input' }, { variable: 'output', source: 'output', jsonPath: '$.content' }];
    const rule = (await expectValid('POST', R, R, 200, { name: 'contract rule', evaluator: { name: created[0].name }, target: 'observation', enabled: true, sampling: 0.5, filter: [{ column: 'type', operator: 'any of', value: ['GENERATION'] }], mapping })) as { id: string };
    await expectValid('POST', R, R, 200, { name: 'contract experiment rule', evaluators: [{ evaluator: { name: created[1].name }, mapping }], target: 'experiment', enabled: false });
    await expectValid('GET', R, R);
    await expectValid('GET', `${R}/${rule.id}`, `${R}/{evaluationRuleId}`);
    await expectValid('PATCH', `${R}/${rule.id}`, `${R}/{evaluationRuleId}`, 200, { enabled: false });
    await expectValid('DELETE', `${R}/${rule.id}`, `${R}/{evaluationRuleId}`);
    await expectValid('DELETE', `${E}/${created[2].id}`, `${E}/{evaluatorId}`);
  });

  it('the validator catches drift: a missing required field, a wrong type, an unexpected null', async () => {
    const trace = (await t.json('GET', `${API}/traces/${traceId}`)).body as Record<string, unknown>;
    const { id: _id, ...withoutId } = trace;
    expect(check('GET', `${API}/traces/{traceId}`, 200, withoutId).join()).toContain("must have required property 'id'");
    expect(check('GET', `${API}/traces/{traceId}`, 200, { ...trace, public: 'yes' }).join()).toContain('/public must be boolean');
    expect(check('GET', `${API}/traces/{traceId}`, 200, { ...trace, tags: null }).join()).toContain('/tags must be array');
    expect(check('GET', `${API}/traces/{traceId}`, 200, { ...trace, timestamp: 'yesterday' }).join()).toContain('must match format "date-time"');
  });

  it('GET /docs: a server-rendered reference page, without auth, escaped, with no scripts or external assets', async () => {
    const res = await t.request('GET', `${API}/docs`, { auth: null });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/html');
    const html = await res.text();
    expect(html).toContain('GET /api/public/traces/{traceId}');
    expect(html).toContain('POST /api/public/ingestion');
    expect(html).toContain('<code>userId</code>'); // a parameter of GET /traces
    expect(html).toContain('<code>htmlPath</code>'); // a response field of GET /traces/{traceId}
    // The upstream descriptions contain markup-like text (`toStartTime=<to>`); it is shown, not parsed.
    expect(html).toContain('&lt;to&gt;');
    expect(html).not.toContain('<to>');
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//i);
  });

  it('the served /openapi.json is the generated document, without auth', async () => {
    const res = await t.json('GET', `${API}/openapi.json`, { auth: null });
    expect(res.status).toBe(200);
    const generated = JSON.parse(readFileSync(new URL('../../packages/server/src/http/openapi.json', import.meta.url), 'utf8'));
    expect(res.body).toEqual(generated);
    // Every path in it is one the spec has, with the same response schemas.
    const spec = parse(readFileSync(SPEC_PATH, 'utf8'), { maxAliasCount: -1 }) as { paths: Record<string, Record<string, unknown>> };
    for (const [path, ops] of Object.entries(res.body.paths as Record<string, Record<string, unknown>>)) {
      for (const [method, op] of Object.entries(ops)) expect(op, `${method} ${path}`).toEqual(spec.paths[path][method]);
    }
  });

  it('packages/server/src/http/openapi.json is up to date with the upstream spec', () => {
    // Exits 1 with a message when the committed JSON differs from what the script generates now.
    const out = execFileSync(process.execPath, ['scripts/build-openapi.mjs', '--check', SPEC_PATH], { cwd: REPO_ROOT, encoding: 'utf8' });
    expect(out).toContain('up to date');
  });
});
