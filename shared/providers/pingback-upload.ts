import type { JsonObject, JsonValue } from '../json';
import { isJsonObject } from '../json';
import { classifyFailure, describe, isSuccess, parseJson } from './response';
import { isHttpUrl, pathSegment } from './rules';
import type { ProviderResponse, UploadApi, UploadClassification } from './types';

/**
 * Pingback's file upload. Its document says only: "Upload files first using
 * POST /api/v1/conversations/{conversation_id}/upload to obtain URLs, then reference them here"
 * (in `attachments`, "a list of attachment objects"). It gives neither the form's field name nor the
 * answer, so both are guesses, kept here and nowhere else (the strict test server and the sandbox
 * follow them): if Pingback says otherwise, the line to change is below.
 *
 * - The request: `multipart/form-data` with the file in the field `file` (UPLOAD_FIELD): the name
 *   FastAPI's own upload example uses (`file: UploadFile = File(...)`), and Pingback answers like a
 *   FastAPI service (pydantic's 422 `detail` list, `Not authenticated`), as do most upload APIs.
 * - The answer: a JSON object with the file's `url` (attachmentOf). The message then references that
 *   object as it came, whatever else it holds (`filename`, `content_type`, `size`, an `id`): the
 *   document calls the list "attachment objects" and the upload is how one "obtains" them, so what
 *   the upload answers is the likeliest attachment object, and echoing it loses nothing the server said.
 * - The limit: 25 MiB a file (UPLOAD_MAX_BYTES), the usual cap of chat platforms' attachments (the
 *   document states none); a larger file is a row error before anything is sent.
 */

/** UPLOAD_FIELD is the multipart field the file is sent in. */
export const UPLOAD_FIELD = 'file';

/** UPLOAD_MAX_BYTES is the largest file uploaded: 25 MiB. */
export const UPLOAD_MAX_BYTES = 25 * 1024 * 1024;

/** MAX_ATTACHMENT_JSON bounds the answer kept per file (it is written to the journal, so a resume needs no second upload). */
export const MAX_ATTACHMENT_JSON = 8 * 1024;

/** uploadPath is the upload endpoint of a conversation. */
export function uploadPath(conversationId: string): string {
  return `/api/v1/conversations/${pathSegment(conversationId)}/upload`;
}

/**
 * attachmentOf reads an upload's answer: the attachment object to reference (a JSON object with an
 * http(s) `url`), or why it cannot be used.
 */
export function attachmentOf(answer: unknown): { attachment: JsonObject } | { problem: string } {
  if (!isJsonObject(answer as JsonValue)) return { problem: 'the answer is not a JSON object' };
  const attachment = answer as JsonObject;
  const url = attachment.url;
  if (typeof url !== 'string' || !isHttpUrl(url)) return { problem: 'the answer has no http(s) "url"' };
  if (JSON.stringify(attachment).length > MAX_ATTACHMENT_JSON) return { problem: `the answer is larger than ${MAX_ATTACHMENT_JSON} characters` };
  return { attachment };
}

function classify(res: ProviderResponse, now: number): UploadClassification {
  if (isSuccess(res.status)) {
    const read = attachmentOf(parseJson(res.body));
    if ('attachment' in read) return { kind: 'uploaded', attachment: read.attachment };
    const shown = res.body.length > 200 ? `${res.body.slice(0, 200)}…` : res.body;
    return { kind: 'fail', reason: `HTTP ${res.status}: the upload's answer cannot be referenced (${read.problem}): ${shown}` };
  }
  if (res.status === 413) return { kind: 'fail', reason: `the file is larger than Pingback takes (413): ${describe(res)}` };
  if (res.status === 415) return { kind: 'fail', reason: `Pingback does not take this type of file (415): ${describe(res)}` };
  return classifyFailure(res, now, { 401: 'the Bearer token is missing or invalid (401)', 403: 'Pingback refused the upload (403)' });
}

/** pingbackUploads is Pingback's UploadApi (see the file comment for what is guessed). */
export const pingbackUploads: UploadApi = {
  field: UPLOAD_FIELD,
  maxBytes: UPLOAD_MAX_BYTES,
  buildRequest: (recipient) => ({ method: 'POST', path: uploadPath(recipient) }),
  classify,
  attach(body, attachments) {
    const had = Array.isArray(body.attachments) ? body.attachments : [];
    return { ...body, attachments: [...had, ...attachments] };
  },
  placeholder: (file, index) => ({ url: `<url of upload ${index}: ${file.name}>` }),
};
