import type { ReactElement } from 'react';
import type { CampaignSummary, FunnelSummary, InterruptedCampaign } from '../../../shared/ipc/contract';
import { Icon } from '../../ui/icons';
import { formatCount } from '../send/format';
import { ResumeButton } from '../send/resume-interrupted';

/** stateTitle says what a state means where the word alone may not: a cancel the person made is not an interruption. */
function stateTitle(h: CampaignSummary): string | undefined {
  const left = h.totals.pending + h.totals.inFlight;
  if (h.state === 'cancelled') return `You cancelled it: ${formatCount(left)} ${left === 1 ? 'row was' : 'rows were'} not sent.`;
  if (h.state === 'interrupted') return `It stopped before the end (the app quit or crashed, or the provider stopped it): ${formatCount(left)} ${left === 1 ? 'row was' : 'rows were'} not sent.`;
  return undefined;
}

const stages = [
  ['delivered', 'Delivered'],
  ['read', 'Read'],
  ['clicked', 'Clicked'],
  ['replied', 'Replied'],
] as const;

/** hasEngagement tells whether a campaign's funnel has been read (its provider publishes one). */
export function hasEngagement(f: FunnelSummary | undefined): f is FunnelSummary & { checkedAt: string } {
  return f !== undefined && f.checkedAt !== undefined && f.delivered !== null;
}

/** rateCell is one stage of one campaign: its share of what was sent, or why there is none. */
function rateCell(h: CampaignSummary, stage: (typeof stages)[number][0]): { text: string; title: string; muted: boolean } {
  const f = h.funnel;
  if (f === undefined || f.delivered === null) return { text: 'n/a', title: `${h.providerKind} publishes no engagement data`, muted: true };
  if (f.checkedAt === undefined) return { text: '—', title: 'not read yet', muted: true };
  const n = f[stage];
  if (n === null) return { text: '–', title: 'no click data: only messages with a link button count clicks', muted: true };
  return { text: f.sent === 0 ? '–' : `${Math.round((n / f.sent) * 100)}%`, title: `${formatCount(n)} of ${formatCount(f.sent)} sent, as of ${new Date(f.checkedAt).toLocaleString()}`, muted: false };
}

/**
 * HistoryTable lists the campaigns kept in this app (each with its contacts file), newest first,
 * with Open and Export, and Resume for an interrupted or cancelled one. Once any campaign's engagement has been
 * read, each campaign's funnel sits beside it (the share of what it sent that was delivered, read,
 * clicked, replied, and its opt-outs), so campaigns compare at a glance.
 */
export function HistoryTable({
  history,
  selectedId,
  onOpen,
  onExport,
  interrupted = new Map(),
  resuming = null,
  onResume = () => undefined,
}: {
  history: readonly CampaignSummary[];
  selectedId: string | null;
  onOpen(id: string): void;
  onExport(id: string): void;
  /** The interrupted (and cancelled) campaigns by id, with what stops their resume. */
  interrupted?: ReadonlyMap<string, InterruptedCampaign>;
  /** The campaign being resumed now. */
  resuming?: string | null;
  onResume?(c: InterruptedCampaign): void;
}): ReactElement {
  const showFunnel = history.some((h) => hasEngagement(h.funnel));
  return (
    <div className="table-scroll">
      <table className={`table table-hover${showFunnel ? ' history-compact' : ''}`}>
        <thead>
          <tr>
            <th scope="col">Campaign</th>
            {!showFunnel && <th scope="col">Provider</th>}
            {!showFunnel && <th scope="col">Started</th>}
            <th scope="col" className="num">Sent</th>
            <th scope="col" className="num">Failed</th>
            {showFunnel &&
              stages.map(([key, label]) => (
                <th key={key} scope="col" className="num">
                  {label}
                </th>
              ))}
            {showFunnel && (
              <th scope="col" className="num">
                Opted out
              </th>
            )}
            <th scope="col">State</th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {history.map((h) => {
            const stopped = h.state === 'interrupted' || h.state === 'cancelled' ? interrupted.get(h.campaignId) : undefined;
            return (
              <tr key={h.campaignId} className={h.campaignId === selectedId ? 'row-selected' : undefined} data-testid="history-row">
                <td className="history-name">
                  {h.name || 'Untitled'}
                  <span className="muted small ellipsis" title={h.csvName}>
                    {h.csvName}
                  </span>
                  {/* With the funnel's columns, the provider and start time sit under the name, so the row's state and actions stay in view. */}
                  {showFunnel && (
                    <span className="muted small ellipsis" data-testid="history-sub">
                      {h.providerKind} · {started(h.createdAt)}
                    </span>
                  )}
                </td>
                {!showFunnel && <td>{h.providerKind}</td>}
                {!showFunnel && <td>{started(h.createdAt)}</td>}
                <td className="num">{formatCount(h.totals.sent)}</td>
                <td className="num">{formatCount(h.totals.failed + h.totals.uncertain)}</td>
                {showFunnel &&
                  stages.map(([key]) => {
                    const c = rateCell(h, key);
                    return (
                      <td key={key} className={`num${c.muted ? ' muted' : ''}`} title={c.title} data-testid={`history-${key}`}>
                        {c.text}
                      </td>
                    );
                  })}
                {showFunnel && (
                  <td className="num" data-testid="history-opted-out">
                    {hasEngagement(h.funnel) && h.funnel.optedOut !== null ? formatCount(h.funnel.optedOut) : <span className="muted">–</span>}
                  </td>
                )}
                <td>
                  <div className="history-state">
                    <span className={`pill pill-state-${h.state}`} title={stateTitle(h)} data-testid="history-state">
                      {h.state}
                    </span>
                    {stopped !== undefined && <ResumeButton c={stopped} small busy={resuming === h.campaignId} testId="history-resume" onResume={() => onResume(stopped)} />}
                  </div>
                </td>
                <td className="actions history-actions">
                  <div className="history-actions-inner">
                    <button type="button" className="btn btn-ghost btn-sm" data-testid="history-open" onClick={() => onOpen(h.campaignId)}>
                      Open
                    </button>
                    <button type="button" className="btn btn-ghost btn-sm" data-testid="history-export" onClick={() => onExport(h.campaignId)}>
                      <Icon name="download" size={14} /> Export
                    </button>
                  </div>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

/** started is when a campaign started, short. */
function started(iso: string): string {
  return new Date(iso).toLocaleString(undefined, { dateStyle: 'short', timeStyle: 'short' });
}
