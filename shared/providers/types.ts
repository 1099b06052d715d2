import type { z } from 'zod';
import type { JsonObject } from '../json';

/**
 * The wire APIs we speak. `sandbox` (see campaign/provider-config.ts) is not a wire API of its own: it
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
 * UploadClassification is what an upload's answer means: `uploaded` with the attachment object the
 * message then references, or what a refusal means (as for a message: retry, fail the row, stop).
 */
export type UploadClassification = { kind: 'uploaded'; attachment: JsonObject } | Exclude<Classification, { kind: 'sent' }>;

/** AttachedFile is what the preview and the request need to know of a file to upload. */
export interface AttachedFile {
  /** The name it is uploaded under (the path's last part). */
  name: string;
  size: number;
  /** Content type, by the name's extension (checked against the file's bytes). */
  type: string;
}

/**
 * UploadApi is how a provider takes files before a message references them (Pingback: "Upload files
 * first ... to obtain URLs, then reference them here"). Each file is one multipart request into the
 * row's conversation; the message then carries what each upload answered.
 */
export interface UploadApi {
  /** The multipart form field the file goes in. */
  field: string;
  /** The largest file taken, in bytes: a larger one is a row error before anything is sent. */
  maxBytes: number;
  /** The upload request into `recipient`'s conversation (its body, the multipart form, is built in main). */
  buildRequest(recipient: string): WireRequest;
  /** What an upload's answer means. `now` resolves Retry-After given as an HTTP date. */
  classify(res: ProviderResponse, now: number): UploadClassification;
  /** `body` with the uploaded attachments referenced, after any the body already has. */
  attach(body: JsonObject, attachments: JsonObject[]): JsonObject;
  /** What the preview shows for file `index` (1-based) until its upload fills it in. */
  placeholder(file: AttachedFile, index: number): JsonObject;
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
  /** Files uploaded before the message (Pingback); absent when the API takes none. */
  uploads?: UploadApi;
}
