import type { ScoreConfigRecord } from '@sightline/core';
import type { Db, Row, WritableDb } from '../db.js';
import { bool, num, str } from '../mappers.js';
import { pageParams, placeholders } from '../queries/where.js';
import type { Page, Paged } from '../types.js';

/**
 * A project's score configs. There is no delete: a config is archived instead, so the scores
 * that name it keep their meaning (archived configs take no new scores).
 */
export interface ScoreConfigStore {
  create(config: ScoreConfigRecord): Promise<void>;
  get(projectId: string, id: string): Promise<ScoreConfigRecord | null>;
  /** The project's configs among `ids` (one indexed read; unknown ids are simply absent). */
  getMany(projectId: string, ids: readonly string[]): Promise<Map<string, ScoreConfigRecord>>;
  /** Newest first. */
  list(projectId: string, page: Page): Promise<Paged<ScoreConfigRecord>>;
  /** Writes the whole updated config; false when it does not exist in the project. */
  replace(config: ScoreConfigRecord): Promise<boolean>;
}

const COLUMNS = 'project_id, id, name, data_type, is_archived, min_value, max_value, categories, description, created_at, updated_at';

const toConfig = (r: Row): ScoreConfigRecord => ({
  id: String(r.id),
  projectId: String(r.project_id),
  name: String(r.name),
  dataType: String(r.data_type) as ScoreConfigRecord['dataType'],
  isArchived: bool(r.is_archived),
  minValue: num(r.min_value),
  maxValue: num(r.max_value),
  categories: typeof r.categories === 'string' ? (JSON.parse(r.categories) as ScoreConfigRecord['categories']) : null,
  description: str(r.description),
  createdAt: Number(r.created_at),
  updatedAt: Number(r.updated_at),
});

const values = (c: ScoreConfigRecord): unknown[] => [
  c.projectId, c.id, c.name, c.dataType, c.isArchived, c.minValue, c.maxValue,
  c.categories === null ? null : JSON.stringify(c.categories), c.description, c.createdAt, c.updatedAt,
];

async function getMany(db: Db, projectId: string, ids: readonly string[]): Promise<Map<string, ScoreConfigRecord>> {
  const unique = [...new Set(ids)];
  const out = new Map<string, ScoreConfigRecord>();
  if (unique.length === 0) return out;
  const rows = await db.all(`SELECT ${COLUMNS} FROM score_configs WHERE project_id = ? AND id IN (${placeholders(unique.length)})`, [projectId, ...unique]);
  for (const r of rows) out.set(String(r.id), toConfig(r));
  return out;
}

export function createScoreConfigStore(db: WritableDb): ScoreConfigStore {
  return {
    async create(c) {
      await db.transaction((tx) => tx.run(`INSERT INTO score_configs (${COLUMNS}) VALUES (${placeholders(11)})`, values(c)));
    },
    async get(projectId, id) {
      const r = await db.get(`SELECT ${COLUMNS} FROM score_configs WHERE project_id = ? AND id = ?`, [projectId, id]);
      return r ? toConfig(r) : null;
    },
    getMany: (projectId, ids) => getMany(db, projectId, ids),
    async list(projectId, { page, limit }) {
      const total = await db.get<{ n: number }>('SELECT COUNT(*) AS n FROM score_configs WHERE project_id = ?', [projectId]);
      const rows = await db.all(`SELECT ${COLUMNS} FROM score_configs WHERE project_id = ? ORDER BY created_at DESC, id LIMIT ? OFFSET ?`, [projectId, ...pageParams(page, limit)]);
      return { rows: rows.map(toConfig), totalItems: Number(total?.n ?? 0) };
    },
    async replace(c) {
      const { changes } = await db.transaction((tx) =>
        tx.run(
          'UPDATE score_configs SET name = ?, is_archived = ?, min_value = ?, max_value = ?, categories = ?, description = ?, updated_at = ? WHERE project_id = ? AND id = ?',
          [c.name, c.isArchived, c.minValue, c.maxValue, c.categories === null ? null : JSON.stringify(c.categories), c.description, c.updatedAt, c.projectId, c.id],
        ),
      );
      return changes > 0;
    },
  };
}
