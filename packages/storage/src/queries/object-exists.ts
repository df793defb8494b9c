import type { Db } from '../db.js';

/** What comments and annotation queue items may point at. */
export type AnnotatedObjectType = 'TRACE' | 'OBSERVATION' | 'SESSION' | 'PROMPT';

/** The table holding each kind; every one is keyed by (project_id, id) or indexed so. */
const TABLES: Record<AnnotatedObjectType, string> = {
  TRACE: 'traces',
  OBSERVATION: 'observations',
  SESSION: 'sessions',
  PROMPT: 'prompts',
};

/** True when the project holds an object of that type and id (a prompt is one version, by its id). */
export async function objectExists(db: Db, projectId: string, type: AnnotatedObjectType, id: string): Promise<boolean> {
  const row = await db.get(`SELECT 1 AS one FROM ${TABLES[type]} WHERE project_id = ? AND id = ? LIMIT 1`, [projectId, id]);
  return row !== undefined;
}

/** Which of `ids` name objects of that type in the project (chunked indexed reads). */
export async function existingObjects(db: Db, projectId: string, type: AnnotatedObjectType, ids: readonly string[]): Promise<Set<string>> {
  const out = new Set<string>();
  const unique = [...new Set(ids)];
  for (let i = 0; i < unique.length; i += 500) {
    const part = unique.slice(i, i + 500);
    const rows = await db.all<{ id: string }>(`SELECT id FROM ${TABLES[type]} WHERE project_id = ? AND id IN (${part.map(() => '?').join(', ')})`, [projectId, ...part]);
    for (const r of rows) out.add(String(r.id));
  }
  return out;
}
