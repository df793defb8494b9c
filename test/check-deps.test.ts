import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

const script = fileURLToPath(new URL('../scripts/check-deps.mjs', import.meta.url));
const roots: string[] = [];

/** Writes a fixture tree (`{ 'packages/core/src/index.ts': '…' }`) into a fresh temp dir. */
function fixture(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'check-deps-'));
  roots.push(root);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

const manifest = (name: string, deps: string[] = []) =>
  JSON.stringify({ name: `@sightline/${name}`, type: 'module', dependencies: Object.fromEntries(deps.map((d) => [`@sightline/${d}`, '0.1.0'])) });

/** A tree that follows every rule, including a type-only cycle (erased at runtime, so allowed). */
const cleanTree = (): Record<string, string> => ({
  'packages/core/package.json': manifest('core'),
  'packages/core/src/index.ts': "export * from './a.js';\nexport { helper } from './util/index.js';\n",
  'packages/core/src/a.ts': "import type { B } from './b.js';\nexport interface A { b?: B }\nexport const a = 1;\n",
  'packages/core/src/b.ts': "import { type A } from './a.js';\nexport interface B { a?: A }\n",
  'packages/core/src/util/index.ts': 'export const helper = () => 1;\n',
  'packages/storage/package.json': manifest('storage', ['core']),
  'packages/storage/src/index.ts': "import { a } from '@sightline/core';\nexport const s = a;\n",
  'packages/server/package.json': manifest('server', ['core', 'storage']),
  'packages/server/src/main.ts': "import { s } from '@sightline/storage';\nexport const run = async () => (await import('./lazy.js')).x + s;\n",
  'packages/server/src/lazy.ts': 'export const x = 2;\n',
});

function run(root: string) {
  const result = spawnSync(process.execPath, [script, root], { encoding: 'utf8' });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

afterEach(() => {
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
});

describe('scripts/check-deps.mjs', () => {
  it('passes a clean tree with a one-line summary', () => {
    const { status, output } = run(fixture(cleanTree()));
    expect(output).toMatch(/^check-deps: OK/);
    expect(output.trim().split('\n')).toHaveLength(1);
    expect(status).toBe(0);
  });

  it('reports a core → storage import with file and line', () => {
    const tree = cleanTree();
    tree['packages/core/src/a.ts'] += "import { s } from '@sightline/storage';\nexport const t = s;\n";
    const { status, output } = run(fixture(tree));
    expect(status).toBe(1);
    expect(output).toContain('packages/core/src/a.ts:4: @sightline/core must not import @sightline/storage');
  });

  it('reports a value-import cycle between files', () => {
    const tree = cleanTree();
    tree['packages/server/src/lazy.ts'] = "import { run } from './main.js';\nexport const x = 2;\nexport const again = run;\n";
    const { status, output } = run(fixture(tree));
    expect(status).toBe(1);
    expect(output).toMatch(/file import cycle: packages\/server\/src\/lazy\.ts:1 → packages\/server\/src\/main\.ts:2 → packages\/server\/src\/lazy\.ts/);
  });

  it('reports undeclared packages, web → server (dynamic import) and package cycles', () => {
    const tree = cleanTree();
    tree['packages/web/package.json'] = manifest('web', ['core']);
    tree['packages/web/src/app.ts'] = "export const load = () => import('@sightline/server');\n";
    tree['packages/storage/src/extra.ts'] = "export * from '@sightline/server';\n";
    const { status, output } = run(fixture(tree));
    expect(status).toBe(1);
    expect(output).toContain('packages/web/src/app.ts:1: @sightline/web must never import @sightline/server');
    expect(output).toContain('packages/web/src/app.ts:1: imports @sightline/server, which is not declared in packages/web/package.json');
    expect(output).toContain('packages/storage/src/extra.ts:1: @sightline/storage must not import @sightline/server');
    expect(output).toMatch(/package import cycle: @sightline\/server → @sightline\/storage .*@sightline\/storage → @sightline\/server/);
  });

  it("lets web import types, and only types, from the server's api-types module (a devDependency)", () => {
    const tree = cleanTree();
    const web = JSON.parse(manifest('web', ['core'])) as Record<string, unknown>;
    tree['packages/web/package.json'] = JSON.stringify({ ...web, devDependencies: { '@sightline/server': '0.1.0' } });
    tree['packages/web/src/types.ts'] = "export type { TraceRow } from '@sightline/server/api-types';\n";
    tree['packages/web/src/page.ts'] = "import type { TraceRow } from '@sightline/server/api-types';\nexport const rows: TraceRow[] = [];\n";
    expect(run(fixture(tree))).toMatchObject({ status: 0, output: expect.stringMatching(/^check-deps: OK/) });

    tree['packages/web/src/value.ts'] = "import { TraceRow } from '@sightline/server/api-types';\nexport const r = TraceRow;\n";
    tree['packages/web/src/other.ts'] = "import type { App } from '@sightline/server';\nexport type A = App;\n";
    tree['packages/web/src/deep.ts'] = "import type { X } from '@sightline/server/ui/api-types';\nexport type Y = X;\n";
    const { status, output } = run(fixture(tree));
    expect(status).toBe(1);
    expect(output).toContain('packages/web/src/value.ts:1: @sightline/web may import only types from @sightline/server/api-types');
    expect(output).toContain('packages/web/src/value.ts:1: imports @sightline/server, which is not declared in packages/web/package.json');
    expect(output).toContain('packages/web/src/other.ts:1: @sightline/web must never import @sightline/server');
    expect(output).toContain('packages/web/src/deep.ts:1: @sightline/web must never import @sightline/server');
  });
});
