import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openChecked } from './attachments/file-check';
import { createHttpTransport } from './http-transport';
import { encodeForm, readAll } from './multipart';
import type { FilePart, MultipartBody, OpenedFile } from './ports';
import { FileReadError, TransportError } from './ports';
import { parseForm } from './sandbox/sim-form';

/**
 * The multipart encoder and the HTTP transport's file uploads, read back by a parser that is not
 * ours (the WHATWG FormData parser Node ships): what arrives is what the files hold, under the names
 * given, with an exact Content-Length; a file that cannot be opened sends nothing; a request that
 * ends early (a timeout) lets go of its files.
 */

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'multipart-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const pdf = (n: number) => Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.from(Array.from({ length: n }, (_, i) => (i * 31) % 256))]);

async function part(name: string, bytes: Buffer, field = 'file'): Promise<FilePart> {
  const path = join(dir, name.replaceAll('"', '_'));
  await writeFile(path, bytes);
  return { field, filename: name, contentType: 'application/pdf', open: () => openChecked(path, name, 1024 * 1024) };
}

describe('encodeForm', () => {
  it('encodes files a standard parser reads back exactly, names with quotes and accents included', async () => {
    const a = pdf(5000);
    const b = pdf(3);
    const body: MultipartBody = { kind: 'multipart', parts: [await part('Report "Q1" é.pdf', a), await part('b.pdf', b, 'extra')] };
    const form = await encodeForm(body);
    const bytes = await readAll(form);
    expect(bytes.length).toBe(form.length);
    const parsed = await parseForm(form.contentType, bytes);
    if ('error' in parsed) throw new Error(parsed.error);
    expect(parsed.files.get('file')).toEqual([{ filename: 'Report "Q1" é.pdf', type: 'application/pdf', size: a.length, sha256: sha(a) }]);
    expect(parsed.files.get('extra')).toEqual([{ filename: 'b.pdf', type: 'application/pdf', size: b.length, sha256: sha(b) }]);
  });

  it('a file that cannot be opened is a TransportError EFILE, not written, saying why', async () => {
    const gone: FilePart = { field: 'file', filename: 'gone.pdf', contentType: 'application/pdf', open: () => Promise.reject(new FileReadError('gone.pdf', 'no longer exists')) };
    const err = await encodeForm({ kind: 'multipart', parts: [gone] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TransportError);
    expect(err).toMatchObject({ code: TransportError.fileUnreadable, written: false, message: 'gone.pdf no longer exists' });
  });
});

describe('the HTTP transport with a multipart body', () => {
  let received: { headers: IncomingMessage['headers']; body: Buffer }[];
  let stall = false;
  let url = '';
  let close: () => Promise<void>;
  beforeEach(async () => {
    received = [];
    stall = false;
    const server = createServer((req, res) => {
      if (stall) return; // never reads the body nor answers
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        received.push({ headers: req.headers, body: Buffer.concat(chunks) });
        res.writeHead(201, { 'content-type': 'application/json' }).end('{"url":"https://f.test/1"}');
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/upload`;
    close = () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      });
  });
  afterEach(() => close());

  it('streams the form with its exact Content-Length and the auth header, and the server reads the file back', async () => {
    const t = createHttpTransport();
    const a = pdf(200_000);
    const res = await t.request({ method: 'POST', url, headers: { Authorization: 'Bearer k' }, body: { kind: 'multipart', parts: [await part('a.pdf', a)] }, timeoutMs: 5_000 });
    await t.close();
    expect(res.status).toBe(201);
    const [got] = received;
    expect(got?.headers.authorization).toBe('Bearer k');
    expect(Number(got?.headers['content-length'])).toBe(got?.body.length);
    expect(got?.headers['transfer-encoding']).toBeUndefined();
    const parsed = await parseForm(got?.headers['content-type'] as string, got?.body as Buffer);
    expect(parsed).toMatchObject({ files: new Map([['file', [{ filename: 'a.pdf', size: a.length, sha256: sha(a) }]]]) });
  });

  it('sends nothing when a file cannot be opened', async () => {
    const t = createHttpTransport();
    const gone: FilePart = { field: 'file', filename: 'gone.pdf', contentType: 'application/pdf', open: () => Promise.reject(new FileReadError('gone.pdf', 'no longer exists')) };
    const err = await t.request({ method: 'POST', url, headers: {}, body: { kind: 'multipart', parts: [gone] }, timeoutMs: 5_000 }).catch((e: unknown) => e);
    await t.close();
    expect(err).toMatchObject({ code: 'EFILE', written: false });
    expect(received).toHaveLength(0);
  });

  it('a request that times out while its file streams lets go of the file', async () => {
    stall = true;
    let closed = 0;
    // An endless file: only the timeout ends the request.
    async function* endless(): AsyncGenerator<Uint8Array> {
      for (;;) yield Buffer.alloc(64 * 1024, 1);
    }
    const opened: OpenedFile = { size: 1024 * 1024 * 1024, stream: endless(), close: async () => void closed++ };
    const big: FilePart = { field: 'file', filename: 'big.pdf', contentType: 'application/pdf', open: async () => opened };
    const t = createHttpTransport();
    const err = await t.request({ method: 'POST', url, headers: {}, body: { kind: 'multipart', parts: [big] }, timeoutMs: 300 }).catch((e: unknown) => e);
    await t.close();
    expect(err).toMatchObject({ code: 'ETIMEDOUT', written: true });
    expect(closed).toBeGreaterThanOrEqual(1);
  });
});
