import type { FilterCondition } from '../types.js';

export type FilterType = FilterCondition['type'];
export type FilterEntity = 'traces' | 'observations' | 'scores';

/**
 * How a Langfuse filter column maps onto SQL: the column of the entity's table (qualified by
 * the query's alias at compile time), the filter types it accepts, and whether it is the tag
 * set (matched through `trace_tags`) or a JSON object column (matched by key).
 */
export interface ColumnSpec {
  column: string;
  types: readonly FilterType[];
  kind: 'plain' | 'tags' | 'json';
  /** A JSON column whose containment PostgreSQL indexes (traces_metadata, migration 30): `=` on a key is tested as containment there. */
  containment?: boolean;
}

const text = (column: string): ColumnSpec => ({ column, types: ['string', 'stringOptions', 'null'], kind: 'plain' });
const time = (column: string): ColumnSpec => ({ column, types: ['datetime', 'null'], kind: 'plain' });
const number = (column: string): ColumnSpec => ({ column, types: ['number', 'null'], kind: 'plain' });
const flag = (column: string): ColumnSpec => ({ column, types: ['boolean'], kind: 'plain' });
const json = (column: string): ColumnSpec => ({ column, types: ['stringObject', 'numberObject'], kind: 'json' });
const tags: ColumnSpec = { column: 'id', types: ['arrayOptions'], kind: 'tags' };

/** Filterable columns per entity, keyed by the Langfuse column id. */
export const FILTER_COLUMNS: Record<FilterEntity, Record<string, ColumnSpec>> = {
  traces: {
    id: text('id'),
    timestamp: time('timestamp'),
    name: text('name'),
    userId: text('user_id'),
    sessionId: text('session_id'),
    release: text('release'),
    version: text('version'),
    environment: text('environment'),
    tags,
    metadata: { ...json('metadata'), containment: true },
    bookmarked: flag('bookmarked'),
    public: flag('public'),
  },
  observations: {
    id: text('id'),
    traceId: text('trace_id'),
    type: text('type'),
    name: text('name'),
    level: text('level'),
    environment: text('environment'),
    startTime: time('start_time'),
    endTime: time('end_time'),
    model: text('model'),
    parentObservationId: text('parent_observation_id'),
    version: text('version'),
    metadata: json('metadata'),
    statusMessage: text('status_message'),
  },
  scores: {
    id: text('id'),
    name: text('name'),
    value: number('value'),
    source: text('source'),
    dataType: text('data_type'),
    timestamp: time('timestamp'),
    traceId: text('trace_id'),
    observationId: text('observation_id'),
    environment: text('environment'),
    configId: text('config_id'),
    queueId: text('queue_id'),
    sessionId: text('session_id'),
    datasetRunId: text('dataset_run_id'),
    authorUserId: text('author_user_id'),
    stringValue: text('string_value'),
    comment: text('comment'),
    metadata: json('metadata'),
  },
};

/** Operators accepted per filter type. */
export const FILTER_OPERATORS: Record<FilterType, readonly string[]> = {
  datetime: ['>', '<', '>=', '<='],
  string: ['=', 'contains', 'does not contain', 'starts with', 'ends with'],
  stringOptions: ['any of', 'none of'],
  arrayOptions: ['any of', 'all of', 'none of'],
  stringObject: ['=', 'contains', 'does not contain', 'starts with', 'ends with'],
  numberObject: ['=', '>', '<', '>=', '<='],
  number: ['=', '>', '<', '>=', '<='],
  boolean: ['=', '<>'],
  null: ['is null', 'is not null'],
};
