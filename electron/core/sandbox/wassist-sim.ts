import type { JsonObject } from '../../../shared/json';
import type { FieldSpec } from './drf-validate';
import { validateObject } from './drf-validate';
import type { SimRequest, SimResponse } from './sim-response';
import { header, isJsonContentType, jsonResponse, parseJsonBody, textResponse } from './sim-response';
import type { SimConversation, SimMessage, SimState } from './sim-state';
import { deliver, findConversation, isoTime } from './sim-state';
import { conversationJson, listConversations, listMessages, markFate, setCredits, trigger } from './wassist-conversations-sim';

/**
 * Wassist as its documents describe it (shared/api/wassist-*.md): a Django REST framework API.
 * `POST /api/v1/conversations/{id}/messages/` (the trailing slash is part of the route) takes the
 * current OpenAPI page's `SendMessageInput` and answers 201 with a `Message`; `GET` on the same
 * path lists the conversation's messages. `X-API-Key` authenticates both. Only active
 * conversations accept non-template messages.
 */

const str = (extra: Partial<Extract<FieldSpec, { kind: 'string' }>> = {}): FieldSpec => ({ kind: 'string', ...extra });
const list = (child: FieldSpec): FieldSpec => ({ kind: 'list', child });
const obj = (fields: Record<string, FieldSpec>, required = false): FieldSpec => ({ kind: 'object', fields, required });

const uri = str({ uri: true, required: true });

/** sendMessageInput is SendMessageInput of the current OpenAPI page, field for field. */
export const sendMessageInput: Record<string, FieldSpec> = {
  type: { kind: 'choice', choices: ['text', 'template', 'cta', 'unified'], required: true },
  text: obj({ body: str({ required: true }) }),
  template: obj({
    name: str({ required: true }),
    variables: obj({
      body: list(str()),
      header: str(),
      buttons: list(str()),
      cards: list(obj({ body: list(str()), header: str(), buttons: list(str()) })),
    }),
  }),
  cta: obj({
    body: str({ required: true, maxLength: 1024 }),
    buttonText: str({ required: true, maxLength: 20 }),
    url: uri,
    image: obj({ url: uri }),
  }),
  unified: obj({
    text: str({ maxLength: 1024 }),
    footer: str({ maxLength: 60 }),
    media: obj({ url: uri }),
    buttons: list(
      obj({
        type: { kind: 'choice', choices: ['url', 'quick_reply'], required: true },
        text: str({ required: true, maxLength: 20 }),
        url: str({ uri: true }),
        quickReplyId: str({ maxLength: 200 }),
      }),
    ),
  }),
};

/** Fields whose empty value WhatsApp cannot send, refused as DRF refuses a blank CharField. */
const nonBlank: ReadonlyArray<readonly [string, string]> = [
  ['text', 'body'],
  ['template', 'name'],
  ['cta', 'body'],
  ['cta', 'buttonText'],
];

/** inactiveMessage is the 400 a non-template message to an inactive conversation gets. */
export const inactiveMessage =
  'Conversation is not active. Only template messages can be sent to inactive conversations.';

const messagesRoute = /^\/api\/v1\/conversations\/([^/]+)\/messages(\/?)$/;
const conversationRoute = /^\/api\/v1\/conversations\/([^/]+)\/(trigger\/|credits\/)?$/;
const listRoute = /^\/api\/v1\/conversations\/$/;

const djangoNotFound =
  '<!doctype html>\n<html lang="en">\n<head>\n  <title>Not Found</title>\n</head>\n<body>\n  <h1>Not Found</h1><p>The requested resource was not found on this server.</p>\n</body>\n</html>\n';

type Endpoint = 'list' | 'get' | 'messages' | 'trigger' | 'credits';

const allowed: Record<Endpoint, string> = {
  list: 'GET',
  get: 'GET',
  messages: 'GET, POST',
  trigger: 'POST',
  credits: 'POST',
};

function routeOf(path: string): { endpoint: Endpoint; rawId: string } | undefined {
  if (listRoute.test(path)) return { endpoint: 'list', rawId: '' };
  const m = messagesRoute.exec(path);
  if (m !== null) return m[2] === '/' ? { endpoint: 'messages', rawId: m[1] ?? '' } : undefined;
  const c = conversationRoute.exec(path);
  if (c === null) return undefined;
  const endpoint: Endpoint = c[2] === 'trigger/' ? 'trigger' : c[2] === 'credits/' ? 'credits' : 'get';
  return { endpoint, rawId: c[1] ?? '' };
}

/**
 * simulateWassist answers one request as Wassist would. Besides the documented messages endpoint it
 * serves the conversation endpoints of wassist-conversations-sim.ts on the paths wassist-api.ts assumes.
 */
export function simulateWassist(state: SimState, req: SimRequest, path: string): SimResponse {
  const r = routeOf(path);
  if (r === undefined) return textResponse(404, djangoNotFound, 'text/html; charset=utf-8');
  const methods = allowed[r.endpoint];
  if (!methods.split(', ').includes(req.method)) {
    return jsonResponse(405, { detail: `Method "${req.method}" not allowed.` }, { allow: `${methods}, HEAD, OPTIONS` });
  }
  const key = header(req, 'x-api-key');
  if (state.apiKey !== null) {
    if (key === undefined || key === '') return jsonResponse(401, { detail: 'Authentication credentials were not provided.' });
    if (key !== state.apiKey) return jsonResponse(401, { detail: 'Invalid API key.' });
  }
  if (r.endpoint === 'list') return listConversations(state, req);
  let id: string;
  try {
    id = decodeURIComponent(r.rawId);
  } catch {
    return textResponse(404, djangoNotFound, 'text/html; charset=utf-8');
  }
  const conv = findConversation(state, id);
  if (conv === undefined) return jsonResponse(404, { detail: 'No Conversation matches the given query.' });
  switch (r.endpoint) {
    case 'get':
      return jsonResponse(200, conversationJson(state, conv));
    case 'trigger':
      return trigger(state, req, conv);
    case 'credits':
      return setCredits(state, req, conv);
    case 'messages':
      return req.method === 'GET' ? listMessages(state, req, conv) : send(state, req, conv);
  }
}

function send(state: SimState, req: SimRequest, conv: SimConversation): SimResponse {
  const type = header(req, 'content-type');
  if (!isJsonContentType(type)) {
    return jsonResponse(415, { detail: `Unsupported media type "${type ?? ''}" in request.` });
  }
  const parsed = parseJsonBody(req.body);
  if (!parsed.ok) return jsonResponse(400, { detail: `JSON parse error - ${parsed.error}` });
  const errors = validateObject(sendMessageInput, parsed.value);
  if (errors !== undefined) return jsonResponse(400, errors);
  const body = parsed.value as JsonObject;
  const kind = body.type as string;
  const payload = body[kind] as JsonObject | undefined;
  if (payload === undefined) return jsonResponse(400, { [kind]: ['This field is required.'] });
  for (const [group, field] of nonBlank) {
    const v = (body[group] as JsonObject | undefined)?.[field];
    if (v === '') return jsonResponse(400, { [group]: { [field]: ['This field may not be blank.'] } });
  }
  if (kind !== 'template' && !conv.active) return jsonResponse(400, { detail: inactiveMessage });

  const id = state.ids.uuid();
  const at = state.now();
  const message: JsonObject = {
    id,
    role: 'assistant',
    type: kind,
    status: 'sent',
    createdAt: isoTime(at),
    replyTo: null,
    text: null,
    image: null,
    cta: null,
    listSelection: null,
    template: null,
    unified: null,
    quickReply: null,
  };
  message[kind] = content(state, kind, payload);
  const sim: SimMessage = { id, at, request: body, message };
  markFate(state, sim);
  deliver(state, conv, sim);
  return jsonResponse(201, message);
}

/** hasButtons tells whether a template message fills button variables (its link buttons). */
function hasButtons(p: JsonObject): boolean {
  const v = p.variables as JsonObject | undefined;
  const cards = Array.isArray(v?.cards) ? (v.cards as JsonObject[]) : [];
  return (Array.isArray(v?.buttons) && v.buttons.length > 0) || cards.some((c) => Array.isArray(c?.buttons) && c.buttons.length > 0);
}

function content(state: SimState, kind: string, p: JsonObject): JsonObject {
  const id = state.ids.uuid();
  switch (kind) {
    case 'text':
      return { id, body: p.body ?? '' };
    case 'template':
      // Assumed (wassist-api.ts): a template with link buttons counts clicks as a CTA does.
      return { id, name: p.name ?? '', variables: p.variables ?? {}, ...(hasButtons(p) ? { clicks: [] } : {}) };
    case 'cta':
      return { id, text: p.body ?? '', url: p.url ?? null, buttonText: p.buttonText ?? '', image: p.image ?? null, clicks: [] };
    case 'unified':
      return { id, ...p, ...(Array.isArray(p.buttons) && p.buttons.some((b) => (b as JsonObject | null)?.type === 'url') ? { clicks: [] } : {}) };
    default:
      return { id, ...p };
  }
}

