import type { ReactElement } from 'react';
import { Bar, BarChart, CartesianGrid, Cell, LabelList, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { EngagementView, FunnelSummary } from '../../../shared/ipc/contract';
import { percent, stageLabel } from '../../../shared/engagement/funnel';

/** The engagement charts: the funnel, the reply times, and campaigns side by side. Colours come from the theme. */

const axisTick = { fill: 'var(--text-muted)', fontSize: 11 };

/** FunnelChart draws the stages as bars, widest first; a stage the provider does not publish gets no bar. */
export function FunnelChart({ view }: { view: EngagementView }): ReactElement {
  // A stage without a count says why in a word or two, as its table row does: not read yet, not published, no click data.
  const missing = (note: string | undefined) => (note ?? 'not published').split(':')[0] ?? 'not published';
  const data = view.stages.map((s) => ({ name: stageLabel[s.stage], value: s.count ?? 0, known: s.count !== null, label: s.count === null ? missing(s.note) : `${s.count.toLocaleString('en-US')} · ${percent(s.ofSent)}` }));
  const summary = view.stages.map((s) => `${stageLabel[s.stage]} ${s.count === null ? missing(s.note) : `${s.count} (${percent(s.ofSent)})`}`).join(', ');
  return (
    <div className="chart-box chart-funnel" role="img" aria-label={`Funnel: ${summary}`} data-testid="funnel-chart">
      <ResponsiveContainer width="100%" height="100%">
        <BarChart data={data} layout="vertical" margin={{ top: 4, right: 120, bottom: 4, left: 8 }} barCategoryGap={6}>
          <XAxis type="number" hide domain={[0, Math.max(1, data[0]?.value ?? 1)]} />
          <YAxis type="category" dataKey="name" tick={axisTick} tickLine={false} axisLine={false} width={72} />
          <Bar dataKey="value" radius={[0, 4, 4, 0]} isAnimationActive={false} minPointSize={2}>
            {data.map((d, i) => (
              <Cell key={d.name} fill={d.known ? 'var(--accent)' : 'var(--surface-2)'} fillOpacity={d.known ? 1 - i * 0.13 : 1} />
            ))}
            <LabelList dataKey="label" position="right" fill="var(--text)" fontSize={12} />
          </Bar>
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}

/** shortDelay writes a reply-time bar's label short enough for nine under a half-width chart ("1–5 min" → "1–5m"). */
function shortDelay(label: string): string {
  return label.replace(' min', 'm').replace(' h', 'h').replace(' days', 'd');
}

/** ReplyTimeChart is a bar of replies per delay after our message (under a minute, 1–5 minutes…). */
export function ReplyTimeChart({ view }: { view: EngagementView }): ReactElement {
  const data = view.replyTimes;
  const total = data.reduce((a, b) => a + b.count, 0);
  return (
    <div className="chart-box chart-wide" role="img" aria-label={`Reply times: ${data.filter((d) => d.count > 0).map((d) => `${d.count} in ${d.label}`).join(', ') || 'no replies'}`} data-testid="reply-time-chart">
      <ResponsiveContainer width="100%" height="100%">
        <BarChart data={data} margin={{ top: 8, right: 8, bottom: 4, left: -12 }}>
          <CartesianGrid vertical={false} stroke="var(--border)" />
          <XAxis dataKey="label" tick={axisTick} tickLine={false} axisLine={{ stroke: 'var(--border)' }} interval={0} tickFormatter={shortDelay} angle={-40} textAnchor="end" height={44} />
          <YAxis tick={axisTick} tickLine={false} axisLine={false} allowDecimals={false} domain={[0, Math.max(1, ...data.map((d) => d.count))]} />
          <Tooltip cursor={{ fill: 'var(--surface-2)' }} formatter={(v) => [`${String(v)} of ${total} replies`, '']} />
          <Bar dataKey="count" fill="var(--c-sent)" radius={[3, 3, 0, 0]} isAnimationActive={false} />
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}

/** compareSeries are the distinct colours of campaigns side by side (theme-aware, see report.css). */
const compareSeries = ['var(--series-1)', 'var(--series-2)', 'var(--series-3)', 'var(--series-4)', 'var(--series-5)', 'var(--series-6)'];

/** CompareChart puts campaigns side by side: each stage's share of what they sent, one bar per campaign. */
export function CompareChart({ campaigns }: { campaigns: readonly { id: string; name: string; funnel: FunnelSummary }[] }): ReactElement {
  const stages = ['delivered', 'read', 'clicked', 'replied'] as const;
  const data = stages.map((stage) => {
    const row: Record<string, string | number | null> = { stage: stageLabel[stage] };
    for (const c of campaigns) {
      const n = c.funnel[stage];
      row[c.id] = n === null || c.funnel.sent === 0 ? null : Math.round((n / c.funnel.sent) * 1000) / 10;
    }
    return row;
  });
  const label = campaigns.map((c) => `${c.name}: ${stages.map((s) => `${s} ${c.funnel[s] === null ? 'unknown' : percent(c.funnel.sent === 0 ? null : (c.funnel[s] as number) / c.funnel.sent)}`).join(', ')}`).join('; ');
  return (
    <div className="chart-box chart-wide" role="img" aria-label={`Campaigns side by side: ${label}`} data-testid="compare-chart">
      <ResponsiveContainer width="100%" height="100%">
        <BarChart data={data} margin={{ top: 8, right: 8, bottom: 0, left: -12 }}>
          <CartesianGrid vertical={false} stroke="var(--border)" />
          <XAxis dataKey="stage" tick={axisTick} tickLine={false} axisLine={{ stroke: 'var(--border)' }} />
          <YAxis tick={axisTick} tickLine={false} axisLine={false} unit="%" domain={[0, 100]} />
          <Tooltip cursor={{ fill: 'var(--surface-2)' }} formatter={(v, name) => [v === null ? 'not published' : `${String(v)}% of sent`, campaigns.find((c) => c.id === name)?.name ?? String(name)]} />
          <Legend formatter={(id: string) => campaigns.find((c) => c.id === id)?.name ?? id} wrapperStyle={{ fontSize: 12, color: 'var(--text)' }} />
          {campaigns.map((c, i) => (
            <Bar key={c.id} dataKey={c.id} fill={compareSeries[i % compareSeries.length]} radius={[3, 3, 0, 0]} isAnimationActive={false} />
          ))}
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
