import type { ReactElement } from 'react';
import { useId, useRef, useState } from 'react';
import type { DatasetInfo } from '../../../shared/ipc/contract';
import { useWorkflow } from '../../app/workflow';
import { Icon } from '../../ui/icons';
import { Banner, Card, PageHeader, ProgressBar, errorMessage } from '../../ui/kit';
import { plural } from '../../../shared/problem-words';
import { formatBytes, formatCount } from '../send/format';
import type { Delimiter, EncodingChoice } from './csv-scan';
import { delimiterLabel, delimiters, encodingLabel, encodings } from './csv-scan';
import { specToDraft, wireOf } from '../map/draft';
import { ImportDropzone } from './import-dropzone';
import { SampleTable } from './sample-table';
import type { ImportOverrides } from './use-csv-import';
import { useCsvImport } from './use-csv-import';
import '../preview/problems.css';
import './import.css';

/** ImportStep is step 1: drop or pick a CSV, watch it parse, check what was read. */
export function ImportStep(): ReactElement {
  const w = useWorkflow();
  // A file that cannot be used replaces the one before: the sidebar must not keep counting the old contacts.
  const { state, importFile, rescan, adopt, reset, cancel } = useCsvImport(w.setDataset, () => w.setDataset(null));
  const [overrides, setOverrides] = useState<ImportOverrides>({});
  const [openError, setOpenError] = useState<string | null>(null);
  const inputRef = useRef<HTMLInputElement>(null);
  const inputId = useId();

  const pick = (files: FileList | null) => {
    const file = files?.[0];
    if (file === undefined) return;
    setOverrides({});
    setOpenError(null);
    importFile(file);
  };

  const openWithDialog = () => {
    setOpenError(null);
    window.api.csv
      .open()
      .then((d) => {
        if (d !== null) adopt(d);
      })
      .catch((e: unknown) => setOpenError(errorMessage(e)));
  };

  const openSample = () => {
    setOpenError(null);
    window.api.app
      .openSample()
      .then(({ dataset: sample, spec }) => {
        adopt(sample);
        const draft = specToDraft(spec, 'wassist');
        const profile = w.profiles.find((p) => p.provider.kind === 'sandbox' && wireOf(p.provider) === draft.wire) ?? w.profiles.find((p) => wireOf(p.provider) === draft.wire);
        if (profile !== undefined) w.setProfileId(profile.id);
        w.setDraft(draft);
      })
      .catch((e: unknown) => setOpenError(errorMessage(e)));
  };

  const change = (next: ImportOverrides) => {
    setOverrides(next);
    rescan(next);
  };

  const busy = state.phase === 'reading' || state.phase === 'uploading';
  const dataset: DatasetInfo | null = state.phase === 'ready' ? state.dataset : state.phase === 'idle' ? w.dataset : null;
  const scan = state.phase === 'ready' || state.phase === 'uploading' || state.phase === 'error' ? state.scan : null;
  const canChange = scan !== null && !busy;

  const cancelButton = (
    <button type="button" className="btn btn-secondary btn-sm" data-testid="import-cancel" onClick={cancel}>
      Cancel
    </button>
  );

  // The file input stays hidden (and out of the Tab order); a real button opens it, so the keyboard
  // reaches "Choose a file…" with a visible focus ring.
  const fileInput = (
    <input
      ref={inputRef}
      id={inputId}
      type="file"
      accept=".csv,.tsv,.txt,text/csv"
      className="visually-hidden"
      tabIndex={-1}
      aria-hidden="true"
      data-testid="csv-input"
      onChange={(e) => {
        pick(e.target.files);
        e.target.value = ''; // choosing the same file again still reads it again
      }}
    />
  );
  const chooseFile = () => inputRef.current?.click();

  if (state.phase === 'idle' && dataset === null) {
    return <ImportDropzone onFiles={pick} onChooseFile={chooseFile} onOpenDialog={openWithDialog} onOpenSample={openSample} openError={openError} fileInput={fileInput} />;
  }

  const fileName = state.phase === 'idle' ? (dataset?.name ?? '') : state.fileName;
  const size = state.phase === 'idle' ? 0 : state.size;
  return (
    <div className="page">
      <PageHeader
        title="Import contacts"
        subtitle={busy ? 'Reading your file. You can keep using the app while it works.' : 'Check that the columns and rows look right, then build your message.'}
        actions={
          <>
            <button type="button" className="btn btn-secondary" data-testid="choose-file" disabled={busy} onClick={chooseFile}>
              <Icon name="file" /> Choose another file…
            </button>
            {fileInput}
            <button type="button" className="btn btn-primary" disabled={dataset === null || dataset.rowCount === 0 || busy} data-testid="import-continue" onClick={() => w.go('map')}>
              Continue <Icon name="chevronRight" />
            </button>
          </>
        }
      />
      <Card testId="import-summary">
        <div className="file-summary">
          <div className="file-badge" aria-hidden="true">
            <Icon name="file" size={22} />
          </div>
          <div className="file-meta">
            <div className="file-name" data-testid="file-name">{fileName}</div>
            <div className="file-facts">
              {size > 0 && <span>{formatBytes(size)}</span>}
              {dataset !== null && <span data-testid="row-count">{plural(dataset.rowCount, 'row')}</span>}
              {dataset !== null && <span>{plural(dataset.headers.length, 'column')}</span>}
            </div>
          </div>
          <div className="file-options">
            <label className="field field-inline">
              <span className="field-label">Encoding</span>
              <select
                className="input"
                data-testid="encoding-select"
                disabled={!canChange}
                value={overrides.encoding ?? 'auto'}
                onChange={(e) => change(withOverride(overrides, 'encoding', e.target.value as EncodingChoice))}
              >
                {encodings.map((e) => (
                  <option key={e} value={e}>
                    {e === 'auto' && (dataset !== null || scan !== null) ? `Detected: ${encodingLabel(dataset?.encoding ?? scan?.encoding ?? 'utf-8')}` : encodingLabel(e)}
                  </option>
                ))}
              </select>
            </label>
            <label className="field field-inline">
              <span className="field-label">Delimiter</span>
              <select
                className="input"
                data-testid="delimiter-select"
                disabled={!canChange}
                value={overrides.delimiter ?? 'auto'}
                onChange={(e) => change(withOverride(overrides, 'delimiter', e.target.value as Delimiter | 'auto'))}
              >
                <option value="auto">{dataset !== null ? `Detected: ${delimiterLabel(dataset.delimiter)}` : 'Detect automatically'}</option>
                {delimiters.map((d) => (
                  <option key={d} value={d}>
                    {delimiterLabel(d)}
                  </option>
                ))}
              </select>
            </label>
          </div>
        </div>
        {state.phase === 'reading' && (
          <div className="import-progress" data-testid="import-progress">
            <ProgressBar value={state.done} label="Reading the file" />
            <div className="import-progress-line">
              <span className="muted">
                Reading… {plural(state.rows, 'row')} so far ({Math.round(state.done * 100)}%)
              </span>
              {cancelButton}
            </div>
          </div>
        )}
        {state.phase === 'uploading' && (
          <div className="import-progress" data-testid="upload-progress">
            <ProgressBar value={state.total > 0 ? state.sent / state.total : null} label="Loading the rows" />
            <div className="import-progress-line">
              <span className="muted">
                Read {plural(state.scan.rowCount, 'row')}; loading them… ({formatBytes(state.sent)} of {formatBytes(state.total)})
              </span>
              {cancelButton}
            </div>
          </div>
        )}
        {state.phase === 'idle' && dataset !== null && <p className="muted small">To change the encoding or delimiter, choose the file again.</p>}
      </Card>

      {state.phase === 'error' && (
        <Banner tone="error" title="This file cannot be used yet" testId="import-error" action={<button type="button" className="btn btn-secondary btn-sm" onClick={reset}>Start over</button>}>
          <p>{state.message}</p>
          {state.problems.length > 0 && (
            <ul className="problem-bullets">
              {state.problems.slice(0, 20).map((p, i) => (
                <li key={i}>{p.row > 0 ? `Row ${p.row}: ` : ''}{p.reason}</li>
              ))}
            </ul>
          )}
        </Banner>
      )}

      {dataset !== null && (
        <>
          {dataset.warnings.map((warning, i) => (
            <Banner key={i} tone="warning" title="Check the text" testId="import-warning">
              {warning}
            </Banner>
          ))}
          {dataset.rowCount === 0 ? (
            <Banner tone="error" title="This file has no contacts" testId="no-rows">
              It has a header row ({dataset.headers.join(', ')}) but no rows below it. Choose the file with your contacts.
            </Banner>
          ) : dataset.problems.length > 0 ? (
            <Card title={`Rows with problems (${formatCount(dataset.problems.length)}${dataset.problems.length >= 100 ? '+' : ''})`} testId="parse-problems">
              <p className="muted small">These rows do not have as many fields as the header. They will be listed again at preview and can be skipped.</p>
              <ul className="problem-list">
                {dataset.problems.slice(0, 100).map((p, i) => (
                  <li key={i} className="problem">
                    <span className="problem-row">Row {p.row}</span>
                    <span className="problem-reason">{p.reason}</span>
                  </li>
                ))}
              </ul>
            </Card>
          ) : (
            <Banner tone={dataset.warnings.length > 0 ? 'warning' : 'success'} title={`${plural(dataset.rowCount, 'contact')} read${dataset.warnings.length > 0 ? ': check the text first' : ''}`} testId="rows-read">
              Every row has the same {plural(dataset.headers.length, 'column')} as the header.
            </Banner>
          )}
          <Card title="Sample" actions={<span className="muted small">First {Math.min(dataset.sample.length, dataset.rowCount)} of {plural(dataset.rowCount, 'row')}</span>}>
            <SampleTable headers={dataset.headers} rows={dataset.sample} />
          </Card>
        </>
      )}
    </div>
  );
}

/** withOverride sets one import override, or removes it when the user picks automatic detection again. */
function withOverride<K extends keyof ImportOverrides>(overrides: ImportOverrides, key: K, value: ImportOverrides[K] | 'auto'): ImportOverrides {
  const next: ImportOverrides = { ...overrides };
  if (value === 'auto' || value === undefined) delete next[key];
  else next[key] = value;
  return next;
}
