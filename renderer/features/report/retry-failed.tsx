import type { ReactElement } from 'react';
import { useEffect, useState } from 'react';
import type { CampaignSummary, ResponseOf } from '../../../shared/ipc/contract';
import { useWorkflow } from '../../app/workflow';
import { Icon } from '../../ui/icons';
import { Banner, Card, errorMessage } from '../../ui/kit';

type Failed = ResponseOf<'campaign:failedRows'>;

/** kindLabel words an error kind: an HTTP status, or no answer. */
function kindLabel(kind: string): string {
  return kind === 'network' ? 'no answer (network, timeout)' : `HTTP ${kind}`;
}

/**
 * RetryFailed offers "Retry failed rows" for a finished campaign: it counts the failed rows by kind
 * (HTTP status, or no answer), lets the person keep only some kinds, and starts a new run linked to
 * this one with exactly those rows. Rows already sent are never in it; the opt-out list and the
 * frequency cap apply again. It also says when this run is itself a retry, or ignored the opt-out list.
 */
export function RetryFailed({ campaignId, summary }: { campaignId: string; summary: CampaignSummary | undefined }): ReactElement | null {
  const w = useWorkflow();
  const [failed, setFailed] = useState<{ id: string; value: Failed } | null>(null);
  const [unchecked, setUnchecked] = useState<ReadonlySet<string>>(new Set());
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const finished = summary === undefined || summary.state === 'finished' || summary.state === 'interrupted' || summary.state === 'cancelled';

  useEffect(() => {
    let live = true;
    window.api.campaign
      .failedRows({ campaignId })
      .then((value) => live && setFailed({ id: campaignId, value }))
      .catch(() => live && setFailed({ id: campaignId, value: { failed: 0, kinds: [] } }));
    return () => {
      live = false;
    };
  }, [campaignId, summary?.updatedAt]);

  const retry = async (kinds: readonly string[]) => {
    setBusy(true);
    setError(null);
    try {
      const all = failed?.value.kinds.length === kinds.length;
      const { campaignId: next } = await window.api.campaign.retryFailed(all ? { campaignId } : { campaignId, errorKinds: [...kinds] });
      w.setCampaignId(next);
      w.go('send');
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  const notes = (
    <>
      {summary?.retryOf !== undefined && (
        <Banner tone="info" testId="retry-of">
          This run sent again the failed rows of an earlier run of the campaign ({summary.retryOf}).
        </Banner>
      )}
      {summary?.optOutOverride !== undefined && (
        <Banner tone="warning" title="This campaign ignored the opt-out list" testId="optout-override">
          {summary.optOutOverride}. The report's opt_out column lists the rows it sent despite the list.
        </Banner>
      )}
    </>
  );
  const f = failed?.id === campaignId ? failed.value : null;
  if (f === null || f.failed === 0) return notes;
  const kinds = f.kinds.map((k) => k.kind).filter((k) => !unchecked.has(k));
  return (
    <>
      {notes}
      <Card title={`${f.failed.toLocaleString('en-US')} failed ${f.failed === 1 ? 'row' : 'rows'}`} testId="retry-failed">
        <p className="muted small">Send them again as a new run with its own report. Rows already sent are never included; the opt-out list and the frequency cap apply again.</p>
        <div className="form-row">
          {f.kinds.map((k) => (
            <label key={k.kind} className="check">
              <input
                type="checkbox"
                checked={!unchecked.has(k.kind)}
                onChange={(e) => {
                  const next = new Set(unchecked);
                  if (e.target.checked) next.delete(k.kind);
                  else next.add(k.kind);
                  setUnchecked(next);
                }}
              />
              <span>
                {kindLabel(k.kind)} ({k.count.toLocaleString('en-US')})
              </span>
            </label>
          ))}
        </div>
        <div className="row-gap">
          <button type="button" className="btn btn-primary" disabled={busy || kinds.length === 0 || !finished} data-testid="retry-failed-button" onClick={() => void retry(kinds)}>
            <Icon name="refresh" size={16} /> Retry failed rows
          </button>
          {!finished && <span className="muted small">It can be retried once it has finished.</span>}
        </div>
        {error !== null && <Banner tone="error">{error}</Banner>}
      </Card>
    </>
  );
}
