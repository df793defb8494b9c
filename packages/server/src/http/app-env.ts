import type { Storage } from '@sightline/storage';
import type { Ingestor } from '../ingest/ingestor.js';
import type { Logger } from '../logger.js';

/** What an authenticated request may do: everything in its project, or only create scores (Bearer public key). */
export type AccessLevel = 'all' | 'scores';

export interface AuthContext {
  projectId: string;
  publicKey: string;
  accessLevel: AccessLevel;
}

/** Everything the HTTP layer needs, injected by the caller (CLI or tests). */
export interface AppDeps {
  storage: Storage;
  ingestor: Ingestor;
  logger: Logger;
  version: string;
}

export interface AppEnv {
  Variables: { auth: AuthContext };
}
