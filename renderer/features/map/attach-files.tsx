import type { ReactElement } from 'react';
import { useEffect, useState } from 'react';
import type { FilePicks } from '../../../shared/ipc/contract';
import { Icon } from '../../ui/icons';
import { Banner, Card, errorMessage } from '../../ui/kit';
import type { Draft } from './draft';
import { placeholder, readColumnSlot } from './slot';

/**
 * AttachFilesCard is the Message step's "Attachments" (Pingback): files every message attaches, and
 * a column of file names for a file per row. The window never names a path: "Add a file…" and
 * "Choose the folder…" open main's own dialogs, and the draft keeps only names (the campaign file's
 * `files`): a picked file by its name, `{{column}}` for names found in the picked folder.
 */

type SetDraft = (update: (d: Draft) => Draft) => void;

const noPicks: FilePicks = { files: [], folder: null };

/** splitFiles tells the draft's files apart: names for everyone, and the column of a file per row. */
function splitFiles(files: readonly string[]): { literal: string[]; column: string | undefined } {
  const literal: string[] = [];
  let column: string | undefined;
  for (const f of files) {
    const slot = readColumnSlot(f);
    if (slot !== undefined) column ??= slot.column;
    else literal.push(f);
  }
  return { literal, column };
}

/** AttachFilesCard edits `draft.files`; every change makes a new draft, so the preview and the checks run again. */
export function AttachFilesCard({ draft, setDraft, headers }: { draft: Draft; setDraft: SetDraft; headers: readonly string[] }): ReactElement {
  const [picks, setPicks] = useState<FilePicks>(noPicks);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    window.api.attachments
      .list()
      .then((p) => live && setPicks(p))
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, []);

  const files = draft.files ?? [];
  const { literal, column } = splitFiles(files);
  const setFiles = (next: string[]) =>
    setDraft((d) => {
      const { files: _files, ...rest } = d;
      return next.length === 0 ? rest : { ...rest, files: next };
    });
  const pick = async (kind: 'file' | 'folder') => {
    setError(null);
    try {
      const r = await window.api.attachments.pick({ kind });
      setPicks({ files: r.files, folder: r.folder });
      if (!r.picked) return;
      if (kind === 'file' && r.name !== undefined && !literal.includes(r.name)) setFiles([...literal, r.name, ...(column === undefined ? [] : [placeholder(column)])]);
      // The same names now point at other files: a new draft makes the preview and the checks look again.
      else setDraft((d) => ({ ...d }));
    } catch (e) {
      setError(errorMessage(e));
    }
  };
  const chooseColumn = (next: string) => setFiles([...literal, ...(next === '' ? [] : [placeholder(next)])]);
  const facts = (name: string) => picks.files.find((f) => f.name === name);

  return (
    <Card title="Attachments" testId="attachments-card">
      <p className="muted small">
        Each file is uploaded into the contact’s conversation before the message, then attached to it. Up to 25 MB a file: documents, images, audio or video. Nothing is uploaded until you send.
      </p>
      {error !== null && (
        <Banner tone="error" title="The file was not added" testId="attach-error">
          {error}
        </Banner>
      )}
      <fieldset className="slot-group" data-testid="attach-everyone">
        <legend>The same files for everyone</legend>
        {literal.length === 0 && <p className="muted small">None.</p>}
        <ul className="attach-list">
          {literal.map((name) => {
            const f = facts(name);
            return (
              <li key={name} data-testid="attached-file">
                <Icon name="file" size={16} /> <strong>{name}</strong>{' '}
                {f !== undefined ? <span className="muted small">{`${f.sizeText} · ${f.type}`}</span> : <span className="text-error small">not picked in this window: add it again</span>}
                <button type="button" className="btn btn-ghost btn-sm" aria-label={`Remove ${name}`} onClick={() => setFiles(files.filter((x) => x !== name))}>
                  <Icon name="x" size={14} />
                </button>
              </li>
            );
          })}
        </ul>
        <button type="button" className="btn btn-secondary btn-sm" data-testid="attach-file" onClick={() => void pick('file')}>
          <Icon name="plus" size={14} /> Add a file…
        </button>
      </fieldset>
      <fieldset className="slot-group" data-testid="attach-per-row">
        <legend>A file per contact</legend>
        <label className="field">
          <span className="field-label">Column with each contact’s file name</span>
          <select className="input" data-testid="attach-column" value={column ?? ''} onChange={(e) => chooseColumn(e.target.value)}>
            <option value="">No file per contact</option>
            {column !== undefined && !headers.includes(column) && <option value={column}>{column} (not in this file)</option>}
            {headers.map((h) => (
              <option key={h} value={h}>
                {h}
              </option>
            ))}
          </select>
        </label>
        {column !== undefined && (
          <p className="small" data-testid="attach-folder-note">
            {picks.folder === null ? 'Choose the folder these files are in.' : `Files are found in the folder “${picks.folder.name}”.`}{' '}
            <button type="button" className="btn btn-secondary btn-sm" data-testid="attach-folder" onClick={() => void pick('folder')}>
              <Icon name="folder" size={14} /> {picks.folder === null ? 'Choose the folder…' : 'Another folder…'}
            </button>
          </p>
        )}
      </fieldset>
    </Card>
  );
}
