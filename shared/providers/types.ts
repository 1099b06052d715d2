import type { z } from 'zod';
import type { JsonObject } from '../json';

/**
 * The wire APIs we speak. `sandbox` (see campaign/schema.ts) is not a wire API of its own: it
 * simulates one of these in process, so a sandbox campaign builds the same bodies.
 */
export const wireKinds = ['wassist', 'pingback', 'generic'] as const;
export type WireKind = (typeof wireKinds)[number];

/** WireRequest is one HTTP request to a provider, without its auth header (main adds that). */
export interface WireRequest {
  method: 'POST' | 'GET' | 'PATCH';
  /** Path appended to the profile's base URL, starting with `/`. */
  path: string;
  body?: JsonObject;
}

/** ProviderResponse is what came back, headers with lower-case names. */
export interface ProviderResponse {
  status: number;
  headers: Record<string, string | undefined>;
  body: string;
}

/**
 * Classification is what a response means for the row:
 * `sent` accepted (with the provider's id, and for the generic API the conversation it created);
 * `retry` a transient refusal (429, 5xx), optionally with the provider's requested delay;
 * `fail` this row is refused for good (400/404/422), with the API's own message;
 * `stop` the whole campaign must stop now (bad key, plan limit).
 */
export type Classification =
  | { kind: 'sent'; messageId: string; recipient?: string; sentAt?: string }
  | { kind: 'retry'; reason: string; retryAfterMs?: number }
  | { kind: 'fail'; reason: string }
  | { kind: 'stop'; reason: string };

/**
 * BodyIssue is a rule a rendered body breaks; `field` is a path inside `message`. A `warning` does
 * not stop the row (a limit the provider's own documents do not state, so it may still pass).
 */
export interface BodyIssue {
  field: string;
  reason: string;
  severity?: 'warning';
}

/**
 * ProviderDefinition is everything provider-specific, as pure functions, so the desktop preview
 * and the engine build byte-for-byte the same request.
 */
export interface ProviderDefinition {
  kind: WireKind;
  label: string;
  defaultBaseUrl: string | undefined;
  /** Schema of `message` in a campaign file: the request body, placeholders allowed in any string. */
  messageSchema: z.ZodType<JsonObject>;
  /** Whether a row needs a non-empty conversation id (the generic API creates one when it is empty). */
  recipientRequired: boolean;
  /** Checks a rendered body against the provider's documented rules and limits. */
  validateBody(body: JsonObject): BodyIssue[];
  /** The request that sends `body` to `recipient` ('' = none). */
  buildRequest(recipient: string, body: JsonObject): WireRequest;
  /** Auth headers for a key. Called in main only; the renderer never holds a key. */
  authHeaders(apiKey: string): Record<string, string>;
  /** What a response means. `now` (ms since epoch) resolves Retry-After given as an HTTP date. */
  classify(res: ProviderResponse, now: number): Classification;
}
