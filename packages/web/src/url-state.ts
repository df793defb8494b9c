import { useCallback } from 'react';
import { useLocation, useSearch } from 'wouter';

/**
 * The page's state in the query string, so a view can be shared and survives a reload.
 * `set` merges changes; empty values are dropped.
 */
export type UrlChanges = Record<string, string | string[] | null | undefined>;

export function useUrlState(): [URLSearchParams, (changes: UrlChanges, replace?: boolean) => void] {
  const search = useSearch();
  const [location, navigate] = useLocation();
  const params = new URLSearchParams(search);
  const set = useCallback(
    (changes: UrlChanges, replace = false) => {
      const next = new URLSearchParams(search);
      for (const [k, v] of Object.entries(changes)) {
        next.delete(k);
        if (Array.isArray(v)) for (const x of v) next.append(k, x);
        else if (v !== null && v !== undefined && v !== '') next.set(k, v);
      }
      const q = next.toString();
      navigate(q ? `${location}?${q}` : location, { replace });
    },
    [search, location, navigate],
  );
  return [params, set];
}
