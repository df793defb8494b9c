import type { Db, SqlDialect } from '../db.js';
import { jsonKeySum, jsonTotal } from '../metrics/view-observations.js';
import { chunks, pageParams } from '../queries/where.js';
import type { Paged } from '../types.js';
import type { PromptGeneration, PromptRef, PromptVersionUsage } from './types.js';

/**
 * How generations use prompt versions. A generation names its prompt by `prompt_name`/
 * `prompt_version`; the link to a stored version is made here, when read, so a version created
 * after the generation links too and a deleted one unlinks. Every query starts from the
 * `observations_prompt` index (project, prompt name, version, start time), so its cost is bounded
 * by the prompt's own generations, never the project's.
 */

/** Key of a (name, version) pair in the map `promptIds` returns. */
export const promptRefKey = (name: string, version: number): string => `${version}:${name}`;

/** The ids of the stored versions among `refs`, keyed by `promptRefKey`; pairs without a stored version are absent. */
export async function promptIds(db: Db, d: SqlDialect, projectId: string, refs: PromptRef[]): Promise<Map<string, string>> {
  const distinct = new Map(refs.map((r) => [promptRefKey(r.name, r.version), r]));
  const out = new Map<string, string>();
  // Two parameters per pair plus the project id.
  for (const part of chunks([...distinct.values()], Math.floor((d.maxParams - 1) / 2))) {
    const rows = await db.all<{ name: string; version: number; id: string }>(
      `SELECT name, version, id FROM prompts WHERE project_id = ? AND (${part.map(() => '(name = ? AND version = ?)').join(' OR ')})`,
      [projectId, ...part.flatMap((r) => [r.name, r.version])],
    );
    for (const r of rows) out.set(promptRefKey(r.name, Number(r.version)), r.id);
  }
  return out;
}

const num = (v: unknown): number => (v === null || v === undefined ? 0 : Number(v));
const numOrNull = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

/** Nearest-rank rank ceil(p·n/100) in integer SQL (no CEIL in every SQLite build), as the metrics API ranks. */
const rankSql = (p: number, n: string) => `(${p} * ${n} + 99) / 100`;

/**
 * Per-version use of prompt `name`: every stored version and every version generations name,
 * newest first. Latency percentiles are nearest-rank over the ended generations of the version
 * (the metrics API's definition), picked with window functions both engines have.
 */
export async function promptVersionUsage(db: Db, d: SqlDialect, projectId: string, name: string): Promise<PromptVersionUsage[]> {
  const own = 'o.project_id = ? AND o.prompt_name = ?';
  const totals = await db.all<Record<string, unknown>>(
    `SELECT o.prompt_version AS version, COUNT(*) AS generations, MIN(o.start_time) AS first_used, MAX(o.start_time) AS last_used,
       SUM(${jsonKeySum(d, 'o.usage_details', 'input')}) AS input_tokens, SUM(${jsonKeySum(d, 'o.usage_details', 'output')}) AS output_tokens,
       SUM(${jsonTotal(d, 'o.usage_details')}) AS total_tokens, SUM(COALESCE(o.total_cost, 0)) AS total_cost
     FROM observations o WHERE ${own} GROUP BY o.prompt_version`,
    [projectId, name],
  );
  const percentiles = await db.all<{ version: number; rn: number; cn: number; latency: number }>(
    `SELECT version, rn, cn, latency FROM (
       SELECT o.prompt_version AS version, o.end_time - o.start_time AS latency,
         ROW_NUMBER() OVER (PARTITION BY o.prompt_version ORDER BY o.end_time - o.start_time) AS rn,
         COUNT(*) OVER (PARTITION BY o.prompt_version) AS cn
       FROM observations o WHERE ${own} AND o.end_time IS NOT NULL
     ) ranked WHERE rn = ${rankSql(50, 'cn')} OR rn = ${rankSql(95, 'cn')}`,
    [projectId, name],
  );
  // Each score once per version: trace-level scores through the version's distinct traces,
  // generation scores only when their generation uses the version.
  const scores = await db.all<{ version: number; name: string; average: number; n: number }>(
    `SELECT g.version, s.name, AVG(s.value) AS average, COUNT(*) AS n
     FROM (SELECT DISTINCT o.prompt_version AS version, o.trace_id FROM observations o WHERE ${own} AND o.trace_id IS NOT NULL) g
     JOIN scores s ON s.project_id = ? AND s.trace_id = g.trace_id
     WHERE s.data_type IN ('NUMERIC', 'BOOLEAN') AND (s.observation_id IS NULL OR EXISTS (
       SELECT 1 FROM observations so WHERE so.project_id = s.project_id AND so.id = s.observation_id AND so.prompt_name = ? AND so.prompt_version = g.version))
     GROUP BY g.version, s.name ORDER BY s.name`,
    [projectId, name, projectId, name],
  );
  const stored = await db.all<{ version: number }>('SELECT version FROM prompts WHERE project_id = ? AND name = ?', [projectId, name]);

  const versions = new Set([...stored, ...totals].map((r) => Number(r.version)));
  return [...versions]
    .sort((a, b) => b - a)
    .map((version): PromptVersionUsage => {
      const t = totals.find((r) => Number(r.version) === version);
      const ranked = percentiles.filter((r) => Number(r.version) === version);
      const at = (p: number) => numOrNull(ranked.find((r) => Number(r.rn) === Math.ceil((p * Number(r.cn)) / 100))?.latency);
      return {
        version,
        generations: num(t?.generations),
        latencyP50Ms: at(50),
        latencyP95Ms: at(95),
        inputTokens: num(t?.input_tokens),
        outputTokens: num(t?.output_tokens),
        totalTokens: num(t?.total_tokens),
        totalCost: num(t?.total_cost),
        scores: scores.filter((s) => Number(s.version) === version).map((s) => ({ name: s.name, average: Number(s.average), count: Number(s.n) })),
        firstUsedAt: numOrNull(t?.first_used),
        lastUsedAt: numOrNull(t?.last_used),
      };
    });
}

/** The generations of one prompt version, newest first. */
export async function promptGenerations(
  db: Db,
  projectId: string,
  name: string,
  version: number,
  page: { page: number; limit: number },
): Promise<Paged<PromptGeneration>> {
  const own = 'WHERE project_id = ? AND prompt_name = ? AND prompt_version = ?';
  const total = await db.get<{ n: number }>(`SELECT COUNT(*) AS n FROM observations ${own}`, [projectId, name, version]);
  const rows = await db.all<Record<string, unknown>>(
    `SELECT trace_id, id, name, model, start_time, end_time, total_cost FROM observations ${own} ORDER BY start_time DESC, id DESC LIMIT ? OFFSET ?`,
    [projectId, name, version, ...pageParams(page.page, page.limit)],
  );
  return {
    totalItems: num(total?.n),
    rows: rows.map((r) => ({
      traceId: r.trace_id === null ? null : String(r.trace_id),
      observationId: String(r.id),
      name: r.name === null ? null : String(r.name),
      model: r.model === null ? null : String(r.model),
      startTime: Number(r.start_time),
      latencyMs: r.end_time === null ? null : Number(r.end_time) - Number(r.start_time),
      totalCost: numOrNull(r.total_cost),
    })),
  };
}
