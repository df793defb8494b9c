import { bucketLabel, bucketTitle, labelledBuckets, type Bucket } from './buckets.js';
import { axisFor, scaleY, type Unit } from './scale.js';

export interface TimeSeries {
  name: string;
  color: string;
  /** One value per bucket; null is "no data" and leaves a gap (lines) or no bar. */
  values: (number | null)[];
}

export interface TimeChartProps {
  /** Accessible name of the drawing. */
  label: string;
  buckets: number[];
  bucket: Bucket;
  series: TimeSeries[];
  kind: 'line' | 'bar';
  unit: Unit;
}

const WIDTH = 640;
const HEIGHT = 220;
const PAD = { left: 64, right: 12, top: 10, bottom: 26 };
const DAY = 86_400_000;

/**
 * A time chart drawn as plain SVG with one y axis, so only series of one unit share a chart.
 * Bars, or straight segments between the values of buckets that have data — never a curve, and
 * never a line across a bucket without data. Every bar and point has a tooltip with the bucket's
 * full UTC time and the exact value.
 */
export function TimeChart({ label, buckets, bucket, series, kind, unit }: TimeChartProps) {
  const axis = axisFor(series.flatMap((s) => s.values), unit);
  const y = scaleY(axis, HEIGHT - PAD.bottom, PAD.top);
  const band = (WIDTH - PAD.left - PAD.right) / Math.max(buckets.length, 1);
  const x = (i: number) => PAD.left + i * band;
  const labelled = labelledBuckets(buckets, bucket);
  const withDay = buckets.length > 0 && buckets[buckets.length - 1] - buckets[0] >= DAY;
  const dot = buckets.length > 60 ? 1.5 : 2.5;
  const tip = (s: TimeSeries, i: number) => `${bucketTitle(buckets[i], bucket)} · ${s.name}: ${axis.format(s.values[i] ?? 0)}`;
  const barWidth = Math.max(1, (band * 0.8) / Math.max(series.length, 1));
  return (
    <div className="time-chart">
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-label={label} className="chart-svg">
        {axis.ticks.map((t) => (
          <g key={t} className="y-tick">
            <line x1={PAD.left} x2={WIDTH - PAD.right} y1={y(t)} y2={y(t)} className="grid" />
            <text x={PAD.left - 6} y={y(t) + 4} textAnchor="end">
              {axis.format(t)}
            </text>
          </g>
        ))}
        {labelled.map((i) => (
          <text key={buckets[i]} x={x(i) + band / 2} y={HEIGHT - 8} textAnchor="middle" className="x-tick">
            {bucketLabel(buckets[i], bucket, withDay)}
          </text>
        ))}
        {kind === 'bar'
          ? series.map((s, si) =>
              s.values.map((v, i) =>
                v === null || v === 0 ? null : (
                  <rect
                    key={`${si}-${i}`} x={x(i) + band * 0.1 + si * barWidth} width={barWidth} y={Math.min(y(v), y(0))} height={Math.abs(y(0) - y(v))}
                    fill={s.color} data-series={s.name} data-bucket={new Date(buckets[i]).toISOString()} data-value={v}
                  >
                    <title>{tip(s, i)}</title>
                  </rect>
                ),
              ),
            )
          : series.map((s, si) => (
              <g key={si}>
                <path d={linePath(s.values, (i) => x(i) + band / 2, y)} fill="none" stroke={s.color} strokeWidth={1.5} />
                {s.values.map((v, i) =>
                  v === null ? null : (
                    <circle
                      key={i} cx={x(i) + band / 2} cy={y(v)} r={dot} fill={s.color}
                      data-series={s.name} data-bucket={new Date(buckets[i]).toISOString()} data-value={v}
                    >
                      <title>{tip(s, i)}</title>
                    </circle>
                  ),
                )}
              </g>
            ))}
      </svg>
      {series.length > 1 && <Legend items={series} />}
    </div>
  );
}

/** Straight segments through consecutive non-null values; a null ends the segment. */
export function linePath(values: readonly (number | null)[], x: (i: number) => number, y: (v: number) => number): string {
  let d = '';
  let open = false;
  values.forEach((v, i) => {
    if (v === null) {
      open = false;
      return;
    }
    d += `${open ? 'L' : 'M'}${x(i).toFixed(1)},${y(v).toFixed(1)}`;
    open = true;
  });
  return d;
}

export function Legend({ items }: { items: { name: string; color: string }[] }) {
  return (
    <ul className="legend">
      {items.map((s) => (
        <li key={s.name} title={s.name}>
          <span className="swatch" style={{ background: s.color }} />
          {s.name}
        </li>
      ))}
    </ul>
  );
}
