import type { ReactElement } from 'react';
import { useWorkflow } from '../../app/workflow';
import { Card, Spinner } from '../../ui/kit';
import { AttachmentList } from './attachment-list';
import { PhonePreview } from './phone-preview';
import { ProblemList } from './problem-list';
import { RowStepper } from './row-stepper';
import type { PreviewState } from './use-preview';
import { usePreview } from './use-preview';

/** useLivePreview asks main for the current row of the campaign being edited (the map step shares it with its fields). */
export function useLivePreview(): PreviewState {
  const w = useWorkflow();
  const total = w.dataset?.rowCount ?? 0;
  return usePreview(total > 0 ? (w.dataset?.datasetId ?? null) : null, w.previewSpec, w.profileId, Math.min(w.previewRow, Math.max(total, 1)));
}

/**
 * LivePreview is the map step's side panel: the current row as the phone shows it, updated as the
 * user edits. Whatever is wrong shows as the preview's problem list does, in words, never as the
 * raw text of an error.
 */
export function LivePreview({ state }: { state: PreviewState }): ReactElement {
  const w = useWorkflow();
  const total = w.dataset?.rowCount ?? 0;
  const preview = state.status === 'ready' ? state.preview : state.status === 'loading' ? state.last : null;
  const wire = w.draft?.wire ?? 'wassist';
  const failed = state.status === 'error';
  return (
    <Card className="live-preview" title="Live preview" actions={state.status === 'loading' ? <Spinner inline label="Updating" /> : undefined} testId="live-preview">
      {total > 0 && <RowStepper row={w.previewRow} total={total} onChange={w.setPreviewRow} />}
      {total === 0 && <p className="muted">The contact list has no rows to preview.</p>}
      {total > 0 && !failed && (preview !== null ? <PhonePreview wire={wire} body={preview.request.body} recipient={preview.recipient} /> : <Spinner label="Rendering the first row…" />)}
      {!failed && preview !== null && <AttachmentList preview={preview} />}
      {failed && (
        <div className="preview-errors" data-testid="live-preview-problems">
          <p className="text-error">{state.problems.length > 0 ? 'This row cannot be shown until these are fixed:' : state.message}</p>
          {state.problems.length > 0 && <ProblemList problems={state.problems} onRow={w.setPreviewRow} />}
        </div>
      )}
      {state.status === 'ready' && state.preview.lookupError !== undefined && (
        <p className="text-error small" data-testid="live-lookup-error">
          {state.preview.lookupError.message}
        </p>
      )}
      {state.status === 'ready' && state.preview.problems.length > 0 && (
        <div className="preview-errors" data-testid="live-preview-problems">
          <ProblemList problems={state.preview.problems} onRow={w.setPreviewRow} />
        </div>
      )}
    </Card>
  );
}
