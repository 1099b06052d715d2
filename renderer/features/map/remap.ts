import { parseTemplate } from '../../../shared/campaign/placeholders';
import type { JsonObject, JsonValue } from '../../../shared/json';
import { matchHint, normalizeHeader, slotHints } from './auto-match';
import type { SlotHint } from './auto-match';
import type { Draft } from './draft';
import { placeholder } from './slot';

/**
 * When another file is imported under a message already built, the message keeps its work: each
 * column it uses that the new file lacks is matched by name where that is safe (the same name
 * written otherwise, `First Name` for `first_name`, or the same kind of column, `Vorname` for
 * `first_name`); the columns left over are for the person to choose (see RemapCard).
 */

/** mapStrings returns a copy of a JSON value with every string passed through `f`. */
function mapStrings(value: JsonValue, f: (s: string) => string): JsonValue {
  if (typeof value === 'string') return f(value);
  if (Array.isArray(value)) return value.map((v) => mapStrings(v, f));
  if (value !== null && typeof value === 'object') {
    const out: JsonObject = {};
    for (const [k, v] of Object.entries(value)) Object.defineProperty(out, k, { value: mapStrings(v, f), enumerable: true, writable: true, configurable: true });
    return out;
  }
  return value;
}

/** eachText calls `f` with every template string of the draft: the recipient, the phone, the message, the fallback, the files, the kept bodies. */
function eachText(draft: Draft, f: (s: string) => void): void {
  const walk = (v: JsonValue | undefined) => {
    if (v !== undefined) mapStrings(v, (s) => (f(s), s));
  };
  f(draft.recipient);
  if (draft.phone !== undefined) f(draft.phone.phone);
  walk(draft.message);
  walk(draft.fallback);
  for (const file of draft.files ?? []) f(file);
  for (const body of Object.values(draft.bodies ?? {})) walk(body);
}

/** draftColumns lists the columns the draft uses, each once, in order of first use. */
export function draftColumns(draft: Draft): string[] {
  const seen = new Set<string>();
  eachText(draft, (s) => {
    for (const p of parseTemplate(s)) if (typeof p !== 'string') seen.add(p.column);
  });
  return [...seen];
}

/** missingColumns lists the columns the draft uses that `headers` does not have. */
export function missingColumns(draft: Draft, headers: readonly string[]): string[] {
  const have = new Set(headers);
  return draftColumns(draft).filter((c) => !have.has(c));
}

/** renameIn rewrites the placeholders of one string whose columns `renames` maps, keeping everything else as written. */
function renameIn(text: string, renames: ReadonlyMap<string, string>): string {
  const parts = parseTemplate(text);
  if (!parts.some((p) => typeof p !== 'string' && renames.has(p.column))) return text;
  return parts.map((p) => (typeof p === 'string' ? p : placeholder(renames.get(p.column) ?? p.column, p.fallback))).join('');
}

/** renameColumns returns the draft with columns renamed everywhere it uses them (its kept bodies too). */
export function renameColumns(draft: Draft, renames: ReadonlyMap<string, string>): Draft {
  if (renames.size === 0) return draft;
  const f = (s: string) => renameIn(s, renames);
  const next: Draft = { ...draft, recipient: f(draft.recipient), message: mapStrings(draft.message, f) as JsonObject };
  if (draft.phone !== undefined) next.phone = { ...draft.phone, phone: f(draft.phone.phone) };
  if (draft.fallback !== undefined) next.fallback = mapStrings(draft.fallback, f) as JsonObject;
  if (draft.files !== undefined) next.files = draft.files.map(f);
  if (draft.bodies !== undefined) next.bodies = Object.fromEntries(Object.entries(draft.bodies).map(([k, v]) => [k, mapStrings(v, f) as JsonObject]));
  return next;
}

/**
 * suggestColumn finds the header that is plainly the same column: the same name written otherwise,
 * or the only header of the same kind (phone, first name, link…). Undefined when unsure.
 */
export function suggestColumn(column: string, headers: readonly string[]): string | undefined {
  const want = normalizeHeader(column);
  const same = headers.filter((h) => normalizeHeader(h) === want);
  if (same.length === 1) return same[0];
  for (const hint of Object.keys(slotHints) as SlotHint[]) {
    const known = (slotHints[hint] as readonly string[]).some((n) => normalizeHeader(n) === want);
    if (!known) continue;
    const found = matchHint(headers, hint);
    if (found !== undefined) return found;
  }
  return undefined;
}

/** remapDraft matches the columns the draft uses that `headers` lacks (suggestColumn); `left` are those it could not. */
export function remapDraft(draft: Draft, headers: readonly string[]): { draft: Draft; renamed: Map<string, string>; left: string[] } {
  const renamed = new Map<string, string>();
  const left: string[] = [];
  for (const column of missingColumns(draft, headers)) {
    const to = suggestColumn(column, headers);
    if (to === undefined) left.push(column);
    else renamed.set(column, to);
  }
  return { draft: renameColumns(draft, renamed), renamed, left };
}
