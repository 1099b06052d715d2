/**
 * Randomness for the simulated providers: a seeded generator so a sandbox run can be repeated
 * exactly, and the id formats the three APIs use (uuid v4; `msg_45kd01` / `con_9s2kd81`).
 */

/** Random is a source of numbers in [0, 1). */
export type Random = () => number;

/**
 * seededRandom is mulberry32: tiny, fast and good enough to pick simulated failures and ids.
 * Not for anything secret.
 */
export function seededRandom(seed: number): Random {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** IdSource makes the ids a simulated API hands out. */
export interface IdSource {
  /** A version 4 UUID, lower case. */
  uuid(): string;
  /** `prefix` + `length` characters of [a-z0-9], as the generic API's `msg_45kd01`. */
  token(prefix: string, length: number): string;
}

const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
const hex = '0123456789abcdef';

/** idsFrom draws ids from `random`; with a seeded source the ids repeat from run to run. */
export function idsFrom(random: Random): IdSource {
  return {
    uuid() {
      let out = '';
      for (let i = 0; i < 32; i++) {
        let d = Math.floor(random() * 16);
        if (i === 12) d = 4; // version
        else if (i === 16) d = 8 + (d & 3); // variant 10xx
        out += hex[d];
        if (i === 7 || i === 11 || i === 15 || i === 19) out += '-';
      }
      return out;
    },
    token(prefix, length) {
      let out = prefix;
      for (let i = 0; i < length; i++) out += alphabet[Math.floor(random() * alphabet.length)];
      return out;
    },
  };
}

/** cryptoIds uses the platform's crypto: the fast default of the mock server. */
export function cryptoIds(): IdSource {
  const byte = new Uint8Array(1);
  return {
    uuid: () => crypto.randomUUID(),
    token: idsFrom(() => {
      crypto.getRandomValues(byte);
      return (byte[0] ?? 0) / 256;
    }).token,
  };
}
