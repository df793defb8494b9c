import type { Db, Row } from '../db.js';
import { LATEST_LABEL, type PromptSelector, type PromptType, type PromptVersion } from './types.js';

const VERSION_COLUMNS = `p.*, n.type, (SELECT MAX(m.version) FROM prompts m WHERE m.project_id = p.project_id AND m.name = p.name) AS newest`;
const FROM = 'FROM prompts p JOIN prompt_names n ON n.project_id = p.project_id AND n.name = p.name';

/** The version `which` selects, with its labels and the name's tags. */
export async function getPrompt(db: Db, projectId: string, name: string, which: PromptSelector): Promise<PromptVersion | null> {
  let row: Row | undefined;
  if ('version' in which) {
    row = await db.get(`SELECT ${VERSION_COLUMNS} ${FROM} WHERE p.project_id = ? AND p.name = ? AND p.version = ?`, [projectId, name, which.version]);
  } else if (which.label === LATEST_LABEL) {
    row = await db.get(`SELECT ${VERSION_COLUMNS} ${FROM} WHERE p.project_id = ? AND p.name = ? ORDER BY p.version DESC LIMIT 1`, [projectId, name]);
  } else {
    row = await db.get(
      `SELECT ${VERSION_COLUMNS} ${FROM} JOIN prompt_labels l ON l.project_id = p.project_id AND l.name = p.name AND l.version = p.version
       WHERE p.project_id = ? AND p.name = ? AND l.label = ?`,
      [projectId, name, which.label],
    );
  }
  if (!row) return null;
  const version = Number(row.version);
  const labels = await db.all<{ label: string }>('SELECT label FROM prompt_labels WHERE project_id = ? AND name = ? AND version = ? ORDER BY label', [projectId, name, version]);
  return toVersion(projectId, name, row, labels.map((l) => l.label), await promptTags(db, projectId, name));
}

/** Every version of a name, newest first, in three reads (versions, labels, tags). */
export async function promptHistory(db: Db, projectId: string, name: string): Promise<PromptVersion[]> {
  const rows = await db.all(`SELECT ${VERSION_COLUMNS} ${FROM} WHERE p.project_id = ? AND p.name = ? ORDER BY p.version DESC`, [projectId, name]);
  if (rows.length === 0) return [];
  const labels = await db.all<{ label: string; version: number }>('SELECT label, version FROM prompt_labels WHERE project_id = ? AND name = ? ORDER BY label', [projectId, name]);
  const tags = await promptTags(db, projectId, name);
  return rows.map((row) => toVersion(projectId, name, row, labels.filter((l) => Number(l.version) === Number(row.version)).map((l) => l.label), tags));
}

function toVersion(projectId: string, name: string, row: Row, labels: string[], tags: string[]): PromptVersion {
  const version = Number(row.version);
  return {
    id: String(row.id),
    projectId,
    name,
    version,
    type: row.type as PromptType,
    prompt: JSON.parse(String(row.prompt)),
    config: JSON.parse(String(row.config)),
    labels: [...labels, ...(Number(row.newest) === version ? [LATEST_LABEL] : [])],
    tags,
    commitMessage: row.commit_message === null || row.commit_message === undefined ? null : String(row.commit_message),
    createdBy: String(row.created_by),
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
  };
}

export async function promptTags(db: Db, projectId: string, name: string): Promise<string[]> {
  return (await db.all<{ tag: string }>('SELECT tag FROM prompt_tags WHERE project_id = ? AND name = ? ORDER BY tag', [projectId, name])).map((t) => t.tag);
}

export async function promptRevision(db: Db, projectId: string): Promise<number> {
  const row = await db.get<{ rev: number }>('SELECT rev FROM prompt_revisions WHERE project_id = ?', [projectId]);
  return row ? Number(row.rev) : 0;
}
