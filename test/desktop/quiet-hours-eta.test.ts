import { afterEach, describe, expect, it } from 'vitest';
import type { BatchTimer } from '../../electron/desktop/batch-timer';
import { realTimer } from '../../electron/desktop/batch-timer';
import type { StatusBatch } from '../../shared/ipc/contract';
import { ManualClock } from '../fakes/manual-clock';
import type { Desktop } from './desktop-harness';
import { bootDesktop, csvBytes, importCsv } from './desktop-harness';

/**
 * The desktop's live view of a campaign whose rows wait for their quiet hours, on a manual clock:
 * at 00:00 UTC it is 09:00 in Tokyo and 01:00 in Berlin, so with a 09:00-20:00 window the Japanese
 * numbers go at once and the German ones wait until 08:00 UTC. The status stream's ETA (and a
 * reloaded window's) says about eight hours, not the seconds the two rows would take if they went now.
 * Meanwhile the stream keeps saying how many wait, with an ETA that counts down, until they go.
 */

let desk: Desktop | undefined;

afterEach(async () => {
  await desk?.close();
  desk = undefined;
});

/** until lets the app's clock run, 50 ms at a time, until `check` holds. */
async function until(clock: ManualClock, check: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !check(); i++) {
    await clock.advance(50);
    await new Promise((r) => setTimeout(r, 5));
  }
  expect(check()).toBe(true);
}

/** moving lets the app's clock run, 50 ms at a time, until `p` settles. */
async function moving<T>(clock: ManualClock, p: Promise<T>): Promise<T> {
  let settled = false;
  void p.finally(() => (settled = true)).catch(() => undefined);
  while (!settled) await clock.advance(50);
  return p;
}

/** clockTimer runs the status batches' timers on the app's manual clock, as the engine's sleeps do. */
function clockTimer(clock: ManualClock): BatchTimer {
  return {
    now: () => clock.now(),
    setTimeout: (fn, ms) => {
      const abort = new AbortController();
      clock.sleep(ms, abort.signal).then(fn, () => undefined);
      return abort;
    },
    clearTimeout: (handle) => (handle as AbortController).abort(),
  };
}

const contacts = csvBytes(['phone', 'name'], [['+4915112345678', 'Ana'], ['+819012345678', 'Ben'], ['+4915112345679', 'Cem'], ['+819012345679', 'Dai']]);
const spec = {
  provider: { kind: 'sandbox', simulate: 'wassist', latencyMs: 0, failureRate: 0, seed: 7 },
  recipient: { phone: '{{phone}}', botId: '5f0c6f1e-8a4b-4c2e-9d3a-1b2c3d4e5f60' },
  message: { type: 'text', text: { body: 'Hi {{name}}' } },
  audience: { quietHours: { allowed: '09:00-20:00', timeZone: 'Europe/Berlin' } },
  throttle: { concurrency: 2, perSecond: 10_000 },
};

describe('the live view of a campaign with rows waiting for their quiet hours', () => {
  it('gives an ETA until the window opens, in the status stream and in a reloaded snapshot', async () => {
    const clock = new ManualClock(Date.UTC(2030, 0, 1));
    // The batches' timers are real (100 ms apart); their time is the app's clock.
    desk = bootDesktop({ clock, timer: { ...realTimer, now: () => clock.now() } });
    const { api } = desk;
    const data = await importCsv(api, { name: 'contacts.csv', bytes: contacts });
    // The sandbox's number lookups take their (simulated) time on the app's clock: a little of it passes.
    const { campaignId } = await moving(clock, api.campaign.start({ datasetId: data.datasetId, spec, profileId: 'sandbox', skipInvalid: false }));
    const mine = () => desk?.events.filter((b) => b.campaignId === campaignId) ?? [];
    await until(clock, () => mine().some((b) => b.totals.sent === 2));
    // The last batch has them all: the two sent, the two waiting (pending) until 08:00 UTC.
    await new Promise((r) => setTimeout(r, 250));
    const last = mine().at(-1) as StatusBatch;
    expect(last).toMatchObject({ state: 'running', totals: { sent: 2, pending: 2 } });
    // No time passed on the app's clock between the answers, so no rate yet: at least until the window opens.
    // The batch was made a few 50 ms steps of the app's clock before now, at most: its ETA may be a second longer.
    const toOpening = (Date.UTC(2030, 0, 1, 8) - clock.now()) / 1000;
    expect(last.etaSeconds).toBeGreaterThanOrEqual(Math.ceil(toOpening));
    expect(last.etaSeconds).toBeLessThanOrEqual(Math.ceil(toOpening) + 2);
    // (The lookups took some minutes of the app's time: hours are left, not the seconds two rows take.)
    expect(toOpening).toBeGreaterThan(7 * 3_600);

    const snap = await api.campaign.snapshot({ campaignId });
    expect(snap).toMatchObject({ waiting: { rows: 2, until: '2030-01-01T08:00:00.000Z' } });
    expect(snap?.etaSeconds).toBeGreaterThanOrEqual(toOpening);
    expect(snap?.etaSeconds).toBeLessThan(toOpening + 60);
    await api.campaign.cancel({ campaignId });
    await desk.finished(campaignId);
  });

  it('keeps telling how many wait, counting the ETA down, and tells when they have gone', async () => {
    const clock = new ManualClock(Date.UTC(2030, 0, 1));
    desk = bootDesktop({ clock, timer: clockTimer(clock) });
    const { api } = desk;
    const data = await importCsv(api, { name: 'contacts.csv', bytes: contacts });
    const { campaignId } = await moving(clock, api.campaign.start({ datasetId: data.datasetId, spec, profileId: 'sandbox', skipInvalid: false }));
    const mine = () => desk?.events.filter((b) => b.campaignId === campaignId) ?? [];
    await until(clock, () => mine().some((b) => b.totals.sent === 2 && b.waiting !== undefined));
    const waiting = { rows: 2, until: '2030-01-01T08:00:00.000Z' };
    expect(mine().at(-1)).toMatchObject({ state: 'running', totals: { sent: 2, pending: 2 }, waiting });

    // A minute on the app's clock, nothing sent: a batch every five seconds, each ETA shorter.
    const before = mine().length;
    await clock.advance(60_000);
    const minute = mine().slice(before);
    expect(minute.length).toBeGreaterThanOrEqual(11);
    expect(minute.length).toBeLessThanOrEqual(13);
    for (const b of minute) expect(b).toMatchObject({ state: 'running', rows: [], totals: { sent: 2, pending: 2 }, waiting });
    const etas = minute.map((b) => b.etaSeconds as number);
    for (let i = 1; i < etas.length; i++) expect(etas[i]).toBeLessThan(etas[i - 1] as number);
    expect((etas[0] as number) - (etas.at(-1) as number)).toBeGreaterThanOrEqual(50);

    // Until 08:00 UTC (09:00 in Berlin) the two still wait; then they go and nothing waits.
    const opening = Date.UTC(2030, 0, 1, 8);
    await clock.advance(opening - 1_000 - clock.now());
    expect(mine().at(-1)).toMatchObject({ totals: { sent: 2, pending: 2 }, waiting });
    // Counted down from eight hours to seconds: the last batch is at most five seconds old.
    expect(mine().at(-1)?.etaSeconds).toBeGreaterThan(0);
    expect(mine().at(-1)?.etaSeconds).toBeLessThanOrEqual(10);
    const last = await moving(clock, desk.finished(campaignId));
    expect(last).toMatchObject({ finishReason: 'completed', totals: { sent: 4, pending: 0 } });
    expect(last.waiting).toBeUndefined();
    // The stream said so as the rows went: from 2 waiting straight to none, never back.
    const counts = mine().map((b) => b.waiting?.rows ?? 0);
    const firstNone = counts.indexOf(0, counts.indexOf(2));
    expect(counts.slice(counts.indexOf(2), firstNone).every((n) => n === 2)).toBe(true);
    expect(counts.slice(firstNone).every((n) => n === 0)).toBe(true);
    expect(mine()[firstNone]?.totals.sent).toBeGreaterThanOrEqual(2);
    const snap = await api.campaign.snapshot({ campaignId });
    expect(snap?.waiting).toBeUndefined();
  });
});
