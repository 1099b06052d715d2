import { randomBytes } from 'node:crypto';
import type { MultipartBody, OpenedFile } from './ports';
import { FileReadError, TransportError } from './ports';

/**
 * Encoding a multipart form of files (RFC 7578, as browsers write it) for a transport: the files are
 * opened first, so the body's exact length is known and sent as Content-Length (a server or a proxy
 * in front of it may refuse a chunked upload), then streamed from disk part by part, never held.
 */

/** EncodedForm is a form ready to send: its content type (with the boundary), its length in bytes, and its bytes as a stream read once. */
export interface EncodedForm {
  contentType: string;
  length: number;
  stream: AsyncIterable<Uint8Array>;
  /** Closes every file the stream did not read to its end (a request that ended early). */
  close(): Promise<void>;
}

const CRLF = '\r\n';

/**
 * headerValue escapes a field or file name for a Content-Disposition parameter the way the HTML
 * standard's form encoding does: `"` and line breaks are percent-encoded, other characters (UTF-8
 * included) go as they are, which is what servers' form parsers expect from browsers.
 */
function headerValue(name: string): string {
  return name.replaceAll('"', '%22').replaceAll('\r', '%0D').replaceAll('\n', '%0A');
}

/**
 * encodeForm opens every file of `body` and returns the encoded form. A file that cannot be opened
 * is a TransportError with code `EFILE`, written false (nothing was sent), saying why in words.
 */
export async function encodeForm(body: MultipartBody): Promise<EncodedForm> {
  const boundary = `----CampaignSenderForm${randomBytes(12).toString('hex')}`;
  const opened: OpenedFile[] = [];
  const close = async () => {
    await Promise.all(opened.map((f) => f.close().catch(() => undefined)));
  };
  const heads: Buffer[] = [];
  try {
    for (const part of body.parts) {
      opened.push(await part.open());
      const head = `--${boundary}${CRLF}Content-Disposition: form-data; name="${headerValue(part.field)}"; filename="${headerValue(part.filename)}"${CRLF}Content-Type: ${part.contentType}${CRLF}${CRLF}`;
      heads.push(Buffer.from(head, 'utf8'));
    }
  } catch (e) {
    await close();
    if (e instanceof FileReadError) throw new TransportError(e.message, TransportError.fileUnreadable, false);
    throw e;
  }
  const tail = Buffer.from(`--${boundary}--${CRLF}`, 'utf8');
  let length = tail.length;
  heads.forEach((h, i) => (length += h.length + (opened[i] as OpenedFile).size + CRLF.length));
  async function* stream(): AsyncGenerator<Uint8Array> {
    for (let i = 0; i < opened.length; i++) {
      yield heads[i] as Buffer;
      yield* (opened[i] as OpenedFile).stream;
      yield Buffer.from(CRLF);
    }
    yield tail;
  }
  return { contentType: `multipart/form-data; boundary=${boundary}`, length, stream: stream(), close };
}

/** readAll collects an encoded form into one buffer (the sandbox, which has no socket to stream to). */
export async function readAll(form: EncodedForm): Promise<Buffer> {
  const chunks: Uint8Array[] = [];
  try {
    for await (const chunk of form.stream) chunks.push(chunk);
  } finally {
    await form.close();
  }
  return Buffer.concat(chunks);
}
