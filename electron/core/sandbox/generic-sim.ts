import type { JsonObject } from '../../../shared/json';
import type { SimRequest, SimResponse } from './sim-response';
import { envelope, header, isJsonContentType, isPlainObject, parseJsonBody } from './sim-response';
import type { SimConversation, SimState } from './sim-state';
import { addConversation, deliver, findConversation, isoTime, uniqueToken } from './sim-state';

/**
 * The generic AI-messaging API as its document describes it (shared/api/generic-send-message.md):
 * `POST /messages` under the base URL, `Authorization: Bearer`, every answer in the envelope
 * `{status, message, data}`. A body without `conversation_id` opens a new conversation whose id
 * comes back in `data.conversation_id`.
 */

const senderTypes = ['user', 'agent', 'system'];
const known = new Set(['conversation_id', 'sender_id', 'sender_type', 'text', 'reply_to_message_id', 'metadata', 'auto_reply']);

/** simulateGeneric answers one request as the generic API would. */
export function simulateGeneric(state: SimState, req: SimRequest, path: string): SimResponse {
  if (path !== '/messages') return envelope(404, `Not found: ${path}.`);
  if (req.method !== 'POST') return envelope(405, `Method ${req.method} is not allowed on /messages.`);
  if (state.apiKey !== null) {
    const token = /^Bearer\s+(.+)$/i.exec(header(req, 'authorization') ?? '')?.[1];
    if (token !== state.apiKey) return envelope(401, 'Invalid or expired token.');
  }
  if (!isJsonContentType(header(req, 'content-type'))) return envelope(415, 'Content-Type must be application/json.');
  const parsed = parseJsonBody(req.body);
  if (!parsed.ok || !isPlainObject(parsed.value)) return envelope(400, 'Request body must be a JSON object.');
  const body = parsed.value as JsonObject;
  const problem = check(body);
  if (problem !== undefined) return envelope(400, problem);

  let conv: SimConversation | undefined;
  const given = body.conversation_id;
  if (typeof given === 'string') {
    conv = findConversation(state, given);
    if (conv === undefined) return envelope(404, `Conversation not found: ${given}.`);
  } else {
    conv = addConversation(state, { id: uniqueToken(state, 'con_', 7) });
  }
  const id = uniqueToken(state, 'msg_', 6);
  const at = state.now();
  const message: JsonObject = {
    id,
    sender_id: body.sender_id as string,
    sender_type: body.sender_type as string,
    text: body.text as string,
  };
  if (body.reply_to_message_id !== undefined) message.reply_to_message_id = body.reply_to_message_id;
  if (body.metadata !== undefined) message.metadata = body.metadata;
  message.created_at = isoTime(at);
  deliver(state, conv, { id, at, request: body, message });
  return envelope(200, 'Message sent successfully.', {
    conversation_id: conv.id,
    message,
    auto_reply_enqueued: body.auto_reply !== false,
  });
}

/** check finds the first documented rule the body breaks, worded as the API words it. */
function check(body: JsonObject): string | undefined {
  for (const name of Object.keys(body)) {
    if (!known.has(name)) return `Unknown field '${name}'.`;
  }
  for (const name of ['sender_id', 'sender_type', 'text']) {
    const v = body[name];
    if (v === undefined || v === null || v === '') return `Field '${name}' is required.`;
    if (typeof v !== 'string') return `Field '${name}' must be a string.`;
  }
  if (!senderTypes.includes(body.sender_type as string)) {
    return `Field 'sender_type' must be one of: ${senderTypes.join(', ')}.`;
  }
  const cid = body.conversation_id;
  if (cid !== undefined && (typeof cid !== 'string' || cid === '')) return "Field 'conversation_id' must be a non-empty string.";
  if (body.reply_to_message_id !== undefined && typeof body.reply_to_message_id !== 'string') {
    return "Field 'reply_to_message_id' must be a string.";
  }
  if (body.metadata !== undefined && !isPlainObject(body.metadata)) return "Field 'metadata' must be an object.";
  if (body.auto_reply !== undefined && typeof body.auto_reply !== 'boolean') return "Field 'auto_reply' must be a boolean.";
  return undefined;
}
