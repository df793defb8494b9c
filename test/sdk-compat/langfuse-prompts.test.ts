// Prompt management with the official SDKs against a live server: `langfuse` v3 in-process and
// @langfuse/client v5 as an application; what they wrote is read back through the public API.
import { Langfuse } from 'langfuse';
import { describe, expect, it } from 'vitest';
import { PUBLIC_KEY, SECRET_KEY, useLiveServer } from './live-server.js';
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
});
