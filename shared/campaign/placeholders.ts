/**
 * Placeholders are how a campaign file names CSV columns inside any string of the message:
 * `{{first_name}}` is the value of column `first_name`, `{{first_name|there}}` uses `there` when
 * the cell is empty. This module only parses template text; render.ts compiles the parsed parts
 * against the CSV headers and prepare.ts fills them in for each row.
 *
 * The grammar, chosen so that text which is not a placeholder stays exactly as written:
 * - a placeholder starts at `{{` and ends at the first `}}` after it;
 * - its inside is `name` or `name|fallback`, split at the first `|`;
 * - the name is trimmed (`{{ first_name }}`), must not be empty and must not contain `{` or `}`;
 * - the fallback is kept verbatim (it may be empty, or contain spaces, `|` and `{`), anything but `}}`.
 * Anything else (`{{`, `{{}}`, `{{ | x}}`, an unclosed `{{name`) is literal text. A `{` that does not
 * start a placeholder is literal too, so `{{{name}}}` is a literal `{`, the placeholder, and a `}`.
 */

/** Placeholder is one `{{column}}` or `{{column|fallback}}` in a template string. */
export interface Placeholder {
  /** The column name, trimmed. */
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
    const close = text.indexOf('}}', open + 2);
    if (close < 0) break;
    const placeholder = parsePlaceholder(text.slice(open + 2, close));
    if (placeholder === undefined) {
      // Not a placeholder here: keep one `{` and look again from the next character, so
      // `{{{name}}}` still finds `{{name}}` and `{{a {{b}}` finds `{{b}}`.
      literal += text.slice(pos, open + 1);
      pos = open + 1;
      continue;
    }
    literal += text.slice(pos, open);
    if (literal !== '') parts.push(literal);
    literal = '';
    parts.push(placeholder);
    pos = close + 2;
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
