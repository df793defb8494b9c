/*
 * Sorting the sessions and users lists by the totals ingestion keeps for them (group_totals),
 * each through its own index (migration "sorting … lists"), ties broken by the group id in the
 * same direction so the index serves both. Those lists page by offset: they show page numbers
 * and a total, a page costs its offset plus its rows of one index, and ties are broken by id so
 * no row repeats or goes missing between pages while the data stands still.
 */

/** What the sessions and users lists sort by besides their own columns. */
export const GROUP_SORT_FIELDS = ['traceCount', 'duration', 'totalTokens', 'totalCost', 'firstTrace', 'lastTrace'] as const;
export type GroupSortField = (typeof GROUP_SORT_FIELDS)[number];

/** The sort expression over a group_totals row aliased `g`: each is an indexed column or expression. */
export function groupSortSql(field: GroupSortField, g = 'g'): string {
  switch (field) {
    case 'traceCount':
      return `${g}.trace_count`;
    case 'duration':
      return `(${g}.last_trace - ${g}.first_trace)`;
    case 'totalTokens':
      return `${g}.total_tokens`;
    case 'totalCost':
      return `CAST(${g}.cost_hi AS DOUBLE PRECISION) * 4294967296 + ${g}.cost_lo`;
    case 'firstTrace':
      return `${g}.first_trace`;
    case 'lastTrace':
      return `${g}.last_trace`;
  }
}

export interface Sort<F extends string> {
  field: F;
  direction: 'asc' | 'desc';
  /** With the field `score`: the score name whose values sort the list (totals/group-score.ts). */
  scoreName?: string;
}

/** `ORDER BY expr dir, id dir`. */
export const orderBy = (expr: string, id: string, direction: 'asc' | 'desc'): string => {
  const dir = direction === 'asc' ? 'ASC' : 'DESC';
  return `ORDER BY ${expr} ${dir}, ${id} ${dir}`;
};
