import type { JsonObject, JsonValue } from '../../../shared/json';
import type { PydanticError } from './pingback-common';
import { conversationNotFound, uuidError } from './pingback-common';
import { simulatePingbackUpload } from './pingback-upload-sim';
import type { SimRequest, SimResponse } from './sim-response';
import { header, isHttpUri, isJsonContentType, isPlainObject, jsonResponse, parseJsonBody, pingbackPlanLimitMessage } from './sim-response';
import type { SimConversation, SimState } from './sim-state';
import { deliver, findConversation, isoTime } from './sim-state';

/**
 * Pingback as its document describes it (shared/api/pingback-send-message.md), answering the way
 * the FastAPI service behind it does: `POST /api/v1/conversations/{conversation_id}/messages`
 * (no trailing slash; the id is a UUID), `Authorization: Bearer`, body `{content, attachments?}`.
 * 401 bad token, 404 unknown conversation, 422 validation (pydantic's `detail` list), 403 when
 * the plan's monthly message limit is reached; 201 with the created message. An attachment object
 * needs a `url`; one this API handed out by an upload (pingback-upload-sim.ts) must have been
 * uploaded into the same conversation. `POST .../upload` takes files (pingback-upload-sim.ts).
 */

const route = /^\/api\/v1\/conversations\/([^/]+)\/(messages|upload)$/;

/** simulatePingback answers one request as Pingback would. */
export function simulatePingback(state: SimState, req: SimRequest, path: string): SimResponse {
  const m = route.exec(path);
  if (m === null) return jsonResponse(404, { detail: 'Not Found' });
  if (req.method !== 'POST') return jsonResponse(405, { detail: 'Method Not Allowed' }, { allow: 'POST' });
  if (state.apiKey !== null) {
    const auth = header(req, 'authorization') ?? '';
    const token = /^Bearer\s+(.+)$/i.exec(auth)?.[1];
    if (token === undefined) return jsonResponse(401, { detail: 'Not authenticated' }, { 'www-authenticate': 'Bearer' });
    if (token !== state.apiKey) return jsonResponse(401, { detail: 'Invalid or expired token' }, { 'www-authenticate': 'Bearer' });
  }
  let id: string;
  try {
    id = decodeURIComponent(m[1] ?? '');
  } catch {
    return jsonResponse(404, { detail: 'Not Found' });
  }
  if (m[2] === 'upload') return simulatePingbackUpload(state, req, id);
  const errors: PydanticError[] = uuidError(state, id);
  const body = readBody(req, errors);
  if (errors.length > 0 || body === undefined) return jsonResponse(422, { detail: errors });

  const conv = findConversation(state, id);
  if (conv === undefined) return jsonResponse(404, { detail: conversationNotFound });
  const elsewhere = uploadedElsewhere(state, conv, body.attachments);
  if (elsewhere.length > 0) return jsonResponse(422, { detail: elsewhere });
  if (state.counters.planUsed >= state.planLimit) return jsonResponse(403, { detail: pingbackPlanLimitMessage });

  const msgId = state.ids.uuid();
  const at = state.now();
  const message: JsonObject = {
    id: msgId,
    conversation_id: conv.id,
    sender_type: 'agent',
    sender_id: state.agentId,
    content: body.content as string,
    attachments: body.attachments ?? [],
    created_at: isoTime(at),
  };
  state.counters.planUsed++;
  deliver(state, conv, { id: msgId, at, request: body, message });
  return jsonResponse(201, message);
}

/** readBody parses and validates the body as FastAPI would, pushing pydantic errors. */
function readBody(req: SimRequest, errors: PydanticError[]): JsonObject | undefined {
  const type = header(req, 'content-type');
  if (type !== undefined && !isJsonContentType(type)) {
    // FastAPI reads a non-JSON body as raw bytes, which the model then refuses.
    errors.push({
      type: 'model_attributes_type',
      loc: ['body'],
      msg: 'Input should be a valid dictionary or object to extract fields from',
      input: req.body ?? '',
    });
    return undefined;
  }
  const parsed = parseJsonBody(req.body);
  if (!parsed.ok) {
    errors.push({ type: 'json_invalid', loc: ['body', 0], msg: 'JSON decode error', input: {}, ctx: { error: parsed.error } });
    return undefined;
  }
  const body = parsed.value;
  if (!isPlainObject(body)) {
    errors.push({
      type: 'model_attributes_type',
      loc: ['body'],
      msg: 'Input should be a valid dictionary or object to extract fields from',
      input: body as JsonValue,
    });
    return undefined;
  }
  const before = errors.length;
  const content = body.content;
  if (content === undefined) {
    errors.push({ type: 'missing', loc: ['body', 'content'], msg: 'Field required', input: body as JsonObject });
  } else if (typeof content !== 'string') {
    errors.push({ type: 'string_type', loc: ['body', 'content'], msg: 'Input should be a valid string', input: content as JsonValue });
  } else if (content.length === 0) {
    errors.push({
      type: 'string_too_short',
      loc: ['body', 'content'],
      msg: 'String should have at least 1 character',
      input: content,
      ctx: { min_length: 1 },
    });
  }
  const attachments = body.attachments;
  if (attachments !== undefined) {
    if (!Array.isArray(attachments)) {
      errors.push({ type: 'list_type', loc: ['body', 'attachments'], msg: 'Input should be a valid list', input: attachments as JsonValue });
    } else {
      attachments.forEach((a, i) => {
        if (!isPlainObject(a)) {
          errors.push({ type: 'dict_type', loc: ['body', 'attachments', i], msg: 'Input should be a valid dictionary', input: a as JsonValue });
        } else if (a.url === undefined) {
          errors.push({ type: 'missing', loc: ['body', 'attachments', i, 'url'], msg: 'Field required', input: a as JsonObject });
        } else if (typeof a.url !== 'string' || !isHttpUri(a.url)) {
          errors.push({ type: 'url_parsing', loc: ['body', 'attachments', i, 'url'], msg: 'Input should be a valid URL', input: a.url as JsonValue });
        }
      });
    }
  }
  for (const name of Object.keys(body)) {
    if (name !== 'content' && name !== 'attachments') {
      errors.push({ type: 'extra_forbidden', loc: ['body', name], msg: 'Extra inputs are not permitted', input: body[name] as JsonValue });
    }
  }
  return errors.length === before ? (body as JsonObject) : undefined;
}

/** uploadedElsewhere refuses attachments whose URL this API handed out for a file uploaded into another conversation. */
function uploadedElsewhere(state: SimState, conv: SimConversation, attachments: JsonValue | undefined): PydanticError[] {
  if (!Array.isArray(attachments)) return [];
  const out: PydanticError[] = [];
  attachments.forEach((a, i) => {
    const url = isPlainObject(a) && typeof a.url === 'string' ? a.url : undefined;
    const upload = url === undefined ? undefined : state.uploads.get(url);
    if (upload !== undefined && upload.conversationId !== conv.id) {
      out.push({ type: 'value_error', loc: ['body', 'attachments', i, 'url'], msg: 'Value error, the file was uploaded to another conversation', input: url as string });
    }
  });
  return out;
}
