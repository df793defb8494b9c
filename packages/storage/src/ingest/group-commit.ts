import type { IngestItem } from '../types.js';

/** Commits one set of items (one transaction): what the group commit drives. */
export type CommitItems = (items: IngestItem[], now: number) => Promise<void>;

export interface GroupCommitOptions {
  /**
   * Commits running at once. One runs whenever requests wait; more start only while the waiting
   * requests fill a whole group (`maxEvents` / `maxChars`) or the oldest has waited `maxWaitMs`:
   * groups stay as large as the traffic makes them — fewest statements, pages and fsyncs per
   * event — a backlog still commits in parallel where the engine can (PostgreSQL), and a small
   * request never waits long behind another project's large, slow commit.
   */
  inFlight: number;
  /** How long a request waits for the running commits before it takes a free slot of its own. */
  maxWaitMs: number;
  /** A group stops growing past this many events (a larger request still commits, alone). */
  maxEvents: number;
  /** Nor past this many characters of raw events. */
  maxChars: number;
  /** Called each time the last running commit ends with no request waiting. */
  onIdle?: () => void;
}

interface Waiting {
  items: IngestItem[];
  since: number;
  now: number;
  events: number;
  chars: number;
  resolve(): void;
  reject(err: unknown): void;
}

const countEvents = (items: IngestItem[]) => items.reduce((n, i) => n + i.events.length, 0);
const countChars = (items: IngestItem[]) => items.reduce((n, i) => i.raw.reduce((m, r) => m + r.length, n), 0);

/**
 * Group commit: while `inFlight` commits run, ingestion requests queue, and the next free slot
 * commits every waiting request (up to `maxEvents` / `maxChars`) in one transaction. Each request
 * still resolves only once its own events are committed, so a 207 keeps meaning durably stored;
 * the fixed costs of a commit — its statements, the pages an index shares between requests, the
 * fsync — are paid once per group instead of once per request. Merges are order-independent
 * (core/fold), so committing requests together stores what committing them one by one does.
 * When a group fails, its requests are committed again one by one: one request's failure is its
 * own, never its neighbours'.
 */
export function groupCommit(commit: CommitItems, { inFlight, maxEvents, maxChars, maxWaitMs, onIdle }: GroupCommitOptions) {
  const queue: Waiting[] = [];
  let running = 0;
  let waitingEvents = 0;
  let waitingChars = 0;
  let timer: ReturnType<typeof setTimeout> | null = null;

  const take = (): Waiting[] => {
    const group = [queue.shift()!];
    let events = group[0].events;
    let chars = group[0].chars;
    while (queue.length > 0 && events + queue[0].events <= maxEvents && chars + queue[0].chars <= maxChars) {
      const next = queue.shift()!;
      events += next.events;
      chars += next.chars;
      group.push(next);
    }
    waitingEvents -= events;
    waitingChars -= chars;
    return group;
  };

  const settleAlone = async (w: Waiting) => {
    try {
      await commit(w.items, w.now);
      w.resolve();
    } catch (err) {
      w.reject(err);
    }
  };

  const run = async (group: Waiting[]) => {
    if (group.length === 1) return settleAlone(group[0]);
    try {
      // One clock for the group: the latest arrival's (received_at of its log rows).
      await commit(group.flatMap((w) => w.items), Math.max(...group.map((w) => w.now)));
      for (const w of group) w.resolve();
    } catch {
      for (const w of group) await settleAlone(w);
    }
  };

  const pump = () => {
    const now = performance.now();
    const ready = () => waitingEvents >= maxEvents || waitingChars >= maxChars || now - queue[0].since >= maxWaitMs;
    while (queue.length > 0 && (running === 0 || (running < inFlight && ready()))) {
      const group = take();
      running++;
      void run(group).finally(() => {
        running--;
        pump();
        if (running === 0 && queue.length === 0) onIdle?.();
      });
    }
    // Requests left waiting behind running commits: a slot of their own once the oldest has waited maxWaitMs.
    if (timer) clearTimeout(timer);
    timer = null;
    if (queue.length > 0 && running < inFlight) {
      timer = setTimeout(pump, Math.max(0, maxWaitMs - (now - queue[0].since)));
      timer.unref?.();
    }
  };

  return {
    /** No commit runs and no request waits. */
    idle: () => running === 0 && queue.length === 0,
    submit(items: IngestItem[], now: number): Promise<void> {
      return new Promise<void>((resolve, reject) => {
        const w = { items, now, since: performance.now(), events: countEvents(items), chars: countChars(items), resolve, reject };
        queue.push(w);
        waitingEvents += w.events;
        waitingChars += w.chars;
        pump();
      });
    },
  };
}
