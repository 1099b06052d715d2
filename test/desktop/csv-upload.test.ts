import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Api } from '../../shared/ipc/api';
import { CSV_CHUNK_MAX } from '../../shared/ipc/contract';
import type { Desktop } from './desktop-harness';
import { bootDesktop } from './desktop-harness';

/**
 * The chunked import (csv:begin / append / finish / abort) through the preload API, the IPC
 * handlers and the real desktop backend, payloads structured-cloned as Electron's IPC does.
 */

const spec = {
  name: 'Upload check',
  provider: { kind: 'sandbox', simulate: 'wassist', latencyMs: 0, failureRate: 0 },
  recipient: { conversationId: '{{conversation_id}}' },
  message: { type: 'text', text: { body: 'Hi {{name}}: {{note}}' } },
};

const bytes = new TextEncoder().encode(
  'conversation_id,name,note\r\n' +
    Array.from({ length: 300 }, (_, i) => `c-${i},Zoë ${i} 🎉,"first line\r\nsecond ""quoted"" line"`).join('\r\n') +
    '\r\nc-bad,only two\r\n',
);

/** send uploads `data` in chunks of `chunk` bytes the way the renderer does, awaiting each append. */
async function send(api: Api, data: Uint8Array, chunk: number, name = 'contacts.csv') {
  const { uploadId } = await api.csv.begin({ name, size: data.length });
  for (let at = 0; at < data.length; at += chunk) {
    const { received } = await api.csv.append({ uploadId, offset: at, bytes: data.slice(at, at + chunk) });
    expect(received).toBe(Math.min(data.length, at + chunk));
  }
  return api.csv.finish({ uploadId });
}

let desk: Desktop;
beforeEach(() => {
  desk = bootDesktop();
});
afterEach(async () => {
  await desk.close();
});

describe('the chunked CSV import through IPC', () => {
  it('makes a dataset whose validation and preview do not depend on how the file was cut', async () => {
    const { api } = desk;
    // 97 is prime, so cuts land inside characters and between the \r and \n of quoted line breaks.
    const uploaded = await send(api, bytes, 97);
    const whole = await send(api, bytes, CSV_CHUNK_MAX);
    expect({ ...uploaded, datasetId: '' }).toEqual({ ...whole, datasetId: '' });
    expect(uploaded).toMatchObject({ rowCount: 301, problems: [{ row: 301 }] });

    const report = (id: string) => api.campaign.validate({ datasetId: id, spec, profileId: 'sandbox' });
    expect(await report(uploaded.datasetId)).toEqual(await report(whole.datasetId));
    const preview = (id: string) => api.campaign.preview({ datasetId: id, spec, profileId: 'sandbox', row: 300 });
    expect(await preview(uploaded.datasetId)).toEqual(await preview(whole.datasetId));
    expect((await preview(uploaded.datasetId)).request.body).toEqual({ type: 'text', text: { body: 'Hi Zoë 299 🎉: first line\r\nsecond "quoted" line' } });
  });

  it('answers mistakes with messages a person can read, and no stack', async () => {
    const { api } = desk;
    const message = (p: Promise<unknown>) => p.then(() => 'resolved', (e: unknown) => (e as Error).message);

    const { uploadId } = await api.csv.begin({ name: 'contacts.csv', size: bytes.length });
    expect(await message(api.csv.append({ uploadId, offset: 0, bytes: new Uint8Array(CSV_CHUNK_MAX + 1) }))).toBe(
      'The app sent a malformed csv:append request (bytes: a chunk may be at most 4 MiB).',
    );
    expect(await message(api.csv.append({ uploadId: 'nope', offset: 0, bytes: bytes.slice(0, 10) }))).toMatch(/^That import is no longer open/);
    await api.csv.append({ uploadId, offset: 0, bytes: bytes.slice(0, 10) });
    expect(await message(api.csv.append({ uploadId, offset: 20, bytes: bytes.slice(20, 30) }))).toMatch(/out of order/);
    expect(await message(api.csv.finish({ uploadId }))).toMatch(/no longer open/);

    const small = await api.csv.begin({ name: 'small.csv', size: 4 });
    expect(await message(api.csv.append({ uploadId: small.uploadId, offset: 0, bytes: bytes.slice(0, 10) }))).toMatch(/larger than the 4 bytes/);

    const header = await api.csv.begin({ name: 'x.csv', size: 9 });
    await api.csv.append({ uploadId: header.uploadId, offset: 0, bytes: new TextEncoder().encode('id,,name\n') });
    const problem = await api.csv.finish({ uploadId: header.uploadId }).catch((e: unknown) => e as { message: string; problems: unknown[] });
    expect(problem).toMatchObject({ name: 'ApiError', problems: [{ row: 0 }] });

    for (const m of desk.lines) expect(m).not.toMatch(/\n\s+at /);
  });

  it('aborts an upload: its id is closed and a new import starts cleanly', async () => {
    const { api } = desk;
    const { uploadId } = await api.csv.begin({ name: 'contacts.csv', size: bytes.length });
    await api.csv.append({ uploadId, offset: 0, bytes: bytes.slice(0, 1000) });
    expect(await api.csv.abort({ uploadId })).toBeNull();
    expect(await api.csv.abort({ uploadId })).toBeNull();
    await expect(api.csv.append({ uploadId, offset: 1000, bytes: bytes.slice(1000, 2000) })).rejects.toThrow(/no longer open/);
    expect((await send(api, bytes, CSV_CHUNK_MAX)).rowCount).toBe(301);
  });
});
