import type { ReactElement } from 'react';
import { useEffect, useState } from 'react';
import type { DeliveryStatus } from '../../../shared/ipc/contract';
import { Icon } from '../../ui/icons';
import { Card, Spinner, Stat, errorMessage } from '../../ui/kit';
import { formatCount } from '../send/format';

/**
 * DeliveryCard shows what became of a Wassist campaign's messages after they were accepted: how
 * many were read, delivered, are still only sent, or failed, as last read from Wassist, and which
 * rows took the fallback template. "Refresh delivery status" reads them again now (main asks one
 * conversation at a time at a polite pace, so a large campaign takes a while).
 */
export function DeliveryCard({ campaignId }: { campaignId: string }): ReactElement | null {
  const [loaded, setLoaded] = useState<{ id: string; status: DeliveryStatus | null } | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    // The report step mounts one card per campaign (keyed by id), so there is no earlier error to clear.
    let live = true;
    window.api.campaign
      .deliveryStatus({ campaignId })
      .then((status) => {
        if (live) setLoaded({ id: campaignId, status });
      })
      .catch((e: unknown) => {
        if (live) setError(errorMessage(e));
      });
    return () => {
      live = false;
    };
  }, [campaignId]);

  const refresh = async () => {
    setBusy(true);
    setError(null);
    try {
      const status = await window.api.campaign.refreshStatus({ campaignId });
      setLoaded({ id: campaignId, status });
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  const current = loaded?.id === campaignId ? loaded.status : undefined;
  if (current === null) return null; // not a Wassist campaign: there is no delivery status to read
  const c = current?.counts;
  const seen = c === undefined ? 0 : c.read + c.delivered + c.sent + c.failed;
  return (
    <Card
      title="Delivery status"
      testId="delivery-card"
      actions={
        <button type="button" className="btn btn-secondary btn-sm" data-testid="refresh-status" disabled={busy || current === undefined} onClick={() => void refresh()}>
          <Icon name="refresh" size={14} /> {busy ? 'Reading…' : 'Refresh delivery status'}
        </button>
      }
    >
      {error !== null && <p className="text-error" data-testid="delivery-error">{error}</p>}
      {current === undefined && error === null && <Spinner label="Loading…" />}
      {current !== undefined && c !== undefined && (
        <>
          <div className="stats-row" data-testid="delivery-counts">
            <Stat label="read" value={formatCount(c.read)} tone="sent" testId="delivery-read" />
            <Stat label="delivered" value={formatCount(c.delivered)} testId="delivery-delivered" />
            <Stat label="sent, not delivered yet" value={formatCount(c.sent)} tone={c.sent > 0 ? 'uncertain' : undefined} testId="delivery-sent" />
            <Stat label="failed" value={formatCount(c.failed)} tone={c.failed > 0 ? 'failed' : undefined} testId="delivery-failed" />
          </div>
          <p className="muted small" data-testid="delivery-note">
            {current.checkedAt === undefined
              ? `${formatCount(current.sentRows)} accepted messages; their delivery status has not been read yet.`
              : `${formatCount(seen)} of ${formatCount(current.sentRows)} accepted messages found, as of ${new Date(current.checkedAt).toLocaleString()}.`}
            {current.variants.fallback > 0 && ` ${formatCount(current.variants.fallback)} rows got the fallback template (inactive conversation).`}
            {current.unreadable !== undefined && current.unreadable.length > 0 && ` ${formatCount(current.unreadable.length)} conversations could not be read.`}
          </p>
        </>
      )}
    </Card>
  );
}
