/**
 * PostgreSQL types of the columns that bulk writes send as one array per column
 * (ingest/bulk-sql.ts: `INSERT … SELECT * FROM unnest(?::text[], ?::bigint[], …)`), by table.
 * A statement over a table or column missing here falls back to a multi-row VALUES list, so an
 * omission costs speed, never correctness; column-types.test.ts checks every entry against the
 * migrated schema, so a migration that changes a type here fails the tests until it is updated.
 */
const T = 'text';
const B = 'bigint';
const F = 'double precision';

export const PG_COLUMN_TYPES: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  events: { project_id: T, event_id: T, entity_kind: T, entity_id: T, trace_id: T, sort_key: T, body: T, received_at: B },
  traces: {
    project_id: T, id: T, timestamp: B, name: T, input: T, output: T, session_id: T, user_id: T, environment: T, metadata: T, release: T,
    version: T, public: 'boolean', bookmarked: 'boolean', tags: T, created_at: B, updated_at: B, last_event_key: T, merge_state: T,
  },
  observations: {
    project_id: T, id: T, trace_id: T, parent_observation_id: T, type: T, name: T, environment: T, start_time: B, end_time: B,
    completion_start_time: B, version: T, input: T, output: T, metadata: T, level: T, status_message: T, model: T, model_parameters: T,
    prompt_name: T, prompt_version: 'integer', usage_details: T, provided_cost_details: T, cost_details: T, total_cost: F, created_at: B,
    updated_at: B, last_event_key: T, provided_usage_details: T, model_id: T, pricing_tier_id: T, pricing_tier_name: T, input_price: F,
    output_price: F, total_price: F, start_time_explicit: 'boolean', merge_state: T,
  },
  scores: {
    project_id: T, id: T, name: T, value: F, string_value: T, data_type: T, source: T, trace_id: T, observation_id: T, session_id: T,
    dataset_run_id: T, timestamp: B, comment: T, metadata: T, config_id: T, queue_id: T, execution_trace_id: T, environment: T,
    author_user_id: T, created_at: B, updated_at: B, last_event_key: T, merge_state: T,
  },
  trace_tags: { project_id: T, tag: T, trace_id: T },
  sessions: { project_id: T, id: T, environment: T, created_at: B, first_trace_timestamp: B, first_trace_id: T },
  trace_score_means: { project_id: T, name: T, trace_id: T, value_sum: F, value_count: B, mean: F },
  trace_totals: {
    project_id: T, trace_id: T, observation_count: B, error_count: B, total_tokens: F, cost_hi: B, cost_lo: B, first_start: B, last_start: B,
    last_end: B, latency_ms: B,
  },
  group_totals: {
    project_id: T, kind: T, id: T, trace_count: B, first_trace: B, last_trace: B, observation_count: B, error_count: B, total_tokens: F,
    cost_hi: B, cost_lo: B,
  },
  session_users: { project_id: T, session_id: T, user_id: T, trace_count: B },
  user_days: { project_id: T, user_id: T, day: B, trace_count: B, total_tokens: F, cost_hi: B, cost_lo: B },
  user_day_scores: { project_id: T, user_id: T, day: B, name: T, value_count: B, value_sum_hi: B, value_sum_lo: B },
  trace_rollups: {
    project_id: T, grain: B, bucket: B, group_key: B, environment: T, name: T, cnt: B, latency_n: B, latency_sum_hi: B, latency_sum_lo: B,
    latency_bins: T, rev: B,
  },
  observation_rollups: {
    project_id: T, grain: B, bucket: B, group_key: B, environment: T, type: T, name: T, model: T, level: T, cnt: B, input_tokens: F,
    output_tokens: F, total_tokens: F, input_cost_hi: B, input_cost_lo: B, output_cost_hi: B, output_cost_lo: B, total_cost_hi: B,
    total_cost_lo: B, latency_n: B, latency_sum_hi: B, latency_sum_lo: B, ttft_n: B, ttft_sum_hi: B, ttft_sum_lo: B, streaming_n: B,
    streaming_sum_hi: B, streaming_sum_lo: B, latency_bins: T, ttft_bins: T, rev: B,
  },
  score_rollups: {
    project_id: T, grain: B, bucket: B, group_key: B, environment: T, name: T, source: T, data_type: T, string_value: T, cnt: B,
    value_sum_hi: B, value_sum_lo: B, rev: B,
  },
};

/** Each column's array type (`text[]`, …), or null when one is not known. */
export function columnArrayTypes(table: string, columns: readonly string[]): string[] | null {
  const types = PG_COLUMN_TYPES[table];
  if (!types) return null;
  const out: string[] = [];
  for (const c of columns) {
    const t = Object.hasOwn(types, c) ? types[c] : undefined;
    if (t === undefined) return null;
    out.push(`${t}[]`);
  }
  return out;
}
