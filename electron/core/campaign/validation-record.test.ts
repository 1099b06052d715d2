import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { parseCampaign } from '../../../shared/campaign/schema';
import { providers } from '../../../shared/providers/index';
import { systemClock } from '../ports';
import { CampaignStore } from '../state/campaign-store';
import { createConnector } from './connection';
import { CampaignService } from './service';
import { ServiceCore } from './service-core';

/**
 * A started campaign keeps what validation found in its folder, so the same campaign opened again
 * (a re-run of `campaign send`, the desktop app started again) does not check every row again.
 */

let dir: string;
let contacts: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'validation-record-'));
  contacts = join(dir, 'contacts.csv');
  await writeFile(contacts, 'conversation_id,name\r\nc-1,Ana\r\n,Nobody\r\nc-3,Cy\r\n');
});
afterEach(async () => {
  vi.restoreAllMocks();
  await rm(dir, { recursive: true, force: true });
});

const spec = (body = 'Hi {{name}}') =>
  parseCampaign({ provider: { kind: 'sandbox', simulate: 'wassist', latencyMs: 0, seed: 7 }, recipient: { conversationId: '{{conversation_id}}' }, message: { type: 'text', text: { body } } }, providers);

function service(): CampaignService {
  return new CampaignService({ store: new CampaignStore({ dataDir: join(dir, 'data') }), connect: createConnector(systemClock), clock: systemClock });
}

async function sendOnce(body?: string, before?: (s: CampaignService) => Promise<unknown>) {
  const s = service();
  await before?.(s);
  const campaign = await s.open({ path: contacts }, { spec: spec(body), apiKey: '' });
  try {
    const v = await campaign.validate();
    const run = await s.start(campaign, { skipInvalid: true });
    await run.done;
    return { v, id: run.id };
  } finally {
    await campaign.close();
    await s.close();
  }
}

describe('the validation a campaign keeps', () => {
  it('answers the same campaign opened again without checking its rows', async () => {
    const first = await sendOnce();
    expect(first.v).toMatchObject({ rowCount: 3, sendable: 2, errorCount: 1 });
    expect(await readdir(join(dir, 'data', 'campaigns', first.id))).toContain('validation.json');
    const checks = vi.spyOn(ServiceCore.prototype, 'validate');
    const again = await service().open({ path: contacts }, { spec: spec(), apiKey: '' });
    try {
      expect(await again.validate()).toEqual(first.v);
      expect(checks).not.toHaveBeenCalled();
    } finally {
      await again.close();
    }
  });

  it('checks again for another campaign, or when the kept answer is damaged', async () => {
    const first = await sendOnce();
    const checks = vi.spyOn(ServiceCore.prototype, 'validate');
    const other = await service().open({ path: contacts }, { spec: spec('Hello {{name}}'), apiKey: '' });
    await other.validate();
    await other.close();
    expect(checks).toHaveBeenCalledTimes(1);
    await writeFile(join(dir, 'data', 'campaigns', first.id, 'validation.json'), '{"version":1,');
    const damaged = await service().open({ path: contacts }, { spec: spec(), apiKey: '' });
    expect(await damaged.validate()).toEqual(first.v);
    await damaged.close();
    expect(checks).toHaveBeenCalledTimes(2);
  });

  it('checks again once the opt-out list has changed, and screens the row it now lists', async () => {
    const first = await sendOnce();
    expect(first.v).toMatchObject({ sendable: 2, optedOutRows: 0 });
    const s = service();
    s.audience.add(['c-3'], { kind: 'conversation', reason: 'asked to stop' });
    const checks = vi.spyOn(ServiceCore.prototype, 'validate');
    const again = await s.open({ path: contacts }, { spec: spec(), apiKey: '' });
    try {
      expect(await again.validate()).toMatchObject({ rowCount: 3, sendable: 1, optedOutRows: 1 });
      expect(checks).toHaveBeenCalledTimes(1);
    } finally {
      await again.close();
      await s.close();
    }
  });

  it('keeps nothing for a campaign the frequency cap judges (its answers change with time alone)', async () => {
    const first = await sendOnce(undefined, (s) => s.audience.setFrequencyCap({ messages: 5, hours: 24 }));
    expect(await readdir(join(dir, 'data', 'campaigns', first.id))).not.toContain('validation.json');
  });

  it('keeps nothing for a campaign with quiet hours (when its rows may go depends on the minute)', async () => {
    const s = service();
    const quiet = parseCampaign({ ...spec(), audience: { quietHours: { allowed: '09:00-20:00', timeZone: 'Europe/Berlin' } } }, providers);
    const campaign = await s.open({ path: contacts }, { spec: quiet, apiKey: '' });
    try {
      await campaign.validate();
      await campaign.keepValidation(dir);
      expect(await readdir(dir)).not.toContain('validation.json');
      await s.open({ path: contacts }, { spec: spec(), apiKey: '' }).then(async (plain) => {
        await plain.keepValidation(dir);
        await plain.close();
      });
      expect(await readdir(dir)).toContain('validation.json');
    } finally {
      await campaign.close();
      await s.close();
    }
  });
});
