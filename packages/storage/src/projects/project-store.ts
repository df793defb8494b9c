import type { Db, Row, WritableDb } from '../db.js';

export interface Project {
  id: string;
  name: string;
  createdAt: number;
}

export interface ApiKey {
  id: string;
  projectId: string;
  publicKey: string;
  /** SHA-256 (hex) of the secret key; the secret itself is never stored. */
  secretHash: string;
  /** The secret's first and last characters, for recognising it in listings (`sk-lf-…a1b2`). */
  displaySecret: string;
  note: string | null;
  createdAt: number;
  revokedAt: number | null;
}

/** Projects and their API keys. */
export interface ProjectStore {
  create(project: Project): Promise<void>;
  /** Oldest first. */
  list(): Promise<Project[]>;
  get(id: string): Promise<Project | null>;
  createKey(key: ApiKey): Promise<void>;
  /** One project's keys, or every key; oldest first, revoked ones included. */
  listKeys(projectId?: string): Promise<ApiKey[]>;
  findKey(publicKey: string): Promise<ApiKey | null>;
  /** Revokes by id or public key; true when a key was revoked. */
  revokeKey(idOrPublicKey: string, at: number): Promise<boolean>;
}

export function createProjectStore(db: WritableDb): ProjectStore {
  return {
    create: (project) => createProject(db, project),
    list: () => listProjects(db),
    get: (id) => getProject(db, id),
    createKey: (key) => createApiKey(db, key),
    listKeys: (projectId) => listApiKeys(db, projectId),
    findKey: (publicKey) => findApiKeyByPublicKey(db, publicKey),
    revokeKey: (idOrPublicKey, at) => revokeApiKey(db, idOrPublicKey, at),
  };
}

const toProject = (r: Row): Project => ({ id: String(r.id), name: String(r.name), createdAt: Number(r.created_at) });
const toKey = (r: Row): ApiKey => ({
  id: String(r.id),
  projectId: String(r.project_id),
  publicKey: String(r.public_key),
  secretHash: String(r.secret_hash),
  displaySecret: String(r.display_secret),
  note: r.note === null || r.note === undefined ? null : String(r.note),
  createdAt: Number(r.created_at),
  revokedAt: r.revoked_at === null || r.revoked_at === undefined ? null : Number(r.revoked_at),
});

async function createProject(db: WritableDb, p: Project): Promise<void> {
  await db.transaction((tx) => tx.run('INSERT INTO projects (id, name, created_at) VALUES (?, ?, ?)', [p.id, p.name, p.createdAt]));
}

async function listProjects(db: Db): Promise<Project[]> {
  return (await db.all('SELECT * FROM projects ORDER BY created_at, id')).map(toProject);
}

async function getProject(db: Db, id: string): Promise<Project | null> {
  const r = await db.get('SELECT * FROM projects WHERE id = ?', [id]);
  return r ? toProject(r) : null;
}

async function createApiKey(db: WritableDb, k: ApiKey): Promise<void> {
  await db.transaction((tx) =>
    tx.run(
      'INSERT INTO api_keys (id, project_id, public_key, secret_hash, display_secret, note, created_at, revoked_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      [k.id, k.projectId, k.publicKey, k.secretHash, k.displaySecret, k.note, k.createdAt, k.revokedAt],
    ),
  );
}

async function listApiKeys(db: Db, projectId?: string): Promise<ApiKey[]> {
  const rows = projectId
    ? await db.all('SELECT * FROM api_keys WHERE project_id = ? ORDER BY created_at, id', [projectId])
    : await db.all('SELECT * FROM api_keys ORDER BY created_at, id');
  return rows.map(toKey);
}

async function findApiKeyByPublicKey(db: Db, publicKey: string): Promise<ApiKey | null> {
  const r = await db.get('SELECT * FROM api_keys WHERE public_key = ?', [publicKey]);
  return r ? toKey(r) : null;
}

async function revokeApiKey(db: WritableDb, idOrPublicKey: string, at: number): Promise<boolean> {
  const { changes } = await db.transaction((tx) =>
    tx.run('UPDATE api_keys SET revoked_at = ? WHERE (id = ? OR public_key = ?) AND revoked_at IS NULL', [at, idOrPublicKey, idOrPublicKey]),
  );
  return changes > 0;
}
