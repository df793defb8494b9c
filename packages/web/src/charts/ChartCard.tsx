import type { ReactNode } from 'react';

/** A chart's frame: its title, the chart, and a note saying how it is bucketed and what an empty bucket shows. */
export function ChartCard({ title, note, children, actions }: { title: string; note?: string; children: ReactNode; actions?: ReactNode }) {
  return (
    <figure className="chart card" aria-label={title}>
      <figcaption>
        <span className="chart-title" title={title}>
          {title}
        </span>
        {actions}
      </figcaption>
      {children}
      {note && <p className="chart-note muted small">{note}</p>}
    </figure>
  );
}

/** The note of a bucketed chart: `Hourly buckets, UTC · no data = 0`. */
export const emptyNote = (buckets: string, empty: 0 | null) => `${buckets} · ${empty === 0 ? 'a bucket without data shows 0' : 'a bucket without data is a gap'}`;
