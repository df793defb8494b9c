// Media end to end with the official clients against a live server: the v3 SDK uploads data
// URIs and LangfuseMedia objects found in inputs/outputs, the v5 OTel span processor does the
// same for span attributes; both leave `@@@langfuseMedia:…@@@` references in the stored trace,
// and the SDKs' own resolvers read the bytes back through GET /media/{id} and its signed URL.
import { randomUUID } from 'node:crypto';
import { Langfuse, LangfuseMedia } from 'langfuse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalS3, type LocalS3 } from '../../packages/server/src/testing/s3rver.js';
import { createPgTestDatabase, type PgTestDatabase } from '../support/index.js';
import { PUBLIC_KEY, SECRET_KEY, useLiveServer } from './live-server.js';
import { runApp } from './run-app.js';

const PNG_BASE64 = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';
const IMAGE = `data:image/png;base64,${PNG_BASE64}`;
const AUDIO = `data:audio/wav;base64,${Buffer.from('RIFF fake wav bytes for the test').toString('base64')}`;
const PDF = Buffer.from('%PDF-1.4 a tiny test document');
const REFERENCE = /^@@@langfuseMedia:type=([^|]+)\|id=([^|]+)\|source=([^@]+)@@@$/;

// Files with SQLite (the one-command set-up); a bucket with PostgreSQL (the several-instances one).
describe.each(['files', 's3'] as const)('media through the official SDKs (blobs in %s)', (blobs) => {
  let s3: LocalS3 | undefined;
  let db: PgTestDatabase | undefined;
  beforeAll(async () => {
    if (blobs === 's3') [s3, db] = await Promise.all([startLocalS3(), createPgTestDatabase()]);
  });
  afterAll(async () => {
    await s3?.close();
    await db?.drop();
  });
  const server = useLiveServer({ env: () => s3?.env ?? {}, databaseUrl: () => db?.url });

  /** The bytes behind a stored reference, fetched as a client would: GET /media/{id}, then its URL without keys. */
  async function bytesOf(reference: unknown): Promise<{ type: string; bytes: Buffer }> {
    const m = REFERENCE.exec(String(reference));
    expect(m, `a media reference, got ${JSON.stringify(reference)}`).not.toBeNull();
    const record = await server().get(`media/${m![2]}`);
    expect(record.contentType).toBe(m![1]);
    const res = await fetch(record.url);
    expect(res.status).toBe(200);
    return { type: record.contentType, bytes: Buffer.from(await res.arrayBuffer()) };
  }

  it('v3: data URIs and LangfuseMedia in input/output become references (one record for the same bytes on two traces), and resolveMediaReferences gives the bytes back', async () => {
    const { url, get } = server();
    const errors: unknown[] = [];
    const langfuse = new Langfuse({ publicKey: PUBLIC_KEY, secretKey: SECRET_KEY, baseUrl: url });
    langfuse.on('error', (e: unknown) => errors.push(e));
    const traceId = randomUUID();
    const trace = langfuse.trace({ id: traceId, name: 'vision', input: { prompt: 'describe', image: IMAGE } });
    trace.generation({
      name: 'llm',
      input: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: IMAGE } }] }],
      output: { report: new LangfuseMedia({ contentBytes: PDF, contentType: 'application/pdf' }) },
    });
    // The same image on a second trace: the server already has it, so no second upload.
    const second = randomUUID();
    langfuse.trace({ id: second, name: 'vision-again', input: { image: IMAGE } });
    await langfuse.flushAsync();
    expect(errors).toEqual([]);

    // A 207 means committed and readable: no waiting.
    const stored = await get(`traces/${traceId}`);
    expect(stored.input.prompt).toBe('describe');
    const image = await bytesOf(stored.input.image);
    expect(image).toEqual({ type: 'image/png', bytes: Buffer.from(PNG_BASE64, 'base64') });
    const gen = stored.observations[0];
    expect(gen.input[0].content[0].image_url.url).toBe(stored.input.image);
    expect(await bytesOf(gen.output.report)).toEqual({ type: 'application/pdf', bytes: PDF });
    expect((await get(`traces/${second}`)).input.image).toBe(stored.input.image);

    const resolved = await LangfuseMedia.resolveMediaReferences({ obj: { input: stored.input, output: gen.output }, langfuseClient: langfuse, resolveWith: 'base64DataUri' });
    expect(resolved.input.image).toBe(IMAGE);
    expect(resolved.output.report).toBe(`data:application/pdf;base64,${PDF.toString('base64')}`);
    if (s3) expect(s3.objects().filter((k) => k.startsWith('media/'))).toHaveLength(2);
    await langfuse.shutdownAsync();
  });

  it('v5: @langfuse/otel uploads data URIs in span and trace attributes; @langfuse/client resolves the references', async () => {
    const { url, get } = server();
    const out = await runApp<{ traceId: string; stored: { input: { image: string }; output: { speech: string } }; resolved: { input: { image: string }; output: { speech: string } } }>(
      'langfuse-v5-media.mjs',
      { BASE_URL: url, PUBLIC_KEY, SECRET_KEY, IMAGE_DATA_URI: IMAGE, AUDIO_DATA_URI: AUDIO },
    );
    expect(out.stored.input.image).toMatch(/^@@@langfuseMedia:type=image\/png\|id=.{22}\|source=base64_data_uri@@@$/);
    expect(out.resolved.input.image).toBe(IMAGE);
    expect(out.resolved.output.speech).toBe(AUDIO);
    const trace = await get(`traces/${out.traceId}`);
    expect(await bytesOf(trace.input.image)).toEqual({ type: 'image/png', bytes: Buffer.from(PNG_BASE64, 'base64') });
    expect(await bytesOf(trace.observations[0].input.image)).toEqual({ type: 'image/png', bytes: Buffer.from(PNG_BASE64, 'base64') });
  });
});
