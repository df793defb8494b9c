// Score configs, config-bound scores, comments and annotation queues through the official
// @langfuse/client v5 (its generated API client and its score batcher); prints what it got back.
import { LangfuseClient } from '@langfuse/client';

const { BASE_URL, PUBLIC_KEY, SECRET_KEY, TRACE_ID, PROJECT_ID } = process.env;

const langfuse = new LangfuseClient({ publicKey: PUBLIC_KEY, secretKey: SECRET_KEY, baseUrl: BASE_URL });
const api = langfuse.api;
const statusOf = async (call) => {
  try {
    await call();
    return 200;
  } catch (err) {
    return err.statusCode ?? String(err);
  }
};

const range = await api.scoreConfigs.create({ name: 'accuracy', dataType: 'NUMERIC', minValue: 0, maxValue: 1 });
const tone = await api.scoreConfigs.create({ name: 'tone', dataType: 'CATEGORICAL', categories: [{ label: 'rude', value: 0 }, { label: 'kind', value: 1 }] });
const helpful = await api.scoreConfigs.create({ name: 'helpful', dataType: 'BOOLEAN', description: 'did it help?' });
const listed = await api.scoreConfigs.get({ page: 1, limit: 10 });
const archived = await api.scoreConfigs.update(range.id, { isArchived: true });
const fetched = await api.scoreConfigs.getById(tone.id);
const badConfigStatus = await statusOf(() => api.scoreConfigs.create({ name: 'broken', dataType: 'NUMERIC', minValue: 2, maxValue: 1 }));

langfuse.score.create({ id: 'v5-kind', traceId: TRACE_ID, name: 'anything', value: 'kind', configId: tone.id });
langfuse.score.create({ id: 'v5-meh', traceId: TRACE_ID, name: 'anything', value: 'meh', configId: tone.id });
langfuse.score.create({ id: 'v5-yes', traceId: TRACE_ID, name: 'h', value: 1, configId: helpful.id });
langfuse.score.create({ id: 'v5-archived', traceId: TRACE_ID, name: 'a', value: 0.5, configId: range.id });
await langfuse.score.flush();
const v3 = await api.scoresV3.getManyV3({ traceId: TRACE_ID, fields: 'details' });

const comment = await api.comments.create({ projectId: PROJECT_ID, objectType: 'TRACE', objectId: TRACE_ID, content: 'Looks **right**' });
const comments = await api.comments.get({ objectType: 'TRACE', objectId: TRACE_ID });
const oneComment = await api.comments.getById(comment.id);
const missingObjectStatus = await statusOf(() => api.comments.create({ projectId: PROJECT_ID, objectType: 'TRACE', objectId: 'no-such-trace', content: 'x' }));

const queue = await api.annotationQueues.createQueue({ name: 'weekly review', description: 'prod sample', scoreConfigIds: [tone.id, helpful.id] });
const queues = await api.annotationQueues.listQueues();
const gotQueue = await api.annotationQueues.getQueue(queue.id);
const item = await api.annotationQueues.createQueueItem(queue.id, { objectId: TRACE_ID, objectType: 'TRACE' });
const completed = await api.annotationQueues.updateQueueItem(queue.id, item.id, { status: 'COMPLETED' });
const completedItems = await api.annotationQueues.listQueueItems(queue.id, { status: 'COMPLETED' });
const gotItem = await api.annotationQueues.getQueueItem(queue.id, item.id);
const removed = await api.annotationQueues.deleteQueueItem(queue.id, item.id);
const strangerStatus = await statusOf(() => api.annotationQueues.createQueueAssignment(queue.id, { userId: 'nobody' }));
await langfuse.shutdown();

console.log(JSON.stringify({
  configs: { created: [range.dataType, tone.dataType, helpful.dataType], booleanCategories: helpful.categories, listed: listed.data.map((c) => c.name), total: listed.meta.totalItems },
  archived: archived.isArchived,
  fetched: { name: fetched.name, categories: fetched.categories },
  badConfigStatus,
  v3: v3.data.map((s) => ({ id: s.id, name: s.name, value: s.value, dataType: s.dataType, configId: s.configId })).sort((a, b) => a.id.localeCompare(b.id)),
  ids: { tone: tone.id, helpful: helpful.id },
  comment: { listed: comments.data.map((c) => c.content), one: { objectType: oneComment.objectType, objectId: oneComment.objectId, content: oneComment.content } },
  missingObjectStatus,
  queue: { name: gotQueue.name, scoreConfigIds: gotQueue.scoreConfigIds, listed: queues.data.map((q) => q.name) },
  item: { status: item.status, completed: completed.status, completedAt: typeof completed.completedAt, listed: completedItems.data.map((i) => i.id === item.id), got: gotItem.objectType, removed: removed.success },
  strangerStatus,
}));
