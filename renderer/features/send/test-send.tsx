import type { ReactElement } from 'react';
import { useState } from 'react';
import type { RowOutcome } from '../../../shared/engine/events';
import { useWorkflow } from '../../app/workflow';
import { Icon } from '../../ui/icons';
import { Banner, Card, errorMessage } from '../../ui/kit';

/** TestSend sends the message of one chosen row for real, so the user sees it arrive before sending to everyone. */
export function TestSend(): ReactElement {
  const w = useWorkflow();
  const total = w.dataset?.rowCount ?? 0;
  const [row, setRow] = useState(String(Math.min(Math.max(w.previewRow, 1), Math.max(total, 1))));
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<{ outcome: RowOutcome } | { error: string } | null>(null);
  const n = Math.trunc(Number(row));
  const valid = Number.isFinite(n) && n >= 1 && n <= total;

  const send = async () => {
    if (w.dataset === null || w.spec === null || w.profileId === null || !valid) return;
    setBusy(true);
    setResult(null);
    try {
      const outcome = await window.api.campaign.testSend({ datasetId: w.dataset.datasetId, spec: w.spec, profileId: w.profileId, row: n });
      setResult({ outcome });
    } catch (e) {
      setResult({ error: errorMessage(e) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <Card title="1 · Send a test" testId="test-send">
      <p className="muted">Send row {valid ? n : '…'}’s message now and check it on the phone before sending to everyone. Use a row with your own conversation.</p>
      <div className="row-gap">
        <label className="field field-inline">
          <span className="field-label">Row</span>
          <input className="input input-narrow" inputMode="numeric" data-testid="test-row" value={row} onChange={(e) => setRow(e.target.value)} aria-invalid={!valid} />
        </label>
        <button type="button" className="btn btn-secondary" data-testid="test-send-button" disabled={!valid || busy} onClick={() => void send()}>
          <Icon name="flask" /> {busy ? 'Sending…' : 'Send test'}
        </button>
      </div>
      {result !== null && 'error' in result && (
        <Banner tone="error" title="The test could not be sent" testId="test-result">
          {result.error}
        </Banner>
      )}
      {result !== null && 'outcome' in result && result.outcome.status === 'sent' && (
        <Banner tone="success" title={`Test sent to ${result.outcome.recipient}`} testId="test-result">
          Message id {result.outcome.messageId ?? '—'}
          {result.outcome.httpStatus !== undefined ? ` · HTTP ${result.outcome.httpStatus}` : ''}
        </Banner>
      )}
      {result !== null && 'outcome' in result && result.outcome.status !== 'sent' && (
        <Banner tone="error" title={`Test ${result.outcome.status}`} testId="test-result">
          {result.outcome.httpStatus !== undefined ? `HTTP ${result.outcome.httpStatus}: ` : ''}
          {result.outcome.error ?? 'The provider did not accept the message.'}
        </Banner>
      )}
    </Card>
  );
}
