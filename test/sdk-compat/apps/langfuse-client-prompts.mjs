// Prompts created, read, relabelled and deleted with the official @langfuse/client v5, plus the
// project lookup behind getTraceUrl(); prints what the SDK returned.
import { LangfuseClient } from '@langfuse/client';

const { BASE_URL, PUBLIC_KEY, SECRET_KEY } = process.env;

const langfuse = new LangfuseClient({ publicKey: PUBLIC_KEY, secretKey: SECRET_KEY, baseUrl: BASE_URL });
const name = 'support/v5-greeting';
const created = await langfuse.prompt.create({ name, prompt: 'Hi {{user}}', labels: ['production'], tags: ['v5'], config: { model: 'gpt-4o' } });
await langfuse.prompt.create({ name, prompt: 'Hello {{user}}', commitMessage: 'friendlier' });
await langfuse.prompt.create({
  name: 'v5-chat',
  type: 'chat',
  prompt: [{ role: 'system', content: 'Be {{tone}}' }, { type: 'placeholder', name: 'history' }],
  labels: ['production'],
});
const beforeMove = await langfuse.prompt.get(name, { cacheTtlSeconds: 0 });
const updated = await langfuse.prompt.update({ name, version: 2, newLabels: ['production'] });
const afterMove = await langfuse.prompt.get(name, { cacheTtlSeconds: 0 });
const first = await langfuse.prompt.get(name, { version: 1, cacheTtlSeconds: 0 });
const chat = await langfuse.prompt.get('v5-chat', { type: 'chat', cacheTtlSeconds: 0 });
await langfuse.prompt.delete(name, { version: 1 });
let deletedStatus = null;
try {
  await langfuse.api.prompts.get(name, { version: 1 });
} catch (err) {
  deletedStatus = err.statusCode;
}
const traceUrl = await langfuse.getTraceUrl('trace-1');
await langfuse.shutdown();

console.log(JSON.stringify({
  created: { version: created.version, labels: created.labels, tags: created.tags, config: created.config },
  beforeMove: { version: beforeMove.version, text: beforeMove.compile({ user: 'Ada' }) },
  updated: { version: updated.version, labels: updated.labels },
  afterMove: { version: afterMove.version, text: afterMove.compile({ user: 'Ada' }), commitMessage: afterMove.commitMessage },
  first: { version: first.version, labels: first.labels },
  chat: chat.compile({ tone: 'brief' }, { history: [{ role: 'user', content: 'hi' }] }),
  deletedStatus,
  traceUrl,
}));
