import { createHash } from 'node:crypto';
import type { Db, Row, SqlDialect } from '../db.js';
import { insertRowsStatements, isPreparableAll } from '../ingest/bulk-sql.js';
import { preparable } from '../postgres/prepared.js';
import { decodeBins, encodeBins } from './bins-codec.js';
import { toHalves } from './exact-sum.js';
import { binOf } from './histogram.js';
import type { RollupSpec } from './rollup-specs.js';
import { GRAINS } from './rollup-plan.js';
const KEYS = ['project_id', 'grain', 'bucket', 'group_key'] as const;

const keyCache = new Map<string, number>();

/** The key of a combination of dimension values within a bucket: 52 bits of its SHA-256, a safe integer on every driver. */
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
  dims: (string | null)[];
  /** Per counter of the spec; wide counters (exact-sum.ts) exactly, as BigInt. */
  values: (number | bigint)[];
  bins: Map<number, number>[];
}

interface TableDelta {
  spec: RollupSpec<unknown>;
  rows: Map<string, RowDelta>;
}

const changedBins = (r: RowDelta) => r.bins.some((b) => [...b.values()].some((n) => n !== 0));
const changed = (r: RowDelta) => r.values.some((v) => v !== 0 && v !== 0n) || changedBins(r);

/** Counter columns as written: a wide counter is two columns, its halves. */
const counterColumns = (spec: RollupSpec<unknown>) => spec.counters.flatMap((c) => (spec.wide.includes(c) ? [`${c}_hi`, `${c}_lo`] : [c]));
function counterValues(values: (number | bigint)[]): number[] {
  const out: number[] = [];
  for (const v of values) {
    if (typeof v !== 'bigint') out.push(v);
    else out.push(...toHalves(v));
  }
  return out;
}

/** Upsert assignments adding the new counters to the stored ones; halves carry, so `_lo` stays in [0, 2^32). */
function addCounters(spec: RollupSpec<unknown>): string[] {
  const t = spec.table;
  return spec.counters.flatMap((c) => {
    if (!spec.wide.includes(c)) return [`${c} = ${t}.${c} + excluded.${c}`];
    const lo = `(${t}.${c}_lo + excluded.${c}_lo)`;
    return [`${c}_hi = ${t}.${c}_hi + excluded.${c}_hi + ${lo} / 4294967296`, `${c}_lo = ${lo} % 4294967296`];
  });
}

/**
 * Net changes to rollup rows from one commit: records are added (+1) or taken back (−1), and
 * rows touched several times are folded together so that each row is written once.
 */
export class RollupDelta {
  private readonly tables = new Map<string, TableDelta>();

  add<R>(spec: RollupSpec<R>, projectId: string, r: R, sign: 1 | -1): void {
    let table = this.tables.get(spec.table);
    if (!table) this.tables.set(spec.table, (table = { spec, rows: new Map() }));
    const dims = spec.group(r);
    const key = groupKey(dims);
    const values = spec.values(r);
    const bins = spec.histValues(r).map((v) => (v === null ? null : binOf(v)));
    const t = spec.time(r);
    for (const grain of GRAINS) {
      const bucket = Math.floor(t / grain) * grain;
      const id = `${projectId}\u0000${grain}\u0000${bucket}\u0000${key}`;
      let row = table.rows.get(id);
      if (!row) {
        const zeros = spec.counters.map((c) => (spec.wide.includes(c) ? 0n : 0));
        row = { keys: [projectId, grain, bucket, key], dims, values: zeros, bins: bins.map(() => new Map()) };
        table.rows.set(id, row);
      }
      for (let i = 0; i < values.length; i++) {
        const v = row.values[i];
        row.values[i] = typeof v === 'bigint' ? v + BigInt(sign * values[i]) : v + sign * values[i];
      }
      for (let j = 0; j < bins.length; j++) {
        const bin = bins[j];
        if (bin !== null) row.bins[j].set(bin, (row.bins[j].get(bin) ?? 0) + sign);
      }
    }
  }

  /**
   * Writes the net changes in key order (so concurrent writers on PostgreSQL cannot deadlock).
   * Counters are added by the upsert; a row that already existed (`rev` > 0, now locked by
   * the upsert) gets its bins merged here and written back. On PostgreSQL the tables' upserts
   * go in one statement (data-modifying WITHs, each its own table), and so do their bin
   * write-backs: a statement is a round trip while the commit holds its locks. Tables are
   * written in one order either way.
   */
  async flush(tx: Db, d: SqlDialect): Promise<void> {
    const writes: TableWrite[] = [];
    for (const { spec, rows } of this.tables.values()) {
      const touched = [...rows.values()].filter(changed).sort((a, b) => compareKeys(a.keys, b.keys));
      if (touched.length === 0) continue;
      const counters = counterColumns(spec);
      const columns = [...KEYS, ...spec.dims, ...counters, ...spec.bins, 'rev'];
      writes.push({
        spec, touched, counters, columns,
        rows: touched.map((r) => [...r.keys, ...r.dims, ...counterValues(r.values), ...r.bins.map(encodeBins), 0]),
        action: `DO UPDATE SET ${[...addCounters(spec), `rev = ${spec.table}.rev + 1`].join(', ')}`,
        returning: spec.bins.length > 0 ? [...KEYS, 'rev', ...spec.bins] : [],
      });
    }
    if (writes.length === 0) return;
    const stored = await upsertAll(tx, d, writes);
    const merges: TableWrite[] = [];
    for (const [i, w] of writes.entries()) {
      if (w.spec.bins.length === 0) continue;
      const byKey = new Map(w.touched.map((r) => [r.keys.join('\u0000'), r]));
      const merged: unknown[][] = [];
      for (const row of stored[i]) {
        const r = byKey.get(KEYS.map((k) => (k === 'project_id' ? String(row[k]) : Number(row[k]))).join('\u0000'));
        if (!r || Number(row.rev) === 0 || !changedBins(r)) continue;
        const bins = w.spec.bins.map((c, j) => {
          const all = decodeBins(row[c]);
          for (const [bin, n] of r.bins[j]) all.set(bin, (all.get(bin) ?? 0) + n);
          return encodeBins(all);
        });
        merged.push([...r.keys, ...r.dims, ...w.counters.map(() => 0), ...bins, 0]);
      }
      if (merged.length > 0) merges.push({ ...w, rows: merged.sort(compareKeys), action: `DO UPDATE SET ${w.spec.bins.map((c) => `${c} = excluded.${c}`).join(', ')}`, returning: [] });
    }
    if (merges.length > 0) await upsertAll(tx, d, merges);
  }
}

interface TableWrite {
  spec: RollupSpec<unknown>;
  touched: RowDelta[];
  counters: string[];
  columns: readonly string[];
  rows: unknown[][];
  /** The ON CONFLICT action, without RETURNING. */
  action: string;
  /** Columns to return of each written row (none: nothing returned). */
  returning: readonly string[];
}

/** A write's upsert statements (bulk-sql.ts: one with a fixed text on PostgreSQL, VALUES lists split to fit the parameters elsewhere). */
const upsertStatements = (d: SqlDialect, w: TableWrite) =>
  insertRowsStatements(d, w.spec.table, w.columns, w.rows, ` ON CONFLICT (${KEYS.join(', ')}) ${w.action}${w.returning.length > 0 ? ` RETURNING ${w.returning.join(', ')}` : ''}`);

/**
 * Runs the writes, each table's rows in key order; returns each write's RETURNING rows. On
 * PostgreSQL, when all fit one statement's parameters, one statement: each table's upsert a
 * WITH of its own, their returned rows read back as JSON (bins are text, keys numbers).
 */
async function upsertAll(tx: Db, d: SqlDialect, writes: TableWrite[]): Promise<Row[][]> {
  const statements = writes.map((w) => upsertStatements(d, w));
  const params = statements.flat().reduce((n, s) => n + s.params.length, 0);
  if (d.name !== 'postgres' || writes.length === 1 || params > d.maxParams || statements.some((s) => s.length !== 1)) {
    const out: Row[][] = [];
    for (const [i, w] of writes.entries()) {
      const rows: Row[] = [];
      for (const s of statements[i]) {
        if (w.returning.length > 0) rows.push(...(await tx.all<Row>(s.sql, s.params)));
        else await tx.run(s.sql, s.params);
      }
      out.push(rows);
    }
    return out;
  }
  const parts = statements.map(([s]) => s);
  const ctes = parts.map((s, i) => `w${i} AS (${s.sql})`);
  const reads = writes.flatMap((w, i) => (w.returning.length > 0 ? [`SELECT ${i} AS part, row_to_json(w${i}) AS r FROM w${i}`] : []));
  const sql = `WITH ${ctes.join(', ')} ${reads.length > 0 ? reads.join(' UNION ALL ') : 'SELECT 0 AS part, NULL AS r'}`;
  const rows = await tx.all<Row>(isPreparableAll(parts) ? preparable(sql) : sql, parts.flatMap((s) => s.params));
  const out: Row[][] = writes.map(() => []);
  for (const r of rows) if (r.r !== null) out[Number(r.part)].push((typeof r.r === 'string' ? JSON.parse(r.r) : r.r) as Row);
  return out;
}

function compareKeys(a: unknown[], b: unknown[]): number {
  for (let i = 0; i < KEYS.length; i++) {
    const x = a[i] as string | number;
    const y = b[i] as string | number;
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}
