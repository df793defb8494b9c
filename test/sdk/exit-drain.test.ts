import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { startStub, type Stub } from './support/stub-server.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
let stub: Stub | undefined;
afterEach(async () => {
  await stub?.close();
  stub = undefined;
});

/** Runs a tiny host program on the built SDK that traces once and never calls flush/shutdown. */
function runHost(baseUrl: string): Promise<{ code: number | null; ms: number; output: string }> {
  const program = `
    import { Sightline } from '@sightline/sdk';
    const sightline = new Sightline({ publicKey: 'pk-lf-test', secretKey: 'sk-lf-test', baseUrl: ${JSON.stringify(baseUrl)}, onError: () => {} });
    sightline.trace({ name: 'at-exit' }).span({ name: 'work' }).end();
  `;
  const started = Date.now();
  const child = spawn(process.execPath, ['--input-type=module', '-e', program], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr.on('data', (c: Buffer) => (output += c.toString()));
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, ms: Date.now() - started, output })));
}

describe('exit drain (Node entry, built package)', () => {
  it('a host that never flushes still delivers its events before exiting', async () => {
    stub = await startStub();
    const { code, output } = await runHost(stub.url);
    expect(output).toBe('');
    expect(code).toBe(0);
    expect(stub.events().map((e) => e.type)).toEqual(['trace-create', 'span-create', 'span-update']);
  });

  it('with the server down, the host still exits on its own (the drain is bounded)', async () => {
    const { code, ms } = await runHost('http://127.0.0.1:9');
    expect(code).toBe(0);
    expect(ms).toBeLessThan(30_000);
  });
});
