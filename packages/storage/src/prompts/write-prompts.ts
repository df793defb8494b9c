import type { Db, SqlDialect } from '../db.js';
import { entityKey } from '../entity-key.js';
import { placeholders } from '../queries/where.js';
import { getPrompt } from './get-prompt.js';
import { LATEST_LABEL, type NewPromptVersion, type PromptSelector, type PromptType, type PromptTypeConflict, type PromptVersion } from './types.js';

/**
 * Every write to a name first takes the name's lock, so the writes to one name run one after
 * another (on PostgreSQL, under READ COMMITTED each statement after the lock sees what the
 * previous holder committed): the next version number and a label's move are read and written
 * without a concurrent writer in between.
 */
const lockName = (tx: Db, d: SqlDialect, projectId: string, name: string) => d.lockKeys(tx, [entityKey(projectId, 'prompt', name)]);

/** Makes caches of the project's prompts stale (prompt_revisions, read on each fetch). */
const bumpRevision = (tx: Db, projectId: string) =>
  tx.run('INSERT INTO prompt_revisions (project_id, rev) VALUES (?, 1) ON CONFLICT (project_id) DO UPDATE SET rev = prompt_revisions.rev + 1', [projectId]);

/** Gives `labels` to a version, taking each from whichever version of the name held it. */
async function moveLabels(tx: Db, projectId: string, name: string, version: number, labels: string[]): Promise<void> {
  const own = [...new Set(labels)].filter((l) => l !== LATEST_LABEL);
  if (own.length === 0) return;
  await tx.run(`DELETE FROM prompt_labels WHERE project_id = ? AND name = ? AND label IN (${placeholders(own.length)})`, [projectId, name, ...own]);
  for (const label of own) {
    await tx.run('INSERT INTO prompt_labels (project_id, name, label, version) VALUES (?, ?, ?, ?)', [projectId, name, label, version]);
  }
}

export async function createPromptVersion(tx: Db, d: SqlDialect, v: NewPromptVersion): Promise<PromptVersion | PromptTypeConflict> {
  await lockName(tx, d, v.projectId, v.name);
  const existing = await tx.get<{ type: PromptType }>('SELECT type FROM prompt_names WHERE project_id = ? AND name = ?', [v.projectId, v.name]);
  if (existing && existing.type !== v.type) return { existingType: existing.type };
  if (!existing) await tx.run('INSERT INTO prompt_names (project_id, name, type) VALUES (?, ?, ?)', [v.projectId, v.name, v.type]);
  const newest = await tx.get<{ version: number | null }>('SELECT MAX(version) AS version FROM prompts WHERE project_id = ? AND name = ?', [v.projectId, v.name]);
  const version = Math.max(Number(newest?.version ?? 0) + 1, v.importedVersion ?? 0);
  await tx.run(
    `INSERT INTO prompts (project_id, name, version, id, prompt, config, commit_message, created_by, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    [v.projectId, v.name, version, v.id, JSON.stringify(v.prompt), JSON.stringify(v.config ?? {}), v.commitMessage, v.createdBy, v.createdAt, v.createdAt],
  );
  await moveLabels(tx, v.projectId, v.name, version, v.labels);
  if (v.tags !== null) {
    await tx.run('DELETE FROM prompt_tags WHERE project_id = ? AND name = ?', [v.projectId, v.name]);
    for (const tag of new Set(v.tags)) await tx.run('INSERT INTO prompt_tags (project_id, name, tag) VALUES (?, ?, ?)', [v.projectId, v.name, tag]);
  }
  await bumpRevision(tx, v.projectId);
  return (await getPrompt(tx, v.projectId, v.name, { version }))!;
}

export async function setPromptLabels(
  tx: Db, d: SqlDialect, projectId: string, name: string, version: number, labels: string[], at: number,
): Promise<PromptVersion | null> {
  await lockName(tx, d, projectId, name);
  const { changes } = await tx.run('UPDATE prompts SET updated_at = ? WHERE project_id = ? AND name = ? AND version = ?', [at, projectId, name, version]);
  if (changes === 0) return null;
  await moveLabels(tx, projectId, name, version, labels);
  await bumpRevision(tx, projectId);
  return getPrompt(tx, projectId, name, { version });
}

export async function deletePromptVersions(tx: Db, d: SqlDialect, projectId: string, name: string, which?: PromptSelector): Promise<number> {
  await lockName(tx, d, projectId, name);
  let deleted: number;
  if (which === undefined) {
    deleted = (await tx.run('DELETE FROM prompts WHERE project_id = ? AND name = ?', [projectId, name])).changes;
  } else {
    const target = await getPrompt(tx, projectId, name, which);
    if (!target) return 0;
    deleted = (await tx.run('DELETE FROM prompts WHERE project_id = ? AND name = ? AND version = ?', [projectId, name, target.version])).changes;
    await tx.run('DELETE FROM prompt_labels WHERE project_id = ? AND name = ? AND version = ?', [projectId, name, target.version]);
  }
  if (deleted === 0) return 0;
  const left = await tx.get('SELECT 1 AS one FROM prompts WHERE project_id = ? AND name = ? LIMIT 1', [projectId, name]);
  if (!left) {
    for (const table of ['prompt_labels', 'prompt_tags', 'prompt_names']) {
      await tx.run(`DELETE FROM ${table} WHERE project_id = ? AND name = ?`, [projectId, name]);
    }
  }
  await bumpRevision(tx, projectId);
  return deleted;
}
