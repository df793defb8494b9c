import { createHash } from 'node:crypto';
import type { Db, Row, SqlDialect } from '../db.js';
import { chunk } from '../ingest/bulk-sql.js';
import { decodeBins, encodeBins } from './bins-codec.js';
import { binOf } from './histogram.js';
import type { RollupSpec } from './rollup-specs.js';
import { DAY, HOUR } from './time-buckets.js';

/** Rollup grains: hourly rows serve hour buckets and day edges; daily rows serve the rest. */
export const GRAINS = [HOUR, DAY] as const;
const KEY_COLUMNS = ['project_id', 'grain', 'group_key', 'bucket'] as const;

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

interface RowDelta {
  keys: [string, number, number, number];
  values: number[];
  bins: Map<number, number>[];
}

interface TableDelta {
  valueColumns: readonly string[];
  binColumns: readonly string[];
  rows: Map<string, RowDelta>;
}

/**
 * Net changes to rollup rows from one commit: records are added (+1) or taken back (−1), and
 * rows touched several times are folded together so that each row is written once.
 */
export class RollupDelta {
  private readonly groups = new Map<string, { table: string; dims: readonly string[]; row: unknown[] }>();
  private readonly tables = new Map<string, TableDelta>();

  add<R>(spec: RollupSpec<R>, projectId: string, r: R, sign: 1 | -1): void {
    const group = spec.group(r);
    const key = groupKey(group);
    const groupId = `${spec.tables.groups}\u0000${projectId}\u0000${key}`;
    if (!this.groups.has(groupId)) this.groups.set(groupId, { table: spec.tables.groups, dims: spec.dims, row: [projectId, key, ...group] });
    let table = this.tables.get(spec.tables.counters);
    if (!table) this.tables.set(spec.tables.counters, (table = { valueColumns: spec.counters, binColumns: spec.bins, rows: new Map() }));
    const values = spec.values(r);
    const hist = spec.histValues(r).map((v) => (v === null ? null : binOf(v)));
    const t = spec.time(r);
    for (const grain of GRAINS) {
      const bucket = Math.floor(t / grain) * grain;
      const id = `${groupId}\u0000${grain}\u0000${bucket}`;
      let row = table.rows.get(id);
      if (!row) table.rows.set(id, (row = { keys: [projectId, grain, key, bucket], values: new Array<number>(values.length).fill(0), bins: hist.map(() => new Map()) }));
      for (let i = 0; i < values.length; i++) row.values[i] += sign * values[i];
      for (let j = 0; j < hist.length; j++) {
        const bin = hist[j];
        if (bin !== null) row.bins[j].set(bin, (row.bins[j].get(bin) ?? 0) + sign);
      }
    }
  }

  /** Writes the net changes: new groups, then every changed row, in key order. */
  async flush(tx: Db, d: SqlDialect): Promise<void> {
    const groups = new Map<string, { dims: readonly string[]; rows: unknown[][] }>();
    for (const { table, dims, row } of this.groups.values()) {
      const entry = groups.get(table) ?? { dims, rows: [] };
      entry.rows.push(row);
      groups.set(table, entry);
    }
    for (const [table, { dims, rows }] of groups) {
      await upsert(tx, d, table, ['project_id', 'group_key'], dims, [], rows.sort(compareKeys), 'ignore');
    }
    for (const [table, t] of this.tables) {
      const changed = [...t.rows.values()].filter((r) => r.values.some((v) => v !== 0) || r.bins.some((b) => [...b.values()].some((n) => n !== 0)));
      // One order in every transaction, so concurrent writers on PostgreSQL cannot deadlock.
      changed.sort((a, b) => compareKeys(a.keys, b.keys));
      const stored = t.binColumns.length > 0 ? await lockAndReadBins(tx, d, table, t.binColumns, changed) : new Map<string, Row>();
      const rows = changed.map((r) => {
        const old = stored.get(r.keys.join('\u0000'));
        const bins = t.binColumns.map((c, j) => {
          const merged = decodeBins(old?.[c]);
          for (const [bin, n] of r.bins[j]) merged.set(bin, (merged.get(bin) ?? 0) + n);
          return encodeBins(merged);
        });
        return [...r.keys, ...r.values, ...bins];
      });
      await upsert(tx, d, table, KEY_COLUMNS, t.valueColumns, t.binColumns, rows, 'add');
    }
  }
}

/**
 * Bins are merged in JS, so each row is read and rewritten: lock the rows' keys first (a no-op
 * with a single writer), then read their stored bins.
 */
async function lockAndReadBins(tx: Db, d: SqlDialect, table: string, columns: readonly string[], rows: RowDelta[]): Promise<Map<string, Row>> {
  await d.lockKeys(tx, rows.map((r) => `${table}\u0000${r.keys.join('\u0000')}`));
  const out = new Map<string, Row>();
  for (const part of chunk(rows, 4, 800)) {
    const where = part.map(() => '(project_id = ? AND grain = ? AND group_key = ? AND bucket = ?)').join(' OR ');
    const found = await tx.all<Row>(`SELECT ${[...KEY_COLUMNS, ...columns].join(', ')} FROM ${table} WHERE ${where}`, part.flatMap((r) => r.keys));
    for (const row of found) out.set(KEY_COLUMNS.map((c) => (c === 'project_id' ? String(row[c]) : Number(row[c]))).join('\u0000'), row);
  }
  return out;
}

function compareKeys(a: unknown[], b: unknown[]): number {
  for (let i = 0; i < a.length; i++) {
    const x = a[i] as string | number;
    const y = b[i] as string | number;
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}

/** Multi-row upsert: on conflict, `add` adds the value columns and replaces the bin columns; `ignore` keeps the row. */
async function upsert(
  tx: Db, d: SqlDialect, table: string, keys: readonly string[], values: readonly string[], replaced: readonly string[], rows: unknown[][], action: 'add' | 'ignore',
): Promise<void> {
  if (rows.length === 0) return;
  const columns = [...keys, ...values, ...replaced];
  const tuple = `(${columns.map(() => '?').join(', ')})`;
  const sets = [...values.map((c) => `${c} = ${table}.${c} + excluded.${c}`), ...replaced.map((c) => `${c} = excluded.${c}`)];
  const onConflict = action === 'ignore' ? 'DO NOTHING' : `DO UPDATE SET ${sets.join(', ')}`;
  for (const part of chunk(rows, columns.length, d.maxParams)) {
    const sql = `INSERT INTO ${table} (${columns.join(', ')}) VALUES ${part.map(() => tuple).join(', ')} ON CONFLICT (${keys.join(', ')}) ${onConflict}`;
    await tx.run(sql, part.flat());
  }
}
