import { toIso } from '@sightline/core';
import type { PromptSummary, PromptVersion } from '@sightline/storage';
import type { ResolutionGraph } from './compose.js';

/** A prompt version in Langfuse's response shape (what the SDKs' prompt clients read). */
export function presentPrompt(p: PromptVersion, served: { prompt: unknown; resolutionGraph: ResolutionGraph | null } = { prompt: p.prompt, resolutionGraph: null }) {
  return {
    id: p.id,
    projectId: p.projectId,
    name: p.name,
    version: p.version,
    type: p.type,
    prompt: served.prompt,
    config: p.config,
    labels: p.labels,
    tags: p.tags,
    commitMessage: p.commitMessage,
    resolutionGraph: served.resolutionGraph,
    createdBy: p.createdBy,
    createdAt: toIso(p.createdAt),
    updatedAt: toIso(p.updatedAt),
  };
}

/** One entry of GET /api/public/v2/prompts. */
export function presentPromptSummary(s: PromptSummary) {
  return { name: s.name, type: s.type, versions: s.versions, labels: s.labels, tags: s.tags, lastUpdatedAt: toIso(s.lastUpdatedAt), lastConfig: s.lastConfig };
}
