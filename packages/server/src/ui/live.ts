import type { IngestItem } from '@sightline/storage';
import type { Ingestor } from '../ingest/ingestor.js';

type Listener = (traceIds: string[]) => void;

/** In-process fan-out of "these traces changed" from the ingestor's commits to the UI's live streams. */
export interface LiveHub {
  subscribe(projectId: string, listener: Listener): () => void;
}

/** The trace ids an item's events touch, per project. */
function touchedTraces(items: IngestItem[]): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const item of items) {
    let ids = out.get(item.projectId);
    for (const e of item.events) {
      const id = e.kind === 'trace' ? e.entityId : e.change.traceId;
      if (!id) continue;
      if (!ids) out.set(item.projectId, (ids = new Set()));
      ids.add(id);
    }
  }
  return out;
}

export function createLiveHub(ingestor: Ingestor): LiveHub {
  const listeners = new Map<string, Set<Listener>>();
  ingestor.onCommit((items) => {
    if (listeners.size === 0) return;
    for (const [projectId, ids] of touchedTraces(items)) {
      for (const listener of listeners.get(projectId) ?? []) listener([...ids]);
    }
  });
  return {
    subscribe(projectId, listener) {
      let set = listeners.get(projectId);
      if (!set) listeners.set(projectId, (set = new Set()));
      set.add(listener);
      return () => {
        set.delete(listener);
        if (set.size === 0) listeners.delete(projectId);
      };
    },
  };
}
