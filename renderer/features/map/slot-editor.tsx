import type { ReactElement } from 'react';
import { useId, useRef, useState } from 'react';
import { fallbackProblem } from '../../../shared/campaign/placeholders';
import { charLength } from '../../../shared/providers/rules';
import type { SlotMode } from './slot';
import { convertSlot, hasPlaceholder, insertAt, placeholder, readColumnSlot, slotModeOf, unknownColumns } from './slot';

/**
 * SlotEditor edits one string of the message. The user picks how to fill it: a column (with an
 * optional fallback for empty cells), fixed text, or text with columns inserted from a picker.
 * Whatever the mode, the value is the campaign file's string (`{{column|fallback}}` and so on).
 */
export interface SlotEditorProps {
  label: string;
  value: string;
  onChange(value: string): void;
  headers: readonly string[];
  /** The mode an empty slot starts in. */
  preferred?: SlotMode;
  /** A short note under the field. */
  hint?: string;
  /** The provider's limit, shown as a counter for fixed text. */
  maxLength?: number;
  required?: boolean;
  multiline?: boolean;
  /** Base of the data-testid of the parts (`<testId>-mode-column`, `<testId>-column`...). */
  testId?: string;
  /** Offer to remove the slot (array items). */
  onRemove?: () => void;
}

const modes: { mode: SlotMode; label: string; title: string }[] = [
  { mode: 'column', label: 'Column', title: 'Use the value of one column' },
  { mode: 'literal', label: 'Text', title: 'The same text for every contact' },
  { mode: 'template', label: 'Mix', title: 'Text with columns inserted' },
];

/** effectiveMode keeps the chosen mode unless the value cannot be shown in it (a file opened with a mixed value). */
function effectiveMode(chosen: SlotMode, value: string): SlotMode {
  if (chosen === 'column' && value !== '' && readColumnSlot(value) === undefined) return slotModeOf(value);
  if (chosen === 'literal' && hasPlaceholder(value)) return 'template';
  return chosen;
}

export function SlotEditor(props: SlotEditorProps): ReactElement {
  const { label, value, onChange, headers, preferred = 'column', hint, maxLength, required, multiline, testId = 'slot', onRemove } = props;
  const [chosen, setChosen] = useState<SlotMode>(() => slotModeOf(value, preferred));
  const [insertFallback, setInsertFallback] = useState('');
  const [fallbackText, setFallbackText] = useState<string | null>(null);
  const textRef = useRef<HTMLTextAreaElement & HTMLInputElement>(null);
  const id = useId();
  const mode = effectiveMode(chosen, value);
  const unknown = unknownColumns(value, headers);
  const column = readColumnSlot(value);
  const fallbackIssue = fallbackProblem(mode === 'column' ? (fallbackText ?? column?.fallback ?? '') : insertFallback);

  const switchTo = (next: SlotMode) => {
    setChosen(next);
    if (next !== mode) onChange(convertSlot(value, next, headers));
  };

  const insertColumn = (col: string) => {
    const el = textRef.current;
    const start = el?.selectionStart ?? value.length;
    const end = el?.selectionEnd ?? value.length;
    const fallback = insertFallback.trim() === '' || fallbackProblem(insertFallback) !== undefined ? undefined : insertFallback;
    const next = insertAt(value, start, end, placeholder(col, fallback));
    onChange(next.value);
    requestAnimationFrame(() => {
      if (el !== null) {
        el.focus();
        el.setSelectionRange(next.caret, next.caret);
      }
    });
  };

  const length = mode === 'literal' && maxLength !== undefined ? charLength(value) : undefined;
  const TextTag = multiline === true ? 'textarea' : 'input';

  return (
    <div className="slot" data-testid={testId} data-mode={mode}>
      <div className="slot-head">
        <label className="field-label" htmlFor={`${id}-main`}>
          {label}
          {required === true && <span className="required" aria-hidden="true"> *</span>}
        </label>
        <div className="segmented segmented-sm" role="group" aria-label={`${label}: fill with`}>
          {modes.map((m) => (
            <button key={m.mode} type="button" className="segment" aria-pressed={mode === m.mode} title={m.title} data-testid={`${testId}-mode-${m.mode}`} onClick={() => switchTo(m.mode)}>
              {m.label}
            </button>
          ))}
        </div>
        {onRemove !== undefined && (
          <button type="button" className="btn btn-ghost btn-icon btn-sm" aria-label={`Remove ${label}`} data-testid={`${testId}-remove`} onClick={onRemove}>
            ×
          </button>
        )}
      </div>

      {mode === 'column' && (
        <div className="slot-body slot-column">
          <select
            id={`${id}-main`}
            className={`input${unknown.length > 0 ? ' input-invalid' : ''}`}
            data-testid={`${testId}-column`}
            value={column?.column ?? ''}
            onChange={(e) => onChange(e.target.value === '' ? '' : placeholder(e.target.value, column?.fallback))}
          >
            <option value="">Choose a column…</option>
            {column !== undefined && !headers.includes(column.column) && <option value={column.column}>{column.column} (not in this file)</option>}
            <HeaderOptions headers={headers} />
          </select>
          <input
            className="input"
            aria-label={`${label}: text when the cell is empty`}
            placeholder="Fallback if empty"
            data-testid={`${testId}-fallback`}
            value={fallbackText ?? column?.fallback ?? ''}
            disabled={column === undefined}
            aria-invalid={fallbackIssue !== undefined}
            onChange={(e) => {
              // A fallback the placeholder cannot hold stays in the field, with why, and out of the message.
              setFallbackText(fallbackProblem(e.target.value) === undefined ? null : e.target.value);
              if (column !== undefined && fallbackProblem(e.target.value) === undefined) onChange(placeholder(column.column, e.target.value));
            }}
          />
        </div>
      )}

      {mode !== 'column' && (
        <div className="slot-body">
          <TextTag
            id={`${id}-main`}
            ref={textRef}
            className={`input${unknown.length > 0 ? ' input-invalid' : ''}`}
            data-testid={`${testId}-text`}
            value={value}
            rows={multiline === true ? 3 : undefined}
            placeholder={mode === 'literal' ? 'Text for every contact' : 'Text with {{column}} placeholders'}
            onChange={(e) => onChange(e.target.value)}
          />
          {mode === 'template' && (
            <div className="slot-insert">
              <select
                className="input input-sm"
                aria-label={`${label}: insert a column`}
                data-testid={`${testId}-insert`}
                value=""
                onChange={(e) => {
                  if (e.target.value !== '') insertColumn(e.target.value);
                }}
              >
                <option value="">+ Insert column…</option>
                <HeaderOptions headers={headers} />
              </select>
              <input
                className="input input-sm"
                aria-label={`${label}: fallback for the inserted column`}
                placeholder="with fallback (optional)"
                data-testid={`${testId}-insert-fallback`}
                value={insertFallback}
                onChange={(e) => setInsertFallback(e.target.value)}
              />
            </div>
          )}
        </div>
      )}

      <div className="slot-foot">
        {unknown.length > 0 ? (
          <span className="text-error" role="alert" data-testid={`${testId}-unknown`}>
            {unknown.length === 1 ? `Column "${unknown[0]}" is not in this file` : `Columns ${unknown.map((c) => `"${c}"`).join(', ')} are not in this file`}
          </span>
        ) : required === true && value.trim() === '' ? (
          <span className="field-error" data-testid={`${testId}-required`}>
            Required: {mode === 'column' ? 'choose a column.' : 'type the text or insert a column.'}
          </span>
        ) : fallbackIssue !== undefined ? (
          <span className="field-error" data-testid={`${testId}-fallback-problem`}>
            The fallback: {fallbackIssue}
          </span>
        ) : (
          hint !== undefined && <span className="muted">{hint}</span>
        )}
        {length !== undefined && maxLength !== undefined && (
          <span className={`counter${length > maxLength ? ' text-error' : ''}`}>
            {length}/{maxLength}
          </span>
        )}
      </div>
    </div>
  );
}

/** HeaderOptions lists the CSV's columns as options of a column picker. */
function HeaderOptions({ headers }: { headers: readonly string[] }) {
  return headers.map((h) => (
    <option key={h} value={h}>
      {h}
    </option>
  ));
}
