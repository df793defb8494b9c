import { useState } from 'react';
import { useUrlState } from '../url-state.js';
import { RANGES } from '../pages/TracesPage.js';
import { chooseBucket, type Bucket } from './buckets.js';

/** The range a page shows and its bucket: all time is monthly (trimmed to the data) so it stays within the engine's row limit. */
export function useRange(): { range: string; from: number; to: number; bucket: Bucket; set: ReturnType<typeof useUrlState>[1]; params: URLSearchParams } {
  const [params, set] = useUrlState();
  const range = params.get('range') ?? '7d';
  const [now] = useState(() => Date.now());
  const span = RANGES[range] === undefined ? RANGES['7d'] : RANGES[range];
  const from = span === null ? 0 : now - (span ?? 0);
  return { range, from, to: now, bucket: span === null ? 'month' : chooseBucket(from, now), set, params };
}

/** The time ranges the dashboards offer (the traces list's ranges). */
export function RangeSelect({ range, onChange }: { range: string; onChange: (range: string) => void }) {
  return (
    <select aria-label="Time range" value={range} onChange={(e) => onChange(e.target.value)}>
      <option value="1h">Last hour</option>
      <option value="24h">Last 24 hours</option>
      <option value="7d">Last 7 days</option>
      <option value="30d">Last 30 days</option>
      <option value="all">All time</option>
    </select>
  );
}

