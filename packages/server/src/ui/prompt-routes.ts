import { AppError, badRequest, notFound } from '@sightline/core';
import type { PromptSummary, PromptVersion, Storage } from '@sightline/storage';
import type { Context, Hono } from 'hono';
import { z } from 'zod';
import { readJson } from '../http/read-json.js';
import { promptName } from '../prompts/prompt-schema.js';
import { createPromptVersion, parseCreatePromptBody, parseNewLabels } from '../prompts/write-prompt.js';
import { intParam, parseQuery, parseWith, stringParam } from '../query/parse-params.js';
import type { PromptFolderRow, PromptHistoryResponse, PromptListResponse, PromptListRow, PromptVersionResponse, PromptVersionView } from './api-types.js';
import { requireRole, requireUser, roleAtLeast } from './guard.js';
import type { UiEnv } from './ui-env.js';

/** Only admins (and owners) move this label: it is what every client serves by default. */
const PRODUCTION = 'production';
/** Names read per store page while listing (the table shows every prompt of a project). */
const LIST_PAGE = 500;
const MAX_VERSION = 2_147_483_647;

const listQuery = z.object({ folder: z.string().max(1000).optional(), q: z.string().max(500).optional(), label: stringParam, tag: stringParam });
const nameQuery = z.object({ name: promptName });
const deleteQuery = z.object({ name: promptName, version: intParam({ min: 1, max: MAX_VERSION, fallback: 0 }) });
const labelsBody = z.object({ name: promptName, version: z.number().int().min(1).max(MAX_VERSION) });

const promptNotFound = (name: string) => notFound(`Prompt not found: '${name}'`);

/** A 403 unless the member is an admin or owner, when `labels` holds `production`. */
function guardProduction(c: Context<UiEnv>, labels: readonly string[] | undefined): void {
  if (!labels?.includes(PRODUCTION)) return;
  const { role } = c.get('member');
  if (!roleAtLeast(role, 'admin')) {
    throw new AppError(403, 'forbidden', `Only admins and owners may give a version the '${PRODUCTION}' label; you are ${role}`);
  }
}

async function allPrompts(storage: Storage, projectId: string): Promise<PromptSummary[]> {
  const out: PromptSummary[] = [];
  for (let page = 1; ; page++) {
    const { rows } = await storage.prompts.list(projectId, { page, limit: LIST_PAGE });
    out.push(...rows);
    if (rows.length < LIST_PAGE) return out;
  }
}

const row = (s: PromptSummary): PromptListRow => ({
  name: s.name, type: s.type, versionCount: s.versions.length, labels: s.labels, tags: s.tags, lastUpdatedAt: s.lastUpdatedAt,
});

/**
 * The folder's direct children: a name is in a sub-folder when a `/` follows the folder's prefix
 * (`a/b/c` in folder `a` is in sub-folder `a/b`). With a search, every match below the folder, flat.
 */
export function listFolder(all: PromptSummary[], q: { folder?: string; q?: string; label?: string; tag?: string }): PromptListResponse {
  const folder = (q.folder ?? '').replace(/\/+$/, '');
  const prefix = folder ? `${folder}/` : '';
  const needle = q.q?.trim().toLowerCase() ?? '';
  const matching = all.filter(
    (p) => p.name.startsWith(prefix) && (q.label === undefined || p.labels.includes(q.label)) && (q.tag === undefined || p.tags.includes(q.tag)) && p.name.toLowerCase().includes(needle),
  );
  const folders = new Map<string, PromptFolderRow>();
  const prompts: PromptListRow[] = [];
  for (const p of matching) {
    const rest = p.name.slice(prefix.length);
    const slash = rest.indexOf('/');
    if (needle || slash <= 0) {
      prompts.push(row(p));
      continue;
    }
    const path = prefix + rest.slice(0, slash);
    const f = folders.get(path) ?? { path, name: rest.slice(0, slash), promptCount: 0 };
    f.promptCount++;
    folders.set(path, f);
  }
  return {
    folder,
    folders: [...folders.values()],
    prompts,
    allLabels: [...new Set(all.flatMap((p) => p.labels))].sort(),
    allTags: [...new Set(all.flatMap((p) => p.tags))].sort(),
  };
}

/** Prompt management for the UI: viewers read; members create versions and move labels; admins move `production` and delete. */
export function registerPromptUiRoutes(ui: Hono<UiEnv>, storage: Storage): void {
  const prompts = storage.prompts;
  const projectId = (c: Context<UiEnv>) => c.get('member').projectId;

  /** Versions name their creator by user id (as Langfuse does); the UI shows the email. */
  async function view(p: PromptVersion, authors: Map<string, string>): Promise<PromptVersionView> {
    let createdBy = authors.get(p.createdBy);
    if (createdBy === undefined) {
      createdBy = p.createdBy === 'API' ? 'API' : ((await storage.accounts.getUser(p.createdBy))?.email ?? p.createdBy);
      authors.set(p.createdBy, createdBy);
    }
    return {
      id: p.id, version: p.version, type: p.type, prompt: p.prompt as PromptVersionView['prompt'], config: p.config, labels: p.labels,
      commitMessage: p.commitMessage, createdBy, createdAt: p.createdAt, updatedAt: p.updatedAt,
    };
  }

  ui.get('/projects/:projectId/prompts', async (c) => {
    const q = parseQuery(c, listQuery);
    return c.json(listFolder(await allPrompts(storage, projectId(c)), q) satisfies PromptListResponse);
  });

  ui.get('/projects/:projectId/prompts/history', async (c) => {
    const { name } = parseQuery(c, nameQuery);
    const pid = projectId(c);
    const history = await prompts.history(pid, name);
    if (history.length === 0) throw promptNotFound(name);
    const authors = new Map<string, string>();
    const versions: PromptVersionView[] = [];
    for (const p of history) versions.push(await view(p, authors));
    return c.json({ name, type: history[0].type, tags: history[0].tags, versions } satisfies PromptHistoryResponse);
  });

  ui.post('/projects/:projectId/prompts', async (c) => {
    const user = requireUser(c);
    requireRole(c, 'member');
    const body = parseCreatePromptBody(await readJson(c));
    if (body.labels?.includes('latest')) throw badRequest("labels: 'latest' is always on the newest version and cannot be set by hand");
    guardProduction(c, body.labels);
    const created = await createPromptVersion(prompts, projectId(c), body, user.id);
    return c.json({ version: await view(created, new Map()) } satisfies PromptVersionResponse, 201);
  });

  ui.post('/projects/:projectId/prompts/labels', async (c) => {
    requireRole(c, 'member');
    const raw = await readJson(c);
    const { name, version } = parseWith(labelsBody, raw);
    const labels = parseNewLabels(raw);
    guardProduction(c, labels);
    const updated = await prompts.addLabels(projectId(c), name, version, labels, Date.now());
    if (!updated) throw notFound(`Prompt not found: '${name}' with version ${version}`);
    return c.json({ version: await view(updated, new Map()) } satisfies PromptVersionResponse);
  });

  ui.delete('/projects/:projectId/prompts', async (c) => {
    requireRole(c, 'admin');
    const { name, version } = parseQuery(c, deleteQuery);
    if ((await prompts.delete(projectId(c), name, version > 0 ? { version } : undefined)) === 0) {
      throw notFound(`Prompt not found: '${name}'${version > 0 ? ` with version ${version}` : ''}`);
    }
    return c.body(null, 204);
  });
}
