import { formatCost } from '../format.js';

/** What a chart's values are, which decides its axis and labels. */
export type Unit = 'count' | 'tokens' | 'usd' | 'duration' | 'number';

export interface Axis {
  min: number;
  max: number;
  /** Tick values in the data's own unit (ms for durations). */
  ticks: number[];
  /** A tick or value as text, in the axis's unit (all ticks share it: `0 s`, `30 s`, `60 s`). */
  format(v: number): string;
}

/** 1, 2, 2.5 or 5 times a power of ten: the step a person would choose. */
export function niceStep(rough: number): number {
  if (!(rough > 0) || !Number.isFinite(rough)) return 1;
  const power = 10 ** Math.floor(Math.log10(rough));
  // Rounded so that float noise (4e-5 / 4 = 1.0000000000000001e-5) does not skip a step.
  const f = Number((rough / power).toPrecision(9));
  return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 2.5 ? 2.5 : f <= 5 ? 5 : 10) * power;
}

/** About `count` ticks at a nice step covering [min, max]; the range always holds 0. */
export function niceTicks(min: number, max: number, count = 4): { min: number; max: number; ticks: number[] } {
  const lo = Math.min(0, min);
  let hi = Math.max(0, max);
  if (lo === hi) hi = lo + 1;
  const step = niceStep((hi - lo) / count);
  const clean = (v: number) => Number(v.toPrecision(9));
  const first = Math.floor(clean(lo / step));
  const last = Math.ceil(clean(hi / step));
  const ticks = Array.from({ length: last - first + 1 }, (_, i) => clean((first + i) * step));
  return { min: ticks[0], max: ticks[ticks.length - 1], ticks };
}

const DURATION_UNITS = [
  { name: 'h', ms: 3_600_000, from: 2 * 3_600_000 },
  { name: 'min', ms: 60_000, from: 120_000 },
  { name: 's', ms: 1000, from: 1000 },
  { name: 'ms', ms: 1, from: 0 },
];

const trim = (v: number) => String(Number(v.toPrecision(3)));

/** A duration in the unit that reads best: `850 ms`, `1.5 s`, `2.5 min`, `3 h`. */
export function formatLatency(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '–';
  const unit = DURATION_UNITS.find((u) => Math.abs(ms) >= u.from) ?? DURATION_UNITS[3];
  return `${trim(ms / unit.ms)} ${unit.name}`;
}

/** Counts and plain numbers, short: `950`, `1.2k`, `3.4M`, `0.75`. */
export function formatCompact(v: number): string {
  const a = Math.abs(v);
  if (a >= 1e9) return `${trim(v / 1e9)}B`;
  if (a >= 1e6) return `${trim(v / 1e6)}M`;
  if (a >= 1e4) return `${trim(v / 1e3)}k`;
  return trim(v);
}

/** A value of `unit` as text (tooltips, numbers, tables). */
export function formatValue(v: number | null | undefined, unit: Unit): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '–';
  if (unit === 'usd') return formatCost(v);
  if (unit === 'duration') return formatLatency(v);
  return formatCompact(v);
}

/**
 * The y axis of values in `unit`: from 0 (or below, for negatives) to a nice maximum. Durations
 * get nice steps in one readable unit (seconds for a minute and a half, not 90000 ms).
 */
export function axisFor(values: readonly (number | null)[], unit: Unit): Axis {
  const present = values.filter((v): v is number => v !== null && Number.isFinite(v));
  const lo = present.length ? Math.min(...present) : 0;
  const hi = present.length ? Math.max(...present) : 0;
  if (unit === 'duration') {
    const u = DURATION_UNITS.find((x) => Math.max(Math.abs(lo), Math.abs(hi)) >= x.from) ?? DURATION_UNITS[3];
    const t = niceTicks(lo / u.ms, hi / u.ms);
    return { min: t.min * u.ms, max: t.max * u.ms, ticks: t.ticks.map((v) => v * u.ms), format: (v) => `${trim(v / u.ms)} ${u.name}` };
  }
  const t = niceTicks(lo, hi);
  const whole = unit === 'count' || unit === 'tokens';
  // Counts never have fractional ticks: a step below 1 becomes 1.
  const ticks = whole && t.ticks.length > 1 && t.ticks[1] - t.ticks[0] < 1 ? Array.from({ length: Math.ceil(t.max) + 1 }, (_, i) => i) : t.ticks;
  return { min: t.min, max: whole ? Math.max(t.max, ticks[ticks.length - 1]) : t.max, ticks, format: (v) => formatValue(v, unit) };
}

/** Maps `[min, max]` onto `[bottom, top]` pixels (y grows downwards). */
export const scaleY = (axis: Pick<Axis, 'min' | 'max'>, bottom: number, top: number) => (v: number) =>
  bottom - ((v - axis.min) / (axis.max - axis.min || 1)) * (bottom - top);

/** The unit of a metric from its measure and aggregation (counts are counts whatever they count). */
export function unitOf(measure: string, aggregation: string): Unit {
  if (aggregation === 'count' || aggregation === 'uniq') return 'count';
  if (/latency|timeToFirstToken|duration/i.test(measure)) return 'duration';
  if (/cost/i.test(measure)) return 'usd';
  if (/token|usage/i.test(measure)) return 'tokens';
  return measure === 'count' ? 'count' : 'number';
}
