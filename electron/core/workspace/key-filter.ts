/**
 * KeyFilter is a Bloom filter over the opt-out list's keys: it answers "certainly not on the list"
 * for almost every row in a fraction of a microsecond, so only the few rows it cannot rule out (the
 * recipients on the list, and about three rows in a thousand by chance) cost a look at the
 * fingerprints (key-prints.ts). That is what keeps checking a million rows against a million entries within a fifth
 * of validation's own time: a lookup per row would double it.
 *
 * It is a blocked filter: all of a key's bits lie in one 64-byte block (one cache line), so a check
 * costs one memory access however large the list is; a classic filter's bits are spread over
 * megabytes and each check waits on several cache misses. 12 bits per entry and 6 bits per key
 * give a false-positive rate near 0.3 %, in 1.5 MB for a million entries: small enough to stay in
 * a core's cache while a campaign is checked (16 bits halved the false positives but doubled the
 * time of a check, every check waiting on memory). The bits live in the database with the entries and
 * change in the same transactions, so they never disagree after a crash. A removed entry leaves
 * its bits set (a false positive costs one lookup, never a wrong answer); the list rebuilds the
 * filter when too many are stale or it outgrows its capacity.
 *
 * In front of the blocks stands a gate: one bit a key in a table of 2 to 4 bits an entry (256 or
 * 512 KB for a million), small enough to stay in the processor's cache while validation parses the
 * file around the checks, where the 1.9 MB of blocks does not (in a run of validation a check of the
 * blocks cost ~150 ns, against ~40 ns alone). The gate turns away four keys in five (at a million
 * entries in 2^22 bits); only the rest read their block. It lives and changes with the blocks.
 */

import { hashKey } from './key-prints';

/** BITS_PER_ENTRY and HASHES size a filter (see the comment above). */
export const BITS_PER_ENTRY = 12;
export const HASHES = 6;
/** A block is 16 32-bit words: 512 bits, one cache line. */
const BLOCK_WORDS = 16;
const BLOCK_BYTES = BLOCK_WORDS * 4;
const MIN_BLOCKS = 16;
/** GATE_BITS_PER_ENTRY sizes the gate: at least this many bits an entry, rounded up to a power of two. */
const GATE_BITS_PER_ENTRY = 2;
const MIN_GATE_BITS = 1 << 13;
/** h * blocks * 2^-32 picks a block from a 32-bit hash with a multiplication: exact in a double, where `%` divides. */
const TWO_TO_MINUS_32 = 2 ** -32;

export class KeyFilter {
  /** The filter as stored: the blocks, and the gate. */
  readonly bits: Uint8Array;
  readonly gate: Uint8Array;
  readonly hashes: number;
  readonly #words: Int32Array;
  readonly #blocks: number;
  readonly #gate: Int32Array;
  /** A key's gate bit is the top bits of its hash times 2^32/φ: 32 less this many. */
  readonly #gateShift: number;
  /** Scratch for mightHaveEach: the hashes that passed the gate, and where they were. */
  #passed = new Uint32Array(256);
  #passedAt = new Int32Array(256);

  /**
   * The filter takes `bits` over (the database's answer, or a new array): it reads and sets them in
   * place, copying them only when they are not aligned for 32-bit access. (A copy of a million
   * entries' filter is 1.8 MB of new memory, which costs more than the check of a thousand rows.)
   */
  constructor(bits: Uint8Array, gate: Uint8Array, hashes = HASHES) {
    if (bits.length % BLOCK_BYTES !== 0) throw new Error(`a key filter is whole ${BLOCK_BYTES}-byte blocks; got ${bits.length} bytes`);
    const gateBits = gate.length * 8;
    if (gateBits < 32 || (gateBits & (gateBits - 1)) !== 0) throw new Error(`a key filter's gate is a power of two bits; got ${gate.length} bytes`);
    this.bits = bits.byteOffset % 4 === 0 ? bits : new Uint8Array(bits);
    this.gate = gate.byteOffset % 4 === 0 ? gate : new Uint8Array(gate);
    this.hashes = hashes;
    this.#words = new Int32Array(this.bits.buffer, this.bits.byteOffset, this.bits.length / 4);
    this.#blocks = this.bits.length / BLOCK_BYTES;
    this.#gate = new Int32Array(this.gate.buffer, this.gate.byteOffset, this.gate.length / 4);
    this.#gateShift = 32 - Math.log2(gateBits);
  }

  /** sized is an empty filter for `capacity` entries. */
  static sized(capacity: number, hashes = HASHES): KeyFilter {
    const blocks = Math.max(MIN_BLOCKS, Math.ceil((capacity * BITS_PER_ENTRY) / (BLOCK_BYTES * 8)));
    const gateBits = Math.max(MIN_GATE_BITS, 2 ** Math.ceil(Math.log2(capacity * GATE_BITS_PER_ENTRY)));
    return new KeyFilter(new Uint8Array(blocks * BLOCK_BYTES), new Uint8Array(gateBits / 8), hashes);
  }

  /** add adds a key (`p:+447911123456`: a kind's two-character prefix, then the value). */
  add(key: string): void {
    this.#probe(hashKey(key.slice(0, 2), key.slice(2)), true);
  }

  /** mightHave is false when `key` was certainly never added; true when it may have been. */
  mightHave(key: string): boolean {
    return this.#probe(hashKey(key.slice(0, 2), key.slice(2)), false);
  }

  /** mightHaveHash is mightHave for the key whose hashKey is `h` (the hot path hashes once for the filter and the fingerprints). */
  mightHaveHash(h: number): boolean {
    return this.#probe(h, false);
  }

  /**
   * mightHaveEach answers mightHaveHash for the first `n` hashes at once (1: maybe, 0: certainly
   * not), into `out`: first the gate for all of them, then the blocks for those it let through.
   * Every block check reads a cache line the previous one did not, which is what it costs; without
   * a branch that depends on the bits, the processor keeps several of those reads in flight instead
   * of waiting for each in turn (a bit-by-bit check with an early exit mispredicted its branch for
   * about half of the keys and threw its reads away: twice the time).
   */
  mightHaveEach(hashes: Uint32Array, n: number, out: Uint8Array): void {
    if (this.#passed.length < n) {
      this.#passed = new Uint32Array(n);
      this.#passedAt = new Int32Array(n);
    }
    const gate = this.#gate;
    const shift = this.#gateShift;
    const passed = this.#passed;
    const passedAt = this.#passedAt;
    let m = 0;
    for (let j = 0; j < n; j++) {
      const h = hashes[j] as number;
      const g = gateBit(h, shift);
      out[j] = 0;
      if (((gate[g >>> 5] as number) & (1 << (g & 31))) !== 0) {
        passed[m] = h;
        passedAt[m++] = j;
      }
    }
    const words = this.#words;
    const blocks = this.#blocks;
    const k = this.hashes;
    for (let j = 0; j < m; j++) {
      const h1 = mix(passed[j] as number);
      const h2 = bitsHash(h1);
      const step = stepOf(h2);
      const base = blockBase(h1, blocks);
      let missing = 0;
      for (let i = 0; i < k; i++) {
        const bit = (h2 + Math.imul(i, step)) & 511;
        missing |= ~(words[base + (bit >>> 5)] as number) & (1 << (bit & 31));
      }
      out[passedAt[j] as number] = missing === 0 ? 1 : 0;
    }
  }

  /**
   * probe derives two hashes from the key's FNV-1a hash with murmur3's mixer: the first picks the
   * block (by a multiplication, where `%` divided), the second the bits within it, a start and a
   * step. (One 32-bit hash is enough here: keys that share it, a few hundred in a million, only
   * cost a look at the fingerprints.) mightHaveEach checks the same bits.
   */
  #probe(h: number, set: boolean): boolean {
    const g = gateBit(h, this.#gateShift);
    const gateWord = g >>> 5;
    const gateMask = 1 << (g & 31);
    if (set) this.#gate[gateWord] = (this.#gate[gateWord] as number) | gateMask;
    else if (((this.#gate[gateWord] as number) & gateMask) === 0) return false;
    const h1 = mix(h);
    const h2 = bitsHash(h1);
    const step = stepOf(h2);
    const base = blockBase(h1, this.#blocks);
    const words = this.#words;
    for (let i = 0; i < this.hashes; i++) {
      const bit = (h2 + Math.imul(i, step)) & 511;
      const at = base + (bit >>> 5);
      const mask = 1 << (bit & 31);
      if (set) words[at] = (words[at] as number) | mask;
      else if (((words[at] as number) & mask) === 0) return false;
    }
    return true;
  }
}

/**
 * Where a key's bits are, one formula for #probe and mightHaveEach: its gate bit (the top bits of
 * its hash times 2^32/φ), its block (picked by the first mixed hash, by a multiplication), and the
 * bits within it (a start and an odd step from the second).
 */
function gateBit(h: number, shift: number): number {
  return Math.imul(h, 0x9e3779b1) >>> shift;
}

function blockBase(h1: number, blocks: number): number {
  return Math.floor(h1 * blocks * TWO_TO_MINUS_32) * BLOCK_WORDS;
}

function bitsHash(h1: number): number {
  return mix(h1 ^ 0x9e3779b9);
}

function stepOf(h2: number): number {
  return (h2 >>> 9) | 1;
}

function mix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
