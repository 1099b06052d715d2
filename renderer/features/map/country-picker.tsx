import type { KeyboardEvent, ReactElement } from 'react';
import { useId, useMemo, useState } from 'react';
import type { Country } from '../../../shared/campaign/countries';
import { countries, countryCodeFor, countryName, foldName, isCountryCode } from '../../../shared/campaign/countries';

/**
 * CountryPicker chooses a country by name or code, searchable (an ARIA combobox with a listbox):
 * typing "germ" or "de" offers Germany (DE); leaving the field with a name typed in full ("Germany")
 * picks its code. The value is the ISO 3166 code (`DE`, '' for none); text that names no country is
 * handed up as typed, so the form can say it is not one rather than guess.
 */

/** matchCountries lists the countries a query names: the exact code first, then names starting with it, then names containing it. */
export function matchCountries(all: readonly Country[], query: string): Country[] {
  const q = foldName(query);
  if (q === '') return [...all];
  const code = query.trim().toUpperCase();
  const rank = (c: Country): number => {
    const name = foldName(c.name);
    if (c.code === code) return 0;
    if (name.startsWith(q)) return 1;
    if (name.includes(q)) return 2;
    return 3;
  };
  return all
    .map((c) => ({ c, r: rank(c) }))
    .filter((x) => x.r < 3)
    .sort((a, b) => a.r - b.r)
    .map((x) => x.c);
}

/** pickFor reads what was typed as a code: a code, a full name (or alias), or the only country that matches. */
export function pickFor(all: readonly Country[], text: string): string | undefined {
  const code = text.trim().toUpperCase();
  if (isCountryCode(code)) return code;
  const named = countryCodeFor(text);
  if (named !== undefined) return named;
  const matches = matchCountries(all, text);
  return matches.length === 1 ? matches[0]?.code : undefined;
}

function label(code: string): string {
  const name = countryName(code);
  return name === '' ? code : `${name} (${code})`;
}

export function CountryPicker({ value, onChange, problem, testId, label: fieldLabel, hint }: { value: string; onChange(code: string): void; problem?: string; testId: string; label: string; hint: string }): ReactElement {
  const all = useMemo(() => countries(), []);
  const [query, setQuery] = useState<string | null>(null);
  const [active, setActive] = useState(0);
  const id = useId();
  const open = query !== null;
  const shown = useMemo(() => (query === null ? [] : matchCountries(all, query)), [all, query]);
  const text = query ?? (value === '' ? '' : isCountryCode(value) ? label(value) : value);

  const choose = (code: string) => {
    onChange(code);
    setQuery(null);
  };
  const commit = () => {
    if (query === null) return;
    if (query.trim() === '') choose('');
    else choose(pickFor(all, query) ?? query.trim());
  };
  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      if (!open) {
        setQuery('');
        setActive(Math.max(0, all.findIndex((c) => c.code === value)));
        return;
      }
      const step = e.key === 'ArrowDown' ? 1 : -1;
      setActive((a) => Math.min(Math.max(a + step, 0), Math.max(shown.length - 1, 0)));
    } else if (e.key === 'Enter' && open) {
      e.preventDefault();
      const c = shown[active];
      if (c !== undefined) choose(c.code);
      else commit();
    } else if (e.key === 'Escape' && open) {
      e.preventDefault();
      setQuery(null);
    }
  };

  const listId = `${id}-list`;
  const noteId = `${id}-note`;
  const activeOption = open ? shown[active] : undefined;
  return (
    <div className="field combobox">
      <label className="field-label" htmlFor={id}>
        {fieldLabel}
      </label>
      <input
        id={id}
        className={`input${problem !== undefined ? ' input-invalid' : ''}`}
        role="combobox"
        aria-expanded={open && shown.length > 0}
        aria-controls={listId}
        aria-autocomplete="list"
        aria-activedescendant={activeOption !== undefined ? `${id}-${activeOption.code}` : undefined}
        aria-invalid={problem !== undefined}
        aria-describedby={noteId}
        autoComplete="off"
        spellCheck={false}
        placeholder="Search by name or code, e.g. Germany or DE"
        data-testid={testId}
        value={text}
        onChange={(e) => {
          setQuery(e.target.value);
          setActive(0);
        }}
        onFocus={(e) => e.target.select()}
        onBlur={commit}
        onKeyDown={onKeyDown}
      />
      <ul id={listId} role="listbox" aria-label={`${fieldLabel}: countries`} className="combobox-list" hidden={!open || shown.length === 0} data-testid={`${testId}-options`}>
        {open &&
          shown.map((c, i) => (
            <li
              key={c.code}
              id={`${id}-${c.code}`}
              role="option"
              aria-selected={i === active}
              className={`combobox-option${i === active ? ' combobox-option-active' : ''}`}
              data-code={c.code}
              onMouseDown={(e) => {
                e.preventDefault(); // keep the focus in the field; the click chooses
                choose(c.code);
              }}
            >
              <span>{c.name}</span>
              <span className="combobox-code">{c.code}</span>
            </li>
          ))}
      </ul>
      <span id={noteId} className={problem !== undefined ? 'field-error' : 'muted small'} data-testid={`${testId}-note`}>
        {problem ?? hint}
      </span>
    </div>
  );
}
