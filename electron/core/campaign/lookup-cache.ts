import type { Lookup, ResolvedRecipients } from './recipients';

/**
 * The lookups a campaign service keeps: the latest resolutions (by the inputs that decide them: the
 * CSV, the account, the recipient settings) and the latest routes (by the whole campaign too), so the
 * preview and validation of an edited message reuse them. A failed lookup is not kept, so the next
 * call tries again.
 *
 * A fresh lookup (a start) reads the conversations again, since their 24-hour windows move, but a
 * number keeps the conversation the campaign first found for it while that conversation is still
 * listed: the preview, the test send and the run use one resolution (issue 14: one number, one
 * conversation, for the whole campaign).
 */
export class LookupCache {
  readonly #resolutions = new Map<string, Promise<ResolvedRecipients>>();
  #routes: { key: string; lookup: Promise<Lookup> } | undefined;
  readonly #keep: number;

  constructor(keep = 4) {
    this.#keep = keep;
  }

  /**
   * lookup returns the routes for `routesKey`, reading the conversations with `resolve` only when
   * `resolutionKey` is not known yet (or `fresh`), and routing with `route` only when the campaign changed.
   */
  lookup(resolutionKey: string, routesKey: string, resolve: () => Promise<ResolvedRecipients>, route: (r: ResolvedRecipients) => Promise<Lookup>, fresh = false): Promise<Lookup> {
    if (!fresh && this.#routes?.key === routesKey) return this.#routes.lookup;
    let resolution = fresh ? undefined : this.#resolutions.get(resolutionKey);
    if (resolution === undefined) {
      const before = fresh ? this.#resolutions.get(resolutionKey)?.catch(() => undefined) : undefined;
      if (fresh) this.clear();
      resolution = resolve().then(async (now) => {
        const was = await before;
        return was === undefined ? now : keepIdentity(was, now);
      });
      this.#resolutions.set(resolutionKey, resolution);
      resolution.catch(() => this.#resolutions.delete(resolutionKey));
      while (this.#resolutions.size > this.#keep) {
        const oldest = this.#resolutions.keys().next().value;
        if (oldest === undefined) break;
        this.#resolutions.delete(oldest);
      }
    }
    const lookup = resolution.then(route);
    this.#routes = { key: routesKey, lookup };
    lookup.catch(() => {
      if (this.#routes?.key === routesKey) this.#routes = undefined;
    });
    return lookup;
  }

  /** peek is the lookup of `routesKey` when it is the latest one made, without making one. */
  peek(routesKey: string): Promise<Lookup> | undefined {
    return this.#routes?.key === routesKey ? this.#routes.lookup : undefined;
  }

  /** clear forgets everything (the account's conversations may have changed). */
  clear(): void {
    this.#resolutions.clear();
    this.#routes = undefined;
  }
}

/**
 * keepIdentity is a fresh phone resolution in which each number found before keeps the conversation
 * it was found in, with that conversation's state now, as long as the agent still lists it.
 */
export function keepIdentity(was: ResolvedRecipients, now: ResolvedRecipients): ResolvedRecipients {
  if (was.byNumber === undefined || now.byNumber === undefined || now.byId === undefined) return now;
  const byNumber = new Map(now.byNumber);
  for (const [number, before] of was.byNumber) {
    const still = now.byId.get(before.id);
    if (still !== undefined && still !== null) byNumber.set(number, still);
  }
  return { ...now, byNumber };
}
