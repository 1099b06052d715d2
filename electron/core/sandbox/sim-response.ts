import { reasonPhrases } from '../../../shared/providers/response';
import type { WireKind } from '../../../shared/providers/types';
import type { SimForm } from './sim-form';

/**
 * What a simulated API answers, and the error bodies each API sends for statuses it does not
 * produce on its own (429, 5xx, ...): the mock server's status faults and the sandbox's simulated
 * failures use them, so a client sees what the real API (or the proxy in front of it) would send.
 */

/** SimRequest is one HTTP request as the simulated API sees it; header names lower case. */
export interface SimRequest {
  method: string;
  /** Path relative to the API's base URL, starting with `/` (a query string is ignored). */
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body?: string;
  /** A `multipart/form-data` body as the API's framework parsed it (simulateRequest fills it in), or why it could not. */
  form?: SimForm | { error: string };
}

/** SimResponse is the simulated API's answer; header names lower case. */
export interface SimResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

const jsonType = { 'content-type': 'application/json' };

/** jsonResponse serialises `value` with a JSON content type. */
export function jsonResponse(status: number, value: unknown, headers: Record<string, string> = {}): SimResponse {
  return { status, headers: { ...jsonType, ...headers }, body: JSON.stringify(value) };
}

/** textResponse answers plain text or HTML, as frameworks and proxies do for some errors. */
export function textResponse(status: number, body: string, type = 'text/plain; charset=utf-8'): SimResponse {
  return { status, headers: { 'content-type': type }, body };
}

/** envelope is the generic API's `{status, message, data}` wrapper. */
export function envelope(status: number, message: string, data: unknown = null): SimResponse {
  return jsonResponse(status, { status: status < 400 ? 'success' : 'error', message, data });
}


/** reasonPhrase is the standard phrase of a status, or "Error". */
export function reasonPhrase(status: number): string {
  return reasonPhrases[status] ?? 'Error';
}

const djangoServerError =
  '<!doctype html>\n<html lang="en">\n<head>\n  <title>Server Error (500)</title>\n</head>\n<body>\n  <h1>Server Error (500)</h1><p></p>\n</body>\n</html>\n';

/**
 * errorResponse is the body `kind`'s API sends with `status` when something outside the request
 * refused it: rate limiting, a crash, an overloaded proxy. `retryAfter` becomes the Retry-After
 * header (seconds, or an HTTP date) verbatim.
 */
export function errorResponse(kind: WireKind, status: number, retryAfter?: string): SimResponse {
  const res = errorBody(kind, status, retryAfter);
  if (retryAfter !== undefined) res.headers['retry-after'] = retryAfter;
  return res;
}

function errorBody(kind: WireKind, status: number, retryAfter: string | undefined): SimResponse {
  const seconds = retryAfter !== undefined && /^\d+$/.test(retryAfter) ? ` Expected available in ${retryAfter} seconds.` : '';
  if (status === 502 || status === 503 || status === 504) {
    // A gateway in front of the API answers these, whatever the API.
    return textResponse(status, `${status} ${reasonPhrase(status)}`);
  }
  switch (kind) {
    case 'wassist':
      if (status === 429) return jsonResponse(429, { detail: `Request was throttled.${seconds}` });
      if (status >= 500) return textResponse(status, djangoServerError, 'text/html; charset=utf-8');
      return jsonResponse(status, { detail: reasonPhrase(status) });
    case 'pingback':
      if (status === 403) return jsonResponse(403, { detail: pingbackPlanLimitMessage });
      if (status >= 500) return textResponse(status, reasonPhrase(status));
      return jsonResponse(status, { detail: reasonPhrase(status) });
    case 'generic':
      if (status === 401) return envelope(401, 'Invalid or expired token.');
      if (status === 429) return envelope(429, 'Too many requests. Please retry later.');
      if (status >= 500) return envelope(status, 'Failed to enqueue message. Please retry.');
      return envelope(status, `${reasonPhrase(status)}.`);
  }
}

/** pingbackPlanLimitMessage is Pingback's 403: the plan's monthly message limit is reached. */
export const pingbackPlanLimitMessage =
  "Monthly message limit reached for your plan (max_messages_per_month). Upgrade your plan to increase the limit.";

/** header reads a request header that may have been sent more than once. */
export function header(req: SimRequest, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v.join(', ') : v;
}

/** isJsonContentType accepts `application/json` with or without parameters. */
export function isJsonContentType(value: string | undefined): boolean {
  if (value === undefined) return false;
  const type = value.split(';')[0]?.trim().toLowerCase();
  return type === 'application/json';
}

/** pathOnly drops a query string. */
export function pathOnly(path: string): string {
  const q = path.indexOf('?');
  return q === -1 ? path : path.slice(0, q);
}

/** parseJsonBody parses a request body; `ok: false` with the parser's message when it is not JSON. */
export function parseJsonBody(body: string | undefined): { ok: true; value: unknown } | { ok: false; error: string } {
  try {
    return { ok: true, value: JSON.parse(body ?? '') as unknown };
  } catch (e) {
    return { ok: false, error: e instanceof Error ? e.message : String(e) };
  }
}

/** isPlainObject tells a JSON object from arrays and null. */
export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** codePoints counts characters the way Python's len() and WhatsApp do. */
export function codePoints(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

/** isHttpUri accepts absolute http(s) URIs with a host and no white space. */
export function isHttpUri(s: string): boolean {
  if (!/^https?:\/\/[^\s/?#]+[^\s]*$/i.test(s)) return false;
  return URL.canParse(s);
}
