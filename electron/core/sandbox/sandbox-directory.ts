import { addConversation } from './sim-state';
import type { SimState } from './sim-state';

/**
 * The sandbox has no contacts of its own, so a phone-number campaign run in it would find no
 * conversation for any row. seedSandboxDirectory gives each number of the campaign a conversation
 * with the campaign's agent before the runner lists them, as if every contact had written in:
 * most are active, one in eight is not (outside the 24-hour window), so the fallback path shows.
 * Numbers are stored as WhatsApp ids (international digits, no `+`), as the runner must expect.
 */
export function seedSandboxDirectory(state: SimState, botId: string, numbers: Iterable<string>): number {
  const known = new Set<string>();
  for (const c of state.conversations.values()) if (c.botId === botId && c.number !== null) known.add(c.number);
  let added = 0;
  for (const e164 of numbers) {
    const digits = e164.replace(/^\+/, '');
    if (known.has(digits)) continue;
    known.add(digits);
    addConversation(state, { id: state.ids.uuid(), botId, number: digits, active: hash(digits) % 8 !== 0 });
    added++;
  }
  return added;
}

function hash(s: string): number {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619) >>> 0;
  return h;
}
