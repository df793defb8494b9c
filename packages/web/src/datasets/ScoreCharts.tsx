import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { RunComparisonResponse } from '../types.js';
import { histogram } from './compare-model.js';

const COLORS = ['#6366f1', '#f59e0b', '#10b981', '#ef4444', '#0ea5e9', '#a855f7', '#84cc16', '#ec4899', '#14b8a6', '#78716c'];

/** One chart per score name: how many items of each run got each value (or fell in each bin). */
export function ScoreCharts({ data }: { data: RunComparisonResponse }) {
  if (data.scoreNames.length === 0) return <p className="muted">No scores on these runs' traces yet.</p>;
  return (
    <div className="charts">
      {data.scoreNames.map((name) => {
        const h = histogram(data, name);
        return (
          <section key={name} className="chart" aria-label={`Distribution of ${name}`}>
            <h3>{name}</h3>
            <ResponsiveContainer width="100%" height={200}>
              <BarChart data={h.bins}>
                <CartesianGrid strokeDasharray="3 3" />
                <XAxis dataKey="bin" fontSize={11} />
                <YAxis allowDecimals={false} fontSize={11} />
                <Tooltip />
                <Legend />
                {h.runNames.map((r, i) => (
                  <Bar key={r} dataKey={r} fill={COLORS[i % COLORS.length]} isAnimationActive={false} />
                ))}
              </BarChart>
            </ResponsiveContainer>
          </section>
        );
      })}
    </div>
  );
}
