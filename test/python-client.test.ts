import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type ServerProcess } from './support/index.js';

// Runs the Python client's unittest suite (clients/python/tests) against a live server started
// from the built CLI. Python 3.9+ with only the standard library is all it needs.

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const PUBLIC_KEY = 'pk-lf-python-client';
const SECRET_KEY = 'sk-lf-python-client-secret';

function run(command: string, args: string[], env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    child.once('error', (err) => reject(new Error(`could not run ${command}: ${err.message}`)));
    child.once('close', (code) => resolve({ code, output }));
  });
}

describe('Python client (clients/python)', () => {
  let server: ServerProcess;
  let dataDir: string;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'sightline-python-'));
    server = await startServer({ dataDir, env: { SIGHTLINE_INIT_PUBLIC_KEY: PUBLIC_KEY, SIGHTLINE_INIT_SECRET_KEY: SECRET_KEY } });
  });

  afterAll(async () => {
    if (server) {
      server.child.kill('SIGTERM');
      await server.exited;
    }
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('passes its unittest suite (the seed document, read-backs, errors, retries, buffered mode) against a live server', async () => {
    const { code, output } = await run('python3', ['-m', 'unittest', 'discover', '-s', 'clients/python/tests', '-v'], {
      SIGHTLINE_HOST: server.url,
      SIGHTLINE_PUBLIC_KEY: PUBLIC_KEY,
      SIGHTLINE_SECRET_KEY: SECRET_KEY,
      PYTHONDONTWRITEBYTECODE: '1',
      PYTHONUNBUFFERED: '1',
    });
    const ran = Number(/^Ran (\d+) tests? in /m.exec(output)?.[1] ?? 0);
    const passed = code === 0 && ran > 0 && /^OK\b/m.test(output);
    if (!passed) console.error(`python3 -m unittest exited with ${code}:\n${output}`);
    expect(code, output).toBe(0);
    expect(ran, `unittest ran no tests:\n${output}`).toBeGreaterThan(0);
    expect(output).toMatch(/^OK\b/m);
  }, 180_000);
});
