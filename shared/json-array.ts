/**
 * arrayElements walks a JSON text that is a top-level array and yields the text of each element,
 * one at a time, without parsing the whole: a reader of a long list parses (and keeps) one element
 * at a time, so the objects of a 5 MiB message history never all exist at once. It checks only
 * what it must to find the elements' ends (strings, escapes, nesting); each element is then
 * checked by JSON.parse. Throws a SyntaxError when the text is not an array or is cut short.
 */
export function* arrayElements(text: string): Generator<string> {
  const n = text.length;
  let i = skipSpace(text, 0);
  if (text.charCodeAt(i) !== 0x5b /* [ */) throw new SyntaxError('expected a JSON array');
  i = skipSpace(text, i + 1);
  if (text.charCodeAt(i) === 0x5d /* ] */) return;
  for (;;) {
    const start = i;
    let depth = 0;
    for (; i < n; i++) {
      const c = text.charCodeAt(i);
      if (c === 0x22 /* " */) {
        for (i++; i < n; i++) {
          const d = text.charCodeAt(i);
          if (d === 0x5c /* \ */) i++;
          else if (d === 0x22) break;
        }
      } else if (c === 0x7b || c === 0x5b) {
        depth++;
      } else if (c === 0x7d || c === 0x5d) {
        if (depth === 0) break;
        depth--;
      } else if (c === 0x2c /* , */ && depth === 0) {
        break;
      }
    }
    if (i >= n) throw new SyntaxError('the JSON array is cut short');
    yield text.slice(start, i).trim();
    const sep = text.charCodeAt(i);
    if (sep === 0x5d) return;
    i = skipSpace(text, i + 1);
  }
}

function skipSpace(text: string, from: number): number {
  let i = from;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) break;
    i++;
  }
  return i;
}
