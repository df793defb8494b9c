import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildIfStale, PARTS, type BuildPart } from '../scripts/build-if-stale.mjs';

// `npm start` runs scripts/build-if-stale.mjs before serving. Here it drives two stand-in parts
// in a temporary tree whose "compiler" copies src/ into dist/ and notes each run in a log.

const ROOT = fileURLToPath(new URL('..', import.meta.url));

let root: string;
const quiet = () => {};

/** A part that copies `<name>/src/main.txt` to `<name>/dist/main.txt` (exit 1 if src says "fail"). */
function part(name: string): BuildPart {
  const script = `const fs = require('node:fs');
const src = fs.readFileSync('${name}/src/main.txt', 'utf8');
fs.appendFileSync('runs.log', '${name}\\n');
if (src === 'fail') process.exit(1);
fs.mkdirSync('${name}/dist', { recursive: true });
fs.writeFileSync('${name}/dist/main.txt', src);`;
  return { name, inputs: [name], outputs: [`${name}/dist`], required: [`${name}/dist/main.txt`], command: [process.execPath, '-e', script] };
}

const parts = () => [part('lib'), part('ui')];
const build = (options: { check?: boolean } = {}) => buildIfStale({ root, parts: parts(), log: quiet, ...options });
const runs = () => (existsSync(join(root, 'runs.log')) ? readFileSync(join(root, 'runs.log'), 'utf8').trim().split('\n') : []);
const write = (file: string, text: string) => writeFileSync(join(root, file), text);

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'sightline-build-if-stale-'));
  for (const name of ['lib', 'ui']) {
    mkdirSync(join(root, name, 'src'), { recursive: true });
    write(`${name}/src/main.txt`, `${name} v1`);
  }
});

afterEach(() => {
  rmSync(root, { recursive: true, force: true });
});

describe('build-if-stale', () => {
  it('builds everything the first time and nothing the second', () => {
    expect(build()).toEqual(['lib', 'ui']);
    expect(build()).toEqual([]);
    expect(runs()).toEqual(['lib', 'ui']);
    expect(readFileSync(join(root, 'ui/dist/main.txt'), 'utf8')).toBe('ui v1');
  });

  it('rebuilds only the part whose sources changed, and not for a touch that changes no content', () => {
    build();
    write('ui/src/main.txt', 'ui v2');
    expect(build()).toEqual(['ui']);
    expect(readFileSync(join(root, 'ui/dist/main.txt'), 'utf8')).toBe('ui v2');
    utimesSync(join(root, 'lib/src/main.txt'), new Date(), new Date(Date.now() + 60_000));
    expect(build()).toEqual([]);
    expect(runs()).toEqual(['lib', 'ui', 'ui']);
  });

  it('rebuilds a part whose output is missing or was rewritten since its build', () => {
    build();
    rmSync(join(root, 'lib/dist'), { recursive: true });
    expect(build()).toEqual(['lib']);
    write('ui/dist/main.txt', 'written by some other build');
    expect(build()).toEqual(['ui']);
    expect(readFileSync(join(root, 'ui/dist/main.txt'), 'utf8')).toBe('ui v1');
  });

  it('throws when a build fails, and tries again next time', () => {
    write('lib/src/main.txt', 'fail');
    expect(() => build()).toThrow(/building lib failed/);
    write('lib/src/main.txt', 'lib v2');
    expect(build()).toEqual(['lib', 'ui']);
    expect(build()).toEqual([]);
  });

  it('with check, says what is stale without building it', () => {
    expect(build({ check: true })).toEqual(['lib', 'ui']);
    expect(runs()).toEqual([]);
    build();
    expect(build({ check: true })).toEqual([]);
  });

  it("names inputs and outputs that exist in this repository's build", () => {
    expect(PARTS.map((p) => p.name)).toEqual(['packages', 'web']);
    for (const p of PARTS) {
      for (const input of p.inputs) expect(existsSync(join(ROOT, input)), input).toBe(true);
      for (const output of p.required) expect(p.outputs.some((o) => output.startsWith(`${o}/`)), output).toBe(true);
    }
  });
});
