import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCommand } from '../support/run-command.js';
import { PUBLIC_KEY, SECRET_KEY, startLiveServer, type LiveServer } from './support/live-server.js';

// What a user of the published SDK gets: `npm pack` of the built package, installed offline into
// a project outside the repository, used from plain ESM and from TypeScript, and the README's
// quick start run against a live server.

const SDK_DIR = fileURLToPath(new URL('../../packages/sdk/', import.meta.url));
const TSC = fileURLToPath(new URL('../../node_modules/typescript/bin/tsc', import.meta.url));

let work: string;
let project: string;
let files: string[];
let server: LiveServer;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'sightline-sdk-pack-'));
  // --ignore-scripts: pack what `npm run build` left in dist instead of rebuilding inside the repo.
  const pack = await runCommand('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', work], { cwd: SDK_DIR });
  expect(pack.code, pack.output).toBe(0);
  const [info] = JSON.parse(pack.stdout) as { filename: string; files: { path: string }[] }[];
  files = info.files.map((f) => f.path);

  project = join(work, 'app');
  mkdirSync(project);
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'app', private: true, type: 'module' }));
  const install = await runCommand('npm', ['install', '--offline', '--no-audit', '--no-fund', join(work, info.filename)], { cwd: project });
  expect(install.code, install.output).toBe(0);

  server = await startLiveServer();
}, 120_000);

afterAll(async () => {
  await server?.stop();
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('the @sightline/sdk tarball', () => {
  it('holds the built code and its type declarations, no tests, and installs with nothing else', () => {
    expect(files).toEqual(expect.arrayContaining(['package.json', 'README.md', 'dist/index.js', 'dist/index.d.ts', 'dist/web.js', 'dist/web.d.ts']));
    expect(files.filter((f) => f.endsWith('.test.ts') || f.endsWith('.test.js') || f.endsWith('.tsbuildinfo'))).toEqual([]);
    const manifest = JSON.parse(readFileSync(join(project, 'node_modules/@sightline/sdk/package.json'), 'utf8')) as Record<string, unknown>;
    expect(manifest.private).toBeUndefined();
    expect(manifest.dependencies).toBeUndefined();
    expect(readdirSync(join(project, 'node_modules')).filter((n) => !n.startsWith('.'))).toEqual(['@sightline']);
  });

  it('imports from plain ESM, both entry points', async () => {
    writeFileSync(
      join(project, 'esm.mjs'),
      `import * as sdk from '@sightline/sdk';
import * as web from '@sightline/sdk/web';
console.log(JSON.stringify([typeof sdk.Sightline, typeof sdk.observe, typeof sdk.SightlineClient, typeof web.Sightline]));
`,
    );
    const result = await runCommand(process.execPath, ['esm.mjs'], { cwd: project });
    expect(result.code, result.output).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual(['function', 'function', 'function', 'function']);
  });

  it('type-checks through its declarations (wrong use is an error, so the types are real)', async () => {
    writeFileSync(
      join(project, 'check.ts'),
      `import { Sightline, SightlineClient, type SightlineOptions } from '@sightline/sdk';
import { Sightline as WebSightline } from '@sightline/sdk/web';
const options: SightlineOptions = { baseUrl: 'http://127.0.0.1:3000', publicKey: 'pk-lf-1', secretKey: 'sk-lf-1' };
const sightline = new Sightline(options);
sightline.trace({ name: 'chat' }).generation({ name: 'llm', model: 'gpt-4o' }).end({ usage: { input: 1, output: 2 } });
const done: Promise<boolean> = sightline.shutdown();
// @ts-expect-error flushAt is a number
new WebSightline({ flushAt: 'soon' });
const client = new SightlineClient({ baseUrl: 'http://127.0.0.1:3000', publicKey: 'pk-lf-1', secretKey: 'sk-lf-1' });
export { client, done };
`,
    );
    // No @types/node in this project: the declarations must stand on their own.
    writeFileSync(
      join(project, 'tsconfig.json'),
      JSON.stringify({ compilerOptions: { strict: true, module: 'nodenext', moduleResolution: 'nodenext', target: 'es2022', types: [], skipLibCheck: false, noEmit: true }, files: ['check.ts'] }),
    );
    const result = await runCommand(process.execPath, [TSC, '-p', '.'], { cwd: project });
    expect(result.code, result.output).toBe(0);
  });

  it("runs its README's quick start against a live server", async () => {
    const readme = readFileSync(join(SDK_DIR, 'README.md'), 'utf8');
    const quickStart = /## Quick start\s+```ts\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(quickStart, 'a ```ts block under "## Quick start"').toBeDefined();
    // Keys and host come from the environment instead of the placeholders; the snippet's free
    // variables get small values.
    const body = quickStart!.replace(/new Sightline\(\{[^}]*\}\)/, 'new Sightline()');
    const prelude = `const question = 'What is Sightline?';
const docs = ['Sightline is an observability server'];
const messages = [{ role: 'user', content: question }];
const reply = 'An observability server.';
`;
    writeFileSync(join(project, 'quick-start.mjs'), prelude + body);
    const result = await runCommand(process.execPath, ['quick-start.mjs'], {
      cwd: project,
      env: { SIGHTLINE_HOST: server.url, SIGHTLINE_PUBLIC_KEY: PUBLIC_KEY, SIGHTLINE_SECRET_KEY: SECRET_KEY },
    });
    expect(result.code, result.output).toBe(0);

    const list = await server.client.traces.list({ name: 'chat' });
    expect(list.data).toHaveLength(1);
    const trace = await server.client.traces.get(list.data[0].id);
    expect(trace).toMatchObject({ userId: 'u1', sessionId: 's1', tags: ['beta'], output: 'An observability server.' });
    expect(trace.observations.map((o) => o.name).sort()).toEqual(['llm', 'retrieve']);
    expect(trace.observations.find((o) => o.name === 'llm')).toMatchObject({ type: 'GENERATION', model: 'gpt-4o', usage: { input: 10, output: 5, total: 15 } });
    expect(trace.scores).toEqual([expect.objectContaining({ name: 'quality', value: 0.9 })]);
  });
});
