import type { Row, WritableDb } from '../db.js';
import { str } from '../mappers.js';
import { placeholders } from '../queries/where.js';

/** A saved dashboard of a project; `definition` (its charts) is JSON the server has validated. */
export interface DashboardRecord {
  id: string;
  projectId: string;
  name: string;
  description: string | null;
  definition: unknown;
  createdBy: string | null;
  createdAt: number;
  updatedAt: number;
}

export type DashboardChanges = Pick<DashboardRecord, 'name' | 'description' | 'definition' | 'updatedAt'>;

/** Custom dashboards, always read and written within one project. */
export interface DashboardStore {
  create(dashboard: DashboardRecord): Promise<void>;
  get(projectId: string, id: string): Promise<DashboardRecord | null>;
  /** Every dashboard of the project, most recently updated first. */
  list(projectId: string): Promise<DashboardRecord[]>;
  /** The updated dashboard, or null when it does not exist in the project. */
  update(projectId: string, id: string, changes: DashboardChanges): Promise<DashboardRecord | null>;
  /** False when it did not exist in the project. */
  delete(projectId: string, id: string): Promise<boolean>;
}

const COLUMNS = 'project_id, id, name, description, definition, created_by, created_at, updated_at';

const toDashboard = (r: Row): DashboardRecord => ({
  id: String(r.id),
  projectId: String(r.project_id),
  name: String(r.name),
  description: str(r.description),
  definition: JSON.parse(String(r.definition)) as unknown,
  createdBy: str(r.created_by),
  createdAt: Number(r.created_at),
  updatedAt: Number(r.updated_at),
});

export function createDashboardStore(db: WritableDb): DashboardStore {
  const get = async (projectId: string, id: string) => {
    const r = await db.get(`SELECT ${COLUMNS} FROM dashboards WHERE project_id = ? AND id = ?`, [projectId, id]);
    return r ? toDashboard(r) : null;
  };
  return {
    async create(x) {
      const values = [x.projectId, x.id, x.name, x.description, JSON.stringify(x.definition), x.createdBy, x.createdAt, x.updatedAt];
      await db.transaction((tx) => tx.run(`INSERT INTO dashboards (${COLUMNS}) VALUES (${placeholders(8)})`, values));
    },
    get,
    async list(projectId) {
      const rows = await db.all(`SELECT ${COLUMNS} FROM dashboards WHERE project_id = ? ORDER BY updated_at DESC, id`, [projectId]);
      return rows.map(toDashboard);
    },
    async update(projectId, id, c) {
      const { changes } = await db.transaction((tx) =>
        tx.run('UPDATE dashboards SET name = ?, description = ?, definition = ?, updated_at = ? WHERE project_id = ? AND id = ?', [
          c.name, c.description, JSON.stringify(c.definition), c.updatedAt, projectId, id,
        ]),
      );
      return changes > 0 ? get(projectId, id) : null;
    },
    async delete(projectId, id) {
      const { changes } = await db.transaction((tx) => tx.run('DELETE FROM dashboards WHERE project_id = ? AND id = ?', [projectId, id]));
      return changes > 0;
    },
  };
}
