import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { WireKind } from '../../shared/providers/types';
import type { Workspace } from '../cli/cli-harness';
import { csv, readReport, workspace } from '../cli/cli-harness';
import type { Desktop } from '../desktop/desktop-harness';
import { bootDesktop, csvBytes, importCsv } from '../desktop/desktop-harness';
import type { MockServer } from '../mock-server/mock-server';
import { mockApiKey, startMockServer } from '../mock-server/mock-server';

/**
 * A CSV cell that is not one plain path segment (`..` above all: the URL parser turns even
 * `%2E%2E` back into a step up, so `..` once sent `POST /api/v1/messages/` with the key) is a row
 * error before anything is sent, whatever the provider. The strict mock server records every
 * request that reaches it.
 */

const OK_ID = '7d0e4c3b-2a19-4f8e-9b6c-5a4d3e2f1a0b';
const HOSTILE = ['..', '.', ' .. ', '../../messages', 'a/b', 'x?y=1', 'x#y', 'a\\b', 'c-1\u0007'];
const header = ['conversation_id', 'name'];
const hostileRows = HOSTILE.map((id) => [id, 'Eve']);

const specs: Record<WireKind, (baseUrl: string) => object> = {
  wassist: (baseUrl) => ({ provider: { kind: 'wassist', baseUrl }, recipient: { conversationId: '{{conversation_id}}' }, message: { type: 'text', text: { body: 'Hi {{name}}' } } }),
  pingback: (baseUrl) => ({ provider: { kind: 'pingback', baseUrl }, recipient: { conversationId: '{{conversation_id}}' }, message: { content: 'Hi {{name}}' } }),
  generic: (baseUrl) => ({ provider: { kind: 'generic', baseUrl }, recipient: { conversationId: '{{conversation_id}}' }, message: { sender_id: 'u', sender_type: 'user', text: 'Hi {{name}}' } }),
};
const fast = { throttle: { concurrency: 2, perSecond: 500 }, retry: { attempts: 1, baseDelayMs: 1, maxDelayMs: 2, timeoutMs: 2_000 } };

let ws: Workspace;
const mocks: MockServer[] = [];
beforeEach(async () => {
  ws = await workspace();
});
afterEach(async () => {
  for (const m of mocks.splice(0)) await m.close();
  await ws.cleanup();
});

async function mockOf(kind: WireKind): Promise<MockServer> {
  const m = await startMockServer({ kind, conversations: [{ id: OK_ID }], basePath: kind === 'generic' ? '/v1' : '' });
  mocks.push(m);
  return m;
}

describe('hostile recipients through the CLI', () => {
  for (const kind of ['wassist', 'pingback', 'generic'] as const) {
    it(`${kind}: refused before sending; with --skip-invalid only the good row goes out`, async () => {
      const mock = await mockOf(kind);
      const contacts = await ws.file('contacts.csv', csv(header, [[OK_ID, 'Ana'], ...hostileRows]));
      const spec = await ws.file('c.campaign.json', { ...specs[kind](mock.url), ...fast });
      const refused = await ws.run(['send', contacts, '--spec', spec], { CAMPAIGN_API_KEY: mockApiKey });
      expect(refused.code).not.toBe(0);
      expect(refused.stderr).toMatch(/row 2.*recipient\.conversationId.*conversation id "\.\." is "\.\."/s);
      expect(refused.stderr).not.toMatch(/\n\s+at /); // a clear message, no stack trace
      expect(mock.requests).toEqual([]);

      const report = `${ws.dir}/report.csv`;
      const sent = await ws.run(['send', contacts, '--spec', spec, '--skip-invalid', '--report', report], { CAMPAIGN_API_KEY: mockApiKey });
      expect(sent.code, sent.stderr).toBe(0);
      // Wassist checks the good row's conversation first (a GET of it, the default for free-form
      // messages); nothing is asked or sent about the hostile rows.
      const posts = mock.requests.filter((r) => r.method === 'POST');
      expect(posts).toHaveLength(1);
      if (kind !== 'generic') for (const r of mock.requests) expect(r.path).toContain(`/conversations/${OK_ID}/`);
      const only = posts[0];
      if (kind === 'generic') expect(only?.body).toMatchObject({ conversation_id: OK_ID });
      else expect(only?.path).toMatch(new RegExp(`/conversations/${OK_ID}/messages/?$`));
      const { rows } = await readReport(report);
      expect(rows.map((r) => r.status)).toEqual(['sent', ...HOSTILE.map(() => 'skipped')]);
    });
  }
});

describe('hostile recipients through the desktop backend', () => {
  let desk: Desktop;
  afterEach(async () => desk.close());

  it('validation names each row; start, test send and a trigger campaign send none of them', async () => {
    const mock = await mockOf('wassist');
    desk = bootDesktop();
    await desk.api.profiles.save({ id: 'w1', name: 'Wassist', provider: { kind: 'wassist', baseUrl: mock.url } });
    await desk.api.keys.set({ profileId: 'w1', key: mockApiKey });
    const data = await importCsv(desk.api, { name: 'contacts.csv', bytes: csvBytes(header, hostileRows) });
    const spec = { ...specs.wassist(mock.url), ...fast };
    const report = await desk.api.campaign.validate({ datasetId: data.datasetId, spec, profileId: 'w1' });
    expect(report).toMatchObject({ rowCount: HOSTILE.length, sendable: 0, invalidRows: HOSTILE.length });
    expect(report.problems.map((p) => [p.row, p.field, p.column])).toEqual(HOSTILE.map((_, i) => [i + 1, 'recipient.conversationId', 'conversation_id']));
    await expect(desk.api.campaign.start({ datasetId: data.datasetId, spec, profileId: 'w1', skipInvalid: false })).rejects.toThrow();
    await expect(desk.api.campaign.testSend({ datasetId: data.datasetId, spec, profileId: 'w1', row: 1 })).rejects.toThrow();
    const trigger = { ...spec, action: 'trigger', message: { prompt: 'Hi {{name}}' } };
    const { campaignId } = await desk.api.campaign.start({ datasetId: data.datasetId, spec: trigger, profileId: 'w1', skipInvalid: true });
    expect((await desk.finished(campaignId)).totals).toMatchObject({ total: HOSTILE.length, sent: 0, skipped: HOSTILE.length });
    expect(mock.requests).toEqual([]);
  });
});
