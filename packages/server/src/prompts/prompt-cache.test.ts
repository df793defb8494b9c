import type { PromptStore } from '@sightline/storage';
import { openTestStorage, type Engine, type TestStorage } from '@sightline/storage/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createProject } from '../admin/projects.js';
import { createPromptCache } from './prompt-cache.js';

describe.each<Engine>(['sqlite', 'postgres'])('prompt cache on %s', (engine) => {
  let s: TestStorage;
  let projectId = '';
  beforeAll(async () => {
    s = await openTestStorage(engine);
    projectId = (await createProject(s.storage, 'cache')).id;
  });
  afterAll(async () => s?.close());

  it('reads a prompt once while the project is unchanged, and again after any write', async () => {
    const prompts = s.storage.prompts;
    let reads = 0;
    const counting: PromptStore = { ...prompts, get: (...args) => (reads++, prompts.get(...args)) };
    const cache = createPromptCache({ store: counting });
    const serve = () => cache.serve(projectId, 'p', async (get) => (await get('p', { label: 'production' }))?.version ?? null);
    const now = Date.now();
    const version = (labels: string[]) => ({ id: crypto.randomUUID(), projectId, name: 'p', type: 'text' as const, prompt: 'x', config: {}, labels, tags: null, commitMessage: null, createdBy: 'API', createdAt: now });

    expect(await serve()).toBeNull();
    await prompts.create(version(['production']));
    expect(await serve()).toBe(1);
    expect(await serve()).toBe(1);
    expect(reads).toBe(2);
    await prompts.create(version([]));
    await prompts.addLabels(projectId, 'p', 2, ['production'], now);
    expect(await serve()).toBe(2);
    expect(await serve()).toBe(2);
    expect(reads).toBe(3);
  });

  it('shares revision reads between concurrent fetches, and never gives a fetch a read that started before it', async () => {
    let revision = 1;
    const pending: { resolve: (n: number) => void; startedAt: number }[] = [];
    const held: PromptStore = { ...s.storage.prompts, revision: () => new Promise<number>((resolve) => pending.push({ resolve, startedAt: revision })) };
    const cache = createPromptCache({ store: held });
    const fetchRevision = (key: string) => cache.serve(projectId, key, async () => key);

    const nextTurn = () => new Promise((r) => setImmediate(r));
    const first = [fetchRevision('a'), fetchRevision('a2')]; // one read for both, sent on the next turn
    expect(pending).toHaveLength(0);
    await nextTurn();
    expect(pending).toHaveLength(1); // read 1 runs
    revision = 2; // a write commits while read 1 runs
    const later = [fetchRevision('b'), fetchRevision('c'), fetchRevision('d')]; // arrive after the write: must wait for read 2
    await nextTurn();
    expect(pending).toHaveLength(1);
    pending[0].resolve(1);
    await Promise.all(first);
    await nextTurn();
    expect(pending).toHaveLength(2); // one read shared by the three later fetches
    expect(pending[1].startedAt).toBe(2);
    pending[1].resolve(2);
    await Promise.all(later);
    expect(pending).toHaveLength(2);
  });
});
