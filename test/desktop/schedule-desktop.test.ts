import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Clock } from '../../electron/core/ports';
import { systemClock } from '../../electron/core/ports';
import type { ScheduleView } from '../../shared/ipc/contract';
import type { MockServer } from '../mock-server/mock-server';
import { mockApiKey, startMockServer } from '../mock-server/mock-server';
import type { Desktop } from './desktop-harness';
import { bootDesktop, csvBytes, importCsv } from './desktop-harness';

/**
 * Scheduled starts in the desktop app: kept in the workspace database, so a schedule made before
 * the app was closed starts when it is opened again at or after its time, and says so. The app's
 * clock is injected: each boot is told what time it is (the time the test "reopens" the app),
 * while the sends themselves run at real speed against the strict Wassist mock.
 */

/** ShiftedClock is the real clock moved by `offset` ms: the app believes it is later than it is. */
class ShiftedClock implements Clock {
  offset = 0;
  now(): number {
    return Date.now() + this.offset;
  }
  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return systemClock.sleep(ms, signal);
  }
}

const HOUR = 3_600_000;
let mock: MockServer;
let clock: ShiftedClock;
let desk: Desktop | undefined;
let notices: { title: string; body: string }[];
let noticed: (() => void) | undefined;

function boot(dir?: string): Desktop {
  const notify = (title: string, body: string) => {
    notices.push({ title, body });
    noticed?.();
  };
  desk = bootDesktop({ clock, notify }, ...(dir === undefined ? [] : [dir]));
  return desk;
}

/** nextNotice resolves with the next notification main shows. */
function nextNotice(): Promise<{ title: string; body: string }> {
  const seen = notices.length;
  return new Promise((resolve) => {
    noticed = () => {
      if (notices.length > seen) resolve(notices[seen] as { title: string; body: string });
    };
  });
}

beforeEach(async () => {
  mock = await startMockServer({ kind: 'wassist', conversations: ['conv-1', 'conv-2'].map((id) => ({ id })) });
  clock = new ShiftedClock();
  notices = [];
  noticed = undefined;
});
afterEach(async () => {
  await desk?.close();
  desk = undefined;
  await mock.close();
});

async function setUp(d: Desktop) {
  await d.api.profiles.save({ id: 'w1', name: 'Wassist', provider: { kind: 'wassist', baseUrl: mock.url } });
  await d.api.keys.set({ profileId: 'w1', key: mockApiKey });
  const data = await importCsv(d.api, { name: 'contacts.csv', bytes: csvBytes(['conversation_id', 'name'], [['conv-1', 'Ana'], ['conv-2', 'Ben']]) });
  const spec = {
    name: 'Morning news',
    provider: { kind: 'wassist', baseUrl: 'https://backend.wassist.app' },
    recipient: { conversationId: '{{conversation_id}}' },
    message: { type: 'template', template: { name: 'news', variables: { body: ['{{name}}'] } } },
    throttle: { concurrency: 1, perSecond: 100 },
  };
  return { datasetId: data.datasetId, spec, profileId: 'w1', skipInvalid: false };
}

describe('a scheduled start', () => {
  it('survives closing the app: reopened after its time, main starts it at once and says it started late', async () => {
    const first = boot();
    const r = await setUp(first);
    const due = clock.now() + HOUR;
    const made = await first.api.schedule.create({ ...r, at: new Date(due).toISOString() });
    expect(made).toMatchObject({ name: 'Morning news', state: 'waiting', csvName: 'contacts.csv', profileId: 'w1', dueAt: new Date(due).toISOString() });
    await first.close({ keep: true });
    expect(mock.requests).toEqual([]);

    clock.offset = HOUR + 5 * 60_000; // the app is opened again five minutes after the schedule's time
    const notice = nextNotice();
    const second = boot(first.dir);
    expect(await notice).toEqual({ title: 'Scheduled campaign started: Morning news', body: 'Started 5 minutes after its time: the app was not running (or the computer was asleep) at that time.' });
    const [started] = await second.api.schedule.list();
    expect(started).toMatchObject({ id: made.id, state: 'started', note: 'Started 5 minutes after its time: the app was not running (or the computer was asleep) at that time.' });
    await second.finished((started as ScheduleView).campaignId as string);
    expect(mock.requests.filter((q) => q.method === 'POST')).toHaveLength(2);
  });

  it('while the app runs, starts at its time and not before', async () => {
    const d = boot();
    const r = await setUp(d);
    const at = clock.now() + 700;
    const notice = nextNotice();
    await d.api.schedule.create({ ...r, at: new Date(at).toISOString() });
    expect((await notice).body).toBe('Started at its time.');
    const [s] = await d.api.schedule.list();
    expect(Date.parse(s?.startedAt ?? '')).toBeGreaterThanOrEqual(at);
    await d.finished(s?.campaignId as string);
    expect(Math.min(...mock.requests.map((q) => q.time)) + clock.offset).toBeGreaterThanOrEqual(at);
  });

  it('can be moved and cancelled while it waits; a cancelled one never starts, also after a restart past its time', async () => {
    const first = boot();
    const r = await setUp(first);
    const base = clock.now();
    const made = await first.api.schedule.create({ ...r, at: new Date(base + HOUR).toISOString() });
    const moved = await first.api.schedule.change({ id: made.id, at: new Date(base + 2 * HOUR).toISOString() });
    expect(Date.parse(moved.dueAt) - Date.parse(made.dueAt)).toBe(HOUR);
    expect(await first.api.schedule.cancel({ id: made.id })).toMatchObject({ state: 'cancelled' });
    await expect(first.api.schedule.change({ id: made.id, at: new Date(clock.now()).toISOString() })).rejects.toThrow('This schedule has been cancelled; it can no longer be changed.');
    await first.close({ keep: true });
    clock.offset = 3 * HOUR;
    const second = boot(first.dir);
    expect((await second.api.schedule.list()).map((s) => s.state)).toEqual(['cancelled']);
    expect(notices).toEqual([]);
    expect(mock.requests).toEqual([]);
  });

  it("is agreed to when it is made, in main's own dialog (nobody is asked when it falls due); refused, nothing is scheduled", async () => {
    const d = boot();
    const r = await setUp(d);
    const at = new Date(clock.now() + HOUR).toISOString();
    d.dialogs.refuseSends();
    await expect(d.api.schedule.create({ ...r, at })).rejects.toThrow('Nothing was scheduled: the campaign was not confirmed.');
    expect(await d.api.schedule.list()).toEqual([]);
    d.dialogs.refuseSends(false);
    await d.api.schedule.create({ ...r, at });
    expect(d.dialogs.confirmations).toEqual([
      { action: 'send', test: false, campaignName: 'Morning news', profileName: 'Wassist', recipients: 2, scheduledAt: at },
      { action: 'send', test: false, campaignName: 'Morning news', profileName: 'Wassist', recipients: 2, scheduledAt: at },
    ]);
  });

  it('refuses, when it is made, a campaign whose rows have errors or a time without a zone', async () => {
    const d = boot();
    const r = await setUp(d);
    const bad = { ...r, spec: { ...r.spec, message: { type: 'template', template: { name: 'news', variables: { body: ['{{nmae}}'] } } } } };
    await expect(d.api.schedule.create({ ...bad, at: new Date(clock.now() + HOUR).toISOString() })).rejects.toThrow(/nmae/);
    await expect(d.api.schedule.create({ ...r, at: '2030-01-01T09:00' })).rejects.toThrow(/ISO 8601 time with a zone/);
    expect(await d.api.schedule.list()).toEqual([]);
  });
});
