import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { pingbackUploads } from '../../shared/providers/pingback-upload';
import type { FilePart, HttpRequest, Transport } from '../../electron/core/ports';
import { createSandboxTransport, sandboxBaseUrl } from '../../electron/core/sandbox/sandbox-transport';
import { createHttpTransport } from '../../electron/core/http-transport';
import { ManualClock } from '../fakes/manual-clock';
import { pdfBytes, sha256 } from '../attachments/attachment-files';
import type { MockServer } from '../mock-server/mock-server';
import { mockApiKey, startMockServer } from '../mock-server/mock-server';

/**
 * Pingback's upload endpoint as the strict mock server (over HTTP) and the sandbox (in process)
 * answer it: both follow the guesses in shared/providers/pingback-upload.ts. A file in another
 * field, a body that is not a form, a file over the limit are refused as FastAPI would; what is
 * taken answers the attachment object, and a message may reference it in its own conversation only.
 */

const A = 'c3d4e5f6-a7b8-4012-8def-123456789012';
const B = 'c3d4e5f6-a7b8-4012-8def-123456789099';

const part = (bytes: Uint8Array, field = 'file', filename = 'a.pdf'): FilePart => ({
  field,
  filename,
  contentType: 'application/pdf',
  open: async () => ({ size: bytes.length, stream: (async function* () { yield bytes; })(), close: async () => undefined }),
});

function upload(base: string, conversation: string, p: FilePart, key = mockApiKey): HttpRequest {
  return { method: 'POST', url: base + pingbackUploads.buildRequest(conversation).path, headers: { Authorization: `Bearer ${key}` }, body: { kind: 'multipart', parts: [p] }, timeoutMs: 5_000 };
}

function message(base: string, conversation: string, attachments: unknown[]): HttpRequest {
  return { method: 'POST', url: `${base}/api/v1/conversations/${conversation}/messages`, headers: { Authorization: `Bearer ${mockApiKey}`, 'content-type': 'application/json' }, body: JSON.stringify({ content: 'Hi', attachments }), timeoutMs: 5_000 };
}

describe.each(['mock server (HTTP)', 'sandbox'] as const)('Pingback upload, %s', (where) => {
  let transport: Transport;
  let base: string;
  let mock: MockServer | undefined;
  let uploads: () => { filename: string; size: number; sha256: string; conversationId: string }[];

  beforeEach(async () => {
    if (where === 'sandbox') {
      const sandbox = createSandboxTransport({ kind: 'sandbox', simulate: 'pingback', latencyMs: 0, failureRate: 0, seed: 1 }, new ManualClock());
      transport = sandbox;
      base = sandboxBaseUrl;
      uploads = () => [...sandbox.state.uploads.values()];
    } else {
      mock = await startMockServer({ kind: 'pingback', conversations: [{ id: A }, { id: B }] });
      transport = createHttpTransport();
      base = mock.url;
      uploads = () => [...(mock as MockServer).state.uploads.values()];
    }
  });
  afterEach(async () => {
    await transport.close();
    await mock?.close();
    mock = undefined;
  });

  it('takes a file in the field "file" and answers the attachment object, which a message in the same conversation references', async () => {
    const bytes = pdfBytes('a');
    const res = await transport.request(upload(base, A, part(bytes)));
    expect(res.status).toBe(201);
    const verdict = pingbackUploads.classify(res, 0);
    expect(verdict).toEqual({ kind: 'uploaded', attachment: { url: expect.stringMatching(/^https:\/\/files\.pingback\.invalid\/uploads\/[0-9a-f-]{36}\/a\.pdf$/), filename: 'a.pdf', content_type: 'application/pdf', size: bytes.length } });
    expect(uploads()).toEqual([expect.objectContaining({ conversationId: A, filename: 'a.pdf', size: bytes.length, sha256: sha256(bytes) })]);
    const attachment = verdict.kind === 'uploaded' ? verdict.attachment : {};
    expect((await transport.request(message(base, A, [attachment]))).status).toBe(201);
    const elsewhere = await transport.request(message(base, B, [attachment]));
    expect(elsewhere.status).toBe(422);
    expect(elsewhere.body).toContain('the file was uploaded to another conversation');
  });

  it('refuses a file in another field, a JSON body, a file over 25 MiB, and an attachment without a url', async () => {
    const wrongField = await transport.request(upload(base, A, part(pdfBytes('a'), 'upload')));
    expect(wrongField.status).toBe(422);
    expect(JSON.parse(wrongField.body)).toEqual({ detail: [{ type: 'missing', loc: ['body', 'file'], msg: 'Field required', input: null }] });
    const json = await transport.request({ ...upload(base, A, part(pdfBytes('a'))), body: '{"file":"a.pdf"}', headers: { Authorization: `Bearer ${mockApiKey}`, 'content-type': 'application/json' } });
    expect(json.status).toBe(422);
    const big = await transport.request(upload(base, A, part(new Uint8Array(25 * 1024 * 1024 + 1))));
    expect(big.status).toBe(413);
    expect(pingbackUploads.classify(big, 0)).toMatchObject({ kind: 'fail', reason: expect.stringMatching(/^the file is larger than Pingback takes \(413\)/) });
    const noUrl = await transport.request(message(base, A, [{ name: 'a.pdf' }]));
    expect(noUrl.status).toBe(422);
    expect(uploads()).toHaveLength(0);
  });

  it('refuses a bad token and an unknown conversation', async () => {
    if (where === 'sandbox') return; // the sandbox takes any key and makes up any conversation, by design
    expect((await transport.request(upload(base, A, part(pdfBytes('a')), 'wrong'))).status).toBe(401);
    expect((await transport.request(upload(base, '00000000-0000-4000-8000-000000000000', part(pdfBytes('a'))))).status).toBe(404);
  });
});
