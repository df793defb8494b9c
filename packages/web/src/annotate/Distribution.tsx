import type { ScoreDistributionsResponse } from '../types.js';

type Dist = ScoreDistributionsResponse['data'][number];

const fmt = (n: number) => (Number.isInteger(n) ? String(n) : n.toPrecision(3));

/** One score name's distribution as horizontal bars: value bins for numbers, labels otherwise. */
export function Distribution({ d }: { d: Dist }) {
  const rows: [string, number][] = d.dataType === 'NUMERIC' ? d.bins.map(([lo, hi, n]) => [lo === hi ? fmt(lo) : `${fmt(lo)} – ${fmt(hi)}`, n]) : d.categories.map((c) => [c.label, c.count]);
  const max = Math.max(1, ...rows.map(([, n]) => n));
  return (
    <figure className="card distribution" data-score-name={d.name}>
      <figcaption>
        <strong>{d.name}</strong> <span className="chip">{d.dataType}</span> <span className="muted small">{d.count.toLocaleString()} scores</span>
      </figcaption>
      <table className="bars" aria-label={`${d.name} distribution`}>
        <tbody>
          {rows.map(([label, n], i) => (
            <tr key={i}>
              <th scope="row" className="nowrap small">
                {label}
              </th>
              <td>
                <span className="bar" style={{ width: `${(100 * n) / max}%` }} />
              </td>
              <td className="num small">{n}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}
