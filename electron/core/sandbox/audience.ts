import { idsFrom, seededRandom } from './ids';
import type { Random } from './ids';

/**
 * The sandbox's simulated recipients: what each one does with a message we sent them, as a pure
 * function of the message's id and when it was sent, so any process (the app after a restart, the
 * CLI's `status` an hour later) sees the same recipient do the same thing at the same moment, and a
 * new user watching the Report step sees the funnel fill in over a few minutes:
 *   delivered  after 0.3–3 s (1 in 25 never: a phone that stays off)
 *   read       by 4 in 5 of those, mostly within a minute
 *   clicked    by 9 in 20 readers of a message with a link button (some twice)
 *   replied    by 9 in 20 readers, mostly within two minutes, a few hours later; about 1 reply in 6
 *              is an opt-out word in one of several languages
 * Times are compressed (a real audience takes hours) so the sandbox shows a living funnel at once.
 */

/** Fate is what a recipient does with one message (times in ms since the epoch; undefined: never). */
export interface Fate {
  deliveredAt?: number;
  readAt?: number;
  clicks: number[];
  reply?: { at: number; text: string };
}

const replies = [
  'Thanks!',
  'Gracias 👍',
  'Merci beaucoup',
  'Danke, super',
  'When will it arrive?',
  'Can I change the delivery address?',
  'Perfect, thank you',
  'Obrigado!',
  'Is there a discount code?',
  'ok',
];
const optOuts = ['STOP', 'Baja', 'STOPP', 'Arrêt', 'Unsubscribe', 'stop please'];

/** hash32 is FNV-1a of a string: the seed of one recipient's choices. */
function hash32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** after draws a delay around `meanMs` (exponential), capped at `maxMs`. */
function after(r: Random, meanMs: number, maxMs: number): number {
  return Math.min(maxMs, -Math.log(1 - r()) * meanMs);
}

/** fateOf is what the recipient of message `messageId`, sent at `sentAt`, does with it (`clickable`: it has a link button). */
export function fateOf(messageId: string, sentAt: number, clickable: boolean): Fate {
  const r = seededRandom(hash32(messageId));
  const fate: Fate = { clicks: [] };
  if (r() < 0.04) return fate;
  fate.deliveredAt = sentAt + 300 + Math.floor(r() * 2_700);
  if (r() < 0.2) return fate;
  const readAt = fate.deliveredAt + 1_000 + Math.floor(after(r, 15_000, 10 * 60_000));
  fate.readAt = readAt;
  const clicks = r() < 0.45;
  const twice = r() < 0.25;
  const firstClick = readAt + 1_000 + Math.floor(r() * 20_000);
  if (clickable && clicks) fate.clicks = twice ? [firstClick, firstClick + 1_000 + Math.floor(r() * 60_000)] : [firstClick];
  if (r() < 0.45) {
    const late = r() < 0.1;
    const at = readAt + 2_000 + Math.floor(late ? 3_600_000 + r() * 3 * 3_600_000 : after(r, 40_000, 20 * 60_000));
    const optOut = r() < 0.17;
    const pool = optOut ? optOuts : replies;
    fate.reply = { at, text: pool[Math.floor(r() * pool.length)] as string };
  }
  return fate;
}

/** replyIdOf is the id of the simulated reply to a message (a version 4 UUID derived from it, so every process agrees). */
export function replyIdOf(messageId: string): string {
  return idsFrom(seededRandom(hash32(`reply:${messageId}`))).uuid();
}
