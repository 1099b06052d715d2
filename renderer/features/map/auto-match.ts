/**
 * Auto-matching pre-fills slots from the CSV headers, so a typical CRM export maps itself: the
 * recipient finds `conversation_id`, a CTA url finds `promo_url`, the first template variable finds
 * `first_name`. Names are compared loosely (case, spaces, `_` and `-` ignored), exact matches first,
 * then a header that contains the hint.
 */

/** normalizeHeader folds a header or hint for loose comparison: lower case, letters and digits only. */
export function normalizeHeader(s: string): string {
  return s.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '');
}

/** slotHints lists, for each kind of slot, the header names that usually fill it, best first. */
export const slotHints = {
  recipient: ['conversation_id', 'conversationid', 'conversation', 'chat_id', 'thread_id', 'wa_id'],
  firstName: ['first_name', 'firstname', 'given_name', 'name', 'full_name', 'customer_name', 'contact_name'],
  templateName: ['template_name', 'template'],
  header: ['header', 'template_header', 'title'],
  url: ['promo_url', 'url', 'link', 'cta_url', 'button_url', 'tracking_url'],
  image: ['image_url', 'image', 'img', 'picture', 'photo_url'],
  media: ['media_url', 'media', 'image_url', 'image', 'video_url'],
  text: ['message', 'text', 'body', 'content', 'message_text'],
  footer: ['footer'],
  buttonText: ['button_text', 'cta_text', 'button_label', 'button'],
  senderId: ['sender_id', 'agent_id', 'user_id'],
} as const;

export type SlotHint = keyof typeof slotHints;

/** matchHeader finds the header that best fits any of the candidate names, or undefined. */
export function matchHeader(headers: readonly string[], candidates: readonly string[]): string | undefined {
  const norm = headers.map(normalizeHeader);
  for (const c of candidates) {
    const i = norm.indexOf(normalizeHeader(c));
    if (i >= 0) return headers[i];
  }
  for (const c of candidates) {
    const n = normalizeHeader(c);
    if (n.length < 4) continue; // short hints ("url", "img") match too much inside other names
    const i = norm.findIndex((h) => h.includes(n));
    if (i >= 0) return headers[i];
  }
  return undefined;
}

/** matchHint is matchHeader for one of the known slot kinds. */
export function matchHint(headers: readonly string[], hint: SlotHint): string | undefined {
  return matchHeader(headers, slotHints[hint]);
}

/**
 * matchNumbered finds headers for numbered variables (`var1`, `body_2`, `variable 3`, `{{1}}`-style
 * exports), in order, so template body variables fill themselves when the CSV names them so.
 */
export function matchNumbered(headers: readonly string[], prefixes: readonly string[] = ['var', 'variable', 'body', 'param', 'body_var']): string[] {
  const found = new Map<number, string>();
  const pattern = new RegExp(`^(?:${prefixes.map(normalizeHeader).join('|')})(\\d+)$`);
  for (const h of headers) {
    const m = pattern.exec(normalizeHeader(h));
    const n = m?.[1] !== undefined ? Number(m[1]) : NaN;
    if (Number.isInteger(n) && !found.has(n)) found.set(n, h);
  }
  const out: string[] = [];
  for (let n = found.has(0) ? 0 : 1; found.has(n); n++) out.push(found.get(n) as string);
  return out;
}
