import { fromDecimal, toDecimal } from '@sightline/core';
import type { Row } from '../db.js';
import { fromHalves } from '../metrics/exact-sum.js';

const PICO = toDecimal(1e-12);

/** A session's or user's totals as the lists show them, from its `group_totals` columns (null columns: no traces). */
export interface GroupFigures {
  traceCount: number;
  firstTrace: number | null;
  lastTrace: number | null;
  totalTokens: number;
  totalCost: number;
}

/** The figures of a `group_totals` row (selected as is, or LEFT JOINed: then all null without a row). */
export function groupFigures(row: Row): GroupFigures {
  if (row.trace_count === null || row.trace_count === undefined) return { traceCount: 0, firstTrace: null, lastTrace: null, totalTokens: 0, totalCost: 0 };
  return {
    traceCount: Number(row.trace_count),
    firstTrace: Number(row.first_trace),
    lastTrace: Number(row.last_trace),
    totalTokens: Number(row.total_tokens),
    // Fixed point in units of 1e-12, read as trace-aggregates.ts reads its exact SQL sums.
    totalCost: fromDecimal(fromHalves(row.cost_hi, row.cost_lo) * PICO),
  };
}
