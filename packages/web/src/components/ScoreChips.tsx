import { formatScore } from '../format.js';
import type { ScoreChip } from '../types.js';

export function ScoreChips({ scores }: { scores: ScoreChip[] }) {
  if (scores.length === 0) return null;
  return (
    <span className="chips">
      {scores.map((s) => (
        <span key={s.id} className={`chip score source-${s.source.toLowerCase()}`} title={`${s.name} (${s.source})`}>
          {s.name}: {formatScore(s)}
        </span>
      ))}
    </span>
  );
}
