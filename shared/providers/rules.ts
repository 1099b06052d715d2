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

/** isHttpUrl accepts absolute http(s) URLs with a host and no white space. */
export function isHttpUrl(s: string): boolean {
  if (s === '' || /\s/.test(s) || !URL.canParse(s)) return false;
  const u = new URL(s);
  return (u.protocol === 'http:' || u.protocol === 'https:') && u.hostname !== '';
}

/** BodyChecker collects the issues of one body as the provider walks it. */
export class BodyChecker {
  readonly issues: BodyIssue[] = [];

  required(field: string, value: string | undefined): boolean {
    if (value === undefined || value.trim() === '') {
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
