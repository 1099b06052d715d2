import type { KeyboardEvent, ReactElement } from 'react';
import { useId, useRef } from 'react';

/**
 * RadioCards is a group of choices drawn as cards that behaves as one radio group (WAI-ARIA radio
 * group pattern): one Tab stop (the checked card, or the first), arrow keys move to the next or
 * previous card and choose it, Home and End to the first and last. The focus ring is drawn apart
 * from the selection border (see .kind-option:focus-visible), so both can be told at a glance.
 */
export interface RadioCard<T extends string> {
  value: T;
  label: string;
  hint: string;
}

export function RadioCards<T extends string>({ label, options, value, onChange, testIdPrefix }: { label: string; options: readonly RadioCard<T>[]; value: T | null; onChange(value: T): void; testIdPrefix: string }): ReactElement {
  const labelId = useId();
  const refs = useRef<(HTMLButtonElement | null)[]>([]);
  const checked = options.findIndex((o) => o.value === value);
  const tabStop = checked >= 0 ? checked : 0;

  const move = (e: KeyboardEvent, from: number) => {
    const last = options.length - 1;
    let to: number;
    if (e.key === 'ArrowRight' || e.key === 'ArrowDown') to = from === last ? 0 : from + 1;
    else if (e.key === 'ArrowLeft' || e.key === 'ArrowUp') to = from === 0 ? last : from - 1;
    else if (e.key === 'Home') to = 0;
    else if (e.key === 'End') to = last;
    else return;
    e.preventDefault();
    const next = options[to];
    if (next === undefined) return;
    refs.current[to]?.focus();
    onChange(next.value);
  };

  return (
    <div className="field">
      <span className="field-label" id={labelId}>
        {label}
      </span>
      <div className="kind-grid" role="radiogroup" aria-labelledby={labelId}>
        {options.map((o, i) => (
          <button
            key={o.value}
            ref={(el) => {
              refs.current[i] = el;
            }}
            type="button"
            role="radio"
            aria-checked={o.value === value}
            tabIndex={i === tabStop ? 0 : -1}
            className={`kind-option${o.value === value ? ' kind-option-on' : ''}`}
            data-testid={`${testIdPrefix}-${o.value}`}
            onClick={() => onChange(o.value)}
            onKeyDown={(e) => move(e, i)}
          >
            <strong>{o.label}</strong>
            <span>{o.hint}</span>
          </button>
        ))}
      </div>
    </div>
  );
}
