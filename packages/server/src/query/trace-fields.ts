import { z } from 'zod';

export const TRACE_FIELD_GROUPS = ['core', 'io', 'scores', 'observations', 'metrics'] as const;

/** Which optional parts of a trace a response carries (`core` is always there). */
export interface TraceFields {
  io: boolean;
  scores: boolean;
  observations: boolean;
  metrics: boolean;
}

/**
 * The `fields` parameter of the trace routes: a CSV of field groups. Like Langfuse, unknown
 * groups are ignored and a value naming no known group means "all".
 */
export const traceFieldsParam = z
  .string()
  .optional()
  .transform((s): TraceFields => {
    const asked = new Set((s ?? '').split(',').map((x) => x.trim()));
    const known = TRACE_FIELD_GROUPS.filter((g) => asked.has(g));
    const on = (g: (typeof TRACE_FIELD_GROUPS)[number]) => known.length === 0 || known.includes(g);
    return { io: on('io'), scores: on('scores'), observations: on('observations'), metrics: on('metrics') };
  });
