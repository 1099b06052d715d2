import type { ReactElement } from 'react';
import { useCallback, useEffect, useState } from 'react';
import type { OptOutEntryView, RequestOf } from '../../../shared/ipc/contract';
import { Icon } from '../../ui/icons';
import { Banner, Card, Modal, Spinner, errorMessage } from '../../ui/kit';
import type { OptOutKind } from './opt-out-fields';
import { CountryField, KindOptions } from './opt-out-fields';
import { OptOutImport } from './opt-out-import';
import { problemLines } from './problem-lines';

type Kind = OptOutKind;

const PAGE = 50;
const SOURCES: Record<OptOutEntryView['source'], string> = { imported: 'imported', manual: 'added by hand', reply: 'from a reply' };

/**
 * OptOutListCard is the workspace's opt-out list in Settings: search it, add entries by hand, import
 * any column of a CSV, export it, remove an entry. Every campaign checks this list before sending.
 */
export function OptOutListCard(): ReactElement {
  const [search, setSearch] = useState('');
  const [query, setQuery] = useState('');
  const [entries, setEntries] = useState<OptOutEntryView[] | null>(null);
  const [total, setTotal] = useState(0);
  const [count, setCount] = useState(0);
  const [error, setError] = useState<string | null>(null);
  const [note, setNote] = useState<string | null>(null);
  const [dialog, setDialog] = useState<'add' | 'import' | null>(null);

  // The search runs a moment after typing stops, not on every key.
  useEffect(() => {
    const t = setTimeout(() => setQuery(search.trim()), 250);
    return () => clearTimeout(t);
  }, [search]);

  const [version, setVersion] = useState(0);
  const reload = () => setVersion((v) => v + 1);
  const show = useCallback((page: { total: number; count: number; entries: OptOutEntryView[] }, more: boolean) => {
    setEntries((cur) => (more && cur !== null ? [...cur, ...page.entries] : page.entries));
    setTotal(page.total);
    setCount(page.count);
    setError(null);
  }, []);
  const page = (offset: number) => window.api.optout.list({ offset, limit: PAGE, ...(query === '' ? {} : { search: query }) });
  useEffect(() => {
    let live = true;
    window.api.optout
      .list({ offset: 0, limit: PAGE, ...(query === '' ? {} : { search: query }) })
      .then((p) => live && show(p, false))
      .catch((e: unknown) => live && setError(errorMessage(e)));
    return () => {
      live = false;
    };
  }, [query, version, show]);
  const more = (offset: number) => {
    page(offset)
      .then((p) => show(p, true))
      .catch((e: unknown) => setError(errorMessage(e)));
  };

  const remove = async (e: OptOutEntryView) => {
    try {
      await window.api.optout.remove({ keys: [e.key] });
      setNote(`${e.value} was removed: campaigns may message it again.`);
      reload();
    } catch (err) {
      setError(errorMessage(err));
    }
  };

  const exportList = async () => {
    try {
      const r = await window.api.optout.export();
      if (r.saved) setNote(`Exported ${r.count ?? 0} entries${r.fileName !== undefined ? ` to ${r.fileName}` : ''}.`);
    } catch (e) {
      setError(errorMessage(e));
    }
  };

  return (
    <Card
      title={`Opt-out list (${count.toLocaleString('en-US')})`}
      testId="optout-list"
      actions={
        <>
          <button type="button" className="btn btn-secondary btn-sm" data-testid="optout-add" onClick={() => setDialog('add')}>
            <Icon name="plus" size={14} /> Add
          </button>
          <button type="button" className="btn btn-secondary btn-sm" data-testid="optout-import-open" onClick={() => setDialog('import')}>
            <Icon name="upload" size={14} /> Import CSV
          </button>
          <button type="button" className="btn btn-ghost btn-sm" data-testid="optout-export" onClick={() => void exportList()}>
            <Icon name="download" size={14} /> Export
          </button>
        </>
      }
    >
      <p className="muted small">Every campaign checks this list before sending: a recipient on it is skipped and the report says when and why they opted out.</p>
      <input className="input" type="search" placeholder="Search numbers, ids, reasons…" aria-label="Search the opt-out list" value={search} data-testid="optout-search" onChange={(e) => setSearch(e.target.value)} />
      {note !== null && <Banner tone="success">{note}</Banner>}
      {error !== null && <Banner tone="error">{error}</Banner>}
      {entries === null && error === null && <Spinner label="Loading the list…" />}
      {entries !== null && entries.length === 0 && <p className="muted">{query === '' ? 'No one has opted out yet.' : `Nothing matches “${query}”.`}</p>}
      {entries !== null && entries.length > 0 && (
        <div className="table-scroll">
          <table className="table" data-testid="optout-table">
            <thead>
              <tr>
                <th>Recipient</th>
                <th>Kind</th>
                <th>Opted out</th>
                <th>Source</th>
                <th>Why / from</th>
                <th aria-label="Remove" />
              </tr>
            </thead>
            <tbody>
              {entries.map((e) => (
                <tr key={e.key}>
                  <td className="mono">{e.value}</td>
                  <td>{e.kind}</td>
                  <td>{new Date(e.optedOutAt).toLocaleDateString()}</td>
                  <td>{SOURCES[e.source]}</td>
                  <td className="small">{[e.reason, e.origin].filter((x) => x !== '').join(' · ')}</td>
                  <td>
                    <button type="button" className="btn btn-ghost btn-sm" aria-label={`Remove ${e.value}`} onClick={() => void remove(e)}>
                      <Icon name="trash" size={14} />
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {entries !== null && entries.length < total && (
        <button type="button" className="btn btn-ghost btn-sm" onClick={() => more(entries.length)}>
          Show more ({(total - entries.length).toLocaleString('en-US')} left)
        </button>
      )}
      <Modal open={dialog === 'add'} title="Add to the opt-out list" onClose={() => setDialog(null)} testId="optout-add-dialog">
        {dialog === 'add' && (
          <AddForm
            onDone={(text) => {
              setDialog(null);
              setNote(text);
              reload();
            }}
          />
        )}
      </Modal>
      <Modal open={dialog === 'import'} title="Import opt-outs from a CSV" onClose={() => setDialog(null)} testId="optout-import-dialog">
        {dialog === 'import' && (
          <OptOutImport
            onDone={(r) => {
              setDialog(null);
              setNote(`Imported: ${r.added} added, ${r.existing} already on the list${r.empty > 0 ? `, ${r.empty} empty cells skipped` : ''}${r.invalid > 0 ? `, ${r.invalid} invalid rows left out` : ''}.`);
              reload();
            }}
          />
        )}
      </Modal>
    </Card>
  );
}

/** AddForm adds numbers, ids or keys typed by hand, one a line; a bad one stops the add and is named. */
function AddForm({ onDone }: { onDone: (note: string) => void }): ReactElement {
  const [text, setText] = useState('');
  const [kind, setKind] = useState<Kind>('phone');
  const [country, setCountry] = useState('');
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string[] | null>(null);
  const values = text.split('\n').map((v) => v.trim()).filter((v) => v !== '');

  const add = async () => {
    setError(null);
    try {
      const request: RequestOf<'optout:add'> = { values, kind };
      if (country.trim() !== '') request.defaultCountry = country.trim().toUpperCase();
      if (reason.trim() !== '') request.reason = reason.trim();
      const r = await window.api.optout.add(request);
      onDone(`Added ${r.added}${r.existing > 0 ? ` (${r.existing} already on the list)` : ''}.`);
    } catch (e) {
      const lines = problemLines(e, 1_000);
      setError(lines.length > 0 ? lines : [errorMessage(e)]);
    }
  };

  return (
    <div className="form-stack">
      <label className="field">
        <span className="field-label">One a line</span>
        <textarea className="input" rows={5} value={text} data-testid="optout-add-values" placeholder={'+44 7911 123456\n07911 123457'} onChange={(e) => setText(e.target.value)} />
      </label>
      <div className="form-row">
        <label className="field">
          <span className="field-label">They are</span>
          <select className="input" value={kind} onChange={(e) => setKind(e.target.value as Kind)}>
            <KindOptions />
          </select>
        </label>
        {kind === 'phone' && <CountryField country={country} onChange={setCountry} />}
      </div>
      <label className="field">
        <span className="field-label">Why (optional)</span>
        <input className="input" maxLength={300} value={reason} placeholder="e.g. asked by phone" onChange={(e) => setReason(e.target.value)} />
      </label>
      {error !== null && (
        <Banner tone="error" title="Nothing was added">
          {error.map((l) => (
            <div key={l}>{l}</div>
          ))}
        </Banner>
      )}
      <div className="row-gap">
        <button type="button" className="btn btn-primary" disabled={values.length === 0} data-testid="optout-add-run" onClick={() => void add()}>
          Add {values.length > 0 ? values.length : ''}
        </button>
      </div>
    </div>
  );
}
