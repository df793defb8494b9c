import { randomUUID } from 'node:crypto';
import { AppError, badRequest } from '@sightline/core';
import type { ProjectRole, Storage, UserRecord } from '@sightline/storage';
import { createProject } from '../admin/projects.js';
import { hashPassword, MIN_PASSWORD_LENGTH } from './passwords.js';

const EMAIL = /^[^\s@]+@[^\s@]+$/;

export function checkCredentials(email: unknown, password: unknown): { email: string; password: string } {
  if (typeof email !== 'string' || !EMAIL.test(email.trim()) || email.length > 320) throw badRequest('email: must be an email address');
  if (typeof password !== 'string' || password.length < MIN_PASSWORD_LENGTH || password.length > 1024) {
    throw badRequest(`password: must be ${MIN_PASSWORD_LENGTH} to 1024 characters`);
  }
  return { email: email.trim().toLowerCase(), password };
}

async function newUser(email: string, password: string, name: string | null): Promise<UserRecord> {
  return { id: randomUUID(), email, name, passwordHash: await hashPassword(password), createdAt: Date.now() };
}

/** Makes `userId` the owner of every project (creating "default" when there is none). */
async function ownEverything(storage: Storage, userId: string): Promise<void> {
  const projects = await storage.projects.list();
  if (projects.length === 0) projects.push(await createProject(storage, 'default'));
  for (const p of projects) await storage.accounts.setMembership({ projectId: p.id, userId, role: 'owner', createdAt: Date.now() });
}

/**
 * Signs up the first user, who becomes the owner of every existing project. Null when a user
 * already exists (sign-up is then closed: owners and admins add people to their projects).
 */
export async function signUpFirstUser(storage: Storage, email: string, password: string, name: string | null): Promise<UserRecord | null> {
  const user = await newUser(email, password, name);
  if (!(await storage.accounts.createUser(user, { onlyIfFirst: true }))) return null;
  await ownEverything(storage, user.id);
  return user;
}

/** Adds a person to a project, creating their account when the email is new (then `password` is required). */
export async function addMember(
  storage: Storage,
  projectId: string,
  input: { email: string; role: ProjectRole; password?: string; name?: string | null },
): Promise<UserRecord> {
  let user = await storage.accounts.findUserByEmail(input.email);
  if (!user) {
    if (input.password === undefined) throw badRequest(`password: required to create the account of ${input.email}, who has none yet`);
    const { email, password } = checkCredentials(input.email, input.password);
    user = await newUser(email, password, input.name ?? null);
    if (!(await storage.accounts.createUser(user))) throw new AppError(409, 'conflict', `User ${email} already exists`);
  }
  await storage.accounts.setMembership({ projectId, userId: user.id, role: input.role, createdAt: Date.now() });
  return user;
}

/**
 * Headless setup (`SIGHTLINE_INIT_USER_EMAIL` + `SIGHTLINE_INIT_USER_PASSWORD`): creates that
 * user once — as the first user (owner of every project), or, when others exist, as owner of
 * the first project. An existing account is left as it is (its password is not reset).
 */
export async function ensureInitUser(storage: Storage, env: NodeJS.ProcessEnv): Promise<UserRecord | null> {
  const email = env.SIGHTLINE_INIT_USER_EMAIL || env.LANGFUSE_INIT_USER_EMAIL;
  const password = env.SIGHTLINE_INIT_USER_PASSWORD || env.LANGFUSE_INIT_USER_PASSWORD;
  if (!email || !password) return null;
  const creds = checkCredentials(email, password);
  if (await storage.accounts.findUserByEmail(creds.email)) return null;
  const first = await signUpFirstUser(storage, creds.email, creds.password, null);
  if (first) return first;
  const [project] = await storage.projects.list();
  if (!project) throw new Error('no project exists for the init user');
  return addMember(storage, project.id, { email: creds.email, password: creds.password, role: 'owner' });
}
