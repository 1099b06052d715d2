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

/**
 * apiMessage finds the human message in an error body: `message`, `detail`, `error` (string or
 * object with a message), or a Django-REST-style `{field: ["reason"]}` map; otherwise the text itself.
 */
export function apiMessage(body: string): string {
  const json = parseJson(body);
  if (json === undefined) return clean(body);
  if (typeof json === 'string') return clean(json);
  if (typeof json !== 'object' || json === null) return clean(body);
  const o = json as Record<string, unknown>;
  for (const key of ['message', 'detail', 'error', 'error_description']) {
    const v = o[key];
    if (typeof v === 'string' && v.trim() !== '') return clean(v);
    if (typeof v === 'object' && v !== null && typeof (v as Record<string, unknown>).message === 'string') {
      return clean((v as Record<string, string>).message as string);
    }
  }
  const fieldErrors: string[] = [];
  for (const [field, v] of Object.entries(o)) {
    if (Array.isArray(v) && v.every((x) => typeof x === 'string')) fieldErrors.push(`${field}: ${v.join(' ')}`);
    else if (typeof v === 'string') fieldErrors.push(`${field}: ${v}`);
  }
  if (fieldErrors.length > 0) return clean(fieldErrors.join('; '));
  return clean(body);
}

const reasonPhrases: Record<number, string> = {
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
): Classification {
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
