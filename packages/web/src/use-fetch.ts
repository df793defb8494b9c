import { useCallback, useEffect, useRef, useState } from 'react';
import { api } from './api.js';

export interface Fetched<T> {
  data: T | null;
  /** The path `data` answered: an older one while a changed path is loading (callers that must not show stale data compare it). */
  dataPath: string | null;
  error: string | null;
  loading: boolean;
  reload(): void;
}

/** GETs `path` whenever it changes (null: nothing); stale responses of an older path are dropped. */
export function useFetch<T>(path: string | null): Fetched<T> {
  const [data, setData] = useState<T | null>(null);
  const [dataPath, setDataPath] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const [tick, setTick] = useState(0);
  const current = useRef(0);
  useEffect(() => {
    if (path === null) return;
    const id = ++current.current;
    setLoading(true);
    api.get<T>(path).then(
      (d) => {
        if (id !== current.current) return;
        setData(d);
        setDataPath(path);
        setError(null);
        setLoading(false);
      },
      (err: unknown) => {
        if (id !== current.current) return;
        setError(err instanceof Error ? err.message : String(err));
        setLoading(false);
      },
    );
  }, [path, tick]);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  return { data, dataPath, error, loading, reload };
}
