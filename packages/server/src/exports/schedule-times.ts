import type { ExportFrequency } from '@sightline/storage';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** The next run of a schedule after `now`: the next full hour, or the next midnight UTC. */
export function nextRunAfter(frequency: ExportFrequency, now: number): number {
  const step = frequency === 'hourly' ? HOUR : DAY;
  return (Math.floor(now / step) + 1) * step;
}

/** `20240301T100000Z`: a UTC time that sorts as text and is a valid blob key segment. */
export const compactTime = (ms: number): string => new Date(ms).toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');

/**
 * `exports/<project>/traces_<window start>_<window end>.<ext>`: objects list by project and sort
 * by time; the first run's window starts at the epoch (it covers everything before it).
 */
export function exportObjectKey(projectId: string, from: number, to: number, ext: string): string {
  return `exports/${projectId.replace(/[^A-Za-z0-9_-]/g, '_')}/traces_${compactTime(from)}_${compactTime(to)}.${ext}`;
}
