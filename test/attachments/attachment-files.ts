import { createHash } from 'node:crypto';
import { mkdir, truncate, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { MockServer, RecordedRequest } from '../mock-server/mock-server';
import type { SimFile, SimUpload } from '../../electron/core/sandbox/simulator';

/** Files to attach in tests, with the bytes their formats start with, and how to read what the strict server saw. */

/** pdfBytes is a small PDF-looking file whose content names it. */
export function pdfBytes(label: string): Buffer {
  return Buffer.from(`%PDF-1.4\n% ${label}\n${'x'.repeat(200)}\n%%EOF\n`);
}

/** pngBytes is a PNG signature followed by bytes that are not UTF-8, so a body mangled as text would show. */
export function pngBytes(seed: number): Buffer {
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from(Array.from({ length: 300 }, (_, i) => (i * 7 + seed) % 256))]);
}

/** sha256 of bytes, as the server records it. */
export function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** writeFiles writes `files` (relative path -> bytes) under `dir`. */
export async function writeFiles(dir: string, files: Record<string, Buffer>): Promise<void> {
  for (const [name, bytes] of Object.entries(files)) {
    await mkdir(dirname(join(dir, name)), { recursive: true });
    await writeFile(join(dir, name), bytes);
  }
}

/** writeLargeFile writes a sparse file of `bytes` bytes that starts like a PDF. */
export async function writeLargeFile(path: string, bytes: number): Promise<void> {
  await writeFile(path, pdfBytes('large'));
  await truncate(path, bytes);
}

/** WireStep is one request the server received for a conversation: an upload (with its file) or a message (with its attachments). */
export type WireStep = { kind: 'upload'; file: SimFile } | { kind: 'message'; content: unknown; attachments: unknown[] };

/** stepsOf lists, in arrival order, the uploads and messages a conversation received. */
export function stepsOf(mock: MockServer, conversationId: string): WireStep[] {
  return mock.requests.filter((r) => r.path.startsWith(`/api/v1/conversations/${conversationId}/`)).map(stepOf);
}

function stepOf(r: RecordedRequest): WireStep {
  if (r.path.endsWith('/upload')) {
    const form = r.form;
    const file = form !== undefined && !('error' in form) ? form.files.get('file')?.[0] : undefined;
    if (file === undefined) throw new Error(`the upload ${r.path} carried no file in the field "file"`);
    return { kind: 'upload', file };
  }
  const body = r.body as { content?: unknown; attachments?: unknown[] };
  return { kind: 'message', content: body.content, attachments: body.attachments ?? [] };
}

/** uploadsTo lists what the server kept of the files uploaded into a conversation, in order. */
export function uploadsTo(mock: MockServer, conversationId: string): SimUpload[] {
  return [...mock.state.uploads.values()].filter((u) => u.conversationId === conversationId);
}

/** answerOf is the attachment object the server answered for an upload (what the message must reference). */
export function answerOf(u: SimUpload): Record<string, unknown> {
  return { url: u.url, filename: u.filename, content_type: u.contentType, size: u.size };
}
