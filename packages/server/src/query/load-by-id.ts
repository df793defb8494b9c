import { hasNul } from './parse-params.js';

/**
 * Runs `load` for an id taken from the path. An id no storage can hold (one with a NUL
 * character, which PostgreSQL text rejects) is simply not found, without a query.
 */
export const loadById = <T>(id: string, load: (id: string) => Promise<T>, missing: T): Promise<T> =>
  hasNul(id) ? Promise.resolve(missing) : load(id);
