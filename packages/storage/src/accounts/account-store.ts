import type { Row, SqlDialect, WritableDb } from '../db.js';

/** What a person may do in a project, from most to least. */
export const PROJECT_ROLES = ['owner', 'admin', 'member', 'viewer'] as const;
export type ProjectRole = (typeof PROJECT_ROLES)[number];

/** A person who signs in to the web UI. Emails are stored lower-cased. */
export interface UserRecord {
  id: string;
  email: string;
  name: string | null;
  /** A self-describing KDF string (`scrypt$…`); the password itself is never stored. */
  passwordHash: string;
  createdAt: number;
}

export interface Membership {
  projectId: string;
  userId: string;
  role: ProjectRole;
  createdAt: number;
}

export interface ProjectMember extends Membership {
  email: string;
  name: string | null;
}

/** A signed-in browser: the cookie carries a random token, storage only its SHA-256. */
export interface UiSession {
  tokenHash: string;
  userId: string;
  createdAt: number;
  expiresAt: number;
}

/** Users, their project memberships and their sign-in sessions (the web UI's accounts). */
export interface AccountStore {
  countUsers(): Promise<number>;
  /** Inserts a user; with `onlyIfFirst`, only while no user exists (atomic across instances). True when inserted. */
  createUser(user: UserRecord, options?: { onlyIfFirst?: boolean }): Promise<boolean>;
  getUser(id: string): Promise<UserRecord | null>;
  findUserByEmail(email: string): Promise<UserRecord | null>;
  setPasswordHash(userId: string, passwordHash: string): Promise<void>;

  listMemberships(userId: string): Promise<Membership[]>;
  getMembership(projectId: string, userId: string): Promise<Membership | null>;
  listMembers(projectId: string): Promise<ProjectMember[]>;
  /** Adds the membership or changes its role. */
  setMembership(membership: Membership): Promise<void>;
  removeMembership(projectId: string, userId: string): Promise<boolean>;

  createSession(session: UiSession): Promise<void>;
  /** The session when it exists and has not expired at `now`. */
  getSession(tokenHash: string, now: number): Promise<UiSession | null>;
  deleteSession(tokenHash: string): Promise<void>;
  /** Signs a user out everywhere (after a password change), and drops expired sessions. */
  deleteSessionsOfUser(userId: string, now: number): Promise<void>;
  /** Drops every session that has expired at `now`. */
  deleteExpiredSessions(now: number): Promise<void>;
}

const str = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));
const toUser = (r: Row): UserRecord => ({
  id: String(r.id),
  email: String(r.email),
  name: str(r.name),
  passwordHash: String(r.password_hash),
  createdAt: Number(r.created_at),
});
const toMembership = (r: Row): Membership => ({
  projectId: String(r.project_id),
  userId: String(r.user_id),
  role: String(r.role) as ProjectRole,
  createdAt: Number(r.created_at),
});
const toSession = (r: Row): UiSession => ({
  tokenHash: String(r.token_hash),
  userId: String(r.user_id),
  createdAt: Number(r.created_at),
  expiresAt: Number(r.expires_at),
});

export function createAccountStore(db: WritableDb, d: SqlDialect): AccountStore {
  return {
    async countUsers() {
      const r = await db.get<{ n: number }>('SELECT COUNT(*) AS n FROM users');
      return Number(r?.n ?? 0);
    },
    async createUser(u, options = {}) {
      return db.transaction(async (tx) => {
        if (options.onlyIfFirst) {
          // Two instances signing up their first user at once: one wins, the other sees it.
          await d.lockKeys(tx, ['users:first']);
          if (await tx.get('SELECT 1 AS one FROM users LIMIT 1')) return false;
        }
        await tx.run('INSERT INTO users (id, email, name, password_hash, created_at) VALUES (?, ?, ?, ?, ?)', [
          u.id, u.email.toLowerCase(), u.name, u.passwordHash, u.createdAt,
        ]);
        return true;
      });
    },
    async getUser(id) {
      const r = await db.get('SELECT * FROM users WHERE id = ?', [id]);
      return r ? toUser(r) : null;
    },
    async findUserByEmail(email) {
      const r = await db.get('SELECT * FROM users WHERE email = ?', [email.toLowerCase()]);
      return r ? toUser(r) : null;
    },
    async setPasswordHash(userId, passwordHash) {
      await db.transaction((tx) => tx.run('UPDATE users SET password_hash = ? WHERE id = ?', [passwordHash, userId]));
    },

    async listMemberships(userId) {
      return (await db.all('SELECT * FROM memberships WHERE user_id = ? ORDER BY created_at, project_id', [userId])).map(toMembership);
    },
    async getMembership(projectId, userId) {
      const r = await db.get('SELECT * FROM memberships WHERE project_id = ? AND user_id = ?', [projectId, userId]);
      return r ? toMembership(r) : null;
    },
    async listMembers(projectId) {
      const rows = await db.all(
        `SELECT m.*, u.email, u.name FROM memberships m JOIN users u ON u.id = m.user_id
          WHERE m.project_id = ? ORDER BY m.created_at, u.email`,
        [projectId],
      );
      return rows.map((r) => ({ ...toMembership(r), email: String(r.email), name: str(r.name) }));
    },
    async setMembership(m) {
      await db.transaction((tx) =>
        tx.run(
          `INSERT INTO memberships (project_id, user_id, role, created_at) VALUES (?, ?, ?, ?)
           ON CONFLICT (project_id, user_id) DO UPDATE SET role = excluded.role`,
          [m.projectId, m.userId, m.role, m.createdAt],
        ),
      );
    },
    async removeMembership(projectId, userId) {
      const { changes } = await db.transaction((tx) => tx.run('DELETE FROM memberships WHERE project_id = ? AND user_id = ?', [projectId, userId]));
      return changes > 0;
    },

    async createSession(s) {
      await db.transaction((tx) =>
        tx.run('INSERT INTO ui_sessions (token_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)', [s.tokenHash, s.userId, s.createdAt, s.expiresAt]),
      );
    },
    async getSession(tokenHash, now) {
      const r = await db.get('SELECT * FROM ui_sessions WHERE token_hash = ? AND expires_at > ?', [tokenHash, now]);
      return r ? toSession(r) : null;
    },
    async deleteSession(tokenHash) {
      await db.transaction((tx) => tx.run('DELETE FROM ui_sessions WHERE token_hash = ?', [tokenHash]));
    },
    async deleteSessionsOfUser(userId, now) {
      await db.transaction((tx) => tx.run('DELETE FROM ui_sessions WHERE user_id = ? OR expires_at <= ?', [userId, now]));
    },
    async deleteExpiredSessions(now) {
      await db.transaction((tx) => tx.run('DELETE FROM ui_sessions WHERE expires_at <= ?', [now]));
    },
  };
}
