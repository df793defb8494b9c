import { afterAll, beforeAll, describe } from 'vitest';
import type { Storage } from '../storage.js';
import { ENGINES, ingestItem, openTestStorage, type Engine, type RawEvent, type TestStorage } from './index.js';

/** What a suite of `describeEachEngine` works with: one fresh storage of one engine. */
export interface EngineSuite {
  readonly engine: Engine;
  /** The suite's storage; open from the suite's first `beforeAll` until its last `afterAll`. */
  readonly storage: Storage;
  /** A project id not used before in this suite. */
  newProject(): string;
  /** Ingests the events in one commit, as one ingestion request would. */
  ingest(projectId: string, ...events: RawEvent[]): Promise<void>;
}

/**
 * Runs the same suite once per engine (SQLite, PostgreSQL), each on a storage of its own that is
 * opened before the suite's tests and closed (its database removed) after them.
 *
 * @example
 * describeEachEngine('score store', (ctx) => {
 *   it('gets a score', async () => {
 *     const p = ctx.newProject();
 *     await ctx.ingest(p, rawEvent('score-create', { id: 's', name: 'q', value: 1 }, 0));
 *     expect(await ctx.storage.scores.get(p, 's')).not.toBeNull();
 *   });
 * });
 */
export function describeEachEngine(title: string, body: (suite: EngineSuite) => void): void {
  describe.each(ENGINES)(`${title} (%s)`, (engine) => {
    let opened: TestStorage | undefined;
    let projects = 0;
    beforeAll(async () => {
      opened = await openTestStorage(engine);
    });
    afterAll(async () => {
      await opened?.close();
    });
    const suite: EngineSuite = {
      engine,
      get storage() {
        if (!opened) throw new Error('the test storage is open only inside tests and hooks');
        return opened.storage;
      },
      newProject: () => `proj-${++projects}`,
      ingest: (projectId, ...events) => suite.storage.ingest([ingestItem(projectId, events)]),
    };
    body(suite);
  });
}
