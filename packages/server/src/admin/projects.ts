import { randomUUID } from 'node:crypto';
import type { ApiKey, Project, Storage } from '@sightline/storage';
import { createKeyPair } from '../auth/api-keys.js';

export interface ProjectWithKey {
  project: Project;
  key: ApiKey;
  publicKey: string;
  /** Clear-text secret: returned once to the caller, never stored. */
  secretKey: string;
}

export async function createProject(storage: Storage, name: string, id: string = randomUUID()): Promise<Project> {
  const project = { id, name, createdAt: Date.now() };
  await storage.projects.create(project);
  return project;
}

export async function createApiKey(
  storage: Storage,
  projectId: string,
  fixed?: { publicKey: string; secretKey: string },
  note: string | null = null,
): Promise<{ key: ApiKey; secretKey: string }> {
  const pair = createKeyPair(projectId, fixed, note);
  await storage.projects.createKey(pair.key);
  return pair;
}

export async function createProjectWithKey(
  storage: Storage,
  name: string,
  fixed?: { publicKey: string; secretKey: string },
): Promise<ProjectWithKey> {
  const project = await createProject(storage, name);
  const { key, secretKey } = await createApiKey(storage, project.id, fixed);
  return { project, key, publicKey: key.publicKey, secretKey };
}

export interface InitKeys {
  publicKey?: string;
  secretKey?: string;
}

/** Reads the headless-setup key pair from SIGHTLINE_INIT_* or Langfuse's LANGFUSE_INIT_PROJECT_* variables. */
export function initKeysFromEnv(env: NodeJS.ProcessEnv): InitKeys {
  return {
    publicKey: env.SIGHTLINE_INIT_PUBLIC_KEY || env.LANGFUSE_INIT_PROJECT_PUBLIC_KEY || undefined,
    secretKey: env.SIGHTLINE_INIT_SECRET_KEY || env.LANGFUSE_INIT_PROJECT_SECRET_KEY || undefined,
  };
}

/**
 * First start: when no project exists, creates "default" with one key pair (fixed when both
 * init keys are given) and returns it so the caller can print it once. When projects exist
 * but the fixed init key is missing, it is added to the first project. Otherwise returns null.
 */
export async function bootstrap(storage: Storage, init: InitKeys): Promise<ProjectWithKey | null> {
  // Instances starting together on one empty PostgreSQL database race here: a loser's insert hits
  // the winner's row (the default project has a fixed id; public keys are unique). What the winner
  // created is what this instance needed, so it looks again (each step can lose once).
  for (let attempt = 1; ; attempt++) {
    try {
      return await bootstrapOnce(storage, init);
    } catch (err) {
      if (attempt >= 3) throw err;
    }
  }
}

/** The default project's id: fixed, so concurrent first starts cannot create two. */
export const DEFAULT_PROJECT_ID = 'default';

async function bootstrapOnce(storage: Storage, init: InitKeys): Promise<ProjectWithKey | null> {
  const fixed = init.publicKey && init.secretKey ? { publicKey: init.publicKey, secretKey: init.secretKey } : undefined;
  const projects = await storage.projects.list();
  if (projects.length === 0) {
    const project = await createProject(storage, 'default', DEFAULT_PROJECT_ID);
    const { key, secretKey } = await createApiKey(storage, project.id, fixed);
    return { project, key, publicKey: key.publicKey, secretKey };
  }
  if (fixed && !(await storage.projects.findKey(fixed.publicKey))) {
    const { key, secretKey } = await createApiKey(storage, projects[0].id, fixed);
    return { project: projects[0], key, publicKey: key.publicKey, secretKey };
  }
  return null;
}
