import type { Db, Row, WritableDb } from './db.js';
import type { ApiKey, Project } from './storage.js';

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

export async function createProject(db: WritableDb, p: Project): Promise<void> {
  await db.transaction((tx) => tx.run('INSERT INTO projects (id, name, created_at) VALUES (?, ?, ?)', [p.id, p.name, p.createdAt]));
}

export async function listProjects(db: Db): Promise<Project[]> {
  return (await db.all('SELECT * FROM projects ORDER BY created_at, id')).map(toProject);
}

export async function getProject(db: Db, id: string): Promise<Project | null> {
  const r = await db.get('SELECT * FROM projects WHERE id = ?', [id]);
  return r ? toProject(r) : null;
}

export async function createApiKey(db: WritableDb, k: ApiKey): Promise<void> {
  await db.transaction((tx) =>
    tx.run(
      'INSERT INTO api_keys (id, project_id, public_key, secret_hash, display_secret, note, created_at, revoked_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      [k.id, k.projectId, k.publicKey, k.secretHash, k.displaySecret, k.note, k.createdAt, k.revokedAt],
    ),
  );
}

export async function listApiKeys(db: Db, projectId?: string): Promise<ApiKey[]> {
  const rows = projectId
    ? await db.all('SELECT * FROM api_keys WHERE project_id = ? ORDER BY created_at, id', [projectId])
    : await db.all('SELECT * FROM api_keys ORDER BY created_at, id');
  return rows.map(toKey);
}

export async function findApiKeyByPublicKey(db: Db, publicKey: string): Promise<ApiKey | null> {
  const r = await db.get('SELECT * FROM api_keys WHERE public_key = ?', [publicKey]);
  return r ? toKey(r) : null;
}

export async function revokeApiKey(db: WritableDb, idOrPublicKey: string, at: number): Promise<boolean> {
  const { changes } = await db.transaction((tx) =>
    tx.run('UPDATE api_keys SET revoked_at = ? WHERE (id = ? OR public_key = ?) AND revoked_at IS NULL', [at, idOrPublicKey, idOrPublicKey]),
  );
  return changes > 0;
}
