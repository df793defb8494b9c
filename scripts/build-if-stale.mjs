// `npm start`'s prestart: build only what changed since the last build this script ran.
//
// Each part of the build (the TypeScript packages, the web UI) has a stamp in
// node_modules/.cache/sightline-build/: a hash of its inputs' contents and a fingerprint (path,
// size, mtime) of its outputs, both taken right after it last built. A part is rebuilt when its
// inputs hash differently, when an output is missing, or when its outputs changed since (another
// build wrote them, maybe from other sources). Contents rather than mtimes decide for the inputs,
// so a branch switch that restores the built sources costs nothing. `npm ci` empties
// node_modules, and with it the stamps: a fresh clone always builds.
//
//   node scripts/build-if-stale.mjs            build the stale parts
//   node scripts/build-if-stale.mjs --check    only say which parts are stale (exit 1 if any)
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** How `npm` itself was started, so the child uses the same npm (and works without a shell). */
const npm = (...args) => (process.env.npm_execpath ? [process.execPath, process.env.npm_execpath, ...args] : ['npm', ...args]);

/** The build, in order. Paths are relative to the repository root; folders are walked. */
export const PARTS = [
  {
    name: 'packages',
    inputs: ['packages/core', 'packages/storage', 'packages/server', 'packages/sdk', 'tsconfig.json', 'tsconfig.base.json', 'package-lock.json'],
    outputs: ['packages/core/dist', 'packages/storage/dist', 'packages/server/dist', 'packages/sdk/dist'],
    required: ['packages/server/dist/cli/main.js'],
    command: [process.execPath, join(ROOT, 'node_modules/typescript/bin/tsc'), '-b'],
  },
  {
    // The UI may import types from the server and core packages: their sources count as inputs.
    name: 'web',
    inputs: ['packages/web', 'packages/server/src', 'packages/core/src', 'package-lock.json'],
    outputs: ['packages/web/dist'],
    required: ['packages/web/dist/index.html'],
    command: npm('run', 'build', '-w', '@sightline/web'),
  },
];

/** Never inputs: build outputs, installed packages, caches, and tests (no part builds them). */
const skipped = (name) => name === 'node_modules' || name === 'dist' || name.endsWith('.tsbuildinfo') || /\.test\.tsx?$/.test(name);

function files(root, path, skip) {
  const full = join(root, path);
  if (!existsSync(full)) return [];
  if (!statSync(full).isDirectory()) return [path];
  return readdirSync(full)
    .filter((name) => !skip(name))
    .sort()
    .flatMap((name) => files(root, `${path}/${name}`, skip));
}

function inputsHash(root, part) {
  const hash = createHash('sha256').update(JSON.stringify([part.name, part.inputs, part.outputs]));
  for (const file of part.inputs.flatMap((p) => files(root, p, skipped))) {
    hash.update(`\0${file}\0`).update(readFileSync(join(root, file)));
  }
  return hash.digest('hex');
}

function outputsFingerprint(root, part) {
  const hash = createHash('sha256');
  for (const file of part.outputs.flatMap((p) => files(root, p, () => false))) {
    const { size, mtimeMs } = statSync(join(root, file));
    hash.update(`${file}\0${size}\0${mtimeMs}\n`);
  }
  return hash.digest('hex');
}

/**
 * Builds each stale part of `parts` (default: this repository's) under `root`, in order, and
 * stamps it. Returns the names of the parts it built, or with `check` would build. A failed
 * command throws and leaves its part unstamped, so the next run tries again.
 */
export function buildIfStale({ root = ROOT, parts = PARTS, stampDir = join(root, 'node_modules/.cache/sightline-build'), check = false, log = console.log } = {}) {
  const built = [];
  for (const part of parts) {
    const stampFile = join(stampDir, `${part.name}.json`);
    const stamp = existsSync(stampFile) ? JSON.parse(readFileSync(stampFile, 'utf8')) : null;
    const inputs = inputsHash(root, part);
    const current =
      stamp?.inputs === inputs && part.required.every((p) => existsSync(join(root, p))) && stamp.outputs === outputsFingerprint(root, part);
    if (current) continue;
    built.push(part.name);
    if (check) continue;
    log(`build-if-stale: building ${part.name}`);
    const [command, ...args] = part.command;
    const result = spawnSync(command, args, { cwd: root, stdio: 'inherit' });
    if (result.status !== 0) throw new Error(`build-if-stale: building ${part.name} failed (exit ${result.status ?? result.signal})`);
    mkdirSync(stampDir, { recursive: true });
    writeFileSync(stampFile, JSON.stringify({ inputs, outputs: outputsFingerprint(root, part) }) + '\n');
  }
  if (built.length === 0) log('build-if-stale: the build is current');
  return built;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const check = process.argv.includes('--check');
  try {
    const stale = buildIfStale({ check });
    if (check && stale.length > 0) {
      console.log(`build-if-stale: stale: ${stale.join(', ')}`);
      process.exitCode = 1;
    }
  } catch (err) {
    console.error(err instanceof Error ? err.message : err);
    process.exitCode = 1;
  }
}
