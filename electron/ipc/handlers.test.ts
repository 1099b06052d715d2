import { describe, expect, it } from 'vitest';
import { contract } from '../../shared/ipc/contract';
import type { Channel } from '../../shared/ipc/contract';
import { UserError } from '../../shared/ipc/user-error';
import { InputError } from '../../shared/problems';
import { FakeIpcMain, eventFrom, fakeFrame, fakeTrustedWindow } from '../../test/fakes/electron-ipc';
import type { DesktopBackend } from './backend';
import { GENERIC_MESSAGE } from './errors';
import { createIpcHandlers, registerIpcHandlers } from './handlers';
import { Redactor, createLogger } from './log';
import { createSenderCheck } from './sender-check';

const ENTRY = 'file:///opt/app/resources/app.asar/dist/index.html';

const view = { id: 'p1', name: 'Main', provider: { kind: 'wassist', baseUrl: 'https://backend.wassist.app' }, keyState: 'configured', keyHint: 'ends with 1234' };
const snapshot = {
  campaignId: 'c1', name: 'x', state: 'paused', profileName: 'Main', ratePerSecond: 0, etaSeconds: null,
  totals: { total: 1, pending: 1, inFlight: 0, sent: 0, failed: 0, skipped: 0, uncertain: 0 },
};

/** A backend that records each call and answers with a canned value (or what `overrides` say). */
function recordingBackend(overrides: Partial<Record<Channel, (r: unknown) => unknown>> = {}) {
  const calls: { method: string; request: unknown }[] = [];
  const canned: Record<string, unknown> = {
    'profiles:list': [view], 'profiles:save': view, 'profiles:remove': null, 'keys:set': view, 'keys:clear': { ...view, keyState: 'none', keyHint: undefined },
    'vault:info': { backend: 'os', encrypted: true, obfuscationAccepted: false }, 'campaign:pause': snapshot, 'campaign:resume': snapshot, 'campaign:cancel': snapshot,
    'campaign:snapshot': null, 'campaign:start': { campaignId: 'c1' }, 'campaign:history': [], 'app:openExternal': null, 'campaign:rows': { total: 0, rows: [] },
  };
  const backend = new Proxy({} as DesktopBackend, {
    get: (_t, method: string) => async (request: unknown) => {
      calls.push({ method, request });
      const o = overrides[method as Channel];
      if (o !== undefined) return o(request);
      if (method in canned) return canned[method];
      throw new Error(`no canned answer for ${method}`);
    },
  });
  return { backend, calls };
}

function setup(overrides?: Parameters<typeof recordingBackend>[0]) {
  const lines: string[] = [];
  const redactor = new Redactor();
  const log = createLogger((l) => lines.push(l), redactor);
  const { backend, calls } = recordingBackend(overrides);
  const ipc = new FakeIpcMain();
  const win = fakeTrustedWindow(ENTRY);
  const unregister = registerIpcHandlers(ipc, createIpcHandlers(backend, log), createSenderCheck(() => win, ENTRY), log);
  return { ipc, win, calls, lines, redactor, unregister, good: eventFrom(win) };
}

describe('IPC handlers', () => {
  it('registers one handler per contract channel and removes them all', () => {
    const { ipc, unregister } = setup();
    expect([...ipc.handlers.keys()].sort()).toEqual(Object.keys(contract).sort());
    unregister();
    expect(ipc.handlers.size).toBe(0);
  });

  it('answers a genuine sender with the backend value', async () => {
    const { ipc, good, calls } = setup();
    expect(await ipc.invoke(good, 'profiles:list')).toEqual({ ok: true, value: [view] });
    expect(await ipc.invoke(good, 'campaign:pause', { campaignId: 'c1' })).toEqual({ ok: true, value: snapshot });
    expect(calls).toEqual([{ method: 'profiles:list', request: undefined }, { method: 'campaign:pause', request: { campaignId: 'c1' } }]);
  });

  it('routes the engagement channels to the backend and refuses malformed ones', async () => {
    const view = {
      campaignId: 'c1',
      provider: 'wassist',
      published: true,
      stages: [{ stage: 'sent', count: 6, ofSent: 1, ofBase: null }],
      optedOut: 0,
      optOutsListed: false,
      failed: 0,
      notFound: 0,
      unchecked: 0,
      open: 6,
      replyTimes: [],
      medianReplySeconds: null,
      variants: { message: 5, fallback: 1 },
      refresh: { state: 'idle', done: 6, total: 6, requests: 6, etaSeconds: null },
      unreadable: [],
    };
    const { ipc, good, calls } = setup({ 'campaign:refreshEngagement': () => view, 'campaign:engagement': () => view });
    expect(await ipc.invoke(good, 'campaign:refreshEngagement', { campaignId: 'c1' })).toEqual({ ok: true, value: view });
    expect(await ipc.invoke(good, 'campaign:engagement', { campaignId: 'c1' })).toEqual({ ok: true, value: view });
    expect(await ipc.invoke(good, 'campaign:refreshEngagement', { campaignId: '' })).toMatchObject({ ok: false });
    expect(await ipc.invoke(good, 'campaign:engagement', { id: 'c1' })).toMatchObject({ ok: false });
    expect(calls.map((c) => c.method)).toEqual(['campaign:refreshEngagement', 'campaign:engagement']);
  });

  it('routes the chunked csv channels to the backend, bytes as a Uint8Array', async () => {
    const dataset = { datasetId: 'd1', name: 'a.csv', headers: ['a'], rowCount: 1, delimiter: ',', encoding: 'utf-8', warnings: [], problems: [], sample: [['1']] };
    const { ipc, good, calls } = setup({
      'csv:begin': () => ({ uploadId: 'u1' }),
      'csv:append': (r) => ({ received: (r as { bytes: Uint8Array }).bytes.length }),
      'csv:finish': () => dataset,
      'csv:abort': () => null,
    });
    expect(await ipc.invoke(good, 'csv:begin', { name: 'a.csv', size: 4, delimiter: ';' })).toEqual({ ok: true, value: { uploadId: 'u1' } });
    expect(await ipc.invoke(good, 'csv:append', { uploadId: 'u1', offset: 0, bytes: new Uint8Array([97, 10, 49, 10]) })).toEqual({ ok: true, value: { received: 4 } });
    expect(await ipc.invoke(good, 'csv:finish', { uploadId: 'u1' })).toEqual({ ok: true, value: dataset });
    expect(await ipc.invoke(good, 'csv:abort', { uploadId: 'u1' })).toEqual({ ok: true, value: null });
    expect(calls.map((c) => c.method)).toEqual(['csv:begin', 'csv:append', 'csv:finish', 'csv:abort']);
    expect((calls[1]?.request as { bytes: unknown }).bytes).toBeInstanceOf(Uint8Array);
  });

  it('refuses a chunk over 4 MiB with a message that says so', async () => {
    const s = setup();
    const answer = await s.ipc.invoke(s.good, 'csv:append', { uploadId: 'u1', offset: 0, bytes: new Uint8Array(4 * 1024 * 1024 + 1) });
    expect(answer).toEqual({ ok: false, error: { message: 'The app sent a malformed csv:append request (bytes: a chunk may be at most 4 MiB).' } });
    expect(s.calls).toEqual([]);
  });

  describe('refuses forged senders without calling the backend', () => {
    const forged: [string, (s: ReturnType<typeof setup>) => Parameters<FakeIpcMain['invoke']>[0]][] = [
      ['another webContents', (s) => ({ sender: { id: s.win.webContents.id + 1000 }, senderFrame: s.win.webContents.mainFrame })],
      ['an iframe of the window', (s) => ({ sender: { id: s.win.webContents.id }, senderFrame: fakeFrame(ENTRY, { parent: s.win.webContents.mainFrame }) })],
      ['a frame with the main frame URL but other ids', (s) => ({ sender: { id: s.win.webContents.id }, senderFrame: fakeFrame(ENTRY, { processId: 99 }) })],
      ['no frame (already gone)', (s) => ({ sender: { id: s.win.webContents.id }, senderFrame: null })],
      ['the main frame showing a remote page', (s) => {
        const frame = { ...s.win.webContents.mainFrame, url: 'https://evil.example/index.html' };
        return { sender: { id: s.win.webContents.id }, senderFrame: frame };
      }],
      ['the main frame showing another local file', (s) => {
        const frame = { ...s.win.webContents.mainFrame, url: 'file:///tmp/evil.html' };
        return { sender: { id: s.win.webContents.id }, senderFrame: frame };
      }],
    ];
    for (const [name, event] of forged) {
      it(name, async () => {
        const s = setup();
        const answer = await s.ipc.invoke(event(s), 'keys:set', { profileId: 'p1', key: 'sk-live-abcd' });
        expect(answer).toMatchObject({ ok: false, error: { message: expect.stringContaining('Refused') } });
        expect(s.calls).toEqual([]);
      });
    }

    it('a destroyed window', async () => {
      const s = setup();
      s.win.destroyed = true;
      expect(await s.ipc.invoke(s.good, 'profiles:list')).toMatchObject({ ok: false });
      expect(s.calls).toEqual([]);
    });
  });

  describe('refuses malformed payloads without calling the backend', () => {
    const cases: [Channel, unknown][] = [
      ['profiles:list', { anything: 1 }],
      ['profiles:save', { id: 'p', name: 'x', provider: { kind: 'wassist', baseUrl: 'javascript:alert(1)' } }],
      ['profiles:save', { id: '', name: 'x', provider: { kind: 'sandbox' } }],
      ['keys:set', { profileId: 'p1' }],
      ['keys:set', { profileId: 'p1', key: 'x'.repeat(5000) }],
      ['csv:begin', { name: 'a.csv', size: 4, delimiter: ':' }],
      ['csv:begin', { name: 'a.csv', size: 3 * 1024 * 1024 * 1024 }],
      ['csv:begin', { name: 'a.csv', size: -1 }],
      ['csv:begin', { name: 'a.csv' }],
      ['csv:append', { uploadId: 'u1', bytes: new Uint8Array(1) }],
      ['csv:append', { uploadId: 'u1', offset: 0, bytes: 'a,b' }],
      ['csv:append', { uploadId: '', offset: 0, bytes: new Uint8Array(1) }],
      ['csv:finish', { uploadId: 42 }],
      ['csv:abort', undefined],
      ['campaign:validate', { datasetId: 'd', spec: 'not an object' }],
      ['campaign:preview', { datasetId: 'd', spec: {}, row: 0 }],
      ['campaign:start', { datasetId: 'd', spec: {}, profileId: 'p1' }],
      ['campaign:rows', { campaignId: 'c', offset: 0, limit: 1_000_000 }],
      ['campaign:rows', { campaignId: 'c', offset: -1, limit: 10 }],
      ['campaign:exportReport', { campaignId: 'c', path: '/etc/passwd' }],
      ['campaign:exportReport', null],
      ['app:openExternal', { url: 42 }],
    ];
    for (const [channel, payload] of cases) {
      it(`${channel} ${JSON.stringify(payload, (_k, v: unknown) => (typeof v === 'string' && v.length > 40 ? `${v.slice(0, 10)}…` : v))}`, async () => {
        const s = setup();
        const answer = (await s.ipc.invoke(s.good, channel, payload)) as { ok: boolean; error: { message: string } };
        if (channel === 'campaign:exportReport' && payload !== null) {
          // Unknown keys are stripped, never used: the backend sees only the campaign id, no path.
          expect(s.calls).toEqual([{ method: 'campaign:exportReport', request: { campaignId: 'c' } }]);
          return;
        }
        expect(answer.ok).toBe(false);
        expect(answer.error.message).toContain('malformed');
        expect(answer.error.message).not.toMatch(/\n\s+at /);
        expect(s.calls).toEqual([]);
      });
    }
  });

  it('gives input errors with their problems, user errors as they are, anything else generically', async () => {
    const key = 'sk-canary-0123456789';
    const problems = [{ row: 3, field: 'message.text', reason: 'missing value', severity: 'error' as const, column: 'name' }];
    const s = setup({
      'campaign:validate': () => { throw new InputError(problems); },
      'campaign:pause': () => { throw new UserError('No campaign with id c9.'); },
      'campaign:resume': () => { throw new TypeError(`boom with Authorization: Bearer ${key} and ${key}`); },
    });
    s.redactor.add(key);
    const spec = { provider: { kind: 'sandbox' }, message: {} };
    expect(await s.ipc.invoke(s.good, 'campaign:validate', { datasetId: 'd', spec })).toEqual({
      ok: false, error: { message: 'row 3, message.text (column "name"): missing value', problems },
    });
    expect(await s.ipc.invoke(s.good, 'campaign:pause', { campaignId: 'c9' })).toEqual({ ok: false, error: { message: 'No campaign with id c9.' } });
    const generic = await s.ipc.invoke(s.good, 'campaign:resume', { campaignId: 'c1' });
    expect(generic).toEqual({ ok: false, error: { message: GENERIC_MESSAGE } });
    const logged = s.lines.join('\n');
    expect(logged).toContain('campaign:resume failed');
    expect(logged).toContain('TypeError');
    expect(logged).not.toContain(key);
  });

  it('summarises many input problems and caps the list', async () => {
    const many = Array.from({ length: 1500 }, (_, i) => ({ row: i + 1, field: 'message.text', reason: 'missing value', severity: 'error' as const }));
    const s = setup({ 'campaign:validate': () => { throw new InputError(many); } });
    const answer = (await s.ipc.invoke(s.good, 'campaign:validate', { datasetId: 'd', spec: {} })) as { ok: false; error: { message: string; problems: unknown[] } };
    expect(answer.error.message.split('\n')).toHaveLength(6);
    expect(answer.error.message).toContain('…and 1495 more');
    expect(answer.error.problems).toHaveLength(1000);
  });

  it('strips what the contract does not name from answers, and refuses answers that break it', async () => {
    const s = setup({
      'keys:set': () => ({ ...view, key: 'sk-should-never-leave' }),
      'campaign:snapshot': () => ({ campaignId: 'c1' }),
    });
    const answer = await s.ipc.invoke(s.good, 'keys:set', { profileId: 'p1', key: 'sk-should-never-leave' });
    expect(JSON.stringify(answer)).not.toContain('sk-should-never-leave');
    expect(answer).toEqual({ ok: true, value: view });
    expect(await s.ipc.invoke(s.good, 'campaign:snapshot', {})).toEqual({ ok: false, error: { message: GENERIC_MESSAGE } });
  });
});
