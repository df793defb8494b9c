import type { PromptSelector, PromptStore, PromptVersion } from '@sightline/storage';

/** Entries kept per project before its cache starts over (each is one served prompt). */
const MAX_ENTRIES_PER_PROJECT = 2_000;
/** Projects kept before the whole cache starts over. */
const MAX_PROJECTS = 1_000;

export interface PromptCacheOptions {
  store: PromptStore;
}

/**
 * Served prompts kept in this process. Every write to a project's prompts raises its revision in
 * the database (prompt_revisions); each fetch reads that number first and drops the project's
 * entries when it moved. So a write on any instance sharing the database is seen by the next
 * fetch on every instance, at the cost of one primary-key read per fetch.
 *
 * An entry is never older than the revision it is filed under: the revision is read before the
 * prompt, so a write between the two only makes the entry newer.
 *
 * Concurrent fetches of one project share revision reads: a fetch uses a read that starts after
 * it arrived — a read not sent yet (reads are sent on the next turn of the event loop), or the
 * one queued behind the read already running, shared by everyone who arrives meanwhile — never
 * one already running, so it still sees every write committed before it arrived. At most two reads per project are in flight however many fetches wait.
 */
export interface PromptCache {
  /**
   * What `load` gives for `key` in `projectId`, from memory while the project's prompts are
   * unchanged. `load` reads through `get`, which caches the versions it reads too.
   */
  serve<T>(projectId: string, key: string, load: (get: CachedGet) => Promise<T>): Promise<T>;
}

export type CachedGet = (name: string, which: PromptSelector) => Promise<PromptVersion | null>;

interface ProjectEntries {
  revision: number;
  served: Map<string, unknown>;
  versions: Map<string, PromptVersion | null>;
}

const versionKey = (name: string, which: PromptSelector) => JSON.stringify(['version' in which ? 'v' : 'l', name, 'version' in which ? which.version : which.label]);

interface RevisionReads {
  running: Promise<number>;
  /** Whether `running` has sent its query; until then, fetches that arrive join it. */
  started: boolean;
  /** The next read, started when `running` settles; shared by the fetches that arrive meanwhile. */
  queued?: Promise<number>;
}

const settled = (p: Promise<unknown>) => p.then(() => undefined, () => undefined);

export function createPromptCache({ store }: PromptCacheOptions): PromptCache {
  const projects = new Map<string, ProjectEntries>();
  const reads = new Map<string, RevisionReads>();

  function startRead(projectId: string): Promise<number> {
    // The query is sent on the next turn of the event loop, so every fetch parsed in this turn
    // shares it (on SQLite a read completes at once, so without this nothing would be shared).
    const slot: RevisionReads = { started: false, running: Promise.resolve(0) };
    slot.running = new Promise<void>((ready) => setImmediate(ready)).then(() => {
      slot.started = true;
      return store.revision(projectId);
    });
    reads.set(projectId, slot);
    void settled(slot.running).then(() => {
      if (reads.get(projectId) === slot && !slot.queued) reads.delete(projectId);
    });
    return slot.running;
  }

  /** The project's revision, from a read that started after this call (see above). */
  function revisionOf(projectId: string): Promise<number> {
    const slot = reads.get(projectId);
    if (!slot) return startRead(projectId);
    // Not sent yet: it will start after this call, so it sees every write committed before it.
    if (!slot.started) return slot.running;
    slot.queued ??= settled(slot.running).then(() => startRead(projectId));
    return slot.queued;
  }

  async function entriesOf(projectId: string): Promise<ProjectEntries> {
    const revision = await revisionOf(projectId);
    let entries = projects.get(projectId);
    if (!entries || entries.revision !== revision || entries.served.size + entries.versions.size > MAX_ENTRIES_PER_PROJECT) {
      if (!entries && projects.size >= MAX_PROJECTS) projects.clear();
      entries = { revision, served: new Map(), versions: new Map() };
      projects.set(projectId, entries);
    }
    return entries;
  }

  return {
    async serve(projectId, key, load) {
      const entries = await entriesOf(projectId);
      if (entries.served.has(key)) return entries.served.get(key) as Awaited<ReturnType<typeof load>>;
      const get: CachedGet = async (name, which) => {
        const k = versionKey(name, which);
        if (entries.versions.has(k)) return entries.versions.get(k)!;
        const version = await store.get(projectId, name, which);
        entries.versions.set(k, version);
        return version;
      };
      const value = await load(get);
      entries.served.set(key, value);
      return value;
    },
  };
}
