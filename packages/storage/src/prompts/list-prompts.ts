import type { Db } from '../db.js';
import { pageParams, placeholders, Where } from '../queries/where.js';
import type { Paged } from '../types.js';
import { LATEST_LABEL, type PromptListQuery, type PromptSummary, type PromptType } from './types.js';

function versionFilter(projectId: string, q: PromptListQuery): Where {
  const w = new Where().eq('p.project_id', projectId).eq('p.name', q.name);
  if (q.label === LATEST_LABEL) {
    w.add('p.version = (SELECT MAX(m.version) FROM prompts m WHERE m.project_id = p.project_id AND m.name = p.name)');
  } else if (q.label !== undefined) {
    w.add('EXISTS (SELECT 1 FROM prompt_labels l WHERE l.project_id = p.project_id AND l.name = p.name AND l.version = p.version AND l.label = ?)', q.label);
  }
  if (q.tag !== undefined) {
    w.add('EXISTS (SELECT 1 FROM prompt_tags t WHERE t.project_id = p.project_id AND t.name = p.name AND t.tag = ?)', q.tag);
  }
  return w.cmp('p.updated_at', '>=', q.fromUpdatedAt).cmp('p.updated_at', '<', q.toUpdatedAt);
}

/** Names with at least one version matching the query, in name order; each summarises its matching versions. */
export async function listPrompts(db: Db, projectId: string, q: PromptListQuery): Promise<Paged<PromptSummary>> {
  const w = versionFilter(projectId, q);
  const total = await db.get<{ n: number }>(`SELECT COUNT(DISTINCT p.name) AS n FROM prompts p ${w.sql}`, w.params);
  const names = (await db.all<{ name: string }>(`SELECT p.name FROM prompts p ${w.sql} GROUP BY p.name ORDER BY p.name LIMIT ? OFFSET ?`, [...w.params, ...pageParams(q.page, q.limit)])).map((r) => r.name);
  if (names.length === 0) return { rows: [], totalItems: Number(total?.n ?? 0) };

  const inNames = `name IN (${placeholders(names.length)})`;
  const versions = await db.all<{ name: string; version: number; config: string; updated_at: number; type: PromptType }>(
    `SELECT p.name, p.version, p.config, p.updated_at, n.type FROM prompts p JOIN prompt_names n ON n.project_id = p.project_id AND n.name = p.name
     ${w.sql} AND p.${inNames} ORDER BY p.name, p.version`,
    [...w.params, ...names],
  );
  const labels = await db.all<{ name: string; version: number; label: string }>(`SELECT name, version, label FROM prompt_labels WHERE project_id = ? AND ${inNames} ORDER BY label`, [projectId, ...names]);
  const newest = await db.all<{ name: string; version: number }>(`SELECT name, MAX(version) AS version FROM prompts WHERE project_id = ? AND ${inNames} GROUP BY name`, [projectId, ...names]);
  const tags = await db.all<{ name: string; tag: string }>(`SELECT name, tag FROM prompt_tags WHERE project_id = ? AND ${inNames} ORDER BY tag`, [projectId, ...names]);

  const rows = names.map((name): PromptSummary => {
    const own = versions.filter((v) => v.name === name);
    const numbers = new Set(own.map((v) => Number(v.version)));
    const last = own.reduce((a, b) => (Number(b.updated_at) > Number(a.updated_at) || (Number(b.updated_at) === Number(a.updated_at) && Number(b.version) > Number(a.version)) ? b : a));
    const newestVersion = Number(newest.find((n) => n.name === name)?.version);
    return {
      name,
      type: last.type,
      versions: [...numbers],
      labels: [
        ...labels.filter((l) => l.name === name && numbers.has(Number(l.version))).map((l) => l.label),
        ...(numbers.has(newestVersion) ? [LATEST_LABEL] : []),
      ],
      tags: tags.filter((t) => t.name === name).map((t) => t.tag),
      lastUpdatedAt: Number(last.updated_at),
      lastConfig: JSON.parse(last.config),
    };
  });
  return { rows, totalItems: Number(total?.n ?? 0) };
}
