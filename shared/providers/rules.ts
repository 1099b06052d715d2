import type { BodyIssue } from './types';

/**
 * The field rules the provider documents share: required non-empty text, length limits counted
 * in characters (Unicode code points, as WhatsApp counts them), and URLs that must be http(s).
 */

/** charLength counts code points; cheap when the string is plainly short enough. */
export function charLength(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        n--;
        i++;
      }
    }
  }
  return n;
}

const HTTP_URL_SHAPE = /^https?:\/\/[^\s/?#]+[^\s]*$/i;

/**
 * isHttpUrl accepts absolute http(s) URLs with a host and no white space. The pattern settles the
 * scheme, the host's presence and the white space; URL.canParse then checks the rest (ports, IPv6,
 * percent-encoding) without building a URL object, since it runs for every URL of every row.
 */
export function isHttpUrl(s: string): boolean {
  return HTTP_URL_SHAPE.test(s) && URL.canParse(s);
}

/**
 * isBlank tells whether a string is empty or only white space. It runs for every required field
 * of every row, so ordinary values (starting with a printable ASCII character) are settled by one
 * character test, without a regular expression or a trimmed copy.
 */
export function isBlank(s: string): boolean {
  if (s.length === 0) return true;
  const first = s.charCodeAt(0);
  if (first > 32 && first < 127) return false;
  return s.trim() === '';
}

/** LONG_TEXT is where any message text is far longer than a chat message (for APIs that state no limit). */
export const LONG_TEXT = 65_536;

/** BodyChecker collects the issues of one body as the provider walks it. */
export class BodyChecker {
  readonly issues: BodyIssue[] = [];

  required(field: string, value: string | undefined): boolean {
    if (value === undefined || isBlank(value)) {
      this.issues.push({ field, reason: 'is required and must not be empty' });
      return false;
    }
    return true;
  }

  maxChars(field: string, value: string | undefined, max: number): void {
    if (value === undefined || value.length <= max) return;
    const n = charLength(value);
    if (n > max) this.issues.push({ field, reason: `is ${n} characters long; the limit is ${max}` });
  }

  /**
   * longWarning warns about a value longer than a limit the provider's documents do not state
   * (WhatsApp's own, say): the row is still sent, and the person sees why it may be refused.
   */
  longWarning(field: string, value: string | undefined, max: number, why: string): void {
    if (value === undefined || value.length <= max) return;
    const n = charLength(value);
    if (n > max) this.issues.push({ field, reason: `is ${n.toLocaleString('en-US')} characters long; ${why}`, severity: 'warning' });
  }

  httpUrl(field: string, value: string | undefined): void {
    if (value === undefined || value === '') return;
    if (!isHttpUrl(value)) this.issues.push({ field, reason: `must be an http(s) URL, got ${JSON.stringify(truncate(value))}` });
  }

  oneOf(field: string, value: string | undefined, allowed: readonly string[]): void {
    if (value === undefined || allowed.includes(value)) return;
    this.issues.push({ field, reason: `must be one of ${allowed.join(', ')}, got ${JSON.stringify(truncate(value))}` });
  }

  add(field: string, reason: string): void {
    this.issues.push({ field, reason });
  }
}

function truncate(s: string): string {
  return s.length > 80 ? `${s.slice(0, 80)}…` : s;
}

const SAFE_SEGMENT = /^[A-Za-z0-9._~-]*$/;

/** hasControl finds C0 and C1 control characters, DEL, and the bidirectional overrides that make text read differently than it is. */
function hasControl(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || (c >= 0x7f && c <= 0x9f) || (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069)) return true;
  }
  return false;
}

/**
 * segmentProblem says why `id` cannot be used as one URL path segment, or undefined when it can.
 * A dot segment cannot be escaped at all: the URL parser reads `.`, `..` and every percent-encoded
 * spelling of them (`%2E%2E`) as a step up, so a CSV cell `..` would send `POST /conversations/{..}/messages/`
 * to `/messages/`, key included. `/`, `\`, `?` and `#` are escaped on the way out, but a
 * conversation id never holds them, so they mean a wrong column; control characters likewise.
 */
export function segmentProblem(id: string): string | undefined {
  if (id.trim() === '') return 'is empty';
  if (id === '.' || id === '..') return `is "${id}", which a URL reads as a step in the path, not an id`;
  if (SAFE_SEGMENT.test(id)) return undefined;
  for (const ch of ['/', '\\', '?', '#']) if (id.includes(ch)) return `contains "${ch}", which an id never does`;
  if (hasControl(id)) return 'contains a control character';
  return undefined;
}

/**
 * pathSegment escapes an id for use as one URL path segment. Ids are nearly always UUIDs, which
 * need no escaping, so the common case costs one pattern test instead of encodeURIComponent.
 * A dot segment is refused (an Error, a programming mistake: rows are checked with
 * segmentProblem before anything is built for sending), since no escaping keeps it in its place.
 */
export function pathSegment(id: string): string {
  if (id === '.' || id === '..') throw new Error(`"${id}" cannot be a URL path segment`);
  return SAFE_SEGMENT.test(id) ? id : encodeURIComponent(id);
}
