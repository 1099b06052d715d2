import type { ReactElement } from 'react';
import { useEffect, useState } from 'react';
import type { CampaignSummary, DeliveryStatus, InterruptedCampaign } from '../../../shared/ipc/contract';
import { Icon } from '../../ui/icons';
import { formatCount } from '../send/format';
import { ResumeButton } from '../send/resume-interrupted';

function stateLabel(s: CampaignSummary['state']): string {
  return s === 'interrupted' ? 'interrupted' : s;
}

/**
 * useDeliveryStatuses reads the delivery status kept with each campaign of the history (one cheap
 * local call each, no request to the provider), again whenever the history is reloaded. Campaigns
 * without one (not Wassist) and calls that fail are left out: the column is extra, never an error.
 */
export function useDeliveryStatuses(history: readonly CampaignSummary[]): ReadonlyMap<string, DeliveryStatus> {
  const [loaded, setLoaded] = useState<{ statuses: Map<string, DeliveryStatus> } | null>(null);
  useEffect(() => {
    let live = true;
    Promise.all(history.map((h) => window.api.campaign.deliveryStatus({ campaignId: h.campaignId }).catch(() => null)))
      .then((all) => {
        if (!live) return;
        const statuses = new Map<string, DeliveryStatus>();
        for (const s of all) if (s !== null) statuses.set(s.campaignId, s);
        setLoaded({ statuses });
      })
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, [history]);
  // Until the new history's statuses arrive, the last ones stay, so the column does not flicker on Refresh.
  return loaded?.statuses ?? new Map<string, DeliveryStatus>();
}

/** deliverySummary says a campaign's delivery counts in a few words ("5 read · 2 delivered · 1 failed"). */
export function deliverySummary(s: DeliveryStatus): string {
  if (s.checkedAt === undefined) return s.sentRows === 0 ? 'nothing sent' : 'not read yet';
  const c = s.counts;
  const parts = [
    [c.read, 'read'],
    [c.delivered, 'delivered'],
    [c.sent, 'not delivered yet'],
    [c.failed, 'failed'],
  ] as const;
  const shown = parts.filter(([n]) => n > 0).map(([n, label]) => `${formatCount(n)} ${label}`);
  return shown.length === 0 ? 'none found' : shown.join(' · ');
}

function deliveryTitle(s: DeliveryStatus): string {
  const as = s.checkedAt === undefined ? 'Delivery status not read yet' : `As of ${new Date(s.checkedAt).toLocaleString()}`;
  const fallback = s.variants.fallback > 0 ? `; ${formatCount(s.variants.fallback)} got the fallback template` : '';
  return `${as}: ${formatCount(s.sentRows)} accepted messages${fallback}.`;
}

/**
 * HistoryTable lists the campaigns kept in this app, newest first, with Open and Export, and Resume
 * for an interrupted one. A Delivery column (read, delivered, failed…) appears only when at least
 * one campaign has a delivery status.
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
  /** The interrupted campaigns by id, with what stops their resume. */
  interrupted?: ReadonlyMap<string, InterruptedCampaign>;
  /** The campaign being resumed now. */
  resuming?: string | null;
  onResume?(c: InterruptedCampaign): void;
}): ReactElement {
  const delivery = useDeliveryStatuses(history);
  const showDelivery = delivery.size > 0;
  return (
    <div className="table-scroll">
      <table className="table table-hover">
        <thead>
          <tr>
            <th scope="col">Campaign</th>
            <th scope="col">Contacts file</th>
            <th scope="col">Provider</th>
            <th scope="col">Started</th>
            <th scope="col" className="num">Sent</th>
            <th scope="col" className="num">Failed</th>
            {showDelivery && <th scope="col">Delivery</th>}
            <th scope="col">State</th>
            <th scope="col"><span className="visually-hidden">Actions</span></th>
          </tr>
        </thead>
        <tbody>
          {history.map((h) => {
            const d = delivery.get(h.campaignId);
            const stopped = h.state === 'interrupted' ? interrupted.get(h.campaignId) : undefined;
            return (
              <tr key={h.campaignId} className={h.campaignId === selectedId ? 'row-selected' : undefined} data-testid="history-row">
                <td>{h.name || 'Untitled'}</td>
                <td className="ellipsis">{h.csvName}</td>
                <td>{h.providerKind}</td>
                <td className={showDelivery ? 'history-started' : undefined}>{new Date(h.createdAt).toLocaleString()}</td>
                <td className="num">{formatCount(h.totals.sent)}</td>
                <td className="num">{formatCount(h.totals.failed + h.totals.uncertain)}</td>
                {showDelivery && (
                  <td className="small history-delivery" data-testid="history-delivery" title={d === undefined ? undefined : deliveryTitle(d)}>
                    {d === undefined ? <span className="muted">—</span> : d.checkedAt === undefined ? <span className="muted">{deliverySummary(d)}</span> : deliverySummary(d)}
                  </td>
                )}
                <td>
                  <div className="history-state">
                    <span className={`pill pill-state-${h.state}`}>{stateLabel(h.state)}</span>
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
