import type { ReactElement } from 'react';
import { useState } from 'react';
import { plural } from '../../../shared/problem-words';
import { Banner, Card } from '../../ui/kit';
import type { Draft } from './draft';
import type { FormProblem } from './form-check';
import { missingColumns, renameColumns } from './remap';

/**
 * What the map step says about the form as a whole: the fields to fix before previewing (each a
 * link to its field), and after another file was imported, the columns the message used that the
 * new file lacks, each with a choice of the file's columns.
 */

/** focusField moves to the control of a form problem (the control itself, or the first one inside its slot). */
function focusField(testId: string): void {
  const el = document.querySelector<HTMLElement>(`[data-testid="${CSS.escape(testId)}"]`);
  const target = el?.matches('input, select, textarea, button') === true ? el : el?.querySelector<HTMLElement>('input, select, textarea');
  target?.focus();
  target?.scrollIntoView({ block: 'center' });
}

/** FormSummary lists the fields to fix before the Preview button turns on. */
export function FormSummary({ problems }: { problems: readonly FormProblem[] }): ReactElement | null {
  if (problems.length === 0) return null;
  return (
    <div className="form-summary" data-testid="form-problems" role="status">
      <strong>Before previewing, fix {plural(problems.length, 'field')}:</strong>
      <ul>
        {problems.map((p, i) => (
          <li key={i}>
            <button type="button" className="link link-inline" data-testid="form-problem" onClick={() => focusField(p.testId)}>
              {p.label}
            </button>
            : {p.message}
          </li>
        ))}
      </ul>
    </div>
  );
}

/**
 * RemapCard asks, for each column the message uses that the imported file lacks, which of the
 * file's columns to use instead; the columns matched by themselves are named once.
 */
export function RemapCard({ draft, headers, renamed, setDraft, onStartOver }: { draft: Draft; headers: readonly string[]; renamed: ReadonlyMap<string, string>; setDraft(update: (d: Draft) => Draft): void; onStartOver(): void }): ReactElement | null {
  const missing = missingColumns(draft, headers);
  const [chosen, setChosen] = useState<Record<string, string>>({});
  const shownRenames = [...renamed].filter(([, to]) => headers.includes(to));
  if (missing.length === 0 && shownRenames.length === 0) return null;
  if (missing.length === 0) {
    return (
      <Banner tone="info" title="Columns matched to the new file" testId="remap-note">
        {shownRenames.map(([from, to]) => `“${from}” is now “${to}”`).join('; ')}. Check the message.
      </Banner>
    );
  }
  const apply = () => {
    const renames = new Map(Object.entries(chosen).filter(([from, to]) => to !== '' && missing.includes(from)));
    setDraft((d) => renameColumns(d, renames));
    setChosen({});
  };
  return (
    <Card title="This file has other columns" testId="remap-card">
      <p className="muted small">
        The message uses {missing.length === 1 ? 'a column' : 'columns'} this file does not have. Choose the column to use instead, or start a new message from this file’s columns.
        {shownRenames.length > 0 && ` Matched by name: ${shownRenames.map(([from, to]) => `“${from}” → “${to}”`).join(', ')}.`}
      </p>
      <div className="remap-list">
        {missing.map((column) => (
          <label className="field field-inline" key={column}>
            <span className="field-label">“{column}” →</span>
            <select className="input" data-testid="remap-select" data-column={column} value={chosen[column] ?? ''} onChange={(e) => setChosen((c) => ({ ...c, [column]: e.target.value }))}>
              <option value="">Choose a column…</option>
              {headers.map((h) => (
                <option key={h} value={h}>
                  {h}
                </option>
              ))}
            </select>
          </label>
        ))}
      </div>
      <div className="row-gap">
        <button type="button" className="btn btn-primary btn-sm" data-testid="remap-apply" disabled={!missing.some((c) => (chosen[c] ?? '') !== '')} onClick={apply}>
          Use these columns
        </button>
        <button type="button" className="btn btn-secondary btn-sm" data-testid="remap-start-over" onClick={onStartOver}>
          Start a new message from this file
        </button>
      </div>
    </Card>
  );
}
