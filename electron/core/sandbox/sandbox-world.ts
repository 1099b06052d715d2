import { createHash } from 'node:crypto';
import type { Clock } from '../ports';
import { idsFrom, seededRandom } from './ids';
import type { SandboxConfig } from './sandbox-transport';
import { addConversation, createSimState } from './sim-state';
import type { SimState } from './sim-state';
import { WorldLog } from './world-log';

/**
 * The sandbox's simulated accounts. A campaign opens many connections in its life (the preview's
 * lookup, a test send, the run, an engagement refresh later); they must all see one world, or
 * the same phone number would be found in a different conversation each time. So a process keeps
 * one world per simulated API and seed, and conversations the sandbox makes up for a campaign's
 * numbers get ids derived from the agent and the number: any world agrees on them. Given a folder
 * in the workspace, a world outlives the process (world-log.ts): the CLI's `status` after its
 * `send`, or the app after a restart, sees the messages it sent and their recipients' replies.
 */

/** SandboxWorlds keeps the process's simulated worlds, one per simulated API and seed. */
export class SandboxWorlds {
  readonly #clock: Clock;
  readonly #dir: string | undefined;
  readonly #worlds = new Map<string, { state: SimState; seed: number; log?: WorldLog }>();

  /** `dir`: where worlds are kept (`<dataDir>/sandbox`); none keeps them in memory only. */
  constructor(clock: Clock, dir?: string) {
    this.#clock = clock;
    this.#dir = dir;
  }

  /** world is the world of `config` (made, or read back from the workspace, on first use), and the seed its failures are drawn from. */
  world(config: SandboxConfig): { state: SimState; seed: number } {
    const key = `${config.simulate}:${config.seed ?? 'unseeded'}`;
    let world = this.#worlds.get(key);
    if (world === undefined) {
      if (this.#dir === undefined) {
        world = createSandboxWorld(config, this.#clock);
      } else {
        let seed = 0;
        const { state, log } = WorldLog.open(WorldLog.pathOf(this.#dir, config.simulate, config.seed), (generation) => {
          const made = createSandboxWorld(config, this.#clock, generation);
          seed = made.seed;
          return made.state;
        });
        world = { state, seed, log };
      }
      this.#worlds.set(key, world);
    }
    return world;
  }

  /** flush writes what the kept worlds have buffered (a connection closing calls it). */
  flush(): void {
    for (const w of this.#worlds.values()) w.log?.flush();
  }
}

/**
 * createSandboxWorld makes a simulated account: its conversations, messages, simulated recipients
 * and the seed of its failures and ids. `generation` counts the processes that ran this world
 * before (world-log.ts): each draws its ids from a generator of its own, so none repeats.
 */
export function createSandboxWorld(config: SandboxConfig, clock: Clock, generation = 0): { state: SimState; seed: number } {
  const seed = config.seed ?? Math.floor(Math.random() * 2 ** 32);
  const state = createSimState({
    apiKey: null,
    autoCreateConversations: true,
    now: () => clock.now(),
    ids: idsFrom(seededRandom((seed ^ 0x5eed) + Math.imul(generation, 0x9e3779b9))),
    // Recipients who read, click and reply over minutes (audience.ts); one message in 25 fails.
    wassist: { audience: true, statusTimeline: { failEvery: 25 } },
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
