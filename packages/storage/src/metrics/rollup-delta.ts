import { createHash } from 'node:crypto';
import type { Db, SqlDialect } from '../db.js';
import { chunk } from '../ingest/bulk-sql.js';
import { binOf } from './histogram.js';
import type { RollupSpec } from './rollup-specs.js';
import { DAY, HOUR } from './time-buckets.js';

/** Rollup grains: hourly rows serve hour buckets and day edges; daily rows serve the rest. */
export const GRAINS = [HOUR, DAY] as const;

const keyCache = new Map<string, number>();

/**
 * The group key of a combination of dimension values: 52 bits of its SHA-256, a safe integer
 * on every driver. The groups table maps it back to the values, so rollup rows stay narrow.
 */
export function groupKey(values: (string | null)[]): number {
  const text = JSON.stringify(values);
  let key = keyCache.get(text);
  if (key === undefined) {
    const h = createHash('sha256').update(text).digest();
    key = h.readUIntBE(0, 6) * 16 + (h[6] >> 4);
    if (keyCache.size > 50_000) keyCache.clear();
    keyCache.set(text, key);
  }
  return key;
}

interface Acc {
  keys: unknown[];
  values: number[];
}

interface TableAcc {
  keyColumns: string[];
  valueColumns: readonly string[];
  rows: Map<string, Acc>;
}

/**
 * Net changes to rollup rows from one commit: records are added (+1) or taken back (−1), and
 * rows touched several times are folded together so that each row is upserted once.
 */
export class RollupDelta {
  private readonly groups = new Map<string, { table: string; dims: readonly string[]; row: unknown[] }>();
  private readonly tables = new Map<string, TableAcc>();

  add<R>(spec: RollupSpec<R>, projectId: string, r: R, sign: 1 | -1): void {
    const group = spec.group(r);
    const key = groupKey(group);
    this.groups.set(`${spec.tables.groups}\u0000${projectId}\u0000${key}`, { table: spec.tables.groups, dims: spec.dims, row: [projectId, key, ...group] });
    const values = spec.values(r).map((v) => v * sign);
    const hists = spec.histValues(r);
    const t = spec.time(r);
    for (const grain of GRAINS) {
      const bucket = Math.floor(t / grain) * grain;
      this.bump(spec.tables.counters, ['project_id', 'grain', 'group_key', 'bucket'], spec.counters, [projectId, grain, key, bucket], values);
      hists.forEach((v, j) => {
        if (v === null || !spec.tables.bins) return;
        const keys = [projectId, spec.hists[j], grain, key, bucket, binOf(v)];
        this.bump(spec.tables.bins, ['project_id', 'measure', 'grain', 'group_key', 'bucket', 'bin'], ['n'], keys, [sign]);
      });
    }
  }

  private bump(table: string, keyColumns: string[], valueColumns: readonly string[], keys: unknown[], values: number[]): void {
    let t = this.tables.get(table);
    if (!t) this.tables.set(table, (t = { keyColumns, valueColumns, rows: new Map() }));
    const id = JSON.stringify(keys);
    const acc = t.rows.get(id);
    if (acc) values.forEach((v, i) => (acc.values[i] += v));
    else t.rows.set(id, { keys, values: [...values] });
  }

  /** Writes the net changes: new groups, then additive upserts of every non-zero row, in key order. */
  async flush(tx: Db, d: SqlDialect): Promise<void> {
    const byTable = new Map<string, { dims: readonly string[]; rows: unknown[][] }>();
    for (const { table, dims, row } of this.groups.values()) {
      const entry = byTable.get(table) ?? { dims, rows: [] };
      entry.rows.push(row);
      byTable.set(table, entry);
    }
    for (const [table, { dims, rows }] of byTable) await upsert(tx, d, table, ['project_id', 'group_key'], dims, rows.sort(compareRows), 'ignore');
    for (const [table, t] of this.tables) {
      const rows = [...t.rows.values()].filter((a) => a.values.some((v) => v !== 0)).map((a) => [...a.keys, ...a.values]);
      // The same order in every transaction, so concurrent writers on PostgreSQL cannot deadlock.
      await upsert(tx, d, table, t.keyColumns, t.valueColumns, rows.sort(compareRows), 'add');
    }
  }
}

function compareRows(a: unknown[], b: unknown[]): number {
  for (let i = 0; i < a.length; i++) {
    const x = a[i] as string | number;
    const y = b[i] as string | number;
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}

async function upsert(tx: Db, d: SqlDialect, table: string, keys: string[], values: readonly string[], rows: unknown[][], action: 'add' | 'ignore'): Promise<void> {
  if (rows.length === 0) return;
  const columns = [...keys, ...values];
  const tuple = `(${columns.map(() => '?').join(', ')})`;
  const onConflict = action === 'ignore'
    ? 'DO NOTHING'
    : `DO UPDATE SET ${values.map((c) => `${c} = ${table}.${c} + excluded.${c}`).join(', ')}`;
  for (const part of chunk(rows, columns.length, d.maxParams)) {
    const sql = `INSERT INTO ${table} (${columns.join(', ')}) VALUES ${part.map(() => tuple).join(', ')} ON CONFLICT (${keys.join(', ')}) ${onConflict}`;
    await tx.run(sql, part.flat());
  }
}
