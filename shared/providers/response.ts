import type { Classification, ProviderResponse } from './types';

/**
 * Helpers every provider uses to read a response: Retry-After, the API's own error message,
 * and the meaning of the status classes all three documents share.
 */

/** parseRetryAfter reads a Retry-After header given in seconds or as an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | undefined, now: number): number | undefined {
  if (value === undefined) return undefined;
  const v = value.trim();
  if (v === '') return undefined;
  if (/^\d+$/.test(v)) return Number(v) * 1000;
  const at = Date.parse(v);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - now);
}

/** parseJson parses a response body, or returns undefined for anything that is not JSON. */
export function parseJson(body: string): unknown {
  if (body === '') return undefined;
  try {
    return JSON.parse(body) as unknown;
  } catch {
    return undefined;
  }
}

const MAX_MESSAGE = 500;

function clean(text: string): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  return oneLine.length > MAX_MESSAGE ? `${oneLine.slice(0, MAX_MESSAGE)}…` : oneLine;
}

/** flattenFieldErrors turns `{cta: {buttonText: ["too long"]}}` into `cta.buttonText: too long`. */
function flattenFieldErrors(value: unknown, path: string, out: string[]): void {
  if (typeof value === 'string') {
    out.push(path === '' ? value : `${path}: ${value}`);
  } else if (Array.isArray(value)) {
    value.forEach((v, i) => flattenFieldErrors(v, typeof v === 'string' ? path : `${path}[${i}]`, out));
  } else if (typeof value === 'object' && value !== null) {
    for (const [k, v] of Object.entries(value)) flattenFieldErrors(v, path === '' ? k : `${path}.${k}`, out);
  }
}

/** validationItems reads FastAPI/pydantic-style `detail: [{loc: [...], msg}]`. */
function validationItems(detail: unknown[]): string | undefined {
  const out: string[] = [];
  for (const item of detail) {
    if (typeof item !== 'object' || item === null) continue;
    const { loc, msg } = item as { loc?: unknown; msg?: unknown };
    if (typeof msg !== 'string') continue;
    const where = Array.isArray(loc) ? loc.filter((l) => l !== 'body').join('.') : '';
    out.push(where === '' ? msg : `${where}: ${msg}`);
  }
  return out.length > 0 ? out.join('; ') : undefined;
}

/**
 * apiMessage finds the human message in an error body: `message`, `detail` (a string, or
 * pydantic-style items with `loc` and `msg`), `error` (string or object with a message), or a
 * Django-REST-style `{field: ["reason"]}` map, nested maps flattened to `a.b: reason`; otherwise the
 * text itself. An HTML error page is not a message: it gives ''.
 */
export function apiMessage(body: string): string {
  const json = parseJson(body);
  if (json === undefined) return /^\s*</.test(body) ? '' : clean(body);
  if (typeof json === 'string') return clean(json);
  if (typeof json !== 'object' || json === null) return clean(body);
  const o = json as Record<string, unknown>;
  if (Array.isArray(o.detail)) {
    const items = validationItems(o.detail);
    if (items !== undefined) return clean(items);
  }
  for (const key of ['message', 'detail', 'error', 'error_description']) {
    const v = o[key];
    if (typeof v === 'string' && v.trim() !== '') return clean(v);
    if (typeof v === 'object' && v !== null && typeof (v as Record<string, unknown>).message === 'string') {
      return clean((v as Record<string, string>).message as string);
    }
  }
  const fieldErrors: string[] = [];
  flattenFieldErrors(o, '', fieldErrors);
  if (fieldErrors.length > 0) return clean(fieldErrors.join('; '));
  return clean(body);
}

/** reasonPhrases are the standard phrases of the statuses providers answer with. */
export const reasonPhrases: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  408: 'Request Timeout',
  409: 'Conflict',
  413: 'Payload Too Large',
  422: 'Unprocessable Entity',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

/** describe gives "the API's message" or, when it sent none, "HTTP 404 Not Found". */
export function describe(res: ProviderResponse): string {
  const msg = apiMessage(res.body);
  if (msg !== '') return msg;
  const phrase = reasonPhrases[res.status];
  return `HTTP ${res.status}${phrase !== undefined ? ` ${phrase}` : ''}`;
}

/**
 * classifyFailure handles the non-success statuses the same way for every provider:
 * 401/403 stop the campaign, 408/429/5xx are transient, any other status fails the row with the
 * API's own message. `stopReasons` lets a provider word a stop in its own terms (Pingback's 403).
 */
export function classifyFailure(
  res: ProviderResponse,
  now: number,
  stopReasons: Partial<Record<401 | 403, string>> = {},
): Exclude<Classification, { kind: 'sent' }> {
  const msg = describe(res);
  if (res.status === 401) {
    return { kind: 'stop', reason: `${stopReasons[401] ?? 'the API key was rejected (401)'}: ${msg}` };
  }
  if (res.status === 403) {
    return { kind: 'stop', reason: `${stopReasons[403] ?? 'the API refused access (403)'}: ${msg}` };
  }
  if (res.status === 429 || res.status === 408 || res.status >= 500) {
    const retryAfterMs = parseRetryAfter(res.headers['retry-after'], now);
    return retryAfterMs === undefined ? { kind: 'retry', reason: msg } : { kind: 'retry', reason: msg, retryAfterMs };
  }
  return { kind: 'fail', reason: msg };
}

/** isSuccess tells whether a status means the message was accepted. */
export function isSuccess(status: number): boolean {
  return status >= 200 && status < 300;
}
