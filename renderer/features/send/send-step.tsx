import type { ReactElement } from 'react';
import { useState } from 'react';
import { useWorkflow } from '../../app/workflow';
import { Icon } from '../../ui/icons';
import { Banner, Card, EmptyState, Modal, PageHeader, Spinner, Stat, errorMessage } from '../../ui/kit';
import { useValidation } from '../preview/use-validation';
import type { EarlierRun, ValidationReport } from '../../../shared/ipc/contract';
import { plural, problemWords } from '../../../shared/problem-words';
import type { Problem } from '../../../shared/problems';
import { effectiveRate, estimateSeconds, formatCount, formatDuration, formatRate } from './format';
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
    return (
      <LiveProgress
        campaignId={w.campaignId}
        onNew={() => {
          // What an earlier run settled has changed: check the rows again before saying what will go out.
          w.setValidation(null);
          setFresh(false);
          setSetupNew(true);
        }}
      />
    );
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
  const { count, earlier } = messagesToSend(v, fresh);
  const seconds = estimateSeconds(count, perSecond, w.draft.throttle.concurrency, latency);
  const needsKey = w.profile.keyState === 'none' || w.profile.keyState === 'needs-reentry';
  const blockedByInvalid = v !== null && v.invalidRows > 0 && !skipInvalid;
  const campaignErrors = v?.problems.filter((p) => p.row === 0 && p.severity === 'error') ?? [];
  const canStart = v !== null && !needsKey && !blockedByInvalid && count > 0 && campaignErrors.length === 0 && v.lookupError === undefined;

  const start = async () => {
    if (w.dataset === null || w.spec === null || w.profileId === null) return;
    setStarting(true);
    setStartError(null);
    try {
      const { campaignId } = await window.api.campaign.start({ datasetId: w.dataset.datasetId, spec: w.spec, profileId: w.profileId, skipInvalid, fresh });
      setConfirming(false);
      setSetupNew(false);
      w.setValidation(null);
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
        <Stat label={count === 1 ? 'message to send' : 'messages to send'} value={v === null ? '…' : formatCount(count)} tone="sent" testId="send-count" />
        <Stat label="profile" value={w.profile.name} />
        <Stat label="rate limit" value={formatRate(effectiveRate(perSecond))} />
        <Stat label="estimated time" value={v === null ? '…' : formatDuration(seconds)} testId="send-time" />
      </div>
      {vstate.status === 'loading' && <Spinner label="Checking every row…" />}
      {vstate.status === 'error' && (
        <Banner tone="error" title="The campaign has problems" action={<button type="button" className="btn btn-secondary btn-sm" onClick={() => w.go('preview')}>See problems</button>}>
          {vstate.problems.length > 0 ? problemWords(vstate.problems[0] as Problem) : vstate.message}
        </Banner>
      )}
      {v?.lookupError !== undefined && (
        <Banner tone="error" title="The conversations could not be looked up" testId="send-lookup-error">
          {v.lookupError.message}
        </Banner>
      )}
      {earlier !== undefined && <EarlierRunNote earlier={earlier} fresh={fresh} setFresh={setFresh} freshCount={messagesToSend(v, true).count} />}
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
              Skip the {plural(v.invalidRows, 'row')} with errors ({v.invalidRows === 1 ? 'it is' : 'they are'} listed in the report) and send the rest
              <button type="button" className="link" onClick={() => w.go('preview')}>
                see problems
              </button>
            </span>
          </label>
        )}
        {campaignErrors.length > 0 && <Banner tone="error" title="Fix the message first">{problemWords(campaignErrors[0] as Problem)}</Banner>}
        <div className="row-gap">
          <button type="button" className="btn btn-primary btn-lg" data-testid="start-button" disabled={!canStart} onClick={() => setConfirming(true)}>
            <Icon name="send" /> {v === null ? 'Send…' : count === 0 ? 'Nothing left to send' : `Send ${plural(count, 'message')}…`}
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
            <button type="button" className="btn btn-primary" data-testid="confirm-send" disabled={starting || count === 0} onClick={() => void start()}>
              {starting ? 'Starting…' : `Send ${plural(count, 'message')}`}
            </button>
          </>
        }
      >
        <p className="confirm-text" data-testid="confirm-text">
          <strong>{plural(count, 'message')}</strong> {count === 1 ? 'goes' : 'will go'} out through <strong>{w.profile.name}</strong> ({w.profile.provider.kind === 'sandbox' ? 'sandbox: nothing really sent' : w.profile.provider.kind}) at up to <strong>{formatRate(effectiveRate(perSecond))}</strong>, {w.draft.throttle.concurrency} at a time. That takes about <strong>{formatDuration(seconds)}</strong>.
        </p>
        {earlier !== undefined && !fresh && <p className="muted" data-testid="confirm-earlier">{settledWords(earlier)} by an earlier run {settledTotal(earlier) === 1 ? 'is' : 'are'} not sent again.</p>}
        {earlier !== undefined && fresh && <p className="muted" data-testid="confirm-earlier">Starting over: every row is sent again, also the {plural(earlier.sent, 'row')} sent before.</p>}
        {v !== null && skipInvalid && v.invalidRows > 0 && <p className="muted">{plural(v.invalidRows, 'row')} with errors {v.invalidRows === 1 ? 'is' : 'are'} skipped and listed in the report.</p>}
        {startError !== null && <Banner tone="error" title="Not started">{startError}</Banner>}
      </Modal>
    </div>
  );
}

/**
 * messagesToSend is what a start sends, as main counted it: the rows that pass (less those the
 * routes skip), and on a resume only those an earlier run did not settle. Nothing is ready while
 * the conversations cannot be looked up.
 */
export function messagesToSend(v: ValidationReport | null, fresh: boolean): { count: number; earlier: EarlierRun | undefined } {
  if (v === null || v.lookupError !== undefined) return { count: 0, earlier: v?.earlierRun };
  const all = v.routes !== undefined ? v.routes.message + v.routes.fallback : v.sendable;
  const earlier = v.earlierRun;
  return { count: earlier !== undefined && !fresh ? earlier.toSend : all, earlier };
}

function settledTotal(e: EarlierRun): number {
  return e.sent + e.failed + e.skipped + e.uncertain;
}

/** settledWords says what an earlier run settled: "2 rows sent, 1 failed". */
function settledWords(e: EarlierRun): string {
  const parts = [`${plural(e.sent, 'row')} sent`];
  if (e.failed > 0) parts.push(`${formatCount(e.failed)} failed`);
  if (e.uncertain > 0) parts.push(`${formatCount(e.uncertain)} uncertain`);
  if (e.skipped > 0) parts.push(`${formatCount(e.skipped)} skipped`);
  return parts.join(', ');
}

/** EarlierRunNote says that this campaign ran before from this file, what that run settled, and offers to start over. */
function EarlierRunNote({ earlier, fresh, setFresh, freshCount }: { earlier: EarlierRun; fresh: boolean; setFresh(v: boolean): void; freshCount: number }): ReactElement {
  return (
    <Banner tone={earlier.toSend === 0 && !fresh ? 'warning' : 'info'} title="This campaign ran before from this file" testId="earlier-run">
      <p>
        {settledWords(earlier)}. Sending again resumes it: {earlier.toSend === 0 ? 'every row is settled, so nothing would go out.' : `only the ${plural(earlier.toSend, 'row')} not yet sent ${earlier.toSend === 1 ? 'goes' : 'go'} out.`}
      </p>
      <label className="check">
        <input type="checkbox" checked={fresh} data-testid="start-fresh" onChange={(e) => setFresh(e.target.checked)} />
        <span>Start over and send all {plural(freshCount, 'message')} again</span>
      </label>
    </Banner>
  );
}
