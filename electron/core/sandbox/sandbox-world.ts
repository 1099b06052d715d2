import { createHash } from 'node:crypto';
import type { Clock } from '../ports';
import { idsFrom, seededRandom } from './ids';
import type { SandboxConfig } from './sandbox-transport';
import { addConversation, createSimState } from './sim-state';
import type { SimState } from './sim-state';

/**
 * The sandbox's simulated accounts. A campaign opens many connections in its life (the preview's
 * lookup, a test send, the run, a delivery-status refresh later); they must all see one world, or
 * the same phone number would be found in a different conversation each time. So a process keeps
 * one world per simulated API and seed, and conversations the sandbox makes up for a campaign's
 * numbers get ids derived from the agent and the number: any world agrees on them.
 */

/** SandboxWorlds keeps the process's simulated worlds, one per simulated API and seed. */
export class SandboxWorlds {
  readonly #clock: Clock;
  readonly #worlds = new Map<string, { state: SimState; seed: number }>();

  constructor(clock: Clock) {
    this.#clock = clock;
  }

  /** world is the world of `config` (made on first use), and the seed its failures are drawn from. */
  world(config: SandboxConfig): { state: SimState; seed: number } {
    const key = `${config.simulate}:${config.seed ?? 'unseeded'}`;
    let world = this.#worlds.get(key);
    if (world === undefined) {
      world = createSandboxWorld(config, this.#clock);
      this.#worlds.set(key, world);
    }
    return world;
  }
}

/** createSandboxWorld makes a simulated account: its conversations, messages and the seed of its failures and ids. */
export function createSandboxWorld(config: SandboxConfig, clock: Clock): { state: SimState; seed: number } {
  const seed = config.seed ?? Math.floor(Math.random() * 2 ** 32);
  const state = createSimState({
    apiKey: null,
    autoCreateConversations: true,
    now: () => clock.now(),
    ids: idsFrom(seededRandom(seed ^ 0x5eed)),
    // Wassist messages move on as on a phone, quickly so a demo shows it: delivered after 0.5 s, read after 2 s, one in 25 fails.
    wassist: { statusTimeline: { deliveredAfterMs: 500, readAfterMs: 2_000, failEvery: 25 } },
  });
  return { state, seed };
}

/**
 * seedSandboxDirectory gives each number of a campaign a conversation with the campaign's agent,
 * as if every contact had written in: most are active, one in eight is not (outside the 24-hour
 * window), so the fallback path shows. Numbers are stored as WhatsApp ids (international digits,
 * no `+`), as the directory must expect. Returns how many conversations it added.
 */
export async function seedSandboxDirectory(state: SimState, botId: string, numbers: AsyncIterable<string> | Iterable<string>): Promise<number> {
  const known = new Set<string>();
  for (const c of state.conversations.values()) if (c.botId === botId && c.number !== null) known.add(c.number);
  let added = 0;
  for await (const e164 of numbers) {
    const digits = e164.replace(/^\+/, '');
    if (known.has(digits)) continue;
    known.add(digits);
    const h = createHash('sha256').update(`${botId}\n${digits}`).digest();
    addConversation(state, { id: uuidOf(h), botId, number: digits, active: (h[0] ?? 0) % 8 !== 0 });
    added++;
  }
  return added;
}

/**
 * seedSandboxConversations makes the conversations a campaign names by id exist before they are
 * checked, as the sandbox would on first use (active, with the default agent), so the check lists
 * them a page at a time as it would a real account's instead of reading each at the polite pace.
 */
export function seedSandboxConversations(state: SimState, ids: Iterable<string>): void {
  for (const id of ids) if (!state.conversations.has(id)) addConversation(state, { id });
}

/** uuidOf formats the first 16 bytes of a digest as a version 4 UUID. */
function uuidOf(digest: Buffer): string {
  const b = Buffer.from(digest.subarray(0, 16));
  b[6] = ((b[6] ?? 0) & 0x0f) | 0x40;
  b[8] = ((b[8] ?? 0) & 0x3f) | 0x80;
  const hex = b.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
