// Score configs, scores bound to them, comments and annotation queues with the official
// @langfuse/client v5 against a live server; what it wrote is read back through the public API.
import { describe, expect, it } from 'vitest';
import { PUBLIC_KEY, SECRET_KEY, useLiveServer } from './live-server.js';
import { runApp } from './run-app.js';

describe('evaluation API through @langfuse/client v5', () => {
  const server = useLiveServer();

  it('score configs, config-bound scores (the invalid ones rejected), v3 scores, comments and annotation queues', async () => {
    const { url, auth, get } = server();
    const traceId = 'eval-trace-1';
    const ingest = await fetch(`${url}/api/public/ingestion`, {
      method: 'POST',
      headers: { authorization: auth, 'content-type': 'application/json' },
      body: JSON.stringify({ batch: [{ id: 'ev-1', type: 'trace-create', timestamp: new Date().toISOString(), body: { id: traceId, name: 'to review' } }] }),
    });
    expect(ingest.status).toBe(207);
    const projectId = (await get('projects')).data[0].id as string;

    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the app prints what the SDK returned; checked by the assertions below
    const out = await runApp<Record<string, any>>('langfuse-client-evaluation.mjs', { PUBLIC_KEY, SECRET_KEY, BASE_URL: url, TRACE_ID: traceId, PROJECT_ID: projectId });
    const { tone, helpful } = out.ids;
    expect(out).toMatchObject({
      configs: { created: ['NUMERIC', 'CATEGORICAL', 'BOOLEAN'], booleanCategories: [{ label: 'True', value: 1 }, { label: 'False', value: 0 }], listed: ['helpful', 'tone', 'accuracy'], total: 3 },
      archived: true,
      fetched: { name: 'tone', categories: [{ label: 'rude', value: 0 }, { label: 'kind', value: 1 }] },
      badConfigStatus: 400,
      // v5-meh (not a category) and v5-archived (archived config) were rejected in the 207.
      v3: [
        { id: 'v5-kind', name: 'tone', value: 'kind', dataType: 'CATEGORICAL', configId: tone },
        { id: 'v5-yes', name: 'helpful', value: true, dataType: 'BOOLEAN', configId: helpful },
      ],
      comment: { listed: ['Looks **right**'], one: { objectType: 'TRACE', objectId: traceId, content: 'Looks **right**' } },
      missingObjectStatus: 404,
      queue: { name: 'weekly review', scoreConfigIds: [tone, helpful], listed: ['weekly review'] },
      item: { status: 'PENDING', completed: 'COMPLETED', completedAt: 'string', listed: [true], got: 'TRACE', removed: true },
      strangerStatus: 400,
    });
    // The categorical score stores its category's value; the rejected ones are not stored at all.
    expect(await get('v2/scores/v5-kind')).toMatchObject({ name: 'tone', value: 1, stringValue: 'kind', configId: tone });
    for (const id of ['v5-meh', 'v5-archived']) {
      expect((await fetch(`${url}/api/public/v2/scores/${id}`, { headers: { authorization: auth } })).status).toBe(404);
    }
  });
});
