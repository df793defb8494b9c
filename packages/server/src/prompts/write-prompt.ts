import { randomUUID } from 'node:crypto';
import { badRequest } from '@sightline/core';
import { LATEST_LABEL, type PromptStore, type PromptVersion } from '@sightline/storage';
import { parseWith } from '../query/parse-params.js';
import { resolvePrompt, type FetchPrompt } from './compose.js';
import { createPromptBody, updateLabelsBody, type CreatePromptBody } from './prompt-schema.js';

/**
 * The prompt writes shared by the public API and the UI: one validation, one set of rules. Every
 * store write raises the project's prompt revision, which is how the prompt cache (prompt-cache.ts)
 * of every instance learns of it.
 */

/** A create body as sent: `type` defaults to text, as Langfuse does. */
export function parseCreatePromptBody(raw: unknown): CreatePromptBody {
  const withType = raw !== null && typeof raw === 'object' && !Array.isArray(raw) && (raw as { type?: unknown }).type == null ? { ...raw, type: 'text' } : raw;
  return parseWith(createPromptBody, withType);
}

/** The labels of a PATCH body (`newLabels`), refusing `latest`, which only the newest version carries. */
export function parseNewLabels(raw: unknown): string[] {
  const { newLabels } = parseWith(updateLabelsBody, raw);
  if (newLabels.includes(LATEST_LABEL)) throw badRequest(`newLabels: '${LATEST_LABEL}' is always on the newest version and cannot be set by hand`);
  return newLabels;
}

/**
 * What the references of a new version resolve to once it exists: the new version answers for
 * its own name at its number, its labels and `latest`, so a reference to itself is a cycle.
 */
function afterCreate(fetch: FetchPrompt, draft: PromptVersion): FetchPrompt {
  return async (name, which) => {
    if (name !== draft.name) return fetch(name, which);
    const isDraft = 'version' in which ? which.version === draft.version : which.label === LATEST_LABEL || draft.labels.includes(which.label);
    return isDraft ? draft : fetch(name, which);
  };
}

/** Creates the next version of `body.name`: references checked first, a change of type refused (400). */
export async function createPromptVersion(prompts: PromptStore, projectId: string, body: CreatePromptBody, createdBy: string): Promise<PromptVersion> {
  const fetch: FetchPrompt = (name, which) => prompts.get(projectId, name, which);
  const newest = await prompts.get(projectId, body.name, { label: LATEST_LABEL });
  const now = Date.now();
  const draft: PromptVersion = {
    id: randomUUID(),
    projectId,
    name: body.name,
    version: (newest?.version ?? 0) + 1,
    type: body.type,
    prompt: body.prompt,
    config: body.config ?? {},
    labels: [...new Set(body.labels ?? [])],
    tags: body.tags ?? newest?.tags ?? [],
    commitMessage: body.commitMessage ?? null,
    createdBy,
    createdAt: now,
    updatedAt: now,
  };
  // Checked before the write: a reference to a missing prompt or a cycle is refused (serving checks again).
  await resolvePrompt(draft, afterCreate(fetch, draft));
  const created = await prompts.create({ ...draft, tags: body.tags ?? null });
  if ('existingType' in created) {
    throw badRequest(`type: prompt '${body.name}' is a ${created.existingType} prompt; a new version cannot change its type to ${body.type}`);
  }
  return created;
}
