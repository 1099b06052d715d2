import type { ReactElement } from 'react';
import { useState } from 'react';
import type { Snapshot } from '../../../shared/ipc/contract';
import { useWorkflow } from '../../app/workflow';
import { Icon } from '../../ui/icons';
import { Banner, Card, Modal, PageHeader, ProgressBar, Spinner, Stat, errorMessage } from '../../ui/kit';
import { ErrorGroups } from './error-groups';
import { plural } from '../../../shared/problem-words';
import { formatCount, formatEta, formatPercent, formatRate } from './format';
import type { StatusFilter } from './status-table';
import { StatusTable } from './status-table';
import { useCampaignStream } from './use-campaign-stream';
import './send.css';

function stateBanner(s: Snapshot): { tone: 'info' | 'warning' | 'success' | 'error'; title: string; text?: string } {
  if (s.state === 'running') return { tone: 'info', title: 'Sending…', text: 'You can leave this screen; sending goes on in the background.' };
  if (s.state === 'paused') return { tone: 'warning', title: 'Paused', text: 'Nothing is being sent. Resume to continue where it stopped.' };
  if (s.state === 'finished') {
    if (s.finishReason === 'stopped') return { tone: 'error', title: 'Stopped by the provider', text: s.stopReason ?? 'The provider refused to continue; the rest is still pending.' };
    if (s.finishReason === 'cancelled') return { tone: 'warning', title: 'Cancelled', text: 'Rows not yet sent stay pending.' };
    return { tone: s.totals.failed + s.totals.uncertain > 0 ? 'warning' : 'success', title: 'Finished', text: s.totals.failed + s.totals.uncertain > 0 ? 'Some messages were not delivered; see the reasons below.' : 'Every message was accepted by the provider.' };
  }
  return { tone: 'info', title: 'Ready' };
}

/** LiveProgress follows a campaign: bar, counts by status, rate and ETA, errors by reason, every row; pause, resume, cancel. */
export function LiveProgress({ campaignId, onNew }: { campaignId: string; onNew(): void }): ReactElement {
  const w = useWorkflow();
  const { live, overlay, adopt } = useCampaignStream(campaignId);
  const [busy, setBusy] = useState(false);
  const [actionError, setActionError] = useState<string | null>(null);
  const [confirmCancel, setConfirmCancel] = useState(false);
  const [filter, setFilter] = useState<StatusFilter>('all');
  const s = live.snapshot;

  const act = async (f: (req: { campaignId: string }) => Promise<Snapshot>) => {
    setBusy(true);
    setActionError(null);
    try {
      adopt(await f({ campaignId }));
    } catch (e) {
      setActionError(errorMessage(e));
    } finally {
      setBusy(false);
      setConfirmCancel(false);
    }
  };

  if (s === null) {
    return (
      <div className="page">
        <PageHeader title="Send" />
        {live.error !== null ? <Banner tone="error" title="Campaign unavailable">{live.error}</Banner> : <Spinner label="Loading the campaign…" />}
      </div>
    );
  }

  const t = s.totals;
  const done = t.sent + t.failed + t.skipped + t.uncertain;
  const banner = stateBanner(s);
  const finished = s.state === 'finished';
  // The latest change of pace: shown while the provider's refusals keep it below the pace asked.
  const pace = live.notices.findLast((n) => n.type === 'pace');
  return (
    <div className="page">
      <PageHeader
        title={s.name === '' ? 'Sending' : s.name}
        subtitle={`Through ${s.profileName}${s.startedAt !== undefined ? ` · started ${new Date(s.startedAt).toLocaleTimeString()}` : ''}`}
        actions={
          finished ? (
            <>
              <button type="button" className="btn btn-secondary" data-testid="new-send" onClick={onNew}>
                <Icon name="refresh" /> New send
              </button>
              <button type="button" className="btn btn-primary" data-testid="view-report" onClick={() => { w.setReportId(campaignId); w.go('report'); }}>
                <Icon name="chart" /> View report
              </button>
            </>
          ) : (
            <>
              {s.state === 'paused' ? (
                <button type="button" className="btn btn-primary" data-testid="resume" disabled={busy} onClick={() => void act(window.api.campaign.resume)}>
                  <Icon name="play" /> Resume
                </button>
              ) : (
                <button type="button" className="btn btn-secondary" data-testid="pause" disabled={busy} onClick={() => void act(window.api.campaign.pause)}>
                  <Icon name="pause" /> Pause
                </button>
              )}
              <button type="button" className="btn btn-danger" data-testid="cancel" disabled={busy} onClick={() => setConfirmCancel(true)}>
                <Icon name="stop" /> Cancel
              </button>
            </>
          )
        }
      />
      <Banner tone={banner.tone} title={banner.title} testId="campaign-state">
        {banner.text}
      </Banner>
      {!finished && pace?.lowered === true && (
        <Banner tone="warning" title="Sending slower than asked" testId="pace">
          {pace.message}
        </Banner>
      )}
      {actionError !== null && <Banner tone="error" title="That did not work">{actionError}</Banner>}
      <Card testId="progress-card">
        <div className="progress-head">
          <span className="progress-big" data-testid="progress-percent">{formatPercent(done, t.total)}</span>
          <span className="muted">
            {formatCount(done)} of {formatCount(t.total)} done
          </span>
          <span className="spacer" />
          <span className="progress-meta">
            <span>
              <Icon name="send" size={14} /> <span data-testid="rate">{formatRate(s.state === 'running' ? s.ratePerSecond : 0)}</span>
            </span>
            <span>
              ETA <span data-testid="eta">{finished ? (s.finishReason === 'completed' || s.finishReason === undefined ? 'done' : '—') : s.state === 'paused' ? 'paused' : formatEta(s.etaSeconds)}</span>
            </span>
          </span>
        </div>
        <ProgressBar value={t.total === 0 ? 1 : done / t.total} label="Campaign progress" tone={finished && s.finishReason === 'completed' && t.failed === 0 ? 'success' : 'accent'} />
        <div className="stats-row stats-compact">
          <Stat label="sent" value={formatCount(t.sent)} tone="sent" testId="count-sent" />
          <Stat label="failed" value={formatCount(t.failed)} tone="failed" testId="count-failed" />
          <Stat label="uncertain" value={formatCount(t.uncertain)} tone="uncertain" testId="count-uncertain" />
          <Stat label="skipped" value={formatCount(t.skipped)} tone="skipped" testId="count-skipped" />
          <Stat label="sending" value={formatCount(t.inFlight)} tone="in-flight" />
          <Stat label="pending" value={formatCount(t.pending)} tone="pending" testId="count-pending" />
        </div>
        {!finished && s.waiting !== undefined && (
          <p className="muted small" data-testid="waiting">
            <Icon name="pause" size={14} /> {formatCount(s.waiting.rows)} waiting for their quiet hours, the first until {new Date(s.waiting.until).toLocaleString()}
          </p>
        )}
      </Card>
      {live.notices.length > 0 && (
        <Card title="Activity" testId="activity">
          <ul className="activity">
            {live.notices.slice(-6).reverse().map((n, i) => (
              <li key={i}>
                <span className="muted small">{new Date(n.at).toLocaleTimeString()}</span>
                <span className={`badge${n.type === 'stopped' ? ' badge-error' : n.type === 'retrying' || n.type === 'pace' ? ' badge-warning' : ''}`}>{n.type}</span>
                <span>{n.message}</span>
              </li>
            ))}
          </ul>
        </Card>
      )}
      {t.failed + t.uncertain > 0 && (
        <Card title="Why messages failed">
          <ErrorGroups campaignId={campaignId} failed={t.failed} uncertain={t.uncertain} />
        </Card>
      )}
      <Card
        title="Every message"
        actions={
          <label className="field field-inline">
            <span className="field-label">Show</span>
            <select className="input input-sm" value={filter} data-testid="status-filter" onChange={(e) => setFilter(e.target.value as StatusFilter)}>
              <option value="all">All rows</option>
              <option value="sent">Sent</option>
              <option value="failed">Failed</option>
              <option value="uncertain">Uncertain</option>
              <option value="skipped">Skipped</option>
              <option value="pending">Pending</option>
            </select>
          </label>
        }
      >
        <StatusTable key={`${campaignId}-${filter}`} campaignId={campaignId} total={t.total} overlay={overlay} version={live.version} filter={filter} running={s.state === 'running'} />
      </Card>
      <Modal
        open={confirmCancel}
        title="Cancel the campaign?"
        onClose={() => setConfirmCancel(false)}
        footer={
          <>
            <button type="button" className="btn btn-secondary" onClick={() => setConfirmCancel(false)}>
              Keep sending
            </button>
            <button type="button" className="btn btn-danger" data-testid="confirm-cancel" disabled={busy} onClick={() => void act(window.api.campaign.cancel)}>
              Cancel campaign
            </button>
          </>
        }
      >
        <p>{plural(t.pending, 'message')} not yet sent will stay pending. Messages already sent cannot be recalled.</p>
      </Modal>
    </div>
  );
}
