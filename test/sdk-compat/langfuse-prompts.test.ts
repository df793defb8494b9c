// Prompt management with the official SDKs against a live server: `langfuse` v3 in-process and
// @langfuse/client v5 as an application; what they wrote is read back through the public API.
import { Langfuse } from 'langfuse';
import { describe, expect, it } from 'vitest';
import { PUBLIC_KEY, SECRET_KEY, useLiveServer, type LiveServer } from './live-server.js';
import { runApp } from './run-app.js';

describe('prompts through the official SDKs', () => {
  const server = useLiveServer();

  it('langfuse v3: createPrompt, getPrompt by label and version, compile text and chat, updatePrompt, fallback', async () => {
    const { url, get } = server();
    const langfuse = new Langfuse({ publicKey: PUBLIC_KEY, secretKey: SECRET_KEY, baseUrl: url });

    const v1 = await langfuse.createPrompt({ name: 'movie-critic', prompt: 'As a {{level}} critic, rate {{movie}}.', labels: ['production'], tags: ['movies'], config: { model: 'gpt-4o' } });
    expect(v1).toMatchObject({ name: 'movie-critic', version: 1, labels: ['production', 'latest'], tags: ['movies'], config: { model: 'gpt-4o' } });
    await langfuse.createPrompt({ name: 'movie-critic', prompt: 'You are a {{level}} critic. Rate {{movie}}.', labels: ['staging'], commitMessage: 'reworded' });

    const production = await langfuse.getPrompt('movie-critic', undefined, { cacheTtlSeconds: 0 });
    expect(production.version).toBe(1);
    expect(production.compile({ level: 'expert', movie: 'Dune' })).toBe('As a expert critic, rate Dune.');
    const staging = await langfuse.getPrompt('movie-critic', undefined, { label: 'staging', cacheTtlSeconds: 0 });
    expect(staging).toMatchObject({ version: 2, commitMessage: 'reworded', tags: ['movies'] });
    expect((await langfuse.getPrompt('movie-critic', 2, { cacheTtlSeconds: 0 })).compile({ level: 'casual', movie: 'Up' })).toBe('You are a casual critic. Rate Up.');

    await langfuse.updatePrompt({ name: 'movie-critic', version: 2, newLabels: ['production'] });
    expect((await langfuse.getPrompt('movie-critic', undefined, { cacheTtlSeconds: 0 })).version).toBe(2);

    await langfuse.createPrompt({
      name: 'chat-critic',
      type: 'chat',
      prompt: [{ role: 'system', content: 'You review {{genre}} films.' }, { type: 'placeholder', name: 'history' } as never],
      labels: ['production'],
    });
    const chat = await langfuse.getPrompt('chat-critic', undefined, { type: 'chat', cacheTtlSeconds: 0 });
    expect(chat.compile({ genre: 'horror' }, { history: [{ role: 'user', content: 'Alien?' }] })).toEqual([
      { role: 'system', content: 'You review horror films.' },
      { role: 'user', content: 'Alien?' },
    ]);

    const fallback = await langfuse.getPrompt('not-there', undefined, { fallback: 'default {{x}}', maxRetries: 0 });
    expect(fallback.isFallback).toBe(true);
    expect(fallback.compile({ x: 'text' })).toBe('default text');
    await langfuse.shutdownAsync();

    const listed = await get('v2/prompts?name=movie-critic');
    expect(listed.data).toEqual([expect.objectContaining({ name: 'movie-critic', versions: [1, 2], labels: ['production', 'staging', 'latest'], tags: ['movies'] })]);
  });

  it('@langfuse/client v5: prompt.create/get/update/delete and getTraceUrl', async () => {
    const { url, get } = server();
    const out = await runApp<Record<string, unknown>>('langfuse-client-prompts.mjs', { PUBLIC_KEY, SECRET_KEY, BASE_URL: url });
    const project = (await get('projects')).data[0];
    expect(out).toEqual({
      created: { version: 1, labels: ['production', 'latest'], tags: ['v5'], config: { model: 'gpt-4o' } },
      beforeMove: { version: 1, text: 'Hi Ada' },
      updated: { version: 2, labels: ['production', 'latest'] },
      afterMove: { version: 2, text: 'Hello Ada', commitMessage: 'friendlier' },
      first: { version: 1, labels: [] },
      chat: [{ role: 'system', content: 'Be brief' }, { role: 'user', content: 'hi' }],
      deletedStatus: 404,
      traceUrl: `${url}/project/${project.id}/traces/trace-1`,
    });
    expect((await get(`v2/prompts/${encodeURIComponent('support/v5-greeting')}?label=latest`)).version).toBe(2);
  });

  it('langfuse v3: trace.generation({ prompt }) links the generation to the prompt version it was made from', async () => {
    const { url, get } = server();
    const langfuse = new Langfuse({ publicKey: PUBLIC_KEY, secretKey: SECRET_KEY, baseUrl: url });
    await langfuse.createPrompt({ name: 'v3-linked', prompt: 'Summarise {{text}}', labels: ['production'] });
    await langfuse.createPrompt({ name: 'v3-linked', prompt: 'Briefly summarise {{text}}', labels: ['staging'] });
    const production = await langfuse.getPrompt('v3-linked', undefined, { cacheTtlSeconds: 0 });
    const staging = await langfuse.getPrompt('v3-linked', undefined, { label: 'staging', cacheTtlSeconds: 0 });
    const fallback = await langfuse.getPrompt('v3-not-there', undefined, { fallback: 'x', maxRetries: 0 });

    const trace = langfuse.trace({ name: 'linked' });
    const first = trace.generation({ name: 'first', prompt: production, input: production.compile({ text: 'a' }) });
    first.end();
    const second = trace.generation({ name: 'second' });
    second.update({ prompt: staging });
    second.end();
    const third = trace.generation({ name: 'third', prompt: fallback });
    third.end();
    await langfuse.shutdownAsync();

    await expectLinked(get, first.id, 'v3-linked', production.version);
    await expectLinked(get, second.id, 'v3-linked', staging.version);
    // A fallback prompt names no stored version: no link.
    expect(await get(`observations/${third.id}`)).toMatchObject({ promptId: null, promptName: null, promptVersion: null });
  });

  it('@langfuse/tracing v5: a generation given a prompt (at start or through updateActiveObservation) links to it over OTLP', async () => {
    const { url, get } = server();
    const out = await runApp<{ atStart: string; updated: string; withFallback: string; productionVersion: number; stagingVersion: number; fallbackIsFallback: boolean }>(
      'langfuse-v5-prompt-link.mjs',
      { PUBLIC_KEY, SECRET_KEY, BASE_URL: url },
    );
    expect(out).toMatchObject({ productionVersion: 1, stagingVersion: 2, fallbackIsFallback: true });
    await expectLinked(get, out.atStart, 'v5-linked', 1);
    await expectLinked(get, out.updated, 'v5-linked', 2);
    expect(await get(`observations/${out.withFallback}`)).toMatchObject({ promptId: null, promptName: null, promptVersion: null });
  });
});

/** The observation reads back with promptName/promptVersion and the id of that stored prompt version. */
async function expectLinked(get: LiveServer['get'], observationId: string, name: string, version: number): Promise<void> {
  const stored = await get(`v2/prompts/${encodeURIComponent(name)}?version=${version}`);
  const observation = await get(`observations/${observationId}`);
  expect(observation).toMatchObject({ type: 'GENERATION', promptName: name, promptVersion: version, promptId: stored.id });
  expect(typeof stored.id).toBe('string');
  const v2 = await get(`v2/observations?traceId=${observation.traceId}&fields=core,prompt`);
  expect(v2.data.find((o: { id: string }) => o.id === observationId)).toMatchObject({ promptId: stored.id, promptName: name, promptVersion: version });
}
