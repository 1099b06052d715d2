/**
 * Placeholders are how a campaign file names CSV columns inside any string of the message:
 * `{{first_name}}` is the value of column `first_name`, `{{first_name|there}}` uses `there` when
 * the cell is empty. This module only parses (and writes) template text; render.ts compiles the
 * parsed parts against the CSV headers and prepare.ts fills them in for each row.
 *
 * The grammar, chosen so that text which is not a placeholder stays exactly as written:
 * - a placeholder starts at `{{` and ends at the first `}}` after it;
 * - its inside is `name` or `name|fallback`, split at the first `|`;
 * - the name is trimmed (`{{ first_name }}`), must not be empty and must not contain `{` or `}`;
 * - the fallback is kept verbatim (it may be empty, or contain spaces, `|` and `{`), anything but `}}`.
 * Anything else (`{{`, `{{}}`, `{{ | x}}`, an unclosed `{{name`) is literal text. A `{` that does not
 * start a placeholder is literal too, so `{{{name}}}` is a literal `{`, the placeholder, and a `}`.
 *
 * A quoted name reaches any header a CSV can have, `|`, `{`, `}` and `}}` included: when the inside
 * starts (after white space) with `"`, the name is a JSON string, `{{"=cmd|' /C calc'!A0"}}` or
 * `{{"a}}b"|fallback}}`, taken exactly as it decodes (not trimmed), and the placeholder ends at the
 * first `}}` after the closing quote. Ordinary names never need it, so `{{name}}` and `{{name|text}}`
 * mean what they always meant; only a name that itself starts with `"` reads differently, and
 * placeholderText quotes such names.
 */

/** Placeholder is one `{{column}}` or `{{column|fallback}}` in a template string. */
export interface Placeholder {
  /** The column name, trimmed (quoted names exactly as written). */
  column: string;
  /** Text used when the cell is empty; absent when the placeholder has no `|`. */
  fallback?: string;
}

/** TemplatePart is a piece of a parsed template: literal text (never empty) or a placeholder. */
export type TemplatePart = string | Placeholder;

/**
 * parsePlaceholder reads the inside of `{{ … }}`, or returns undefined when it is not a valid
 * placeholder (then the braces are literal text).
 */
function parsePlaceholder(inner: string): Placeholder | undefined {
  const bar = inner.indexOf('|');
  const column = (bar < 0 ? inner : inner.slice(0, bar)).trim();
  if (column === '' || column.includes('{') || column.includes('}')) return undefined;
  return bar < 0 ? { column } : { column, fallback: inner.slice(bar + 1) };
}

const SPACE = /\s/;

function skipSpace(text: string, at: number): number {
  let i = at;
  while (i < text.length && SPACE.test(text[i] as string)) i++;
  return i;
}

/** readJsonString decodes the JSON string literal starting at `at` (a `"`), or undefined when it is not one. */
function readJsonString(text: string, at: number): { value: string; end: number } | undefined {
  for (let i = at + 1; i < text.length; i++) {
    const c = text[i];
    if (c === '\\') {
      i++;
      continue;
    }
    if (c !== '"') continue;
    try {
      const value: unknown = JSON.parse(text.slice(at, i + 1));
      return typeof value === 'string' ? { value, end: i + 1 } : undefined;
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/** readQuoted reads a quoted-name placeholder opening at `open`, or undefined when there is none there. */
function readQuoted(text: string, open: number): { placeholder: Placeholder; end: number } | undefined {
  const quote = skipSpace(text, open + 2);
  if (text[quote] !== '"') return undefined;
  const name = readJsonString(text, quote);
  if (name === undefined || name.value.trim() === '') return undefined;
  const after = skipSpace(text, name.end);
  if (text.startsWith('}}', after)) return { placeholder: { column: name.value }, end: after + 2 };
  if (text[after] !== '|') return undefined;
  const close = text.indexOf('}}', after + 1);
  if (close < 0) return undefined;
  return { placeholder: { column: name.value, fallback: text.slice(after + 1, close) }, end: close + 2 };
}

/**
 * parseTemplate splits text into literal pieces and placeholders, in order. Adjacent literal
 * text is merged, so text without placeholders is a single part (and '' is no part at all).
 */
export function parseTemplate(text: string): TemplatePart[] {
  const parts: TemplatePart[] = [];
  let literal = '';
  let pos = 0;
  for (;;) {
    const open = text.indexOf('{{', pos);
    if (open < 0) break;
    let found = readQuoted(text, open);
    if (found === undefined) {
      const close = text.indexOf('}}', open + 2);
      if (close < 0) break;
      const placeholder = parsePlaceholder(text.slice(open + 2, close));
      if (placeholder !== undefined) found = { placeholder, end: close + 2 };
    }
    if (found === undefined) {
      // Not a placeholder here: keep one `{` and look again from the next character, so
      // `{{{name}}}` still finds `{{name}}` and `{{a {{b}}` finds `{{b}}`.
      literal += text.slice(pos, open + 1);
      pos = open + 1;
      continue;
    }
    literal += text.slice(pos, open);
    if (literal !== '') parts.push(literal);
    literal = '';
    parts.push(found.placeholder);
    pos = found.end;
  }
  literal += text.slice(pos);
  if (literal !== '') parts.push(literal);
  return parts;
}

/** templateColumns lists the columns a template uses, each once, in order of first use. */
export function templateColumns(text: string): string[] {
  const seen = new Set<string>();
  for (const part of parseTemplate(text)) {
    if (typeof part !== 'string') seen.add(part.column);
  }
  return [...seen];
}

/**
 * needsQuotes tells whether a column name must be written quoted to be read back as itself: it holds
 * a brace or a bar, starts with a quote, or has white space at either end (a plain name is trimmed).
 */
export function needsQuotes(column: string): boolean {
  return /[{}|]/.test(column) || column.startsWith('"') || column !== column.trim();
}

/**
 * placeholderText writes the placeholder of a column: `{{column}}`, or `{{column|fallback}}` when a
 * fallback is given ('' counts as none), quoting the name when it needs it (`{{"a|b"}}`). A fallback
 * cannot hold `}}` nor end with `}` (see fallbackProblem).
 */
export function placeholderText(column: string, fallback?: string): string {
  const name = needsQuotes(column) ? JSON.stringify(column) : column;
  return fallback === undefined || fallback === '' ? `{{${name}}}` : `{{${name}|${fallback}}}`;
}

/** fallbackProblem says why text cannot be a placeholder's fallback (the first `}}` ends it), or undefined when it can. */
export function fallbackProblem(fallback: string): string | undefined {
  if (fallback.includes('}}')) return 'a fallback cannot contain "}}", which ends the placeholder';
  if (fallback.endsWith('}')) return 'a fallback cannot end with "}": with the closing "}}" it would end the placeholder early';
  return undefined;
}
