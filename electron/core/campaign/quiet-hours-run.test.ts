import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseCampaign } from '../../../shared/campaign/schema';
import { providers } from '../../../shared/providers/index';
import { ManualClock, settle } from '../../../test/fakes/manual-clock';
import { CampaignStore } from '../state/campaign-store';
import { createConnector } from './connection';
import { CampaignService } from './service';

/**
 * Quiet hours through the campaign service, on the sandbox with a manual clock: at 00:00 UTC it is
 * 09:00 in Tokyo and 01:00 in Berlin, so with a 09:00-20:00 window the Japanese numbers go at once
 * and the German ones wait, pending, until 08:00 UTC (09:00 in Berlin), in the same run.
 */

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'quiet-run-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

const HOUR = 3_600_000;

async function open(clock: ManualClock) {
  const contacts = join(dir, 'contacts.csv');
  await writeFile(contacts, 'phone,name\r\n+4915112345678,Ana\r\n+819012345678,Ben\r\n+4915112345679,Cem\r\n+819012345679,Dai\r\n');
  const spec = parseCampaign(
    {
      provider: { kind: 'sandbox', simulate: 'wassist', latencyMs: 0, failureRate: 0, seed: 7 },
      recipient: { phone: '{{phone}}', botId: '5f0c6f1e-8a4b-4c2e-9d3a-1b2c3d4e5f60' },
      message: { type: 'text', text: { body: 'Hi {{name}}' } },
      audience: { quietHours: { allowed: '09:00-20:00', timeZone: 'Europe/Berlin' } },
      throttle: { concurrency: 2, perSecond: 10_000 },
    },
    providers,
  );
  const service = new CampaignService({ store: new CampaignStore({ dataDir: join(dir, 'data') }), connect: createConnector(clock), clock });
  return { service, campaign: await service.open({ path: contacts }, { spec, apiKey: '' }) };
}

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !check(); i++) await new Promise((r) => setTimeout(r, 5));
  expect(check()).toBe(true);
}

describe('quiet hours in a run', () => {
  it('says in validation and the preview when the rows outside their window go', async () => {
    const clock = new ManualClock(Date.UTC(2030, 0, 1));
    const { campaign } = await open(clock);
    try {
      const v = await campaign.validate(100);
      expect(v).toMatchObject({ sendable: 4, waitingRows: 2, errorCount: 0 });
      expect(v.waits).toEqual([{ text: 'waits until 09:00 local (Europe/Berlin), 2030-01-01 08:00 UTC', rows: 2, firstRow: 1 }]);
      const p = await campaign.preview(1);
      expect(p.audience).toBe('Outside its quiet hours: waits until 09:00 local (Europe/Berlin), 2030-01-01 08:00 UTC.');
      expect(p.skipped).toBeUndefined();
      expect((await campaign.preview(2)).audience).toBeUndefined();
    } finally {
      await campaign.close();
    }
  });

  it('sends the rows inside their window, holds the others pending with a note, and sends them when it opens', async () => {
    const clock = new ManualClock(Date.UTC(2030, 0, 1));
    const { service, campaign } = await open(clock);
    try {
      const run = await service.start(campaign);
      await until(() => run.progress().totals.sent === 2 && run.snapshot().waiting !== undefined);
      expect(run.snapshot()).toMatchObject({ state: 'running', totals: { sent: 2, pending: 2 }, waiting: { rows: 2, until: '2030-01-01T08:00:00.000Z' } });
      expect(run.outcomeOf(1)).toMatchObject({ status: 'pending', error: 'waiting for 09:00 local (Europe/Berlin)' });
      // The ETA the progress line and a reloaded window show: the two rows go at 09:00 Berlin, not "now".
      for (const eta of [run.snapshot().etaSeconds, run.progress().etaSeconds]) {
        expect(eta).toBeGreaterThanOrEqual(8 * 3_600);
        expect(eta).toBeLessThan(8 * 3_600 + 60);
      }
      expect(run.outcomeOf(2)).toMatchObject({ status: 'sent' });

      await clock.advance(8 * HOUR - 60_000);
      await settle();
      expect(run.progress().totals.sent).toBe(2);
      await clock.advance(60_000);
      const ended = await run.done;
      expect('error' in ended ? ended.error : ended.totals).toMatchObject({ sent: 4, pending: 0 });
      expect(run.snapshot().waiting).toBeUndefined();
    } finally {
      await campaign.close();
    }
  });

  it('ends promptly when cancelled during the wait, the waiting rows left pending for a resume', async () => {
    const clock = new ManualClock(Date.UTC(2030, 0, 1));
    const { service, campaign } = await open(clock);
    try {
      const run = await service.start(campaign);
      await until(() => run.snapshot().waiting !== undefined && run.progress().totals.sent === 2);
      run.cancel();
      const ended = await run.done;
      expect('error' in ended ? ended.error : { reason: ended.reason, totals: ended.totals }).toMatchObject({ reason: 'cancelled', totals: { sent: 2, pending: 2 } });
    } finally {
      await campaign.close();
    }
  });
});
