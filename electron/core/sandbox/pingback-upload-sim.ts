import { UPLOAD_FIELD, UPLOAD_MAX_BYTES } from '../../../shared/providers/pingback-upload';
import type { PydanticError } from './pingback-common';
import { conversationNotFound, uuidError } from './pingback-common';
import { isMultipart } from './sim-form';
import type { SimRequest, SimResponse } from './sim-response';
import { header, jsonResponse } from './sim-response';
import type { SimState, SimUpload } from './sim-state';
import { findConversation } from './sim-state';

/**
 * Pingback's `POST /api/v1/conversations/{conversation_id}/upload` as we guess it works (the
 * guesses live in shared/providers/pingback-upload.ts and this follows them): a FastAPI endpoint
 * taking `file: UploadFile = File(...)`. It refuses what FastAPI would: a body that is not a
 * multipart form, or one without a file in the field UPLOAD_FIELD (422 `missing`, `loc: [body, file]`);
 * an unknown conversation (404); a file larger than UPLOAD_MAX_BYTES (413). It answers 201 with the
 * attachment object `{url, filename, content_type, size}` and remembers the upload, so a message
 * that references the URL in another conversation is refused (pingback-sim.ts).
 */

/** uploadHost is where the simulated uploads live; `.invalid` never resolves. */
const uploadHost = 'https://files.pingback.invalid';

/** simulatePingbackUpload answers an upload into conversation `id` (auth already checked). */
export function simulatePingbackUpload(state: SimState, req: SimRequest, id: string): SimResponse {
  const errors: PydanticError[] = uuidError(state, id);
  const form = req.form;
  if (form !== undefined && 'error' in form) {
    // Starlette refuses a form it cannot parse before validation, with a plain 400.
    return jsonResponse(400, { detail: `There was an error parsing the body: ${form.error}` });
  }
  const file = isMultipart(header(req, 'content-type')) ? form?.files.get(UPLOAD_FIELD)?.[0] : undefined;
  if (file === undefined) errors.push({ type: 'missing', loc: ['body', UPLOAD_FIELD], msg: 'Field required', input: null });
  if (errors.length > 0 || file === undefined) return jsonResponse(422, { detail: errors });

  const conv = findConversation(state, id);
  if (conv === undefined) return jsonResponse(404, { detail: conversationNotFound });
  if (file.size > UPLOAD_MAX_BYTES) return jsonResponse(413, { detail: `File too large: at most ${UPLOAD_MAX_BYTES} bytes` });

  const url = `${uploadHost}/uploads/${state.ids.uuid()}/${encodeURIComponent(file.filename)}`;
  const contentType = file.type === '' ? 'application/octet-stream' : file.type;
  const upload: SimUpload = { url, conversationId: conv.id, filename: file.filename, contentType, size: file.size, sha256: file.sha256, at: state.now() };
  state.uploads.set(url, upload);
  return jsonResponse(201, { url, filename: file.filename, content_type: contentType, size: file.size });
}
