import { query } from '../api.js';

/** A prompt's page: names keep their `/` (folders) in the path, each segment encoded. */
export const promptHref = (projectId: string, name: string, params: Record<string, string | number | undefined> = {}): string =>
  `/p/${projectId}/prompts/${name.split('/').map(encodeURIComponent).join('/')}${query(params)}`;

/** The prompts list opened at `folder` (the root when empty). */
export const folderHref = (projectId: string, folder: string): string => `/p/${projectId}/prompts${query({ folder })}`;

/** The folder a name lives in: everything before its last `/`. */
export const parentFolder = (name: string): string => (name.includes('/') ? name.slice(0, name.lastIndexOf('/')) : '');
