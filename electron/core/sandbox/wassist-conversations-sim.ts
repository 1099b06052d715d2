import { parsePhoneNumberFromString } from 'libphonenumber-js';
import type { JsonObject, JsonValue } from '../../../shared/json';
import type { SimRequest, SimResponse } from './sim-response';
import { header, isJsonContentType, isPlainObject, jsonResponse, parseJsonBody } from './sim-response';
import type { SimConversation, SimMessage, SimState } from './sim-state';
import { deliver, isoTime } from './sim-state';
import type { Fate } from './audience';
import { fateOf, replyIdOf } from './audience';

/**
 * The Wassist conversation endpoints the documents give only as SDK calls (list, get, trigger,
 * setCredits), simulated on the REST paths shared/providers/wassist-api.ts assumes, and the
 * message statuses that `GET …/messages/` reports. Strict where a client could be wrong: unknown
 * query parameters and fields are refused, `botId` must be a UUID, paging values must be numbers.
 */

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** The list's filters as the SDK documents them (botId, userId, active, countryCode) and its paging (offset, limit). */
const listParams = new Set(['botId', 'userId', 'active', 'countryCode', 'offset', 'limit']);

/** conversationJson renders a conversation as the SDK's Conversation type describes it. */
export function conversationJson(state: SimState, c: SimConversation): JsonObject {
  return {
    id: c.id,
    active: c.active,
    context: {},
    memory: {},
    credits: c.credits,
    chatWindowRemainingTime: c.active ? 86_400 : 0,
    number: c.number,
    bot: { id: c.botId, name: c.botId === state.defaultBotId ? 'Sandbox agent' : 'Agent' },
    user: null,
    createdAt: isoTime(c.createdAt),
    updatedAt: isoTime(c.updatedAt),
  };
}

function queryOf(path: string): Map<string, string> | string {
  const q = path.indexOf('?');
  const out = new Map<string, string>();
  if (q === -1) return out;
  for (const part of path.slice(q + 1).split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    try {
      const name = decodeURIComponent(eq === -1 ? part : part.slice(0, eq));
      const value = decodeURIComponent((eq === -1 ? '' : part.slice(eq + 1)).replace(/\+/g, ' '));
      out.set(name, value);
    } catch {
      return 'malformed query string';
    }
  }
  return out;
}

interface Paging {
  offset: number;
  limit: number;
}

function paging(state: SimState, q: Map<string, string>, errors: Record<string, string[]>): Paging {
  const max = state.wassist.maxPageSize ?? 100;
  const read = (name: string, min: number): number | undefined => {
    const v = q.get(name);
    if (v === undefined) return undefined;
    if (!/^\d+$/.test(v) || Number(v) < min) {
      errors[name] = [`A valid integer${min > 0 ? ' greater than 0' : ''} is required.`];
      return undefined;
    }
    return Number(v);
  };
  const offset = read('offset', 0) ?? 0;
  const limit = Math.min(read('limit', 1) ?? state.wassist.defaultPageSize ?? max, max);
  return { offset, limit };
}

/** pageOf answers one page of `items` in the configured shape, with DRF's `next`/`previous` links. */
function pageOf<T>(req: SimRequest, base: string, items: T[], p: Paging, shape: 'page' | 'array', extra: string[] = [], render: (item: T) => JsonObject = (item) => item as JsonObject): SimResponse {
  // Only the page is rendered: a listing of a large account stays cheap.
  const slice = items.slice(p.offset, p.offset + p.limit).map(render);
  if (shape === 'array') return jsonResponse(200, slice);
  const host = header(req, 'host') ?? 'backend.wassist.app';
  const link = (offset: number) => `http://${host}${base}?${[...extra, `limit=${p.limit}`, `offset=${offset}`].join('&')}`;
  const next = p.offset + p.limit < items.length ? link(p.offset + p.limit) : null;
  const previous = p.offset > 0 ? link(Math.max(0, p.offset - p.limit)) : null;
  return jsonResponse(200, { count: items.length, next, previous, results: slice });
}

/** listConversations answers `GET /api/v1/conversations/?botId=&active=&offset=&limit=`. */
export function listConversations(state: SimState, req: SimRequest): SimResponse {
  const q = queryOf(req.path);
  if (typeof q === 'string') return jsonResponse(400, { detail: q });
  for (const name of q.keys()) {
    if (!listParams.has(name)) return jsonResponse(400, { detail: `Unknown query parameter "${name}".` });
  }
  const errors: Record<string, string[]> = {};
  const botId = q.get('botId');
  if (botId !== undefined && !UUID.test(botId)) errors.botId = ['Enter a valid UUID.'];
  const userId = q.get('userId');
  if (userId !== undefined && !UUID.test(userId)) errors.userId = ['Enter a valid UUID.'];
  const countryCode = q.get('countryCode')?.toUpperCase();
  if (countryCode !== undefined && !/^[A-Z]{2}$/.test(countryCode)) errors.countryCode = ['Enter a two-letter country code.'];
  const activeText = q.get('active');
  let active: boolean | undefined;
  if (activeText !== undefined) {
    if (['true', 'True', '1'].includes(activeText)) active = true;
    else if (['false', 'False', '0'].includes(activeText)) active = false;
    else errors.active = ['Must be a valid boolean.'];
  }
  const p = paging(state, q, errors);
  if (Object.keys(errors).length > 0) return jsonResponse(400, errors);
  const items: SimConversation[] = [];
  for (const c of state.conversations.values()) {
    if (botId !== undefined && c.botId.toLowerCase() !== botId.toLowerCase()) continue;
    if (active !== undefined && c.active !== active) continue;
    if (userId !== undefined) continue; // simulated conversations have no user (`user: null`)
    if (countryCode !== undefined && countryOf(c.number) !== countryCode) continue;
    items.push(c);
  }
  const extra: string[] = [];
  for (const name of ['botId', 'userId', 'active', 'countryCode']) {
    const v = q.get(name);
    if (v !== undefined) extra.push(`${name}=${encodeURIComponent(v)}`);
  }
  return pageOf(req, '/api/v1/conversations/', items, p, state.wassist.listShape ?? 'page', extra, (c) => conversationJson(state, c));
}

/** countryOf is the country (ISO 3166 alpha-2) of a conversation's number, as the API would file it. */
function countryOf(number: string | null): string | undefined {
  if (number === null) return undefined;
  const parsed = parsePhoneNumberFromString(/^\d+$/.test(number) ? `+${number}` : number);
  return parsed?.country;
}

/** statusOf is a message's status now: a test's override, else the simulated recipient or the timeline, else as sent. */
function statusOf(state: SimState, m: SimMessage, fate: Fate | undefined): string | null {
  const set = state.statusOverrides.get(m.id);
  if (set !== undefined) return set;
  const original = m.message.status;
  const now = state.now();
  if (fate !== undefined) {
    if (m.fails === true) return now - m.at >= 1_000 ? 'failed' : 'sent';
    if (fate.readAt !== undefined && now >= fate.readAt) return 'read';
    if (fate.deliveredAt !== undefined && now >= fate.deliveredAt) return 'delivered';
    return 'sent';
  }
  const t = state.wassist.statusTimeline;
  if (t === undefined || m.message.role !== 'assistant') return typeof original === 'string' ? original : null;
  const age = now - m.at;
  if (m.fails === true) return age >= (t.deliveredAfterMs ?? 0) ? 'failed' : 'sent';
  if (t.readAfterMs !== undefined && age >= t.readAfterMs) return 'read';
  if (t.deliveredAfterMs !== undefined && age >= t.deliveredAfterMs) return 'delivered';
  return 'sent';
}

/** markFate decides at send time whether the timeline will fail a message (every failEvery-th). */
export function markFate(state: SimState, m: SimMessage): void {
  state.sentCount++;
  const every = state.wassist.statusTimeline?.failEvery;
  if (every !== undefined && every > 0 && state.sentCount % every === 0) m.fails = true;
}

/** clicksOf is the `clicks` list of a message's content, when its content counts clicks (a link button). */
function clickList(m: JsonObject): JsonValue[] | undefined {
  const content = m[String(m.type)];
  const clicks = content !== null && typeof content === 'object' && !Array.isArray(content) ? (content as JsonObject).clicks : undefined;
  return Array.isArray(clicks) ? clicks : undefined;
}

/** render is a stored message as listed now: its status, and the simulated recipient's clicks so far. */
function render(state: SimState, m: SimMessage, fate: Fate | undefined): JsonObject {
  const out: JsonObject = { ...m.message, status: statusOf(state, m, fate) };
  const kind = String(m.message.type);
  const clicks = clickList(m.message);
  if (fate !== undefined && clicks !== undefined && fate.clicks.length > 0) {
    const now = state.now();
    const seen = fate.clicks.filter((at) => at <= now).map((at, i) => ({ id: replyIdOf(`${m.id}:click:${i}`), createdAt: isoTime(at) }));
    out[kind] = { ...(m.message[kind] as JsonObject), clicks: [...clicks, ...seen] };
  }
  return out;
}

/** fateOfMessage is the simulated recipient's fate for one of our messages (undefined without an audience). */
function fateOfMessage(state: SimState, m: SimMessage): Fate | undefined {
  if (state.wassist.audience !== true || m.message.role !== 'assistant') return undefined;
  return fateOf(m.id, m.at, clickList(m.message) !== undefined);
}

/** listed is the conversation as listed now, oldest first: stored messages, and the simulated recipient's replies so far. */
function listed(state: SimState, conv: SimConversation): { count: number; slice(from: number, to: number): JsonObject[] } {
  if (state.wassist.audience !== true) {
    // Only the page asked for is rendered: a 5 MiB history stays cheap to page through.
    return { count: conv.messages.length, slice: (from, to) => conv.messages.slice(from, to).map((m) => render(state, m, undefined)) };
  }
  const now = state.now();
  const out: { at: number; item: JsonObject }[] = [];
  for (const m of conv.messages) {
    const fate = fateOfMessage(state, m);
    out.push({ at: m.at, item: render(state, m, fate) });
    if (fate?.reply !== undefined && fate.reply.at <= now && m.fails !== true) out.push({ at: fate.reply.at, item: replyJson(m.id, fate.reply) });
  }
  out.sort((a, b) => a.at - b.at);
  return { count: out.length, slice: (from, to) => out.slice(from, to).map((x) => x.item) };
}

function replyJson(messageId: string, reply: { at: number; text: string }): JsonObject {
  const id = replyIdOf(messageId);
  return { id, role: 'user', type: 'text', status: null, createdAt: isoTime(reply.at), replyTo: null, text: { id: replyIdOf(id), body: reply.text }, image: null, cta: null, listSelection: null, template: null, unified: null, quickReply: null };
}

/**
 * listMessages answers `GET …/messages/` as shared/providers/wassist-api.ts reads it: every message
 * in a bare array without `limit`, a DRF page with it (see WassistSimOptions.messagesShape for the
 * other shapes a test can ask for).
 */
export function listMessages(state: SimState, req: SimRequest, conv: SimConversation): SimResponse {
  const q = queryOf(req.path);
  if (typeof q === 'string') return jsonResponse(400, { detail: q });
  for (const name of q.keys()) {
    if (name !== 'offset' && name !== 'limit') return jsonResponse(400, { detail: `Unknown query parameter "${name}".` });
  }
  const shape = state.wassist.messagesShape ?? 'drf';
  const list = listed(state, conv);
  if (shape === 'array' || (shape === 'drf' && !q.has('limit'))) return jsonResponse(200, list.slice(0, list.count));
  const errors: Record<string, string[]> = {};
  const p = paging(state, q, errors);
  if (Object.keys(errors).length > 0) return jsonResponse(400, errors);
  const host = header(req, 'host') ?? 'backend.wassist.app';
  const base = `/api/v1/conversations/${encodeURIComponent(conv.id)}/messages/`;
  const link = (offset: number) => `http://${host}${base}?limit=${p.limit}&offset=${offset}`;
  const next = p.offset + p.limit < list.count ? link(p.offset + p.limit) : null;
  const previous = p.offset > 0 ? link(Math.max(0, p.offset - p.limit)) : null;
  return jsonResponse(200, { count: list.count, next, previous, results: list.slice(p.offset, p.offset + p.limit) });
}

type BodyResult = { ok: true; body: Record<string, unknown> } | { ok: false; res: SimResponse };

function jsonBody(req: SimRequest, fields: readonly string[]): BodyResult {
  const type = header(req, 'content-type');
  if (!isJsonContentType(type)) return { ok: false, res: jsonResponse(415, { detail: `Unsupported media type "${type ?? ''}" in request.` }) };
  const parsed = parseJsonBody(req.body);
  if (!parsed.ok) return { ok: false, res: jsonResponse(400, { detail: `JSON parse error - ${parsed.error}` }) };
  if (!isPlainObject(parsed.value)) return { ok: false, res: jsonResponse(400, { non_field_errors: ['Invalid data. Expected a dictionary.'] }) };
  const errors: Record<string, string[]> = {};
  for (const name of Object.keys(parsed.value)) if (!fields.includes(name)) errors[name] = ['Unknown field: the API does not accept it.'];
  for (const name of fields) if (!Object.hasOwn(parsed.value, name)) errors[name] = ['This field is required.'];
  if (Object.keys(errors).length > 0) return { ok: false, res: jsonResponse(400, errors) };
  return { ok: true, body: parsed.value };
}

/** triggerMessage is the 400 a trigger gets in an inactive conversation: the agent could not answer there. */
export const triggerInactiveMessage = 'Conversation is not active. The agent can only respond within the 24-hour window.';

/** trigger answers `POST …/trigger/` `{prompt}`: the agent writes a message, answered 201 like a sent message. */
export function trigger(state: SimState, req: SimRequest, conv: SimConversation): SimResponse {
  const b = jsonBody(req, ['prompt']);
  if (!b.ok) return b.res;
  const prompt = b.body.prompt;
  if (typeof prompt !== 'string') return jsonResponse(400, { prompt: ['Not a valid string.'] });
  if (prompt.trim() === '') return jsonResponse(400, { prompt: ['This field may not be blank.'] });
  if (!conv.active) return jsonResponse(400, { detail: triggerInactiveMessage });
  const id = state.ids.uuid();
  const at = state.now();
  const message: JsonObject = {
    id,
    role: 'assistant',
    type: 'text',
    status: 'sent',
    createdAt: isoTime(at),
    replyTo: null,
    text: { id: state.ids.uuid(), body: `(agent reply to: ${prompt.slice(0, 200)})` },
    image: null,
    cta: null,
    listSelection: null,
    template: null,
    unified: null,
    quickReply: null,
  };
  const sim: SimMessage = { id, at, request: { prompt }, message };
  markFate(state, sim);
  deliver(state, conv, sim);
  return jsonResponse(201, message);
}

/** setCredits answers `POST …/credits/` `{credits}` with the updated conversation. */
export function setCredits(state: SimState, req: SimRequest, conv: SimConversation): SimResponse {
  const b = jsonBody(req, ['credits']);
  if (!b.ok) return b.res;
  const credits = b.body.credits;
  if (typeof credits !== 'number' || !Number.isInteger(credits)) return jsonResponse(400, { credits: ['A valid integer is required.'] });
  if (credits < 0) return jsonResponse(400, { credits: ['Ensure this value is greater than or equal to 0.'] });
  conv.credits = credits;
  conv.updatedAt = state.now();
  state.log?.credits(conv.id, credits);
  return jsonResponse(200, conversationJson(state, conv));
}
