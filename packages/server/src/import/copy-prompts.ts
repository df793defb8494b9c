import { LATEST_LABEL, type PromptType, type Storage } from '@sightline/storage';
import { allPages, epochOr } from './paging.js';
import type { SourceClient } from './source-client.js';

interface SourcePromptSummary {
  name: string;
  versions: number[];
}

interface SourcePrompt {
  id?: string;
  name: string;
  version: number;
  type?: PromptType;
  prompt: unknown;
  config?: unknown;
  labels?: string[];
  tags?: string[];
  commitMessage?: string | null;
  createdBy?: string | null;
  createdAt?: string;
}

export interface CopyReport {
  copied: number;
  warnings: string[];
}

const ownLabels = (labels: string[] | undefined): string[] => (labels ?? []).filter((l) => l !== LATEST_LABEL);
const sameSet = (a: string[], b: string[]) => a.length === b.length && a.every((x) => b.includes(x));

/**
 * Copies every version of every prompt, oldest first, through the prompt store: the source's id,
 * content, config, commit message, author and creation time; its labels (moved as at the source)
 * and the name's tags. A version already here keeps its content and gets the source's labels, so
 * a second run changes nothing. References to other prompts are copied unresolved.
 */
export async function copyPrompts(source: SourceClient, storage: Storage, projectId: string, onCopied: (n: number) => void): Promise<CopyReport> {
  const report: CopyReport = { copied: 0, warnings: [] };
  for await (const summary of allPages<SourcePromptSummary>(source, 'v2/prompts')) {
    const history = await storage.prompts.history(projectId, summary.name);
    const here = new Map(history.map((p) => [p.version, p]));
    const byId = new Map(history.map((p) => [p.id, p]));
    for (const version of [...summary.versions].sort((a, b) => a - b)) {
      const p = await source.getOrNull<SourcePrompt>(`v2/prompts/${encodeURIComponent(summary.name)}`, { version, resolve: 'false' });
      if (!p) continue;
      const labels = ownLabels(p.labels);
      // A version copied before is found by its id (its number differs when the name had versions here already).
      const existing = (p.id !== undefined ? byId.get(p.id) : undefined) ?? here.get(version);
      if (existing) {
        if (!sameSet(ownLabels(existing.labels), labels) && labels.length > 0) await storage.prompts.addLabels(projectId, p.name, existing.version, labels, Date.now());
      } else {
        const created = await storage.prompts.create({
          id: p.id ?? `${p.name}:${version}`,
          projectId,
          name: p.name,
          type: p.type ?? 'text',
          prompt: p.prompt,
          config: p.config ?? {},
          labels,
          tags: p.tags ?? null,
          commitMessage: p.commitMessage ?? null,
          createdBy: p.createdBy ?? 'import',
          createdAt: epochOr(p.createdAt, Date.now()),
          importedVersion: version,
        });
        if ('existingType' in created) {
          report.warnings.push(`prompt ${p.name}: is a ${created.existingType} prompt here, the source's version ${version} is ${p.type}; skipped`);
          continue;
        }
        if (created.version !== version) report.warnings.push(`prompt ${p.name}: source version ${version} became version ${created.version} here (a later version of that name already existed)`);
        here.set(created.version, created);
        byId.set(created.id, created);
      }
      report.copied++;
      onCopied(1);
    }
  }
  return report;
}
