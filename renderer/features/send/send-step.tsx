import type { ReactElement } from 'react';
import { useState } from 'react';
import { useWorkflow } from '../../app/workflow';
import { Icon } from '../../ui/icons';
import { Banner, Card, EmptyState, Modal, PageHeader, Spinner, Stat, errorMessage } from '../../ui/kit';
import { useValidation } from '../preview/use-validation';
import { estimateSeconds, formatCount, formatDuration, formatRate } from './format';
import { LiveProgress } from './live-progress';
import { ScheduleCard } from './schedule-card';
import { TestSend } from './test-send';
import './send.css';

/** SendStep is step 4: a test send, a confirmation that says what will happen, then live progress. */
export function SendStep(): ReactElement {
  const w = useWorkflow();
  const vstate = useValidation();
  const [skipInvalid, setSkipInvalid] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const [starting, setStarting] = useState(false);
  const [startError, setStartError] = useState<string | null>(null);
  const [setupNew, setSetupNew] = useState(false);
  const [fresh, setFresh] = useState(false);

  if (w.campaignId !== null && !setupNew) {
    return <LiveProgress campaignId={w.campaignId} onNew={() => setSetupNew(true)} />;
  }
  if (w.dataset === null || w.spec === null || w.draft === null || w.profile === null) {
    return (
      <div className="page">
        <PageHeader title="Send" />
        <EmptyState icon="send" title="Nothing to send yet" action={<button type="button" className="btn btn-primary" onClick={() => w.go('import')}>Import contacts</button>}>
          Import contacts and build a message first.
        </EmptyState>
      </div>
    );
  }

  const v = w.validation;
  const perSecond = w.draft.throttle.perSecond;
  const latency = w.profile.provider.kind === 'sandbox' ? w.profile.provider.latencyMs : 0;
  const count = v === null ? 0 : skipInvalid || v.invalidRows === 0 ? v.sendable : v.rowCount;
  const seconds = estimateSeconds(count, perSecond, w.draft.throttle.concurrency, latency);
  const needsKey = w.profile.keyState === 'none' || w.profile.keyState === 'needs-reentry';
  const blockedByInvalid = v !== null && v.invalidRows > 0 && !skipInvalid;
  const campaignErrors = v?.problems.filter((p) => p.row === 0 && p.severity === 'error') ?? [];
  const canStart = v !== null && !needsKey && !blockedByInvalid && count > 0 && campaignErrors.length === 0;

  const start = async () => {
    if (w.dataset === null || w.spec === null || w.profileId === null) return;
    setStarting(true);
    setStartError(null);
    try {
      const { campaignId } = await window.api.campaign.start({ datasetId: w.dataset.datasetId, spec: w.spec, profileId: w.profileId, skipInvalid, fresh });
      setConfirming(false);
      setSetupNew(false);
      w.setCampaignId(campaignId);
    } catch (e) {
      setStartError(errorMessage(e));
    } finally {
      setStarting(false);
    }
  };

  return (
    <div className="page">
      <PageHeader title="Send" subtitle="Send one test first. Then send to everyone; you can pause or cancel at any time." />
      <div className="stats-row">
        <Stat label="messages to send" value={v === null ? '…' : formatCount(count)} tone="sent" testId="send-count" />
        <Stat label="profile" value={w.profile.name} />
        <Stat label="rate limit" value={formatRate(perSecond)} />
        <Stat label="estimated time" value={v === null ? '…' : formatDuration(seconds)} />
      </div>
      {vstate.status === 'loading' && <Spinner label="Checking every row…" />}
      {vstate.status === 'error' && <Banner tone="error" title="The campaign has problems">{vstate.message}</Banner>}
      {needsKey && (
        <Banner tone="warning" title={`“${w.profile.name}” has no API key`} action={<button type="button" className="btn btn-secondary btn-sm" onClick={() => w.go('settings')}>Add key</button>}>
          Add the key in Settings to send.
        </Banner>
      )}
      <TestSend />
      <Card title="2 · Send the campaign" testId="start-card">
        {v !== null && v.invalidRows > 0 && (
          <label className="check check-block">
            <input type="checkbox" checked={skipInvalid} data-testid="skip-invalid" onChange={(e) => setSkipInvalid(e.target.checked)} />
            <span>
              Skip the {formatCount(v.invalidRows)} row{v.invalidRows === 1 ? '' : 's'} with errors and send the other {formatCount(v.sendable)}
              <button type="button" className="link" onClick={() => w.go('preview')}>
                see problems
              </button>
            </span>
          </label>
        )}
        {campaignErrors.length > 0 && <Banner tone="error" title="Fix the message first">{campaignErrors[0]?.reason}</Banner>}
        <div className="row-gap">
          <button type="button" className="btn btn-primary btn-lg" data-testid="start-button" disabled={!canStart} onClick={() => setConfirming(true)}>
            <Icon name="send" /> Send {v === null ? '' : formatCount(count)} messages…
          </button>
          {blockedByInvalid && <span className="muted small">Rows with errors would stop the send: skip them or fix them first.</span>}
        </div>
      </Card>
      <ScheduleCard skipInvalid={skipInvalid} disabled={!canStart} />
      <Modal
        open={confirming}
        title="Send the campaign?"
        onClose={() => setConfirming(false)}
        testId="confirm-dialog"
        footer={
          <>
            <button type="button" className="btn btn-secondary" onClick={() => setConfirming(false)}>
              Not yet
            </button>
            <button type="button" className="btn btn-primary" data-testid="confirm-send" disabled={starting} onClick={() => void start()}>
              {starting ? 'Starting…' : `Send ${formatCount(count)} messages`}
            </button>
          </>
        }
      >
        <p className="confirm-text" data-testid="confirm-text">
          <strong>{formatCount(count)} messages</strong> will go out through <strong>{w.profile.name}</strong> ({w.profile.provider.kind === 'sandbox' ? 'sandbox: nothing really sent' : w.profile.provider.kind}) at up to <strong>{formatRate(perSecond)}</strong>, {w.draft.throttle.concurrency} at a time. That takes about <strong>{formatDuration(seconds)}</strong>.
        </p>
        {v !== null && skipInvalid && v.invalidRows > 0 && <p className="muted">{formatCount(v.invalidRows)} rows with errors are skipped and listed in the report.</p>}
        <label className="check check-block">
          <input type="checkbox" checked={fresh} data-testid="start-fresh" onChange={(e) => setFresh(e.target.checked)} />
          <span>If this campaign was sent from this file before, only rows not yet sent go out. Tick to start over and send to every row again.</span>
        </label>
        {startError !== null && <Banner tone="error" title="Not started">{startError}</Banner>}
      </Modal>
    </div>
  );
}
