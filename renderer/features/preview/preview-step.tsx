import type { ReactElement } from 'react';
import { useMemo, useState } from 'react';
import { useWorkflow } from '../../app/workflow';
import { Icon } from '../../ui/icons';
import { Banner, Card, PageHeader, Spinner, Stat } from '../../ui/kit';
import { plural } from '../../../shared/problem-words';
import { shortText } from '../../ui/short-text';
import { formatCount } from '../send/format';
import { AttachmentList, requestText } from './attachment-list';
import { AudienceStats, OverrideBanner } from './audience-stats';
import { PhonePreview } from './phone-preview';
import { ProblemList } from './problem-list';
import { RowStepper } from './row-stepper';
import { usePreview } from './use-preview';
import { useValidation } from './use-validation';

/** PreviewStep is step 3: every row checked by main, any row shown as the phone shows it, with its exact request. */
export function PreviewStep(): ReactElement {
  const w = useWorkflow();
  const { dataset, spec, profileId, validation } = w;
  const vstate = useValidation();
  const [showRequest, setShowRequest] = useState(false);
  const [filter, setFilter] = useState<'all' | 'error' | 'warning'>('all');
  const total = dataset?.rowCount ?? 0;
  const row = Math.min(Math.max(w.previewRow, 1), Math.max(total, 1));
  const preview = usePreview(total > 0 ? (dataset?.datasetId ?? null) : null, spec, profileId, row, 0);

  const problems = useMemo(() => (validation === null ? [] : validation.problems.filter((p) => filter === 'all' || p.severity === filter)), [validation, filter]);
  const shown = preview.status === 'ready' ? preview.preview : preview.status === 'loading' ? preview.last : null;
  const rowProblems = preview.status === 'ready' ? preview.preview.problems : [];
  const campaignErrors = vstate.status === 'error' ? vstate.problems : (validation?.problems.filter((p) => p.row === 0 && p.severity === 'error') ?? []);
  // A failed lookup of the conversations means no row is known to be deliverable: nothing is ready.
  const lookupError = validation?.lookupError ?? (preview.status === 'ready' ? preview.preview.lookupError : undefined);
  const blocked = vstate.status === 'error' || campaignErrors.length > 0 || lookupError !== undefined || total === 0;
  const sendable = lookupError !== undefined ? 0 : (validation?.sendable ?? 0);
  // The routes' skips include the rows the opt-out list and the cap skip, which AudienceStats shows on their own.
  const lookupSkips = (validation?.routes?.skipped ?? 0) - (validation?.routes === undefined ? 0 : (validation.optedOutRows ?? 0) + (validation.cappedRows ?? 0));

  return (
    <div className="page page-wide">
      <PageHeader
        title="Preview"
        subtitle="Step through the rows to see what each contact receives. Nothing has been sent."
        actions={
          <>
            <button type="button" className="btn btn-secondary" onClick={() => w.go('map')}>
              <Icon name="chevronLeft" /> Edit message
            </button>
            <button type="button" className="btn btn-primary" data-testid="preview-continue" disabled={validation === null || blocked || sendable === 0} onClick={() => w.go('send')}>
              Continue to send <Icon name="chevronRight" />
            </button>
          </>
        }
      />

      <div className="stats-row" data-testid="validation-summary">
        {validation !== null ? (
          <>
            <Stat label={validation.rowCount === 1 ? 'row in file' : 'rows in file'} value={formatCount(validation.rowCount)} />
            <Stat label={lookupError !== undefined ? 'ready (conversations not found)' : 'will be sent'} value={formatCount(sendable)} tone={lookupError !== undefined ? 'failed' : 'sent'} testId="stat-sendable" />
            <Stat label="will be skipped" value={formatCount(validation.invalidRows)} tone={validation.invalidRows > 0 ? 'failed' : undefined} testId="stat-skipped" />
            <Stat label="warnings" value={formatCount(validation.warningCount)} tone={validation.warningCount > 0 ? 'uncertain' : undefined} />
            <AudienceStats validation={validation} />
            {validation.routes !== undefined && (
              <>
                <Stat label="take the fallback template" value={formatCount(validation.routes.fallback)} tone={validation.routes.fallback > 0 ? 'uncertain' : undefined} testId="stat-fallback" />
                <Stat label="skipped (no or inactive conversation, duplicate)" value={formatCount(lookupSkips)} tone={lookupSkips > 0 ? 'failed' : undefined} testId="stat-route-skipped" />
              </>
            )}
          </>
        ) : vstate.status === 'loading' ? (
          <Spinner label={`Checking ${formatCount(total)} rows…`} />
        ) : null}
      </div>

      {validation !== null && <OverrideBanner validation={validation} />}
      {lookupError !== undefined ? (
        <Banner tone="error" title="The conversations could not be looked up, so no row is ready" testId="lookup-error" action={<button type="button" className="btn btn-secondary btn-sm" onClick={() => w.go('map')}>Fix in message</button>}>
          {lookupError.field === 'recipient.botId' ? `Check the agent (bot) id. ${lookupError.message}` : lookupError.message}
        </Banner>
      ) : (
        validation?.routeNote !== undefined && (
          <Banner tone="info" title="Conversations" testId="route-note">
            {validation.routeNote}
          </Banner>
        )
      )}

      {vstate.status === 'error' && (
        <Banner tone="error" title="The campaign cannot be checked" testId="validation-error" action={<button type="button" className="btn btn-secondary btn-sm" onClick={() => w.go('map')}>Fix in message</button>}>
          {vstate.problems.length > 0 ? `Fix ${vstate.problems.length === 1 ? 'the problem' : `the ${vstate.problems.length} problems`} listed below in the message.` : vstate.message}
        </Banner>
      )}
      {total === 0 && (
        <Banner tone="error" title="The contact list has no rows" testId="no-rows">
          Import a file with contacts below its header row.
        </Banner>
      )}

      <div className="split">
        <div className="split-side split-side-left">
          <Card title="Message" actions={total > 0 ? <RowStepper row={row} total={total} onChange={w.setPreviewRow} /> : undefined} testId="preview-card">
            {shown !== null ? (
              <>
                <PhonePreview wire={w.draft?.wire ?? 'wassist'} body={shown.request.body} recipient={shown.recipient} />
                <AttachmentList preview={shown} />
              </>
            ) : preview.status === 'error' ? (
              preview.problems.length > 0 ? <ProblemList problems={preview.problems} onRow={w.setPreviewRow} onFix={() => w.go('map')} /> : <p className="text-error">{preview.message}</p>
            ) : total > 0 ? (
              <Spinner label="Rendering…" />
            ) : null}
            {shown?.route !== undefined && lookupError === undefined && (
              <p className={shown.skipped === true ? 'text-error small' : 'muted small'} data-testid="row-route">
                {shown.variant === 'fallback' && <span className="pill pill-uncertain">fallback template</span>} {shown.route}
              </p>
            )}
            {rowProblems.length > 0 && (
              <div className="preview-errors" data-testid="row-problems">
                <ProblemList problems={rowProblems} onRow={w.setPreviewRow} onFix={() => w.go('map')} />
              </div>
            )}
            {preview.status === 'ready' && lookupError !== undefined && (
              <p className="text-error small" data-testid="row-not-ready">
                Row {row} is not ready: where it goes is unknown until the conversations can be looked up.
              </p>
            )}
            {preview.status === 'ready' && !rowProblems.some((p) => p.severity === 'error') && lookupError === undefined && shown?.skipped !== true && (
              <p className="ok-line" data-testid="row-ok">
                <Icon name="check" size={16} /> Row {row} is ready to send
              </p>
            )}
            <div className="disclosure">
              <button type="button" className="disclosure-toggle" aria-expanded={showRequest} data-testid="toggle-request" onClick={() => setShowRequest((s) => !s)}>
                <Icon name={showRequest ? 'chevronDown' : 'chevronRight'} size={16} /> Exact request
              </button>
              {showRequest && shown !== null && (
                <pre className="code" data-testid="request-body" tabIndex={0}>
                  {requestText(shown, JSON.stringify(shown.request.body, (_, v: unknown) => (typeof v === 'string' ? shortText(v, 2000) : v), 2))}
                </pre>
              )}
            </div>
          </Card>
        </div>
        <div className="split-main">
          <Card
            title="Problems"
            testId="problems-card"
            actions={
              validation !== null && validation.problems.length > 0 ? (
                <div className="segmented segmented-sm" role="group" aria-label="Show problems">
                  {(['all', 'error', 'warning'] as const).map((f) => (
                    <button key={f} type="button" className="segment" aria-pressed={filter === f} onClick={() => setFilter(f)}>
                      {f === 'all' ? 'All' : f === 'error' ? 'Errors' : 'Warnings'}
                    </button>
                  ))}
                </div>
              ) : undefined
            }
          >
            {vstate.status === 'error' && vstate.problems.length > 0 && <ProblemList problems={vstate.problems} onRow={w.setPreviewRow} onFix={() => w.go('map')} />}
            {validation === null && vstate.status === 'loading' && <Spinner label="Checking every row…" />}
            {validation !== null && validation.problems.length === 0 && validation.rowCount > 0 && lookupError === undefined && (
              <div className="all-clear" data-testid="all-clear">
                <Icon name="check" size={28} />
                <div>
                  <strong>No problems found</strong>
                  <p className="muted">{validation.rowCount === 1 ? 'The one row is ready to send.' : `All ${formatCount(validation.rowCount)} rows are ready to send.`}</p>
                </div>
              </div>
            )}
            {validation !== null && validation.problems.length > 0 && (
              <>
                {validation.invalidRows > 0 && (
                  <p className="muted small">
                    {plural(validation.invalidRows, 'row')} with errors will be skipped unless you fix the mapping or the file. Click a problem to see its row.
                  </p>
                )}
                <ProblemList problems={problems} activeRow={row} onRow={w.setPreviewRow} onFix={() => w.go('map')} />
                {validation.truncated && <p className="muted small">Only the first {formatCount(validation.problems.length)} problems are listed.</p>}
              </>
            )}
          </Card>
        </div>
      </div>
    </div>
  );
}
