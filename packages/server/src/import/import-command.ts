import type { Storage } from '@sightline/storage';
import type { CliArgs } from '../cli/args.js';
import { importFile } from './import-file.js';
import { runImport, type ImportSummary } from './run-import.js';
import { createSourceClient } from './source-client.js';

/** The target project: `--project` as an id or a name, else the first project. */
async function targetProject(storage: Storage, given: string | undefined): Promise<string> {
  const projects = await storage.projects.list();
  if (given) {
    const hit = projects.find((p) => p.id === given) ?? projects.find((p) => p.name === given);
    if (!hit) throw new Error(`--project: no project with the id or name "${given}"`);
    return hit.id;
  }
  if (!projects[0]) throw new Error('no project exists yet; run `sightline projects create <name>` first');
  return projects[0].id;
}

function positiveInt(flag: string, v: string | undefined, max: number): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1 || n > max) throw new Error(`${flag}: must be an integer 1..${max}, got ${v}`);
  return n;
}

/**
 * `sightline import`: from a server (`--from`) or a JSONL file (`--file`) into a project of this
 * installation. Progress goes to stderr, the summary to stdout. SIGHTLINE_IMPORT_FAIL_AFTER_PAGES
 * interrupts the run after that many pages (how the tests simulate a kill at a page boundary).
 */
export async function importCommand(args: CliArgs, storage: Storage, dataDir: string, env: NodeJS.ProcessEnv, out: (line: string) => void): Promise<void> {
  const log = (line: string) => process.stderr.write(`${line}\n`);
  const failAfterPages = positiveInt('SIGHTLINE_IMPORT_FAIL_AFTER_PAGES', env.SIGHTLINE_IMPORT_FAIL_AFTER_PAGES || undefined, 1e9);
  const projectId = await targetProject(storage, args.project);
  const started = performance.now();
  let summary: ImportSummary;
  let from: string;
  if (args.file !== undefined) {
    if (args.from !== undefined) throw new Error('import: give either --from or --file, not both');
    from = args.file;
    summary = await importFile({ file: args.file, storage, projectId, dataDir, pageSize: positiveInt('--page-size', args.pageSize, 10_000), log, failAfterPages });
  } else {
    const url = args.from ?? env.LANGFUSE_HOST ?? env.LANGFUSE_BASEURL;
    const publicKey = args.publicKey ?? env.LANGFUSE_PUBLIC_KEY;
    const secretKey = args.secretKey ?? env.LANGFUSE_SECRET_KEY;
    if (!url) throw new Error('import: --from <url> (or --file <export.jsonl>) is required');
    if (!publicKey || !secretKey) throw new Error('import: --public-key and --secret-key (or LANGFUSE_PUBLIC_KEY and LANGFUSE_SECRET_KEY) are required');
    const source = createSourceClient({ baseUrl: url, publicKey, secretKey });
    from = source.baseUrl;
    summary = await runImport({
      source, storage, projectId, dataDir, fromTimestamp: args.fromTimestamp, toTimestamp: args.toTimestamp,
      pageSize: positiveInt('--page-size', args.pageSize, 100), log, failAfterPages,
    });
  }
  for (const w of summary.warnings) log(`import: warning: ${w}`);
  for (const r of summary.rejected.slice(0, 20)) log(`import: refused ${r}`);
  if (summary.rejected.length > 20) log(`import: … and ${summary.rejected.length - 20} more refused`);
  const seconds = (performance.now() - started) / 1000;
  out(
    `imported ${summary.traces} traces (${summary.rows} rows: traces, observations and scores), ${summary.prompts} prompt versions, ` +
      `${summary.datasetRows} dataset items and run items from ${from} into project ${projectId} in ${seconds.toFixed(1)} s` +
      (summary.rejected.length > 0 ? `; ${summary.rejected.length} entities refused (see stderr)` : ''),
  );
}
