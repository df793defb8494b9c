import { migrationsFor } from '../schema/migrations.js';

/** Numbered sqlite migrations, rendered from the one schema: add new ones in schema/migrations.ts. */
export const migrations = migrationsFor('sqlite');
