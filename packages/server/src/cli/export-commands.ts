import { createWriteStream } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { EXPORT_FREQUENCIES, type ExportFrequency, type ExportSchedule, type Storage } from '@sightline/storage';
import { createBlobStoreFromEnv } from '../blobs/create-blob-store.js';
import { encodeExport } from '../exports/encode-export.js';
import { exportFilters, exportTraceParams } from '../exports/export-params.js';
import { runScheduledExport } from '../exports/scheduled-export.js';
import { nextRunAfter } from '../exports/schedule-times.js';
import { filteredTracePages } from '../exports/trace-pages.js';
import { traceDocuments } from '../exports/trace-documents.js';
import { createLogger } from '../logger.js';
import { parseWith } from '../query/parse-params.js';
import type { CliArgs } from './args.js';

type Print = (line: string) => void;

/** A project by id or by name (`--project`), required. */
export async function projectByIdOrName(storage: Storage, given: string | undefined): Promise<string> {
  if (!given) throw new Error('--project: required (a project id or name; see `sightline projects list`)');
  if (await storage.projects.get(given)) return given;
  const byName = (await storage.projects.list()).filter((p) => p.name === given);
  if (byName.length === 1) return byName[0].id;
  throw new Error(byName.length > 1 ? `--project: several projects are named ${given}; give the id` : `--project: no project with id or name ${given}`);
}

/** Reports rows done / total on stderr: rewritten in place on a terminal, a line per 10 000 rows otherwise; `finish` ends it. */
function progressLine(total: number) {
  const tty = process.stderr.isTTY;
  let done = 0;
  let printed = -1;
  const line = () => `exported ${done} / ${total} traces`;
  return {
    update(n: number) {
      done = n;
      if (tty) process.stderr.write(`\r${line()}`);
      else if (done - printed >= 10_000) {
        process.stderr.write(`${line()}\n`);
        printed = done;
      }
    },
    finish(): number {
      if (tty) process.stderr.write(`\r${line()}\n`);
      else if (printed !== done) process.stderr.write(`${line()}\n`);
      return done;
    },
  };
}

/** The CLI flag of each export parameter, so errors name what the user typed. */
const FLAG_OF: Record<string, string> = {
  format: '--format', fromTimestamp: '--from-timestamp', toTimestamp: '--to-timestamp', userId: '--user-id', sessionId: '--session-id', name: '--name',
  tags: '--tag', environment: '--environment', release: '--release', version: '--trace-version',
};

/** `sightline export`: the project's filtered traces as JSONL or CSV to `--out` or stdout, read straight from storage. */
export async function exportCommand(storage: Storage, args: CliArgs, print: Print): Promise<void> {
  const projectId = await projectByIdOrName(storage, args.project);
  let params;
  try {
    params = parseWith(exportTraceParams, {
      format: args.format, fromTimestamp: args.fromTimestamp, toTimestamp: args.toTimestamp, userId: args.userId, sessionId: args.sessionId, name: args.name,
      tags: args.tags, environment: args.environments, release: args.release, version: args.traceVersion,
    });
  } catch (err) {
    if (err instanceof Error) err.message = err.message.replace(/(^|; )(\w+)(?=[:[])/g, (_m, sep: string, field: string) => sep + (FLAG_OF[field] ?? field));
    throw err;
  }
  const filters = exportFilters(params);
  const total = await storage.traces.countFiltered(projectId, filters);
  const progress = progressLine(total);
  const chunks = encodeExport(traceDocuments(storage, projectId, filteredTracePages(storage, projectId, filters)), params.format, progress.update);
  const started = performance.now();
  await pipeline(Readable.from(chunks), args.out ? createWriteStream(args.out, { flags: 'wx' }) : process.stdout);
  const done = progress.finish();
  const seconds = (performance.now() - started) / 1000;
  if (args.out) print(`exported ${done} traces to ${args.out} in ${seconds.toFixed(1)} s`);
}

function describeSchedule(s: ExportSchedule): string {
  const last = s.lastRunAt === null ? 'never run' : `last run ${new Date(s.lastRunAt).toISOString()} ${s.lastStatus}${s.lastError ? ` (${s.lastError})` : ''}, ${s.lastTraceCount ?? 0} traces`;
  return `${s.projectId}\t${s.enabled ? s.frequency : 'disabled'}\t${s.formats.join(',')}\tnext ${new Date(s.nextRunAt).toISOString()}\t${last}`;
}

/** `sightline exports show|schedule|run|remove`: a project's scheduled export to the blob store. */
export async function exportsCommand(storage: Storage, sub: string | undefined, args: CliArgs, print: Print, dataDir: string): Promise<void> {
  const projectId = await projectByIdOrName(storage, args.project);
  const now = Date.now();
  switch (sub) {
    case 'show': {
      const s = await storage.exports.get(projectId);
      return print(s ? describeSchedule(s) : `no scheduled export for ${projectId}`);
    }
    case 'schedule': {
      const frequency = (args.frequency ?? 'daily') as ExportFrequency;
      if (!EXPORT_FREQUENCIES.includes(frequency)) throw new Error(`--frequency: must be one of ${EXPORT_FREQUENCIES.join(', ')}`);
      const s = await storage.exports.put(projectId, { frequency, formats: args.csv ? ['jsonl', 'csv'] : ['jsonl'], enabled: !args.disable }, nextRunAfter(frequency, now), now);
      return print(describeSchedule(s));
    }
    case 'run': {
      if (!(await storage.exports.get(projectId))) throw new Error(`no scheduled export for ${projectId}; create one with \`sightline exports schedule\``);
      // SIGHTLINE_EXPORT_SETTLE_MS: how far behind now the window ends (default one minute; see scheduled-export.ts).
      const settle = process.env.SIGHTLINE_EXPORT_SETTLE_MS;
      const settleMs = settle ? Number(settle) : undefined;
      if (settleMs !== undefined && !(Number.isSafeInteger(settleMs) && settleMs >= 0)) throw new Error(`SIGHTLINE_EXPORT_SETTLE_MS: must be an integer >= 0, got ${settle}`);
      const deps = { storage, blobs: createBlobStoreFromEnv(process.env, dataDir), logger: createLogger({ silent: true }), settleMs };
      const outcome = await runScheduledExport(deps, projectId, { force: true });
      if (!outcome) throw new Error('another instance is running this export right now');
      return print(outcome.objectKeys.length === 0 ? 'nothing changed since the last run; no object written' : `${outcome.traceCount} traces written to ${outcome.objectKeys.join(', ')}`);
    }
    case 'remove':
      return print((await storage.exports.delete(projectId)) ? `removed the scheduled export of ${projectId}` : `no scheduled export for ${projectId}`);
    default:
      throw new Error('exports: one of show, schedule, run, remove is required');
  }
}
