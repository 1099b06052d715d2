import type { RowOutcomes } from '../ports';

/**
 * ClaimIndex remembers which provider message ids belong to which conversation, so that
 * reconciliation never gives one row's message to another row (two rows may send the same text to
 * the same conversation). It holds only what a reconciliation could confuse: ids of messages sent
 * within the last `windowMs` (older ones fall outside every attempt's time window), plus every id
 * noted for a conversation that has a row in doubt (pinned).
 *
 * A campaign sends far faster than the window (15 minutes) passes, so "recent" can be every row of
 * it: a recent send is kept as three numbers (a hash of its conversation, its row, when), 16 bytes,
 * and its id is read back from the journal's rows (`rows`: the row is recorded sent with that id
 * before it is noted) only when a check asks about that conversation. Ids noted before their row is
 * recorded (a check's own find) and ids of pinned conversations, both few, are kept as text.
 */
export class ClaimIndex {
  readonly #windowMs: number;
  readonly #rows: () => RowOutcomes;
  /** Conversation -> ids, for conversations with a row in doubt: kept for the whole run. */
  readonly #pinned = new Map<string, Set<string>>();
  /**
   * Recent sends, numbered in the order they were noted (`#first` is the oldest still kept): a ring
   * of (conversation hash, row, time), chained by hash (`#buckets` holds the newest send of each
   * bucket, `#older` the one before it in the same bucket, both as number + 1, 0 for none), so a
   * check finds a conversation's sends without walking them all.
   */
  #hash = new Uint32Array(1024);
  #row = new Uint32Array(1024);
  #at = new Float64Array(1024);
  #older = new Float64Array(1024);
  #buckets = new Float64Array(1024);
  #first = 0;
  #next = 0;
  /** Ids noted with no recorded row behind them yet, oldest first. */
  #found: { recipient: string; id: string; at: number }[] = [];

  /** `rows` is every row's latest recorded state (the run's view of its journal). */
  constructor(windowMs: number, rows: () => RowOutcomes) {
    this.#windowMs = windowMs;
    this.#rows = rows;
  }

  /** pin keeps every id of `recipient` from now on (it has a row in doubt). */
  pin(recipient: string): void {
    if (!this.#pinned.has(recipient)) this.#pinned.set(recipient, this.#recent(recipient));
  }

  /** hold pins `recipient` and keeps `id` for it (an id read from the journal of an earlier run). */
  hold(recipient: string, id: string): void {
    this.pin(recipient);
    this.#pinned.get(recipient)?.add(id);
  }

  /** pinnedCount is how many conversations are pinned. */
  get pinnedCount(): number {
    return this.#pinned.size;
  }

  /** isPinned tells whether a conversation is pinned. */
  isPinned(recipient: string): boolean {
    return this.#pinned.has(recipient);
  }

  /**
   * note records that `id` belongs to a row sent to `recipient` at `at` (ms): row `row`, whose
   * journal record already says so, or, without `row`, a message a check found for a row not
   * recorded yet.
   */
  note(recipient: string, id: string, at: number, row?: number): void {
    if (id === '') return;
    this.#pinned.get(recipient)?.add(id);
    this.#prune(at);
    if (row === undefined) {
      this.#found.push({ recipient, id, at });
      return;
    }
    if (this.#next - this.#first === this.#hash.length) this.#grow();
    this.#add(this.#next++, hashOf(recipient), row, at);
  }

  /** claimed is every id held for `recipient`. */
  claimed(recipient: string): Set<string> {
    const out = this.#recent(recipient);
    for (const id of this.#pinned.get(recipient) ?? []) out.add(id);
    return out;
  }

  /** #recent is the ids of recent sends to `recipient`. */
  #recent(recipient: string): Set<string> {
    const out = new Set<string>();
    const h = hashOf(recipient);
    const rows = this.#rows();
    const mask = this.#hash.length - 1;
    for (let n = this.#buckets[h & mask] as number; n > 0 && n - 1 >= this.#first; n = this.#older[(n - 1) & mask] as number) {
      const i = (n - 1) & mask;
      if (this.#hash[i] !== h) continue;
      const row = this.#row[i] as number;
      if (rows.recipientOf(row) !== recipient || rows.statusOf(row) !== 'sent') continue;
      const id = rows.get(row)?.messageId;
      if (id !== undefined && id !== '') out.add(id);
    }
    for (const f of this.#found) if (f.recipient === recipient) out.add(f.id);
    return out;
  }

  /** #add puts send number `n` in its slot and at the head of its bucket. */
  #add(n: number, hash: number, row: number, at: number): void {
    const mask = this.#hash.length - 1;
    const i = n & mask;
    this.#hash[i] = hash;
    this.#row[i] = row;
    this.#at[i] = at;
    this.#older[i] = this.#buckets[hash & mask] as number;
    this.#buckets[hash & mask] = n + 1;
  }

  #prune(now: number): void {
    const oldest = now - this.#windowMs;
    const mask = this.#hash.length - 1;
    while (this.#first < this.#next && (this.#at[this.#first & mask] as number) < oldest) this.#first++;
    let drop = 0;
    while (drop < this.#found.length && (this.#found[drop] as { at: number }).at < oldest) drop++;
    if (drop > 0) this.#found = this.#found.slice(drop);
  }

  /** #grow doubles the ring, keeping every send's number. */
  #grow(): void {
    const mask = this.#hash.length - 1;
    const [hash, row, at] = [this.#hash, this.#row, this.#at];
    const size = hash.length * 2;
    this.#hash = new Uint32Array(size);
    this.#row = new Uint32Array(size);
    this.#at = new Float64Array(size);
    this.#older = new Float64Array(size);
    this.#buckets = new Float64Array(size);
    for (let n = this.#first; n < this.#next; n++) this.#add(n, hash[n & mask] as number, row[n & mask] as number, at[n & mask] as number);
  }
}

/** hashOf is FNV-1a over a string's UTF-16 units: two conversations may share one, which only costs a look at the journal. */
function hashOf(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}
