import { afterEach, describe, expect, it } from 'vitest';
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

describe('the live view of a campaign with rows waiting for their quiet hours', () => {
  it('gives an ETA until the window opens, in the status stream and in a reloaded snapshot', async () => {
    const clock = new ManualClock(Date.UTC(2030, 0, 1));
    // The batches' timers are real (100 ms apart); their time is the app's clock.
    desk = bootDesktop({ clock, timer: { ...realTimer, now: () => clock.now() } });
    const { api } = desk;
    const bytes = csvBytes(['phone', 'name'], [['+4915112345678', 'Ana'], ['+819012345678', 'Ben'], ['+4915112345679', 'Cem'], ['+819012345679', 'Dai']]);
    const data = await importCsv(api, { name: 'contacts.csv', bytes });
    const spec = {
      provider: { kind: 'sandbox', simulate: 'wassist', latencyMs: 0, failureRate: 0, seed: 7 },
      recipient: { phone: '{{phone}}', botId: '5f0c6f1e-8a4b-4c2e-9d3a-1b2c3d4e5f60' },
      message: { type: 'text', text: { body: 'Hi {{name}}' } },
      audience: { quietHours: { allowed: '09:00-20:00', timeZone: 'Europe/Berlin' } },
      throttle: { concurrency: 2, perSecond: 10_000 },
    };
    // The sandbox's number lookups take their (simulated) time on the app's clock: a little of it passes.
    const { campaignId } = await moving(clock, api.campaign.start({ datasetId: data.datasetId, spec, profileId: 'sandbox', skipInvalid: false }));
    const mine = () => desk?.events.filter((b) => b.campaignId === campaignId) ?? [];
    await until(clock, () => mine().some((b) => b.totals.sent === 2));
    // The last batch has them all: the two sent, the two waiting (pending) until 08:00 UTC.
    await new Promise((r) => setTimeout(r, 250));
    const last = mine().at(-1) as StatusBatch;
    expect(last).toMatchObject({ state: 'running', totals: { sent: 2, pending: 2 } });
    // No time passed on the app's clock between the answers, so no rate yet: at least until the window opens.
    const toOpening = (Date.UTC(2030, 0, 1, 8) - clock.now()) / 1000;
    expect(last.etaSeconds).toBe(Math.ceil(toOpening));
    // (The lookups took some minutes of the app's time: hours are left, not the seconds two rows take.)
    expect(toOpening).toBeGreaterThan(7 * 3_600);

    const snap = await api.campaign.snapshot({ campaignId });
    expect(snap).toMatchObject({ waiting: { rows: 2, until: '2030-01-01T08:00:00.000Z' } });
    expect(snap?.etaSeconds).toBeGreaterThanOrEqual(toOpening);
    expect(snap?.etaSeconds).toBeLessThan(toOpening + 60);
    await api.campaign.cancel({ campaignId });
    await desk.finished(campaignId);
  });
});
