import type { SqlDialect, WritableDb } from '../db.js';
import type { Paged } from '../types.js';
import { createPromptVersion, deletePromptVersions, setPromptLabels } from './write-prompts.js';
import { getPrompt, promptHistory, promptRevision } from './get-prompt.js';
import { listPrompts } from './list-prompts.js';
import { promptGenerations, promptIds, promptVersionUsage } from './prompt-usage.js';
import type {
  NewPromptVersion,
  PromptGeneration,
  PromptListQuery,
  PromptRef,
  PromptSelector,
  PromptSummary,
  PromptTypeConflict,
  PromptVersion,
  PromptVersionUsage,
} from './types.js';
import type { Page } from '../types.js';

/**
 * Versioned prompts of a project. Versions count from 1 per name; a label names at most one
 * version of a name. Every write to a name runs in one transaction under that name's lock, so
 * concurrent creates get distinct consecutive versions and a moved label is never on two versions.
 */
export interface PromptStore {
  /** Creates the next version of `v.name`, or reports the name's other type. */
  create(v: NewPromptVersion): Promise<PromptVersion | PromptTypeConflict>;
  get(projectId: string, name: string, which: PromptSelector): Promise<PromptVersion | null>;
  /** Every version of a name, newest first (empty when the name has none). */
  history(projectId: string, name: string): Promise<PromptVersion[]>;
  /** Adds `labels` to a version, moving each from the version that held it; null when the version does not exist. */
  addLabels(projectId: string, name: string, version: number, labels: string[], at: number): Promise<PromptVersion | null>;
  /** Deletes every version of a name, or the one selected; the number of versions deleted. */
  delete(projectId: string, name: string, which?: PromptSelector): Promise<number>;
  /** Names in name order, each with its matching versions. */
  list(projectId: string, q: PromptListQuery): Promise<Paged<PromptSummary>>;
  /** A number that grows with every write to the project's prompts (what caches compare). */
  revision(projectId: string): Promise<number>;
  /** Ids of the stored versions among `refs` (one query per chunk), keyed by `promptRefKey(name, version)`. */
  ids(projectId: string, refs: PromptRef[]): Promise<Map<string, string>>;
  /** Per-version use of a prompt by generations: every stored or used version, newest first. */
  versionMetrics(projectId: string, name: string): Promise<PromptVersionUsage[]>;
  /** The generations that used one version, newest first. */
  generations(projectId: string, name: string, version: number, page: Page): Promise<Paged<PromptGeneration>>;
}

export function createPromptStore(db: WritableDb, d: SqlDialect): PromptStore {
  return {
    create: (v) => db.transaction((tx) => createPromptVersion(tx, d, v)),
    get: (projectId, name, which) => getPrompt(db, projectId, name, which),
    history: (projectId, name) => promptHistory(db, projectId, name),
    addLabels: (projectId, name, version, labels, at) => db.transaction((tx) => setPromptLabels(tx, d, projectId, name, version, labels, at)),
    delete: (projectId, name, which) => db.transaction((tx) => deletePromptVersions(tx, d, projectId, name, which)),
    list: (projectId, q) => listPrompts(db, projectId, q),
    revision: (projectId) => promptRevision(db, projectId),
    ids: (projectId, refs) => promptIds(db, d, projectId, refs),
    versionMetrics: (projectId, name) => promptVersionUsage(db, d, projectId, name),
    generations: (projectId, name, version, page) => promptGenerations(db, projectId, name, version, page),
  };
}
