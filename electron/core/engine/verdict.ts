import type { JsonObject } from '../../../shared/json';
import type { Classification, ProviderDefinition, ProviderResponse, UploadApi, UploadClassification } from '../../../shared/providers/types';
import { TransportError } from '../ports';

/**
 * Verdict is what one attempt means for its row, from the provider's classification of the
 * response or from the transport's error. Every string in it has been through the key redactor.
 */
export type Verdict =
  | { kind: 'sent'; httpStatus: number; messageId: string; recipient?: string; sentAt?: string }
  | { kind: 'retry'; reason: string; httpStatus?: number; retryAfterMs?: number }
  | { kind: 'fail'; reason: string; httpStatus?: number }
  | { kind: 'stop'; reason: string; httpStatus: number }
  | { kind: 'uncertain'; reason: string; httpStatus?: number };

/** Redact removes secrets from text that came from outside (a response body, an error message). */
export type Redact = (text: string) => string;

/**
 * keyRedactor replaces every occurrence of the API key with `[redacted]`. A provider may echo the
 * key in an error body and a transport may put it in a message; neither may reach an event, the
 * journal or a log.
 */
export function keyRedactor(apiKey: string): Redact {
  if (apiKey === '') return (text) => text;
  return (text) => (text.includes(apiKey) ? text.split(apiKey).join('[redacted]') : text);
}

/** judgeResponse classifies an HTTP answer with the provider's rules. */
export function judgeResponse(provider: ProviderDefinition, res: ProviderResponse, now: number, redact: Redact): Verdict {
  let c: Classification;
  try {
    c = provider.classify(res, now);
  } catch (e) {
    // The answer came but we cannot tell what it says: the message may have been accepted.
    return {
      kind: 'uncertain',
      reason: redact(`HTTP ${res.status}: could not read the provider's answer (${messageOf(e)})`),
      httpStatus: res.status,
    };
  }
  return judgeClassified(c, res.status, redact);
}

/** judgeClassified turns a provider's classification of an answer with `status` into a verdict, every string redacted. */
function judgeClassified(c: Classification, status: number, redact: Redact): Verdict {
  if (c.kind !== 'sent') return judgeRefusal(c, status, redact);
  const v: Verdict = { kind: 'sent', httpStatus: status, messageId: redact(c.messageId) };
  if (c.recipient !== undefined) v.recipient = redact(c.recipient);
  if (c.sentAt !== undefined) v.sentAt = c.sentAt;
  return v;
}

/** Refusal is a verdict on an answer that was not an acceptance. */
type Refusal = Exclude<Verdict, { kind: 'sent' } | { kind: 'uncertain' }>;

/** judgeRefusal turns a refusal (retry, fail, stop) with `status` into a verdict, every string redacted. */
function judgeRefusal(c: Exclude<Classification, { kind: 'sent' }>, status: number, redact: Redact): Refusal {
  switch (c.kind) {
    case 'retry': {
      const v: Refusal = { kind: 'retry', reason: redact(c.reason), httpStatus: status };
      const after = c.retryAfterMs;
      if (after !== undefined && Number.isFinite(after) && after > 0) v.retryAfterMs = after;
      return v;
    }
    case 'fail':
      return { kind: 'fail', reason: redact(c.reason), httpStatus: status };
    case 'stop':
      return { kind: 'stop', reason: redact(c.reason), httpStatus: status };
  }
}

/**
 * judgeError reads a transport failure: not written (refused, DNS, connect failure) is safe to
 * retry; written (reset or timeout after sending) may have been delivered, so the row is
 * uncertain and never sent again automatically. Anything that is not a TransportError is a bug
 * somewhere below us, and we cannot know whether it was written, so it is uncertain too.
 */
export function judgeError(e: unknown, redact: Redact): Verdict {
  if (e instanceof TransportError) {
    const reason = redact(`${e.message} (${e.code})`);
    return e.written ? { kind: 'uncertain', reason } : { kind: 'retry', reason };
  }
  return { kind: 'uncertain', reason: redact(`transport error: ${messageOf(e)}`) };
}

/**
 * UploadVerdict is what one upload attempt means: `uploaded` with the attachment object to reference,
 * or a refusal (retry, fail the row, stop the campaign). An upload is never uncertain: a file the
 * provider took but nobody references reaches no one, so an upload in doubt is simply made again.
 */
export type UploadVerdict = { kind: 'uploaded'; attachment: JsonObject; httpStatus: number } | Refusal;

/** judgeUpload classifies an upload's HTTP answer with the provider's upload rules. */
export function judgeUpload(uploads: UploadApi, res: ProviderResponse, now: number, redact: Redact): UploadVerdict {
  let c: UploadClassification;
  try {
    c = uploads.classify(res, now);
  } catch (e) {
    return { kind: 'fail', reason: redact(`HTTP ${res.status}: could not read the upload's answer (${messageOf(e)})`), httpStatus: res.status };
  }
  // The attachment goes into the journal and the next request: through the redactor like any answer.
  if (c.kind === 'uploaded') return { kind: 'uploaded', attachment: JSON.parse(redact(JSON.stringify(c.attachment))) as JsonObject, httpStatus: res.status };
  return judgeRefusal(c, res.status, redact);
}

/**
 * judgeUploadError reads a transport failure of an upload: a file that could not be read fails the
 * row (sending it again reads the same file); anything else is tried again, written or not (see UploadVerdict).
 */
export function judgeUploadError(e: unknown, redact: Redact): UploadVerdict {
  if (e instanceof TransportError && e.code === TransportError.fileUnreadable) return { kind: 'fail', reason: redact(e.message) };
  const reason = e instanceof TransportError ? `${e.message} (${e.code})` : `transport error: ${messageOf(e)}`;
  return { kind: 'retry', reason: redact(reason) };
}

/** messageOf is the message of anything thrown. */
export function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
