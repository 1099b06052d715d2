import { describe, expect, it } from 'vitest';
import { pingback } from './pingback';
import { attachmentOf, pingbackUploads, UPLOAD_FIELD, UPLOAD_MAX_BYTES } from './pingback-upload';

const res = (status: number, body: unknown, headers: Record<string, string> = {}) => ({ status, headers, body: typeof body === 'string' ? body : JSON.stringify(body) });

describe('Pingback uploads as guessed (one module)', () => {
  it('is part of the provider: the field, the limit, the endpoint in the conversation', () => {
    expect(pingback.uploads).toBe(pingbackUploads);
    expect(UPLOAD_FIELD).toBe('file');
    expect(UPLOAD_MAX_BYTES).toBe(26_214_400);
    expect(pingbackUploads.buildRequest('c3d4e5f6-a7b8-9012-cdef-123456789012')).toEqual({ method: 'POST', path: '/api/v1/conversations/c3d4e5f6-a7b8-9012-cdef-123456789012/upload' });
  });

  it('references the answer as it came when it has an http(s) url', () => {
    const answer = { url: 'https://cdn.example/u/1/a.pdf', filename: 'a.pdf', content_type: 'application/pdf', size: 10, id: 'x' };
    expect(pingbackUploads.classify(res(201, answer), 0)).toEqual({ kind: 'uploaded', attachment: answer });
    expect(pingbackUploads.attach({ content: 'Hi', attachments: [{ url: 'https://a' }] }, [answer])).toEqual({ content: 'Hi', attachments: [{ url: 'https://a' }, answer] });
    expect(pingbackUploads.attach({ content: 'Hi' }, [answer])).toEqual({ content: 'Hi', attachments: [answer] });
  });

  it('fails the row on an answer it cannot reference, rather than sending a message without the file', () => {
    expect(attachmentOf({ file_url: 'https://x' })).toEqual({ problem: 'the answer has no http(s) "url"' });
    expect(attachmentOf({ url: 'javascript:alert(1)' })).toEqual({ problem: 'the answer has no http(s) "url"' });
    expect(attachmentOf({ url: `https://x/${'a'.repeat(9000)}` })).toMatchObject({ problem: expect.stringMatching(/larger than 8192/) });
    expect(pingbackUploads.classify(res(200, '<html>ok</html>'), 0)).toMatchObject({ kind: 'fail', reason: expect.stringMatching(/^HTTP 200: the upload's answer cannot be referenced \(the answer is not a JSON object\)/) });
  });

  it('words refusals: too large and wrong type fail the row, 401/403 stop, 429/5xx are retried', () => {
    expect(pingbackUploads.classify(res(413, { detail: 'File too large' }), 0)).toEqual({ kind: 'fail', reason: 'the file is larger than Pingback takes (413): File too large' });
    expect(pingbackUploads.classify(res(415, {}), 0)).toMatchObject({ kind: 'fail', reason: expect.stringMatching(/^Pingback does not take this type of file \(415\)/) });
    expect(pingbackUploads.classify(res(422, { detail: [{ loc: ['body', 'file'], msg: 'Field required' }] }), 0)).toEqual({ kind: 'fail', reason: 'file: Field required' });
    expect(pingbackUploads.classify(res(401, { detail: 'Not authenticated' }), 0)).toMatchObject({ kind: 'stop' });
    expect(pingbackUploads.classify(res(403, { detail: 'Storage quota exceeded' }), 0)).toEqual({ kind: 'stop', reason: 'Pingback refused the upload (403): Storage quota exceeded' });
    expect(pingbackUploads.classify(res(429, {}, { 'retry-after': '3' }), 0)).toMatchObject({ kind: 'retry', retryAfterMs: 3000 });
    expect(pingbackUploads.classify(res(502, 'Bad Gateway'), 0)).toMatchObject({ kind: 'retry' });
  });
});
