import { badRequest } from '@sightline/core';

/** Longest retention period accepted: 100 years (a longer one is "keep forever", i.e. none). */
export const MAX_RETENTION_DAYS = 36_500;

/**
 * A retention period as clients send it: a whole number of days from 1 to 36,500, or null
 * (or "off" from the CLI) for keeping data forever. Anything else is a 400 naming the field.
 */
export function parseRetentionDays(value: unknown, field = 'retentionDays'): number | null {
  if (value === null || value === 'off') return null;
  const n = typeof value === 'string' && /^\d+$/.test(value.trim()) ? Number(value.trim()) : value;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1 || n > MAX_RETENTION_DAYS) {
    throw badRequest(`${field}: must be a whole number of days from 1 to ${MAX_RETENTION_DAYS}, or null to keep data forever`);
  }
  return n;
}
