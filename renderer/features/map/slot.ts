import { parseTemplate, placeholderText } from '../../../shared/campaign/placeholders';

/**
 * A slot is one string of the message (a template variable, a CTA url, the recipient...). The
 * campaign file stores it as text with `{{column}}` placeholders; the editor offers three ways to
 * write that text, and this module converts between them so the file stays the single truth.
 */

/** SlotMode is how the user fills a slot: one column (with optional fallback), fixed text, or text mixing both. */
export type SlotMode = 'column' | 'literal' | 'template';

/** ColumnSlot is the column-mode reading of a slot value. */
export interface ColumnSlot {
  column: string;
  fallback?: string;
}

/**
 * placeholder writes `{{column}}`, or `{{column|fallback}}` when a fallback is given; a column
 * whose name holds `|`, braces or `}}` is written quoted (`{{"a|b"}}`), so any header can be used.
 */
export function placeholder(column: string, fallback?: string): string {
  return placeholderText(column, fallback);
}

/**
 * readColumnSlot returns the column and fallback when the value is exactly one placeholder
 * (nothing around it), else undefined.
 */
export function readColumnSlot(value: string): ColumnSlot | undefined {
  const parts = parseTemplate(value);
  const only = parts[0];
  if (parts.length !== 1 || only === undefined || typeof only === 'string') return undefined;
  return only.fallback === undefined ? { column: only.column } : { column: only.column, fallback: only.fallback };
}

/**
 * slotModeOf picks the editor mode that shows a value most plainly: a lone placeholder is a
 * column, text without placeholders is a literal, anything else a template. An empty value takes
 * `preferred` (the slot's usual kind: a name is usually literal, a variable usually a column).
 */
export function slotModeOf(value: string, preferred: SlotMode = 'column'): SlotMode {
  if (value === '') return preferred;
  if (readColumnSlot(value) !== undefined) return 'column';
  return parseTemplate(value).every((p) => typeof p === 'string') ? 'literal' : 'template';
}

/**
 * convertSlot rewrites a value for a new mode, keeping what can be kept: switching to column keeps
 * the first column used (or the first header); switching to literal keeps the text without its
 * placeholders; switching to template keeps the value as it is.
 */
export function convertSlot(value: string, to: SlotMode, headers: readonly string[]): string {
  if (to === 'template') return value;
  const parts = parseTemplate(value);
  if (to === 'column') {
    const first = parts.find((p) => typeof p !== 'string');
    if (first !== undefined && typeof first !== 'string') return placeholder(first.column, first.fallback);
    return headers[0] !== undefined ? placeholder(headers[0]) : '';
  }
  return parts.map((p) => (typeof p === 'string' ? p : (p.fallback ?? ''))).join('');
}

/** insertAt inserts text at a caret range of value, returning the new value and the caret after the insert. */
export function insertAt(value: string, start: number, end: number, text: string): { value: string; caret: number } {
  const s = Math.max(0, Math.min(start, value.length));
  const e = Math.max(s, Math.min(end, value.length));
  return { value: value.slice(0, s) + text + value.slice(e), caret: s + text.length };
}

/** unknownColumns lists the columns a value names that are not headers of the loaded CSV. */
export function unknownColumns(value: string, headers: readonly string[]): string[] {
  const known = new Set(headers);
  const out: string[] = [];
  for (const p of parseTemplate(value)) {
    if (typeof p !== 'string' && !known.has(p.column) && !out.includes(p.column)) out.push(p.column);
  }
  return out;
}

/** looksLiteralButHasBraces tells whether literal text contains `{{`, which the file would read as a placeholder. */
export function hasPlaceholder(value: string): boolean {
  return parseTemplate(value).some((p) => typeof p !== 'string');
}
