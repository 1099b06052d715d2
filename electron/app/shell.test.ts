import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { StatusBatch } from '../../shared/ipc/contract';
import { FakeTransport } from '../../test/fakes/fake-transport';
import type { HttpRequest } from '../core/ports';
import { scanJournal } from '../core/state/journal-reader';
import type { Desktop } from '../../test/desktop/desktop-harness';
import { bootDesktop, importCsv, installPageApi } from '../../test/desktop/desktop-harness';
import { fakeConnector } from '../../test/fakes/fake-connector';
import { FakeIpcRenderer, fakeFrame } from '../../test/fakes/electron-ipc';
import { buildBridgeApi } from './preload-api';

const CANARY = 'wsk_live_CANARY_5d1e0c7b9a8f4e3d2c1b_7788';

const desktops: Desktop[] = [];
afterEach(async () => {
  for (const d of desktops.splice(0)) await d.close();
});

/** boot starts the shell (test/desktop/desktop-harness.ts) with a fake provider that records the wire. */
function boot() {
  const wire: HttpRequest[] = [];
  const desktop = bootDesktop({
    connect: fakeConnector(
      () =>
        new FakeTransport((req) => {
        wire.push(req);
        if (req.url.includes('conv-401')) return { status: 401, headers: {}, body: JSON.stringify({ detail: `Invalid API key ${CANARY}` }) };
        return { status: 201, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ id: `wamid-${wire.length}`, createdAt: '2025-01-01T00:00:00Z' }) };
        }),
    ),
  });
  desktops.push(desktop);
  const finished = new Promise<StatusBatch>((resolve) =>
    desktop.api.campaign.onEvent((b) => {
      if (b.state === 'finished') resolve(b);
    }),
  );
  return { ...desktop, wire, finished };
}

const spec = {
  name: 'Spring promo',
  provider: { kind: 'wassist', baseUrl: 'https://backend.wassist.app' },
  recipient: { conversationId: '{{conversation_id}}' },
  message: { type: 'text', text: { body: 'Hi {{first_name}}, your code is {{code|none}}' } },
  // The fake provider answers sends only: no conversation check first.
  checkConversations: false,
  throttle: { concurrency: 2, perSecond: 1000 },
  retry: { attempts: 2, baseDelayMs: 1, maxDelayMs: 2 },
};
const csv = (rows: string[]) => new TextEncoder().encode(['conversation_id,first_name,code', ...rows].join('\r\n'));

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? filesUnder(p) : [p];
  });
}

describe('the shell, driven through the preload API over the in-memory transport', () => {
  it('runs a whole campaign; the key reaches the wire and nothing else', async () => {
    const { api, events, lines, wire, dialogs, finished, ipcMain, dir } = boot();
    const errors: string[] = [];

    expect(await api.vault.info()).toEqual({ backend: 'os', encrypted: true, obfuscationAccepted: false });
    expect((await api.profiles.list()).map((p) => p.keyState)).toEqual(['not-needed']);
    await api.profiles.save({ id: 'w1', name: 'Wassist', provider: { kind: 'wassist', baseUrl: 'https://backend.wassist.app' } });
    const withKey = await api.keys.set({ profileId: 'w1', key: CANARY });
    expect(withKey).toMatchObject({ keyState: 'configured', keyHint: 'ends with 7788' });

    const data = await importCsv(api, { name: 'C:\\Users\\me\\contacts.csv', bytes: csv(['conv-1,Ana,A1', 'conv-2,Ben,', 'conv-3,Chloé,C3', 'conv-4,Deepa,D4']) });
    expect(data).toMatchObject({ name: 'contacts.csv', rowCount: 4, headers: ['conversation_id', 'first_name', 'code'] });
    const report = await api.campaign.validate({ datasetId: data.datasetId, spec, profileId: 'w1' });
    expect(report).toMatchObject({ rowCount: 4, sendable: 4, invalidRows: 0 });
    const shown = await api.campaign.preview({ datasetId: data.datasetId, spec, profileId: 'w1', row: 2 });
    expect(shown.request).toEqual({
      method: 'POST',
      url: 'https://backend.wassist.app/api/v1/conversations/conv-2/messages/',
      body: { type: 'text', text: { body: 'Hi Ben, your code is none' } },
    });

    const tested = await api.campaign.testSend({ datasetId: data.datasetId, spec, profileId: 'w1', row: 1 });
    expect(tested).toMatchObject({ row: 1, status: 'sent', messageId: 'wamid-1' });

    const { campaignId } = await api.campaign.start({ datasetId: data.datasetId, spec, profileId: 'w1', skipInvalid: false });
    const last = await finished;
    expect(last.totals).toEqual({ total: 4, pending: 0, inFlight: 0, sent: 4, failed: 0, skipped: 0, uncertain: 0 });
    expect(wire.every((r) => r.headers['x-api-key'] === CANARY || r.headers['X-API-Key'] === CANARY)).toBe(true);

    // Replaying the batches gives the journal's final state of every row.
    const seen = new Map<number, unknown>();
    for (const b of events) for (const r of b.rows) seen.set(r.row, r);
    const snap = await api.campaign.snapshot({ campaignId });
    expect(snap).toMatchObject({ campaignId, state: 'finished', finishReason: 'completed', totals: last.totals, profileName: 'Wassist' });
    const scan = await scanJournal(join(dir, 'data', 'campaigns', campaignId, 'journal.log'));
    expect(Object.fromEntries(seen)).toEqual(Object.fromEntries(scan.latest));

    const page = await api.campaign.rows({ campaignId, offset: 1, limit: 2 });
    expect(page.total).toBe(4);
    expect(page.rows.map((r) => [r.row, r.status])).toEqual([[2, 'sent'], [3, 'sent']]);
    const history = await api.campaign.history();
    expect(history).toMatchObject([{ campaignId, name: 'Spring promo', csvName: 'contacts.csv', providerKind: 'wassist', state: 'finished' }]);

    dialogs.answer(join(dir, 'report.csv'), null, join(dir, 'promo.campaign.json'), join(dir, 'promo.campaign.json'));
    expect(await api.campaign.exportReport({ campaignId, format: 'csv' })).toEqual({ saved: true, fileName: 'report.csv' });
    const reportText = readFileSync(join(dir, 'report.csv'), 'utf8');
    expect(reportText.split('\r\n')[0]).toBe('row,recipient,status,message_id,attempts,http_status,error,sent_at,conversation_id,first_name,code');
    expect(reportText).toContain('1,conv-1,sent,');
    expect(await api.campaign.exportReport({ campaignId, format: 'csv' })).toEqual({ saved: false });
    expect(dialogs.asked[0]).toEqual({ kind: 'report', suggestedName: 'Spring promo-report.csv' });
    expect(await api.campaign.saveFile({ spec })).toEqual({ saved: true, fileName: 'promo.campaign.json' });
    expect(await api.campaign.openFile()).toEqual({ fileName: 'promo.campaign.json', spec });

    // A provider answer that echoes the key: the message the user sees has it masked.
    const bad = await importCsv(api, { name: 'bad.csv', bytes: csv(['conv-401,Eve,E5']) });
    await api.campaign.testSend({ datasetId: bad.datasetId, spec, profileId: 'w1', row: 1 }).then(
      (outcome) => errors.push(JSON.stringify(outcome)),
      (e: unknown) => errors.push((e as Error).message),
    );
    expect(errors[0]).toMatch(/401/);

    const everything = JSON.stringify([ipcMain.answers, events, errors]);
    expect(ipcMain.answers.length).toBeGreaterThan(15);
    expect(everything).not.toContain(CANARY);
    expect(everything).not.toContain(CANARY.slice(0, 20));
    expect(lines.join('\n')).not.toContain(CANARY);
    for (const file of filesUnder(dir)) {
      const bytes = readFileSync(file);
      expect(bytes.includes(CANARY), file).toBe(false);
      expect(bytes.includes(Buffer.from(CANARY).toString('base64')), file).toBe(false);
    }
  });

  it('refuses a forged sender before anything happens', async () => {
    const { ipcMain, shell, win } = boot();
    const forged = new FakeIpcRenderer(ipcMain, { sender: { id: win.webContents.id }, senderFrame: fakeFrame('https://evil.example/') });
    const api = installPageApi(buildBridgeApi(forged));
    await expect(api.profiles.save({ id: 'x', name: 'evil', provider: { kind: 'generic', baseUrl: 'https://evil.example' } })).rejects.toThrow(/Refused/);
    expect(shell.vault.list().map((p) => p.id)).toEqual(['sandbox']);
  });

  it('refuses to start a campaign with invalid rows unless told to skip them', async () => {
    const { api, finished } = boot();
    const data = await importCsv(api, { name: 'c.csv', bytes: csv(['conv-1,Ana,A', ',Ben,B']) });
    const err = await api.campaign.start({ datasetId: data.datasetId, spec: { ...spec, provider: { kind: 'sandbox', latencyMs: 0 } }, profileId: 'sandbox', skipInvalid: false }).catch((e: unknown) => e);
    expect((err as { problems: unknown[] }).problems).toMatchObject([{ row: 2, field: 'recipient.conversationId', severity: 'error' }]);
    const { campaignId } = await api.campaign.start({ datasetId: data.datasetId, spec: { ...spec, provider: { kind: 'sandbox', latencyMs: 0 } }, profileId: 'sandbox', skipInvalid: true });
    const last = await finished;
    expect(last.campaignId).toBe(campaignId);
    expect(last.totals).toMatchObject({ total: 2, sent: 1, skipped: 1 });
  });
});

describe('a first run', () => {
  it('runs the bundled sample campaign in the sandbox profile, with no account and no key', async () => {
    const { api, finished } = boot();
    const sample = await api.app.openSample();
    expect(sample.dataset.name).toBe('sample-contacts.csv');
    const fast = { ...sample.spec, throttle: { concurrency: 8, perSecond: 1000 } };
    const report = await api.campaign.validate({ datasetId: sample.dataset.datasetId, spec: fast, profileId: 'sandbox' });
    expect(report.invalidRows).toBe(0);
    const { campaignId } = await api.campaign.start({ datasetId: sample.dataset.datasetId, spec: fast, profileId: 'sandbox', skipInvalid: false });
    const last = await finished;
    expect(last.campaignId).toBe(campaignId);
    expect(last.totals.pending + last.totals.inFlight).toBe(0);
    expect(last.totals.sent + last.totals.failed).toBe(sample.dataset.rowCount);
  });
});
