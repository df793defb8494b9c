export { createApp } from './app.js';
export type { AppDeps, AppEnv, AuthContext } from './http/app-env.js';
export { createIngestor, type Ingestor } from './ingest/ingestor.js';
export { createLogger, type Logger } from './logger.js';
