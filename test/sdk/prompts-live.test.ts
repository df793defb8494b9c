import { ChatPromptClient, Sightline, TextPromptClient, type SightlineError } from '@sightline/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keys, startLiveServer, type LiveServer } from './support/live-server.js';

// The SDK's prompt calls against a real server: create, fetch by label and version, compile,
// move labels, and generations linked to the prompt version they were made from.

let server: LiveServer;
beforeAll(async () => {
  server = await startLiveServer();
});
afterAll(async () => {
  await server?.stop();
});

describe('prompts through the SDK against a live server', () => {
  it('creates text and chat prompts, fetches them by label and version, compiles them and moves labels', async () => {
    const errors: SightlineError[] = [];
    const sightline = new Sightline({ ...keys, baseUrl: server.url, onError: (e) => errors.push(e) });
    const name = `folder/greet-${crypto.randomUUID().slice(0, 8)}`;
    const v1 = await sightline.createPrompt({ name, prompt: 'Hi {{name}}', labels: ['production'], config: { model: 'gpt-4o' }, tags: ['sdk'] });
    expect(v1).toBeInstanceOf(TextPromptClient);
    expect(v1).toMatchObject({ name, version: 1, isFallback: false, config: { model: 'gpt-4o' }, tags: ['sdk'] });
    const v2 = await sightline.createPrompt({ name, prompt: 'Hello {{name}} from {{place}}', labels: ['staging'], commitMessage: 'friendlier' });
    expect(v2.version).toBe(2);

    const production = await sightline.getPrompt(name);
    expect(production).toMatchObject({ version: 1, labels: ['production'], tags: ['sdk'] });
    expect(production.compile({ name: 'Ada' })).toBe('Hi Ada');
    const staging = await sightline.getPrompt(name, undefined, { label: 'staging' });
    expect(staging.compile({ name: 'Ada', place: 'Paris' })).toBe('Hello Ada from Paris');
    expect((await sightline.getPrompt(name, 2)).commitMessage).toBe('friendlier');

    // Promoting v2 drops this process's cached versions of the name: the next fetch sees it.
    await sightline.updatePrompt({ name, version: 2, newLabels: ['production'] });
    expect((await sightline.getPrompt(name)).version).toBe(2);
    // Another process still serves its cached copy until its TTL passes.
    const clock = { ms: 0 };
    const other = new Sightline({ ...keys, baseUrl: server.url, now: () => clock.ms });
    expect((await other.getPrompt(name)).version).toBe(2);
    await sightline.updatePrompt({ name, version: 1, newLabels: ['production'] });
    expect((await other.getPrompt(name)).version).toBe(2);
    clock.ms += 60_001;
    expect((await other.getPrompt(name)).version).toBe(2); // stale, refreshing in the background
    await expect.poll(async () => (await other.getPrompt(name)).version).toBe(1);

    const chatName = `support-${crypto.randomUUID().slice(0, 8)}`;
    await sightline.createPrompt({
      name: chatName, type: 'chat', labels: ['production'],
      prompt: [{ role: 'system', content: 'You help with {{product}}.' }, { type: 'placeholder', name: 'history' }, { role: 'user', content: '{{question}}' }],
    });
    const chat = await sightline.getPrompt(chatName, undefined, { type: 'chat' });
    expect(chat).toBeInstanceOf(ChatPromptClient);
    expect(chat.compile({ product: 'Sightline', question: 'How?' }, { history: [{ role: 'assistant', content: 'Hi' }] })).toEqual([
      { role: 'system', content: 'You help with Sightline.' },
      { role: 'assistant', content: 'Hi' },
      { role: 'user', content: 'How?' },
    ]);

    await expect(sightline.getPrompt('does-not-exist', undefined, { maxRetries: 0 })).rejects.toThrow(/Prompt not found: 'does-not-exist'/);
    const fallback = await sightline.getPrompt('does-not-exist', undefined, { fallback: 'Default {{x}}' });
    expect(fallback).toMatchObject({ isFallback: true, version: 0 });
    await expect(sightline.createPrompt({ name, type: 'chat', prompt: [{ role: 'system', content: 'x' }] })).rejects.toMatchObject({ status: 400 });
    await sightline.shutdown();
    await other.shutdown();
    expect(errors).toEqual([]);
  });

  it('links generations created from a prompt to its name and version, but not from a fallback', async () => {
    const sightline = new Sightline({ ...keys, baseUrl: server.url });
    const name = `linked-${crypto.randomUUID().slice(0, 8)}`;
    await sightline.createPrompt({ name, prompt: 'Q: {{q}}', labels: ['production'] });
    await sightline.createPrompt({ name, prompt: 'Question: {{q}}', labels: ['production'] });
    const prompt = await sightline.getPrompt(name);
    const fallback = await sightline.getPrompt(`${name}-missing`, undefined, { fallback: 'Q: {{q}}', maxRetries: 0 });
    const trace = sightline.trace({ name: 'prompted' });
    const gen = trace.generation({ name: 'from-prompt', prompt, input: prompt.compile({ q: 'why' }) });
    gen.end({ output: 'because' });
    const viaFallback = trace.generation({ name: 'from-fallback', prompt: fallback });
    viaFallback.end();
    const top = sightline.generation({ traceId: trace.id, name: 'top-level', prompt });
    top.end();
    expect(await sightline.shutdown()).toBe(true);

    const read = async (id: string) => server.client.observations.get(id);
    // The link names the stored version: its id is the observation's promptId.
    const stored = await fetch(`${server.url}/api/public/v2/prompts/${encodeURIComponent(name)}?version=2`, {
      headers: { authorization: `Basic ${Buffer.from(`${keys.publicKey}:${keys.secretKey}`).toString('base64')}` },
    });
    const { id: promptId } = (await stored.json()) as { id: string };
    expect(promptId).toEqual(expect.any(String));
    expect(await read(gen.id)).toMatchObject({ promptName: name, promptVersion: 2, promptId, input: 'Question: why' });
    expect(await read(top.id)).toMatchObject({ promptName: name, promptVersion: 2, promptId });
    const unlinked = await read(viaFallback.id);
    expect(unlinked.promptName ?? null).toBeNull();
    expect(unlinked.promptVersion ?? null).toBeNull();
    expect(unlinked.promptId ?? null).toBeNull();
  });
});
