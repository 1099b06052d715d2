import type { ReactElement } from 'react';
import { useState } from 'react';
import type { DatasetInfo, RequestOf, ResponseOf } from '../../../shared/ipc/contract';
import { Banner, Spinner, errorMessage } from '../../ui/kit';
import { uploadCsv } from '../import/csv-upload';
import type { OptOutKind } from './opt-out-fields';
import { CountryField, KindOptions } from './opt-out-fields';
import { problemLines } from './problem-lines';

type Kind = OptOutKind;
type ImportResult = ResponseOf<'optout:import'>;

/** guessKind reads what a column holds from its name (the same words main's import guesses from). */
export function guessKind(header: string): Kind | 'ask' {
  const h = header.toLowerCase();
  if (h.includes('conversation')) return 'conversation';
  if (/phone|mobile|msisdn|whatsapp|number|tel|cell|e164/.test(h)) return 'phone';
  return 'ask';
}

/**
 * OptOutImport imports any column of a CSV into the opt-out list: the file goes to main as contacts
 * do (in chunks), then the person picks the column and says what it holds. A bad value stops the
 * import with the rows listed, unless they choose to leave those rows out.
 */
export function OptOutImport({ onDone }: { onDone: (result: ImportResult) => void }): ReactElement {
  const [dataset, setDataset] = useState<DatasetInfo | null>(null);
  const [uploading, setUploading] = useState(false);
  const [column, setColumn] = useState('');
  const [kind, setKind] = useState<Kind | 'ask'>('ask');
  const [country, setCountry] = useState('');
  const [reason, setReason] = useState('');
  const [skipInvalid, setSkipInvalid] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<{ message: string; lines: string[] } | null>(null);

  const pick = async (file: File) => {
    setError(null);
    setUploading(true);
    try {
      const d = await uploadCsv(window.api.csv, file, { name: file.name });
      setDataset(d);
      const first = d.headers.find((h) => guessKind(h) !== 'ask') ?? d.headers[0] ?? '';
      setColumn(first);
      setKind(guessKind(first));
    } catch (e) {
      setError({ message: errorMessage(e), lines: [] });
    } finally {
      setUploading(false);
    }
  };

  const run = async () => {
    if (dataset === null || kind === 'ask') return;
    setBusy(true);
    setError(null);
    try {
      const request: RequestOf<'optout:import'> = { datasetId: dataset.datasetId, column, kind, skipInvalid };
      if (country.trim() !== '') request.defaultCountry = country.trim().toUpperCase();
      if (reason.trim() !== '') request.reason = reason.trim();
      onDone(await window.api.optout.import(request));
    } catch (e) {
      setError({ message: errorMessage(e), lines: problemLines(e) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="form-stack" data-testid="optout-import">
      <label className="field">
        <span className="field-label">CSV file</span>
        <input className="input" type="file" accept=".csv,.txt,.tsv,text/csv" data-testid="optout-import-file" onChange={(e) => e.target.files?.[0] !== undefined && void pick(e.target.files[0])} />
      </label>
      {uploading && <Spinner label="Reading the file…" />}
      {dataset !== null && (
        <>
          <p className="muted small">
            {dataset.name}: {dataset.rowCount.toLocaleString('en-US')} rows.
          </p>
          <div className="form-row">
            <label className="field">
              <span className="field-label">Column</span>
              <select
                className="input"
                value={column}
                data-testid="optout-import-column"
                onChange={(e) => {
                  setColumn(e.target.value);
                  setKind(guessKind(e.target.value));
                }}
              >
                {dataset.headers.map((h) => (
                  <option key={h} value={h}>
                    {h}
                  </option>
                ))}
              </select>
            </label>
            <label className="field">
              <span className="field-label">It holds</span>
              <select className="input" value={kind} data-testid="optout-import-kind" onChange={(e) => setKind(e.target.value as Kind | 'ask')}>
                <option value="ask" disabled>
                  Choose…
                </option>
                <KindOptions />
              </select>
            </label>
            {kind === 'phone' && <CountryField country={country} onChange={setCountry} />}
          </div>
          <label className="field">
            <span className="field-label">Why they opted out (optional)</span>
            <input className="input" maxLength={300} value={reason} placeholder="e.g. unsubscribed in the CRM" onChange={(e) => setReason(e.target.value)} />
          </label>
          <label className="check">
            <input type="checkbox" checked={skipInvalid} onChange={(e) => setSkipInvalid(e.target.checked)} />
            <span>Leave out rows whose value is not valid (they are listed) instead of stopping</span>
          </label>
          <div className="row-gap">
            <button type="button" className="btn btn-primary" disabled={busy || kind === 'ask' || column === ''} data-testid="optout-import-run" onClick={() => void run()}>
              {busy ? 'Importing…' : 'Import'}
            </button>
          </div>
        </>
      )}
      {error !== null && (
        <Banner tone="error" title="Nothing was imported" testId="optout-import-error">
          <p>{error.message}</p>
          {error.lines.length > 0 && (
            <ul className="small">
              {error.lines.map((l) => (
                <li key={l}>{l}</li>
              ))}
            </ul>
          )}
        </Banner>
      )}
    </div>
  );
}
