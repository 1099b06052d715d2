import { appendFileSync, closeSync, mkdirSync, openSync, readSync } from 'node:fs';
import { join } from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import type { JsonObject, JsonValue } from '../../../shared/json';
import type { SimConversation, SimLog, SimMessage, SimState } from './sim-state';

/**
 * The sandbox's world, kept in the workspace (`<dataDir>/sandbox/<api>-<seed>.jsonl`) so it
 * outlives the process: the CLI's `campaign status` an hour after `campaign send`, or the app
 * after a restart, finds the conversations and the messages it sent, and the simulated recipients
 * (audience.ts, a function of each message's id and time) go on reading and replying to them.
 *
 * One JSON line per change (a conversation made, a message accepted, credits set), appended in
 * batches every 100 ms and when a connection closes or the process exits: a crash loses at most the
 * last tenth of a second of a simulation. Each process that opens the world appends a generation
 * line; its ids are drawn from a generator seeded with the generation too, so a world continued
 * after a restart never hands out an id it handed out before.
 */

const FLUSH_MS = 100;
const READ_CHUNK = 1 << 20;

/** The logs of this process, flushed once as it exits (one listener, however many worlds). */
const openLogs = new Set<WorldLog>();
function flushAll(): void {
  for (const log of openLogs) log.flush();
}

type Line = { g: number } | { c: JsonObject } | { m: { c: string; id: string; at: number; message: JsonObject; fails?: boolean } } | { k: { c: string; credits: number } };

/** WorldLog appends a world's changes to its file; flush() writes what is buffered. */
export class WorldLog implements SimLog {
  readonly path: string;
  /** Generations of this world before this one (0 for a new world). */
  readonly generation: number;
  #buffer: string[] = [];
  #timer: NodeJS.Timeout | undefined;
  #replaying = false;

  private constructor(path: string, generation: number) {
    this.path = path;
    this.generation = generation;
    if (openLogs.size === 0) process.once('exit', flushAll);
    openLogs.add(this);
  }

  /** pathOf is the file of a world: `<dir>/<api>-<seed>.jsonl`. */
  static pathOf(dir: string, api: string, seed: number | undefined): string {
    return join(dir, `${api}-${seed ?? 'unseeded'}.jsonl`);
  }

  /**
   * open replays the world kept at `path` into `state` (made by `make` once the generation is
   * known: its ids depend on it), then logs its changes from now on.
   */
  static open(path: string, make: (generation: number) => SimState): { state: SimState; log: WorldLog } {
    const lines = readLines(path);
    const generation = lines.filter((l) => 'g' in l).length;
    const state = make(generation);
    const log = new WorldLog(path, generation);
    log.#replaying = true;
    state.log = log;
    try {
      for (const l of lines) replay(state, l);
    } finally {
      log.#replaying = false;
    }
    log.#push({ g: generation + 1 });
    return { state, log };
  }

  conversation(c: SimConversation): void {
    this.#push({ c: { id: c.id, botId: c.botId, number: c.number, active: c.active, credits: c.credits, createdAt: c.createdAt } });
  }

  message(conversationId: string, m: SimMessage): void {
    this.#push({ m: { c: conversationId, id: m.id, at: m.at, message: withoutText(m.message), ...(m.fails === true ? { fails: true } : {}) } });
  }

  credits(conversationId: string, credits: number): void {
    this.#push({ k: { c: conversationId, credits } });
  }

  /** flush appends what is buffered (synchronously: it also runs as the process exits). */
  flush(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    if (this.#buffer.length === 0) return;
    const text = this.#buffer.join('');
    this.#buffer = [];
    mkdirSync(join(this.path, '..'), { recursive: true, mode: 0o700 });
    appendFileSync(this.path, text, { mode: 0o600 });
  }

  #push(line: Line): void {
    if (this.#replaying) return;
    this.#buffer.push(`${JSON.stringify(line)}\n`);
    if (this.#timer === undefined) {
      this.#timer = setTimeout(() => this.flush(), FLUSH_MS);
      this.#timer.unref();
    }
  }
}

/** A listed message's own fields; every other object-valued field is its content (text, cta, template…). */
const ENVELOPE = new Set(['id', 'role', 'type', 'status', 'createdAt', 'replyTo']);

/**
 * withoutText is a message as the world keeps it on disk: its content's texts (body, button text,
 * url, template parameters…) blanked, ids, clicks and the shape kept. No message body is kept at
 * rest outside the imported contacts (README, "Where things are kept"); the simulated recipients
 * act on a message's id and time, not its text. Listed after a restart, the message has empty
 * texts, so a resume's read-back cannot recognise it there (as when the world was not kept).
 */
export function withoutText(message: JsonObject): JsonObject {
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(message)) out[k] = ENVELOPE.has(k) ? v : blank(v);
  return out;
}

function blank(v: JsonValue): JsonValue {
  if (typeof v === 'string') return '';
  if (Array.isArray(v)) return v.map(blank);
  if (v === null || typeof v !== 'object') return v;
  const out: JsonObject = {};
  for (const [k, x] of Object.entries(v)) out[k] = k === 'id' || k === 'createdAt' ? x : blank(x);
  return out;
}

/** replay applies one kept change to the world (messages are assistant ones: the recipients' are simulated anew). */
function replay(state: SimState, l: Line): void {
  if ('c' in l) {
    const c = l.c;
    const id = String(c.id);
    state.conversations.set(id, {
      id,
      botId: String(c.botId),
      number: typeof c.number === 'string' ? c.number : null,
      active: c.active !== false,
      credits: typeof c.credits === 'number' ? c.credits : 0,
      createdAt: Number(c.createdAt),
      updatedAt: Number(c.createdAt),
      messages: [],
    });
  } else if ('m' in l) {
    const conv = state.conversations.get(l.m.c);
    if (conv === undefined) return;
    const m: SimMessage = { id: l.m.id, at: l.m.at, request: {}, message: l.m.message };
    if (l.m.fails === true) m.fails = true;
    conv.messages.push(m);
    conv.updatedAt = m.at;
    if (m.message.role === 'assistant') state.sentCount++;
  } else if ('k' in l) {
    const conv = state.conversations.get(l.k.c);
    if (conv !== undefined) conv.credits = l.k.credits;
  }
}

/** readLines reads a world's file a chunk at a time; a missing file is a new world, a torn last line is dropped. */
function readLines(path: string): Line[] {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return [];
  }
  const out: Line[] = [];
  try {
    const buf = Buffer.alloc(READ_CHUNK);
    // A character split between two chunks is joined by the decoder, not torn.
    const decoder = new StringDecoder('utf8');
    let rest = '';
    for (;;) {
      const n = readSync(fd, buf, 0, READ_CHUNK, null);
      if (n === 0) break;
      const text = rest + decoder.write(buf.subarray(0, n));
      const parts = text.split('\n');
      rest = parts.pop() ?? '';
      for (const p of parts) {
        if (p === '') continue;
        try {
          out.push(JSON.parse(p) as Line);
        } catch {
          // A line torn by a crash mid-write: what it said is lost, the rest is kept.
        }
      }
    }
  } finally {
    closeSync(fd);
  }
  return out;
}
