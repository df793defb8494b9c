import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { basic, runCli, startServer, type ServerProcess } from './support/index.js';

const dataDir = mkdtempSync(join(tmpdir(), 'sightline-cli-retention-'));
const env = { SIGHTLINE_DATA_DIR: dataDir };
let server: ServerProcess | undefined;
afterAll(async () => {
  server?.child.kill('SIGKILL');
  await server?.exited;
  rmSync(dataDir, { recursive: true, force: true });
});

describe('sightline projects retention', () => {
  let projectId = '';

  it('shows, sets and clears a project’s period', async () => {
    projectId = (await runCli(['projects', 'create', 'kept-a-while'], env)).stdout.split('\t')[0];
    expect((await runCli(['projects', 'retention', projectId], env)).stdout).toBe(`${projectId}\toff (kept forever)\n`);
    expect(await runCli(['projects', 'retention', projectId, '30'], env)).toMatchObject({ code: 0, stdout: `${projectId}\t30 days\n` });
    expect((await runCli(['projects', 'retention', projectId], env)).stdout).toBe(`${projectId}\t30 days\n`);
    expect((await runCli(['projects', 'retention', projectId, 'off'], env)).stdout).toBe(`${projectId}\toff (kept forever)\n`);
  });

  it('refuses bad periods and unknown projects, changing nothing', async () => {
    await runCli(['projects', 'retention', projectId, '7'], env);
    for (const days of ['0', '1e9', '2.5']) {
      const res = await runCli(['projects', 'retention', projectId, days], env);
      expect(res.code, days).toBe(1);
      expect(res.stderr).toContain('days: must be a whole number of days from 1 to 36500');
    }
    const negative = await runCli(['projects', 'retention', projectId, '--', '-3'], env);
    expect([negative.code, negative.stderr]).toEqual([1, expect.stringContaining('days: must be a whole number')]);
    expect(await runCli(['projects', 'retention', 'no-such-project', '3'], env)).toMatchObject({ code: 1, stderr: expect.stringContaining('project no-such-project does not exist') });
    expect(await runCli(['projects', 'retention'], env)).toMatchObject({ code: 1, stderr: expect.stringContaining('a project id is required') });
    expect((await runCli(['projects', 'retention', projectId], env)).stdout).toBe(`${projectId}\t7 days\n`);
  });

  it('refuses a bad SIGHTLINE_RETENTION_INTERVAL_MS at start', async () => {
    const res = await runCli(['serve', '--port', '0'], { ...env, SIGHTLINE_RETENTION_INTERVAL_MS: '5' });
    expect(res.code).toBe(1);
    expect(res.stderr).toContain('SIGHTLINE_RETENTION_INTERVAL_MS: must be a whole number of milliseconds from 1000');
  });

  it('serve sweeps in the background: an expired trace goes, a recent one stays', async () => {
    const keys = { SIGHTLINE_INIT_PUBLIC_KEY: 'pk-lf-retention', SIGHTLINE_INIT_SECRET_KEY: 'sk-lf-retention-secret' };
    server = await startServer({ dataDir, env: { ...keys, SIGHTLINE_RETENTION_INTERVAL_MS: '1000' } });
    const auth = basic(keys.SIGHTLINE_INIT_PUBLIC_KEY, keys.SIGHTLINE_INIT_SECRET_KEY);
    const now = Date.now();
    const trace = (id: string, at: number) => ({ id: `e-${id}`, type: 'trace-create', timestamp: new Date(at).toISOString(), body: { id, timestamp: new Date(at).toISOString() } });
    // The init key belongs to the oldest project, the one made by `projects create` above (7 days).
    const res = await fetch(`${server.url}/api/public/ingestion`, {
      method: 'POST',
      headers: { authorization: auth, 'content-type': 'application/json' },
      body: JSON.stringify({ batch: [trace('expired', now - 8 * 86_400_000), trace('recent', now - 6 * 86_400_000)] }),
    });
    expect(res.status).toBe(207);
    const status = async (id: string) => (await fetch(`${server!.url}/api/public/traces/${id}`, { headers: { authorization: auth } })).status;
    await expect.poll(() => status('expired'), { timeout: 20_000, interval: 200 }).toBe(404);
    expect(await status('recent')).toBe(200);
  });
});
