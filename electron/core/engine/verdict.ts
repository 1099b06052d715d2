import type { Classification, ProviderDefinition, ProviderResponse } from '../../../shared/providers/types';
import { TransportError } from '../ports';

/**
 * Verdict is what one attempt means for its row, from the provider's classification of the
 * response or from the transport's error. Every string in it has been through the key redactor.
 */
export type Verdict =
  | { kind: 'sent'; httpStatus: number; messageId: string; recipient?: string; sentAt?: string }
  | { kind: 'retry'; reason: string; httpStatus?: number; retryAfterMs?: number }
  | { kind: 'fail'; reason: string; httpStatus: number }
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
  switch (c.kind) {
    case 'sent': {
      const v: Verdict = { kind: 'sent', httpStatus: res.status, messageId: redact(c.messageId) };
      if (c.recipient !== undefined) v.recipient = redact(c.recipient);
      if (c.sentAt !== undefined) v.sentAt = c.sentAt;
      return v;
    }
    case 'retry': {
      const v: Verdict = { kind: 'retry', reason: redact(c.reason), httpStatus: res.status };
      const after = c.retryAfterMs;
      if (after !== undefined && Number.isFinite(after) && after > 0) v.retryAfterMs = after;
      return v;
    }
    case 'fail':
      return { kind: 'fail', reason: redact(c.reason), httpStatus: res.status };
    case 'stop':
      return { kind: 'stop', reason: redact(c.reason), httpStatus: res.status };
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

/** messageOf is the message of anything thrown. */
export function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
