import { formatScore, formatTime } from '../format.js';
import type { Score } from '../types.js';

export function ScoreList({ scores }: { scores: Score[] }) {
  if (scores.length === 0) return <p className="muted">No scores yet.</p>;
  return (
    <table className="data scores" aria-label="Scores">
      <thead>
        <tr>
          <th>Name</th>
          <th>Value</th>
          <th>Source</th>
          <th>Comment</th>
          <th>Time</th>
        </tr>
      </thead>
      <tbody>
        {scores.map((s) => (
          <tr key={s.id}>
            <td>{s.name}</td>
            <td className="num">{formatScore(s)}</td>
            <td>{s.source}</td>
            <td>{s.comment ?? ''}</td>
            <td className="nowrap">{s.timestamp ? formatTime(s.timestamp) : ''}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
