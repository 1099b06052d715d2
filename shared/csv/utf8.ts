/**
 * Byte-level helpers for decode.ts: where a UTF-8 chunk may be cut without splitting a
 * character, and the lossy decode used once a file has shown bytes that are not UTF-8.
 * The validity rules are exactly the WHATWG Encoding Standard's (the ones TextDecoder uses),
 * so a run this code calls valid is one TextDecoder decodes without error.
 */

/** WINDOWS_1252_HIGH maps bytes 0x80..0x9F to their windows-1252 characters (the rest of the byte range is Latin-1). */
const WINDOWS_1252_HIGH = [
  0x20ac, 0x81, 0x201a, 0x192, 0x201e, 0x2026, 0x2020, 0x2021, 0x2c6, 0x2030, 0x160, 0x2039, 0x152, 0x8d, 0x17d, 0x8f,
  0x90, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x2dc, 0x2122, 0x161, 0x203a, 0x153, 0x9d, 0x17e, 0x178,
];

/** windows1252CodeUnit is the UTF-16 code unit of one windows-1252 byte. */
export function windows1252CodeUnit(byte: number): number {
  return byte >= 0x80 && byte < 0xa0 ? (WINDOWS_1252_HIGH[byte - 0x80] ?? byte) : byte;
}

/** sequenceLength is how many bytes the UTF-8 sequence led by `lead` has, or 0 when `lead` cannot start one. */
function sequenceLength(lead: number): number {
  if (lead < 0x80) return 1;
  if (lead >= 0xc2 && lead <= 0xdf) return 2;
  if (lead >= 0xe0 && lead <= 0xef) return 3;
  if (lead >= 0xf0 && lead <= 0xf4) return 4;
  return 0;
}

/**
 * completeLength is how many leading bytes of `bytes` can be decoded now: everything but a
 * trailing multi-byte sequence that the next chunk may complete. Cutting before a lead byte is
 * always safe, because a lead byte is never part of an earlier sequence.
 */
export function completeLength(bytes: Uint8Array): number {
  const n = bytes.length;
  for (let back = 1; back <= 3 && back <= n; back++) {
    const b = bytes[n - back] ?? 0;
    if (b < 0x80) return n;
    if (b >= 0xc0) {
      const len = sequenceLength(b);
      return len > back ? n - back : n;
    }
  }
  return n;
}

/**
 * validSequenceLength is the length of the valid UTF-8 sequence starting at `i`, or 0 when the
 * byte there does not start one (bad lead, bad continuation, overlong, surrogate, past U+10FFFF
 * or cut short by the end of `bytes`).
 */
function validSequenceLength(bytes: Uint8Array, i: number): number {
  const lead = bytes[i] ?? 0;
  const len = sequenceLength(lead);
  if (len <= 1) return len;
  if (i + len > bytes.length) return 0;
  const second = bytes[i + 1] ?? 0;
  let lo = 0x80;
  let hi = 0xbf;
  if (lead === 0xe0) lo = 0xa0;
  else if (lead === 0xed) hi = 0x9f;
  else if (lead === 0xf0) lo = 0x90;
  else if (lead === 0xf4) hi = 0x8f;
  if (second < lo || second > hi) return 0;
  for (let k = 2; k < len; k++) {
    const c = bytes[i + k] ?? 0;
    if (c < 0x80 || c > 0xbf) return 0;
  }
  return len;
}

/** LossyText is the result of decodeLossy. */
export interface LossyText {
  text: string;
  /** Offset in `text` of the character made from the first byte that was not UTF-8, or -1. */
  firstBad: number;
}

// decodeLossy fills a Uint16Array, whose byte order is the platform's; decode it in that order.
const littleEndian = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
const utf16 = new TextDecoder(littleEndian ? 'utf-16le' : 'utf-16be', { ignoreBOM: true });

/**
 * decodeLossy decodes `bytes` as UTF-8, reading each byte that is not part of a valid sequence as
 * windows-1252 instead. Valid sequences stay UTF-8, so a UTF-8 file with one damaged byte keeps its
 * other accents, and a windows-1252 export (Excel's "CSV" on Western Windows) reads correctly. The
 * result depends only on the bytes, not on how a stream was cut, as long as chunks are cut at
 * completeLength.
 */
export function decodeLossy(bytes: Uint8Array): LossyText {
  const out = new Uint16Array(bytes.length);
  let n = 0;
  let firstBad = -1;
  let i = 0;
  while (i < bytes.length) {
    const lead = bytes[i] ?? 0;
    if (lead < 0x80) {
      out[n++] = lead;
      i++;
      continue;
    }
    const len = validSequenceLength(bytes, i);
    if (len === 0) {
      if (firstBad < 0) firstBad = n;
      out[n++] = windows1252CodeUnit(lead);
      i++;
      continue;
    }
    let cp: number;
    const b1 = (bytes[i + 1] ?? 0) & 0x3f;
    if (len === 2) cp = ((lead & 0x1f) << 6) | b1;
    else if (len === 3) cp = ((lead & 0x0f) << 12) | (b1 << 6) | ((bytes[i + 2] ?? 0) & 0x3f);
    else cp = ((lead & 0x07) << 18) | (b1 << 12) | (((bytes[i + 2] ?? 0) & 0x3f) << 6) | ((bytes[i + 3] ?? 0) & 0x3f);
    if (cp >= 0x10000) {
      cp -= 0x10000;
      out[n++] = 0xd800 | (cp >> 10);
      out[n++] = 0xdc00 | (cp & 0x3ff);
    } else {
      out[n++] = cp;
    }
    i += len;
  }
  return { text: utf16.decode(new Uint8Array(out.buffer, 0, n * 2)), firstBad };
}
