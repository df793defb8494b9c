import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openTestStorage, type TestStorage } from '@sightline/storage/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCheckpoint } from './checkpoint.js';
import { runImport } from './run-import.js';
import { createSourceClient } from './source-client.js';

// A source that lists prompts and score configs but has no trace list, as Langfuse v4 answers.
describe('runImport against a source without GET /traces', () => {
  let server: Server;
  let target: TestStorage;
  let dir: string;
  beforeAll(async () => {
    server = createServer((req, res) => {
      const path = new URL(req.url ?? '/', 'http://x').pathname;
      const found = path === '/api/public/projects' || path === '/api/public/v2/prompts' || path === '/api/public/score-configs';
      res.writeHead(found ? 200 : 404, { 'content-type': 'application/json' });
      res.end(JSON.stringify(found ? { data: [], meta: { totalPages: 1 } } : { message: 'Not found' }));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    target = await openTestStorage('sqlite');
    dir = mkdtempSync(join(tmpdir(), 'sightline-import-unit-'));
  });
  afterAll(async () => {
    await new Promise<void>((r) => server.close(() => r()));
    await target.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('fails naming the missing route and what to do instead, keeping the checkpoint for a rerun', async () => {
    const source = createSourceClient({ baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, publicKey: 'pk', secretKey: 'sk', retries: 0 });
    const lines: string[] = [];
    const run = runImport({ source, storage: target.storage, projectId: 'p1', dataDir: dir, log: (l) => lines.push(l) });
    await expect(run).rejects.toThrow(/answered 404: Not found\nThe source has no trace list: Langfuse v4 .* removed GET \/api\/public\/traces/);
    expect(lines).toContain('import: prompt versions 0 (0/s)');
    expect(createCheckpoint(dir, source.baseUrl, 'p1').load()).toMatchObject({ done: ['score-configs', 'prompts'], position: 0 });
  });
});
