import type { WritableDb, Row } from '../db.js';
import { bool, json, str } from '../mappers.js';
import { pageParams, placeholders } from '../queries/where.js';
import type { Page, Paged } from '../types.js';

/**
 * A project's connection to an LLM provider. The store never sees a secret in clear: the server
 * encrypts `secretKey` and the extra headers' values before saving (secret-box.ts) and keeps
 * only a masked `displaySecretKey` readable.
 */
export interface LlmConnectionRecord {
  projectId: string;
  id: string;
  /** Unique in the project; the upsert key. */
  provider: string;
  adapter: string;
  /** The encrypted secret (an opaque envelope). */
  secretKey: string;
  displaySecretKey: string;
  baseURL: string | null;
  customModels: string[];
  withDefaultModels: boolean;
  /** The encrypted JSON object of extra headers, or null when there are none. */
  extraHeaders: string | null;
  extraHeaderKeys: string[];
  config: Record<string, unknown> | null;
  createdAt: number;
  updatedAt: number;
}

export interface LlmConnectionStore {
  /**
   * Creates the project's connection of `provider`, or replaces every field of the existing one
   * (keeping its id and createdAt). Returns the stored record.
   */
  upsert(connection: LlmConnectionRecord): Promise<LlmConnectionRecord>;
  get(projectId: string, id: string): Promise<LlmConnectionRecord | null>;
  getByProvider(projectId: string, provider: string): Promise<LlmConnectionRecord | null>;
  /** Oldest first, as Langfuse lists them. */
  list(projectId: string, page: Page): Promise<Paged<LlmConnectionRecord>>;
  /** False when the project has no such connection. */
  delete(projectId: string, id: string): Promise<boolean>;
}

const COLUMNS = [
  'project_id', 'id', 'provider', 'adapter', 'secret_key', 'display_secret_key', 'base_url', 'custom_models',
  'with_default_models', 'extra_headers', 'extra_header_keys', 'config', 'created_at', 'updated_at',
];
const LIST = COLUMNS.join(', ');
/** On a provider already taken, everything but the identity and the creation time is replaced. */
const UPDATED = COLUMNS.filter((c) => !['project_id', 'id', 'provider', 'created_at'].includes(c)).map((c) => `${c} = excluded.${c}`).join(', ');

const toConnection = (r: Row): LlmConnectionRecord => ({
  projectId: String(r.project_id),
  id: String(r.id),
  provider: String(r.provider),
  adapter: String(r.adapter),
  secretKey: String(r.secret_key),
  displaySecretKey: String(r.display_secret_key),
  baseURL: str(r.base_url),
  customModels: json<string[]>(r.custom_models, []),
  withDefaultModels: bool(r.with_default_models),
  extraHeaders: str(r.extra_headers),
  extraHeaderKeys: json<string[]>(r.extra_header_keys, []),
  config: json<Record<string, unknown> | null>(r.config, null),
  createdAt: Number(r.created_at),
  updatedAt: Number(r.updated_at),
});

const values = (c: LlmConnectionRecord): unknown[] => [
  c.projectId, c.id, c.provider, c.adapter, c.secretKey, c.displaySecretKey, c.baseURL, JSON.stringify(c.customModels),
  c.withDefaultModels, c.extraHeaders, JSON.stringify(c.extraHeaderKeys), c.config === null ? null : JSON.stringify(c.config), c.createdAt, c.updatedAt,
];

export function createLlmConnectionStore(db: WritableDb): LlmConnectionStore {
  const one = async (where: string, params: unknown[]) => {
    const r = await db.get(`SELECT ${LIST} FROM llm_connections WHERE ${where}`, params);
    return r ? toConnection(r) : null;
  };
  return {
    async upsert(c) {
      const [row] = await db.transaction((tx) =>
        tx.all(
          `INSERT INTO llm_connections (${LIST}) VALUES (${placeholders(COLUMNS.length)})
           ON CONFLICT (project_id, provider) DO UPDATE SET ${UPDATED} RETURNING ${LIST}`,
          values(c),
        ),
      );
      return toConnection(row);
    },
    get: (projectId, id) => one('project_id = ? AND id = ?', [projectId, id]),
    getByProvider: (projectId, provider) => one('project_id = ? AND provider = ?', [projectId, provider]),
    async list(projectId, { page, limit }) {
      const total = await db.get<{ n: number }>('SELECT COUNT(*) AS n FROM llm_connections WHERE project_id = ?', [projectId]);
      const rows = await db.all(`SELECT ${LIST} FROM llm_connections WHERE project_id = ? ORDER BY created_at, id LIMIT ? OFFSET ?`, [projectId, ...pageParams(page, limit)]);
      return { rows: rows.map(toConnection), totalItems: Number(total?.n ?? 0) };
    },
    async delete(projectId, id) {
      const { changes } = await db.transaction((tx) => tx.run('DELETE FROM llm_connections WHERE project_id = ? AND id = ?', [projectId, id]));
      return changes > 0;
    },
  };
}
