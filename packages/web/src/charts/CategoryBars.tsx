import { formatValue, type Unit } from './scale.js';

export interface Category {
  label: string;
  value: number;
}

/**
 * Horizontal bars, one per category (a model, a score's category), largest first as given.
 * Long labels wrap onto more lines, shown in full (a model id is often the longest text on the
 * page), and carry their text as a tooltip too; each bar is labelled with its exact value.
 */
export function CategoryBars({ label, items, unit, color }: { label: string; items: Category[]; unit: Unit; color: string }) {
  const max = Math.max(0, ...items.map((c) => c.value));
  if (items.length === 0) return <p className="muted small">No data in this range.</p>;
  return (
    <ul className="category-bars" aria-label={label}>
      {items.map((c) => (
        <li key={c.label} data-category={c.label} data-value={c.value}>
          <span className="category-label" title={c.label}>
            {c.label}
          </span>
          <span className="category-track">
            <span className="category-bar" style={{ width: `${max > 0 ? (Math.max(c.value, 0) / max) * 100 : 0}%`, background: color }} />
          </span>
          <span className="category-value">{formatValue(c.value, unit)}</span>
        </li>
      ))}
    </ul>
  );
}
