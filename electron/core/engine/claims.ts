/**
 * ClaimIndex remembers which provider message ids belong to which conversation, so that
 * reconciliation never gives one row's message to another row (two rows may send the same text to
 * the same conversation). It holds only what a reconciliation could confuse: ids of messages sent
 * within the last `windowMs` (older ones fall outside every attempt's time window), plus every id
 * noted for a conversation that has a row in doubt. Memory stays bounded by the sending rate
 * times the window, not by the campaign's size.
 */
export class ClaimIndex {
  readonly #windowMs: number;
  /** Conversation -> ids, for conversations with a row in doubt: kept for the whole run. */
  readonly #pinned = new Map<string, Set<string>>();
  /** Recent ids in the order they were noted, with the time, pruned as they age. */
  #recent: { recipient: string; id: string; at: number }[] = [];
  #recentStart = 0;
  readonly #recentBy = new Map<string, Map<string, number>>();

  constructor(windowMs: number) {
    this.#windowMs = windowMs;
  }

  /** pin keeps every id of `recipient` from now on (it has a row in doubt). */
  pin(recipient: string): void {
    if (!this.#pinned.has(recipient)) this.#pinned.set(recipient, new Set(this.#recentBy.get(recipient)?.keys() ?? []));
  }

  /** hold pins `recipient` and keeps `id` for it (an id read from the journal of an earlier run). */
  hold(recipient: string, id: string): void {
    this.pin(recipient);
    this.#pinned.get(recipient)?.add(id);
  }

  /** isPinned tells whether a conversation is pinned. */
  isPinned(recipient: string): boolean {
    return this.#pinned.has(recipient);
  }

  /** note records that `id` belongs to a row sent to `recipient` at `at` (ms). */
  note(recipient: string, id: string, at: number): void {
    if (id === '') return;
    this.#pinned.get(recipient)?.add(id);
    this.#prune(at);
    this.#recent.push({ recipient, id, at });
    let ids = this.#recentBy.get(recipient);
    if (ids === undefined) this.#recentBy.set(recipient, (ids = new Map()));
    ids.set(id, (ids.get(id) ?? 0) + 1);
  }

  /** claimed is every id held for `recipient`. */
  claimed(recipient: string): Set<string> {
    const out = new Set(this.#pinned.get(recipient) ?? []);
    for (const id of this.#recentBy.get(recipient)?.keys() ?? []) out.add(id);
    return out;
  }

  #prune(now: number): void {
    let i = this.#recentStart;
    while (i < this.#recent.length && (this.#recent[i] as { at: number }).at < now - this.#windowMs) {
      const { recipient, id } = this.#recent[i] as { recipient: string; id: string };
      const ids = this.#recentBy.get(recipient);
      const n = (ids?.get(id) ?? 1) - 1;
      if (n <= 0) ids?.delete(id);
      else ids?.set(id, n);
      if (ids?.size === 0) this.#recentBy.delete(recipient);
      i++;
    }
    this.#recentStart = i;
    if (i > 1024 && i > this.#recent.length / 2) {
      this.#recent = this.#recent.slice(i);
      this.#recentStart = 0;
    }
  }
}
