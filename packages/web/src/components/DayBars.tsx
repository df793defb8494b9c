/** Daily values as bars on their own scale (one quantity per chart), days with nothing shown as gaps at zero. */
export function DayBars({ label, days, from, to, format }: { label: string; days: { day: number; value: number }[]; from: number; to: number; format(v: number): string }) {
  const DAY = 86_400_000;
  const first = Math.floor(from / DAY) * DAY;
  const count = Math.max(1, Math.ceil((to - first) / DAY));
  const byDay = new Map(days.map((d) => [d.day, d.value]));
  const max = Math.max(0, ...days.map((d) => d.value));
  const width = 100 / count;
  return (
    <figure className="day-bars" aria-label={label}>
      <figcaption>
        {label} <span className="muted">(max {format(max)} a day)</span>
      </figcaption>
      <svg viewBox="0 0 100 40" preserveAspectRatio="none" role="img" aria-label={`${label} per day`}>
        {Array.from({ length: count }, (_, i) => {
          const day = first + i * DAY;
          const v = byDay.get(day) ?? 0;
          const h = max > 0 ? (v / max) * 38 : 0;
          return (
            <rect key={day} x={i * width + width * 0.1} y={40 - h} width={width * 0.8} height={h} className="bar">
              <title>{`${new Date(day).toISOString().slice(0, 10)}: ${format(v)}`}</title>
            </rect>
          );
        })}
      </svg>
    </figure>
  );
}
