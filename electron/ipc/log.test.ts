import { describe, expect, it } from 'vitest';
import { FakeIpcMain, eventFrom, fakeFrame, fakeTrustedWindow } from '../../test/fakes/electron-ipc';
import type { DesktopBackend } from './backend';
import { createIpcHandlers, registerIpcHandlers } from './handlers';
import { Redactor, createLogger, kindOf } from './log';
import { createSenderCheck } from './sender-check';

const ENTRY = 'app://bundle/index.html';

describe('the log keeps a flood of the same line short', () => {
  it('writes at most 20 lines of a kind a minute, then says how many it left out', () => {
    const lines: string[] = [];
    let t = Date.parse('2026-01-01T00:00:00Z');
    const log = createLogger((l) => lines.push(l), new Redactor(), () => t);
    for (let i = 0; i < 1000; i++) log.info(`refused campaign:start: malformed request (spec.throttle.concurrency: bad ${i})`);
    log.info('started Campaign Sender 1.0');
    expect(lines).toHaveLength(21);
    t += 60_000;
    log.info('refused campaign:start: malformed request (spec: again)');
    expect(lines.slice(21)).toEqual([
      '2026-01-01T00:01:00.000Z info (980 more "info refused campaign:start: malformed request" lines were left out of the log)',
      '2026-01-01T00:01:00.000Z info refused campaign:start: malformed request (spec: again)',
    ]);
  });

  it('tells kinds apart by their text before the details', () => {
    expect(kindOf('refused csv:load: malformed request (bytes: x)')).toBe('refused csv:load: malformed request');
    expect(kindOf('refused csv:load: malformed request (name: y)')).toBe(kindOf('refused csv:load: malformed request (bytes: x)'));
    expect(kindOf('row 12 failed')).toBe(kindOf('row 13 failed'));
    expect(kindOf('a'.repeat(500))).toHaveLength(60);
  });

  it('a page sending thousands of malformed or forged requests leaves a short log', async () => {
    const lines: string[] = [];
    const log = createLogger((l) => lines.push(l), new Redactor());
    const ipc = new FakeIpcMain();
    const win = fakeTrustedWindow(ENTRY);
    const backend = new Proxy({} as DesktopBackend, { get: () => async () => null });
    registerIpcHandlers(ipc, createIpcHandlers(backend, log), createSenderCheck(() => win, ENTRY), log);
    const forged = { sender: { id: win.webContents.id }, senderFrame: fakeFrame('https://evil.example/') };
    for (let i = 0; i < 2000; i++) {
      await ipc.invoke(eventFrom(win), 'campaign:pause', { campaignId: '', junk: 'x'.repeat(i % 50) });
      await ipc.invoke(forged, 'profiles:list').catch(() => undefined);
    }
    expect(lines.length).toBeLessThanOrEqual(40);
    expect(lines.filter((l) => l.includes('malformed'))).toHaveLength(20);
  });
});
