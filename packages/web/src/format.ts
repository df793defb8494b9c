export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || ms < 0) return '–';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
  const m = Math.floor(ms / 60_000);
  return `${m} m ${Math.round((ms % 60_000) / 1000)} s`;
}

export function formatCost(usd: number | null | undefined): string {
  if (usd === null || usd === undefined) return '–';
  if (usd === 0) return '$0';
  if (Math.abs(usd) >= 1) return `${usd < 0 ? '-' : ''}$${Math.abs(usd).toFixed(2)}`;
  // Below a dollar: money, never exponent notation — at least 6 decimals, and enough to show two
  // significant digits of a tiny cost ($0.000045, $0.00000012), up to 12 decimals.
  const decimals = Math.min(12, Math.max(6, 1 - Math.floor(Math.log10(Math.abs(usd)))));
  const text = Math.abs(usd).toFixed(decimals).replace(/0+$/, '').replace(/\.$/, '');
  return `${usd < 0 ? '-' : ''}$${text === '0' ? '0' : text}`;
}

export function formatTokens(n: number | null | undefined): string {
  if (!n) return '–';
  return n >= 10_000 ? `${(n / 1000).toFixed(1)}k` : String(Math.round(n));
}

export function formatTime(ms: number): string {
  const d = new Date(ms);
  return d.toLocaleString(undefined, { year: 'numeric', month: 'short', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });
}

export function formatScore(s: { value: number; stringValue: string | null; dataType: string }): string {
  if (s.dataType === 'NUMERIC') return Number.isInteger(s.value) ? String(s.value) : s.value.toFixed(2);
  return s.stringValue ?? String(s.value);
}

/** A pager's "Page n of m (total)"; an estimated total (a list counted exactly only up to a bound) reads "about". */
export function formatPageOf(page: number, limit: number, total: number, estimated = false): string {
  const pages = Math.max(1, Math.ceil(total / limit));
  const about = estimated ? 'about ' : '';
  return `Page ${page.toLocaleString('en-US')} of ${about}${pages.toLocaleString('en-US')} (${about}${total.toLocaleString('en-US')})`;
}
