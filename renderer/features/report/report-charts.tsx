import type { ReactElement } from 'react';
import { Bar, BarChart, CartesianGrid, Cell, Pie, PieChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { Totals } from '../../../shared/engine/events';
import type { ThroughputBucket } from './throughput';

/** The colours of the statuses, from the theme (CSS variables), so charts follow light and dark mode. */
const statusColour: Record<string, string> = {
  sent: 'var(--c-sent)',
  failed: 'var(--c-failed)',
  uncertain: 'var(--c-uncertain)',
  skipped: 'var(--c-skipped)',
  pending: 'var(--c-pending)',
};

/** outcomeData turns totals into chart slices, leaving out empty ones. */
export function outcomeData(t: Totals): { name: string; value: number }[] {
  return [
    { name: 'sent', value: t.sent },
    { name: 'failed', value: t.failed },
    { name: 'uncertain', value: t.uncertain + t.inFlight },
    { name: 'skipped', value: t.skipped },
    { name: 'pending', value: t.pending },
  ].filter((d) => d.value > 0);
}

/** OutcomeChart is a donut of the campaign's outcomes with a legend of counts. */
export function OutcomeChart({ totals }: { totals: Totals }): ReactElement {
  const data = outcomeData(totals);
  return (
    <div className="outcome-chart" data-testid="outcome-chart">
      <div className="chart-box chart-donut" role="img" aria-label={`Outcomes: ${data.map((d) => `${d.value} ${d.name}`).join(', ')}`}>
        <ResponsiveContainer width="100%" height="100%">
          <PieChart>
            <Pie data={data} dataKey="value" nameKey="name" innerRadius="62%" outerRadius="92%" paddingAngle={data.length > 1 ? 2 : 0} stroke="none" isAnimationActive={false}>
              {data.map((d) => (
                <Cell key={d.name} fill={statusColour[d.name]} />
              ))}
            </Pie>
            <Tooltip />
          </PieChart>
        </ResponsiveContainer>
        <div className="donut-center">
          <strong>{totals.total.toLocaleString('en-US')}</strong>
          <span>messages</span>
        </div>
      </div>
      <ul className="legend">
        {data.map((d) => (
          <li key={d.name}>
            <span className={`legend-dot dot-${d.name}`} aria-hidden="true" />
            <span className="legend-name">{d.name}</span>
            <span className="legend-value">{d.value.toLocaleString('en-US')}</span>
            <span className="legend-pct muted">{totals.total > 0 ? `${Math.round((d.value / totals.total) * 100)}%` : ''}</span>
          </li>
        ))}
      </ul>
    </div>
  );
}

/** ThroughputChart is a bar chart of messages sent over time. */
export function ThroughputChart({ buckets }: { buckets: ThroughputBucket[] }): ReactElement {
  return (
    <div className="chart-box chart-wide" data-testid="throughput-chart" role="img" aria-label="Messages sent over time">
      <ResponsiveContainer width="100%" height="100%">
        <BarChart data={buckets} margin={{ top: 8, right: 8, bottom: 0, left: -12 }}>
          <CartesianGrid vertical={false} stroke="var(--border)" />
          <XAxis dataKey="label" tick={{ fill: 'var(--text-muted)', fontSize: 11 }} tickLine={false} axisLine={{ stroke: 'var(--border)' }} minTickGap={16} />
          <YAxis tick={{ fill: 'var(--text-muted)', fontSize: 11 }} tickLine={false} axisLine={false} allowDecimals={false} />
          <Tooltip cursor={{ fill: 'var(--surface-2)' }} formatter={(v) => [`${String(v)} sent`, '']} labelFormatter={(l) => `from ${String(l)}`} />
          <Bar dataKey="sent" fill="var(--accent)" radius={[3, 3, 0, 0]} isAnimationActive={false} />
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
