import type { ReactElement, ReactNode } from 'react';
import { useId, useState } from 'react';
import type { JsonObject, JsonValue } from '../../../shared/json';
import { Icon } from '../../ui/icons';
import type { JsonPath } from './json-path';
import { appendAt, getArray, getAt, getString, removeAt, setAt } from './json-path';
import type { SlotMode } from './slot';
import { SlotEditor } from './slot-editor';

/**
 * The pieces the message forms are made of: a slot bound to a path of the message, a list of
 * slots with add and remove (template variables, buttons), and an optional part switched on and off.
 */

/** MessageForm is what every message form gets: the message, a way to change it, and the CSV headers. */
export interface MessageFormProps {
  message: JsonObject;
  onChange(update: (message: JsonObject) => JsonObject): void;
  headers: readonly string[];
}

/** testIdOf turns a path into a stable test id: ['template','variables','body',0] -> 'template-variables-body-0'. */
export function testIdOf(path: JsonPath): string {
  return path.join('-');
}

/** SlotAt is a SlotEditor bound to one string of the message. */
export function SlotAt({ form, path, label, ...rest }: { form: MessageFormProps; path: JsonPath; label: string; preferred?: SlotMode; hint?: string; maxLength?: number; required?: boolean; multiline?: boolean; onRemove?: () => void }): ReactElement {
  return (
    <SlotEditor
      label={label}
      value={getString(form.message, path)}
      onChange={(v) => form.onChange((m) => setAt(m, path, v))}
      headers={form.headers}
      testId={`slot-${testIdOf(path)}`}
      {...rest}
    />
  );
}

/** SlotList edits an array of strings: one slot per item, add and remove. */
export function SlotList({ form, path, title, itemLabel, addLabel, hint, preferred, maxLength, empty }: { form: MessageFormProps; path: JsonPath; title: string; itemLabel: (i: number) => string; addLabel: string; hint?: string; preferred?: SlotMode; maxLength?: number; empty?: string }): ReactElement {
  const items = getArray(form.message, path);
  return (
    <fieldset className="slot-group" data-testid={`list-${testIdOf(path)}`}>
      <legend>{title}</legend>
      {hint !== undefined && <p className="muted small">{hint}</p>}
      {items.length === 0 && empty !== undefined && <p className="muted small">{empty}</p>}
      {items.map((_, i) => (
        <SlotAt key={i} form={form} path={[...path, i]} label={itemLabel(i)} preferred={preferred} maxLength={maxLength} required onRemove={() => form.onChange((m) => removeAt(m, path, i))} />
      ))}
      <button type="button" className="btn btn-ghost btn-sm" data-testid={`add-${testIdOf(path)}`} onClick={() => form.onChange((m) => appendAt(m, path, ''))}>
        <Icon name="plus" size={14} /> {addLabel}
      </button>
    </fieldset>
  );
}

/** Optional is a part of the message the user switches on (adds) or off (removes from the file). */
export function Optional({ form, path, label, initial, children }: { form: MessageFormProps; path: JsonPath; label: string; initial: JsonValue; children: ReactNode }): ReactElement {
  const on = getAt(form.message, path) !== undefined;
  return (
    <div className="optional">
      <label className="check">
        <input type="checkbox" checked={on} data-testid={`toggle-${testIdOf(path)}`} onChange={(e) => form.onChange((m) => setAt(m, path, e.target.checked ? initial : undefined))} />
        <span>{label}</span>
      </label>
      {on && <div className="optional-body">{children}</div>}
    </div>
  );
}

/** parseNumber reads what a person typed as a number (a decimal comma too); NaN when it is empty or not a number. */
export function parseNumber(text: string): number {
  const t = text.trim().replace(',', '.');
  if (t === '' || !/^[+-]?(\d+\.?\d*|\.\d+)$/.test(t)) return NaN;
  return Number(t);
}

function sameNumber(a: number, b: number): boolean {
  return a === b || (Number.isNaN(a) && Number.isNaN(b));
}

/**
 * NumberField edits a number setting as text, so clearing it leaves it empty (never a silent 0)
 * and what was typed stays as typed. `value` is NaN while the text is not a number; `problem` (in
 * plain words) shows under the field, `note` when there is no problem.
 */
export function NumberField({ label, value, onChange, problem, note, testId }: { label: string; value: number; onChange(value: number): void; problem?: string; note?: string; testId: string }): ReactElement {
  const [typed, setTyped] = useState<{ text: string; value: number } | null>(null);
  const id = useId();
  // The typed text while it still means the current value; otherwise (a file was opened) the value itself.
  const text = typed !== null && sameNumber(typed.value, value) ? typed.text : Number.isFinite(value) ? String(value) : '';
  const message = problem ?? note;
  return (
    <div className="field">
      <label className="field-label" htmlFor={id}>
        {label}
      </label>
      <input
        id={id}
        className={`input${problem !== undefined ? ' input-invalid' : ''}`}
        inputMode="decimal"
        autoComplete="off"
        data-testid={testId}
        value={text}
        aria-invalid={problem !== undefined}
        aria-describedby={message !== undefined ? `${id}-note` : undefined}
        onChange={(e) => {
          const next = parseNumber(e.target.value);
          setTyped({ text: e.target.value, value: next });
          onChange(next);
        }}
      />
      {message !== undefined && (
        <span id={`${id}-note`} className={problem !== undefined ? 'field-error' : 'muted small'} data-testid={`${testId}-note`}>
          {message}
        </span>
      )}
    </div>
  );
}
