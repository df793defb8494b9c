// `node --import <this file>`: run TypeScript sources in this thread (see ts-hooks.mjs). The
// storage test fixture starts the SQLite ingestion worker with it, so in-process suites commit
// on the production worker thread, running the current sources.
import { register } from 'node:module';

register('./ts-hooks.mjs', import.meta.url);
