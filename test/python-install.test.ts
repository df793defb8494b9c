import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { runCommand } from './support/run-command.js';

// `pip install ./clients/python` into a fresh virtual environment with no package index at all:
// the build backend is the standard-library one in clients/python/build_backend, so nothing has
// to be downloaded.

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const PIP_ENV = { PIP_DISABLE_PIP_VERSION_CHECK: '1', PIP_NO_INPUT: '1', PYTHONDONTWRITEBYTECODE: '1' };

let work: string;
let python: string;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'sightline-pip-'));
  const venv = await runCommand('python3', ['-m', 'venv', join(work, 'venv')], { cwd: work });
  expect(venv.code, venv.output).toBe(0);
  python = join(work, 'venv', 'bin', 'python');
}, 120_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

it('installs with pip from the repository path, offline, and imports from anywhere', async () => {
  const install = await runCommand(python, ['-m', 'pip', 'install', '--no-index', '--no-cache-dir', './clients/python'], { cwd: ROOT, env: PIP_ENV });
  expect(install.code, install.output).toBe(0);
  expect(install.output).toMatch(/Successfully installed sightline-client-0\.1\.0/);
  // The build leaves nothing behind in the source tree.
  expect(existsSync(join(ROOT, 'clients/python/build'))).toBe(false);

  // Run from the temporary folder, so the import cannot come from the repository checkout.
  const script = [
    'import json, sightline, sightline.client',
    'from sightline import CreateTraceRequest',
    'from sightline.resources.trace.types.create_trace_request import CreateTraceRequest as Deep',
    'from importlib.metadata import version',
    'print(json.dumps({"file": sightline.__file__, "version": version("sightline-client"), "same": Deep is CreateTraceRequest, "client": callable(sightline.client.Sightline)}))',
  ].join('\n');
  const run = await runCommand(python, ['-c', script], { cwd: work, env: PIP_ENV });
  expect(run.code, run.output).toBe(0);
  const found = JSON.parse(run.stdout) as { file: string; version: string; same: boolean; client: boolean };
  expect(found.file.startsWith(join(work, 'venv'))).toBe(true);
  expect(found).toMatchObject({ version: '0.1.0', same: true, client: true });
}, 180_000);
