import { formatPageOf } from '../format.js';

/** Previous / next and where the page is; an estimated total (`estimated`) is marked as such. */
export function Pager({ page, limit, total, estimated = false, onPage }: { page: number; limit: number; total: number; estimated?: boolean; onPage(page: number): void }) {
  const pages = Math.max(1, Math.ceil(total / limit));
  return (
    <div className="pager">
      <button type="button" disabled={page <= 1} onClick={() => onPage(page - 1)}>
        ← Previous
      </button>
      <span className="muted" title={estimated ? 'An estimate: counted exactly up to 10,000, extrapolated past that' : undefined}>
        {formatPageOf(page, limit, total, estimated)}
      </span>
      <button type="button" disabled={page >= pages} onClick={() => onPage(page + 1)}>
        Next →
      </button>
    </div>
  );
}
