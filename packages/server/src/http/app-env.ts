import type { Storage } from '@sightline/storage';
import type { Ingestor } from '../ingest/ingestor.js';
import type { Logger } from '../logger.js';
import type { LlmDeps } from '../llm/llm-deps.js';
import type { MediaDeps } from '../media/media-deps.js';
import type { ClientInfo } from './client-address.js';
import type { TrustedProxies } from './trusted-proxies.js';

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
  /** `SIGHTLINE_METRICS_TOKEN`: lets non-loopback clients read /metrics with `Authorization: Bearer <token>`. */
  metricsToken?: string;
  /** `SIGHTLINE_TRUSTED_PROXIES`: the only peers whose X-Forwarded-* headers are believed (default: none). */
  trustedProxies?: TrustedProxies;
  /** Lets a browser that is not on this machine create the first account (see ui/first-user.ts); unset: only a local browser can. */
  setupToken?: string;
  /** Blob store and URL signing for media; without it the media routes are not served. */
  media?: MediaDeps;
  /** Encryption of provider secrets and the SSRF guard; without it the LLM connection routes are not served. */
  llm?: LlmDeps;
}

/** What a request did on an ingestion endpoint: set by the route, counted by /metrics. */
export interface IngestionOutcome {
  /** Events that passed validation and were handed to the ingestor. */
  events: number;
  /** The status of each event refused on its own (400 invalid, 401 scope). */
  errorStatuses: number[];
}

export interface AppEnv {
  Variables: { auth: AuthContext; ingestion: IngestionOutcome; client: ClientInfo };
}
