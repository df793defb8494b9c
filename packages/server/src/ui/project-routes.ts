import { AppError, badRequest } from '@sightline/core';
import type { Storage } from '@sightline/storage';
import type { Hono } from 'hono';
import { createApiKey, createProject } from '../admin/projects.js';
import { loadById } from '../query/load-by-id.js';
import { readObject } from './account-routes.js';
import { addMember } from './accounts.js';
import type { ApiKeyListResponse, MemberListResponse } from './api-types.js';
import { isRole, requireRole, requireUser, roleAtLeast } from './guard.js';
import type { UiEnv } from './ui-env.js';

const name = (v: unknown, field: string, max = 200): string => {
  if (typeof v !== 'string' || v.trim() === '' || v.length > max) throw badRequest(`${field}: must be a non-empty string of at most ${max} characters`);
  return v.trim();
};

/**
 * Projects (create, list), their members and their API keys. Roles are checked here, not in
 * the browser. Creating a project needs the owner or admin role in at least one project: a
 * viewer or member somewhere cannot mint projects (and keys for them) on the instance.
 */
export function registerProjectRoutes(ui: Hono<UiEnv>, storage: Storage): void {
  ui.post('/projects', async (c) => {
    const user = requireUser(c);
    if (!(await storage.accounts.listMemberships(user.id)).some((m) => roleAtLeast(m.role, 'admin'))) {
      throw new AppError(403, 'forbidden', 'Creating a project needs the owner or admin role in at least one project');
    }
    const project = await createProject(storage, name((await readObject(c)).name, 'name'));
    await storage.accounts.setMembership({ projectId: project.id, userId: user.id, role: 'owner', createdAt: Date.now() });
    return c.json({ id: project.id, name: project.name, role: 'owner' }, 201);
  });

  ui.get('/projects/:projectId/members', async (c) => {
    const members = await storage.accounts.listMembers(c.get('member').projectId);
    return c.json({ data: members.map((m) => ({ userId: m.userId, email: m.email, name: m.name, role: m.role, createdAt: m.createdAt })) } satisfies MemberListResponse);
  });

  ui.post('/projects/:projectId/members', async (c) => {
    const me = requireRole(c, 'admin');
    const body = await readObject(c);
    if (!isRole(body.role)) throw badRequest('role: must be one of owner, admin, member, viewer');
    // Admins manage members and viewers; only owners hand out (or take away) admin and owner.
    if (!roleAtLeast(me.role, 'owner') && roleAtLeast(body.role, 'admin')) throw new AppError(403, 'forbidden', `role: only an owner may grant ${body.role}`);
    const email = name(body.email, 'email', 320).toLowerCase();
    const existing = await storage.accounts.findUserByEmail(email);
    const current = existing ? await storage.accounts.getMembership(me.projectId, existing.id) : null;
    if (current && !roleAtLeast(me.role, 'owner') && roleAtLeast(current.role, 'admin')) throw new AppError(403, 'forbidden', 'only an owner may change an admin or owner');
    const user = await addMember(storage, me.projectId, {
      email,
      role: body.role,
      password: typeof body.password === 'string' ? body.password : undefined,
      name: typeof body.name === 'string' ? body.name : null,
    });
    return c.json({ userId: user.id, email: user.email, role: body.role }, 201);
  });

  ui.delete('/projects/:projectId/members/:userId', async (c) => {
    const me = requireRole(c, 'admin');
    const target = await loadById(c.req.param('userId'), (id) => storage.accounts.getMembership(me.projectId, id), null);
    if (!target) throw new AppError(404, 'not_found', 'No such member');
    if (!roleAtLeast(me.role, 'owner') && roleAtLeast(target.role, 'admin')) throw new AppError(403, 'forbidden', 'only an owner may remove an admin or owner');
    if (target.role === 'owner' && (await storage.accounts.listMembers(me.projectId)).filter((m) => m.role === 'owner').length === 1) {
      throw new AppError(409, 'conflict', 'A project keeps at least one owner');
    }
    await storage.accounts.removeMembership(me.projectId, target.userId);
    return c.json({ ok: true });
  });

  ui.get('/projects/:projectId/api-keys', async (c) => {
    const me = requireRole(c, 'admin');
    const keys = await storage.projects.listKeys(me.projectId);
    return c.json({
      data: keys.map((k) => ({ id: k.id, publicKey: k.publicKey, displaySecret: k.displaySecret, note: k.note, createdAt: k.createdAt, revokedAt: k.revokedAt })),
    } satisfies ApiKeyListResponse);
  });

  ui.post('/projects/:projectId/api-keys', async (c) => {
    const me = requireRole(c, 'admin');
    const body = await readObject(c);
    const note = typeof body.note === 'string' && body.note.trim() ? body.note.trim().slice(0, 200) : null;
    const { key, secretKey } = await createApiKey(storage, me.projectId, undefined, note);
    // The only response that ever carries the secret; it is not logged and not stored.
    c.header('Cache-Control', 'no-store');
    return c.json({ id: key.id, publicKey: key.publicKey, secretKey, displaySecret: key.displaySecret, note: key.note, createdAt: key.createdAt }, 201);
  });

  ui.delete('/projects/:projectId/api-keys/:keyId', async (c) => {
    const me = requireRole(c, 'admin');
    const id = c.req.param('keyId');
    const key = (await storage.projects.listKeys(me.projectId)).find((k) => k.id === id);
    if (!key) throw new AppError(404, 'not_found', `API key ${id} not found in this project`);
    await storage.projects.revokeKey(key.id, Date.now());
    return c.json({ ok: true });
  });
}
