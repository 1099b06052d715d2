import type { ReactElement } from 'react';
import { useWorkflow } from '../../app/workflow';
import { Card, Spinner } from '../../ui/kit';
import { PhonePreview } from './phone-preview';
import { ProblemList } from './problem-list';
import { RowStepper } from './row-stepper';
import { usePreview } from './use-preview';

/** LivePreview is the map step's side panel: the current row as the phone shows it, updated as the user edits. */
export function LivePreview(): ReactElement {
  const w = useWorkflow();
  const total = w.dataset?.rowCount ?? 0;
  const state = usePreview(w.dataset?.datasetId ?? null, w.spec, w.profileId, Math.min(w.previewRow, Math.max(total, 1)));
  const preview = state.status === 'ready' ? state.preview : state.status === 'loading' ? state.last : null;
  const wire = w.draft?.wire ?? 'wassist';
  return (
    <Card className="live-preview" title="Live preview" actions={state.status === 'loading' ? <Spinner inline label="Updating" /> : undefined} testId="live-preview">
      {total > 0 && <RowStepper row={w.previewRow} total={total} onChange={w.setPreviewRow} />}
      {preview !== null ? <PhonePreview wire={wire} body={preview.request.body} recipient={preview.recipient} /> : state.status !== 'error' && <Spinner label="Rendering the first row…" />}
      {state.status === 'error' && (
        <div className="preview-errors" role="alert">
          <p className="text-error">{state.message}</p>
          {state.problems.length > 0 && <ProblemList problems={state.problems} onRow={w.setPreviewRow} />}
        </div>
      )}
      {state.status === 'ready' && state.preview.problems.length > 0 && (
        <div className="preview-errors">
          <ProblemList problems={state.preview.problems} onRow={w.setPreviewRow} />
        </div>
      )}
    </Card>
  );
}
