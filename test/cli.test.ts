import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { basic, runCli, startServer, type ServerProcess } from './support/index.js';

const dirs: string[] = [];
const running: ServerProcess[] = [];
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'sightline-cli-'));
  dirs.push(d);
  return d;
};

afterEach(async () => {
  for (const s of running.splice(0)) {
    s.child.kill('SIGKILL');
    await s.exited;
  }
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function ingestTrace(url: string, auth: string, id: string) {
  const res = await fetch(`${url}/api/public/ingestion`, {
    method: 'POST',
    headers: { authorization: auth, 'content-type': 'application/json' },
    body: JSON.stringify({ batch: [{ id: `e-${id}`, type: 'trace-create', timestamp: new Date().toISOString(), body: { id, name: 'cli' } }] }),
  });
  return { status: res.status, body: (await res.json()) as { successes: unknown[]; errors: unknown[] } };
}

describe('sightline CLI', () => {
  it('creates a default project and prints its key pair once, on first start only', async () => {
    const dir = tempDir();
    const first = await startServer({ dataDir: dir });
    running.push(first);
    const pk = /LANGFUSE_PUBLIC_KEY=(\S+)/.exec(first.output())?.[1];
    const sk = /LANGFUSE_SECRET_KEY=(\S+)/.exec(first.output())?.[1];
    expect(pk).toMatch(/^pk-lf-/);
    expect(sk).toMatch(/^sk-lf-/);
    expect((await ingestTrace(first.url, basic(pk!, sk!), 't1')).status).toBe(207);
    first.child.kill('SIGTERM');
    expect((await first.exited).code).toBe(0);
    running.pop();

    const second = await startServer({ dataDir: dir });
    running.push(second);
    expect(second.output()).not.toContain('LANGFUSE_SECRET_KEY');
    const res = await fetch(`${second.url}/api/public/traces/t1`, { headers: { authorization: basic(pk!, sk!) } });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { name: string }).name).toBe('cli');
  });

  it.each([
    ['SIGHTLINE_INIT_PUBLIC_KEY', 'SIGHTLINE_INIT_SECRET_KEY'],
    ['LANGFUSE_INIT_PROJECT_PUBLIC_KEY', 'LANGFUSE_INIT_PROJECT_SECRET_KEY'],
  ])('uses a fixed key pair from %s', async (pkVar, skVar) => {
    const server = await startServer({ dataDir: tempDir(), env: { [pkVar]: 'pk-lf-fixed', [skVar]: 'sk-lf-fixed-secret' } });
    running.push(server);
    const ok = await ingestTrace(server.url, basic('pk-lf-fixed', 'sk-lf-fixed-secret'), 't');
    expect(ok).toMatchObject({ status: 207, body: { errors: [] } });
    expect((await ingestTrace(server.url, basic('pk-lf-fixed', 'wrong'), 't')).status).toBe(401);
  });

  it('manages projects and keys from the shell; revoked keys stop working; secrets stay out of listings and logs', async () => {
    const dir = tempDir();
    const env = { SIGHTLINE_DATA_DIR: dir };
    const created = await runCli(['projects', 'create', 'shop'], env);
    expect(created.code).toBe(0);
    const projectId = created.stdout.split('\t')[0];
    expect((await runCli(['projects', 'list'], env)).stdout).toContain(`${projectId}\tshop`);

    const key = await runCli(['keys', 'create', '--project', projectId, '--note', 'ci'], env);
    expect(key.code).toBe(0);
    const pk = /public key: (\S+)/.exec(key.stdout)![1];
    const sk = /secret key: (\S+)/.exec(key.stdout)![1];
    const listed = await runCli(['keys', 'list'], env);
    expect(listed.stdout).toContain(pk);
    expect(listed.stdout).not.toContain(sk);

    const server = await startServer({ env });
    running.push(server);
    expect(server.output()).not.toContain('LANGFUSE_SECRET_KEY'); // a project exists: nothing is bootstrapped
    expect((await ingestTrace(server.url, basic(pk, sk), 'x')).status).toBe(207);
    expect((await ingestTrace(server.url, basic(pk, `${sk}-wrong`), 'y')).status).toBe(401);
    server.child.kill('SIGTERM');
    await server.exited;
    running.pop();
    expect(server.output()).not.toContain(sk);

    expect((await runCli(['keys', 'revoke', pk], env)).code).toBe(0);
    expect((await runCli(['keys', 'revoke', pk], env)).code).toBe(1);
    const again = await startServer({ env });
    running.push(again);
    expect((await ingestTrace(again.url, basic(pk, sk), 'z')).status).toBe(401);
  });

  it('refuses an invalid port and an unknown command with a clear message', async () => {
    const bad = await runCli(['serve', '--port', 'abc', '--data-dir', tempDir()]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('--port');
    const unknown = await runCli(['frobnicate']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('unknown command "frobnicate"');
  });
});
