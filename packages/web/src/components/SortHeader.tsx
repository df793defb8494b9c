/** `field.dir` ⇄ parts; a score sort is `score:<name>.dir` (the name may hold dots). */
export function splitSort(sort: string): { field: string; dir: 'asc' | 'desc' } {
  const i = sort.lastIndexOf('.');
  return { field: i < 0 ? sort : sort.slice(0, i), dir: sort.slice(i + 1) === 'asc' ? 'asc' : 'desc' };
}

interface Props {
  label: string;
  field: string;
  /** The current sort, `field.dir`. */
  sort: string;
  onSort(sort: string): void;
  className?: string;
}

/** A column header that sorts by its field: the first click sorts descending, the next flips the direction. */
export function SortHeader({ label, field, sort, onSort, className }: Props) {
  const cur = splitSort(sort);
  const active = cur.field === field;
  const next = active && cur.dir === 'desc' ? 'asc' : 'desc';
  return (
    <th className={className} aria-sort={active ? (cur.dir === 'asc' ? 'ascending' : 'descending') : 'none'}>
      <button type="button" className="sort" data-sort={field} onClick={() => onSort(`${field}.${next}`)}>
        {label} {active ? (cur.dir === 'asc' ? '▲' : '▼') : ''}
      </button>
    </th>
  );
}
