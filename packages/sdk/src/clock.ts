let lastMs = -1;
let lastIso = '';

/**
 * `new Date().toISOString()`, formatted at most once per millisecond: formatting costs about as
 * much as serialising a small event, and a trace's calls mostly land in the same millisecond.
 */
export function isoNow(): string {
  const ms = Date.now();
  if (ms !== lastMs) {
    lastMs = ms;
    lastIso = new Date(ms).toISOString();
  }
  return lastIso;
}
