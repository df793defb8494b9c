import type { ScoreDataType } from '@sightline/core';
import type { Db, Row } from '../db.js';
import { scoreFilterWhere, type ScoreFilter } from './search-scores.js';

/** How the values of one score name are spread: equal-width bins for numbers, counts per label otherwise. */
export interface ScoreDistribution {
  name: string;
  dataType: ScoreDataType;
  count: number;
  /** NUMERIC: `[lower, upper, count]` per bin between the smallest and largest value. */
  bins: [number, number, number][];
  /** CATEGORICAL and BOOLEAN (and TEXT): the most frequent labels first. */
  categories: { label: string; count: number }[];
}

const CATEGORY_LIMIT = 20;

/**
 * Distributions per score name and data type of the scores matching `f`, computed in SQL: one
 * query bins the numeric scores (bounds from window functions), one counts the labels of the rest.
 */
export async function scoreDistributions(db: Db, projectId: string, f: ScoreFilter, binCount: number): Promise<ScoreDistribution[]> {
  const w = scoreFilterWhere(projectId, f);
  const b = Math.max(1, Math.floor(binCount));
  const bin = `CASE WHEN hi = lo THEN 0 WHEN value >= hi THEN ${b - 1} ELSE CAST(FLOOR(CAST(value - lo AS DOUBLE PRECISION) * ${b} / CAST(hi - lo AS DOUBLE PRECISION)) AS INTEGER) END`;
  const numeric = await db.all<Row>(
    `SELECT name, lo, hi, bin, COUNT(*) AS c FROM (
       SELECT name, lo, hi, ${bin} AS bin FROM (
         SELECT name, value, MIN(value) OVER (PARTITION BY name) AS lo, MAX(value) OVER (PARTITION BY name) AS hi
           FROM scores ${w.sql} AND data_type = 'NUMERIC') x) y
     GROUP BY name, lo, hi, bin ORDER BY name, bin`,
    w.params,
  );
  const labelled = await db.all<Row>(
    `SELECT name, data_type, COALESCE(string_value, CAST(value AS TEXT)) AS label, COUNT(*) AS c
       FROM scores ${w.sql} AND data_type <> 'NUMERIC'
      GROUP BY name, data_type, COALESCE(string_value, CAST(value AS TEXT)) ORDER BY name, data_type, c DESC, label`,
    w.params,
  );
  const out = new Map<string, ScoreDistribution>();
  const entry = (name: string, dataType: ScoreDataType) => {
    const key = `${dataType}\u0000${name}`;
    let d = out.get(key);
    if (!d) {
      d = { name, dataType, count: 0, bins: [], categories: [] };
      out.set(key, d);
    }
    return d;
  };
  for (const r of numeric) {
    const d = entry(String(r.name), 'NUMERIC');
    const lo = Number(r.lo);
    const hi = Number(r.hi);
    if (d.bins.length === 0) {
      const n = hi === lo ? 1 : b;
      d.bins = Array.from({ length: n }, (_, j) => [lo + (j * (hi - lo)) / b, hi === lo ? hi : lo + ((j + 1) * (hi - lo)) / b, 0]);
    }
    d.bins[Number(r.bin)][2] += Number(r.c);
    d.count += Number(r.c);
  }
  for (const r of labelled) {
    const d = entry(String(r.name), String(r.data_type) as ScoreDataType);
    d.count += Number(r.c);
    if (d.categories.length < CATEGORY_LIMIT) d.categories.push({ label: String(r.label), count: Number(r.c) });
  }
  return [...out.values()].sort((x, y) => x.name.localeCompare(y.name) || x.dataType.localeCompare(y.dataType));
}
