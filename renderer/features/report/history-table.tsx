import type { ReactElement } from 'react';
import { useEffect, useState } from 'react';
import type { CampaignSummary, DeliveryStatus } from '../../../shared/ipc/contract';
import { Icon } from '../../ui/icons';
import { formatCount } from '../send/format';

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
 * HistoryTable lists the campaigns kept in this app, newest first, with Open and Export. A Delivery
 * column (read, delivered, failed…) appears only when at least one campaign has a delivery status.
 */
export function HistoryTable({ history, selectedId, onOpen, onExport }: { history: readonly CampaignSummary[]; selectedId: string | null; onOpen(id: string): void; onExport(id: string): void }): ReactElement {
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
                  <span className={`pill pill-state-${h.state}`}>{stateLabel(h.state)}</span>
                </td>
                <td className="actions">
                  <button type="button" className="btn btn-ghost btn-sm" data-testid="history-open" onClick={() => onOpen(h.campaignId)}>
                    Open
                  </button>
                  <button type="button" className="btn btn-ghost btn-sm" data-testid="history-export" onClick={() => onExport(h.campaignId)}>
                    <Icon name="download" size={14} /> Export
                  </button>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
