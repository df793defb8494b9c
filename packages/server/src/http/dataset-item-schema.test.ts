import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type Engine, type TestApp } from '../testing/test-app.js';

const INPUT_SCHEMA = { type: 'object', properties: { question: { type: 'string', minLength: 1 } }, required: ['question'] };
const OUTPUT_SCHEMA = { type: 'string', maxLength: 5 };

describe.each<Engine>(['sqlite', 'postgres'])('dataset item schemas on %s', (engine) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(engine);
  });
  afterAll(async () => t?.close());

  const post = (path: string, body: unknown) => t.json('POST', path, { body });

  it('accepts items that match the schemas and refuses the others with a 400 naming the field and the rule', async () => {
    expect((await post('/api/public/v2/datasets', { name: 'typed', inputSchema: INPUT_SCHEMA, expectedOutputSchema: OUTPUT_SCHEMA })).status).toBe(200);
    const good = await post('/api/public/dataset-items', { datasetName: 'typed', id: 'good', input: { question: 'why?' }, expectedOutput: 'yes' });
    expect(good.status).toBe(200);

    const missing = await post('/api/public/dataset-items', { datasetName: 'typed', input: { prompt: 'x' } });
    expect(missing.status).toBe(400);
    expect(missing.body.message).toContain("input: must have required property 'question'");
    expect(missing.body.message).toContain("rule 'required'");

    const wrongType = await post('/api/public/dataset-items', { datasetName: 'typed', input: { question: 42 } });
    expect(wrongType.status).toBe(400);
    expect(wrongType.body.message).toContain('input/question: must be string');
    expect(wrongType.body.message).toContain("rule 'type' at #/properties/question/type");

    const tooLong = await post('/api/public/dataset-items', { datasetName: 'typed', input: { question: 'q' }, expectedOutput: 'far too long' });
    expect(tooLong.status).toBe(400);
    expect(tooLong.body.message).toContain('expectedOutput: must NOT have more than 5 characters');

    // An update that leaves the checked fields out keeps the stored (valid) values.
    expect((await post('/api/public/dataset-items', { datasetName: 'typed', id: 'good', status: 'ARCHIVED' })).status).toBe(200);
    const list = await t.json('GET', '/api/public/dataset-items?datasetName=typed');
    expect(list.body.data).toEqual([]);
  });

  it('refuses an invalid schema at dataset creation, and a schema that existing items do not match', async () => {
    const invalid = await post('/api/public/v2/datasets', { name: 'bad-schema', inputSchema: { type: 'no-such-type' } });
    expect(invalid.status).toBe(400);
    expect(invalid.body.message).toContain('inputSchema: is not a valid JSON Schema');
    const notSchema = await post('/api/public/datasets', { name: 'bad-schema', expectedOutputSchema: 'string' });
    expect(notSchema.status).toBe(400);
    expect(notSchema.body.message).toContain('expectedOutputSchema: must be a JSON Schema');
    expect((await t.json('GET', '/api/public/v2/datasets/bad-schema')).status).toBe(404);

    expect((await post('/api/public/v2/datasets', { name: 'loose' })).status).toBe(200);
    expect((await post('/api/public/dataset-items', { datasetName: 'loose', id: 'loose-1', input: 'plain text' })).status).toBe(200);
    const tightened = await post('/api/public/v2/datasets', { name: 'loose', inputSchema: INPUT_SCHEMA });
    expect(tightened.status).toBe(400);
    expect(tightened.body.message).toContain("existing item 'loose-1'");
    expect(tightened.body.message).toContain('input: must be object');
    expect((await t.json('GET', '/api/public/v2/datasets/loose')).body.inputSchema).toBeNull();
    expect((await post('/api/public/v2/datasets', { name: 'loose', inputSchema: { type: 'string' } })).status).toBe(200);
    expect((await post('/api/public/dataset-items', { datasetName: 'loose', input: { not: 'a string' } })).status).toBe(400);
  });

  it('checks only the project’s own dataset schema', async () => {
    expect((await t.json('POST', '/api/public/v2/datasets', { body: { name: 'shared-name', inputSchema: { type: 'number' } }, auth: t.b.auth })).status).toBe(200);
    expect((await post('/api/public/v2/datasets', { name: 'shared-name' })).status).toBe(200);
    expect((await post('/api/public/dataset-items', { datasetName: 'shared-name', input: 'text is fine here' })).status).toBe(200);
    expect((await t.json('POST', '/api/public/dataset-items', { body: { datasetName: 'shared-name', input: 'text' }, auth: t.b.auth })).status).toBe(400);
  });
});
