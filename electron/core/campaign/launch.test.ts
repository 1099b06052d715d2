import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseCampaign } from '../../../shared/campaign/schema';
import { providers } from '../../../shared/providers/index';
import { systemClock } from '../ports';
import { CampaignStore } from '../state/campaign-store';
import { createConnector } from './connection';
import { CampaignService } from './service';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'launch-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

describe('starting a campaign again right after its run ended', () => {
  it('waits for the ended run to close instead of refusing the start as locked by someone else', async () => {
    const contacts = join(dir, 'contacts.csv');
    await writeFile(contacts, 'conversation_id,name\r\nc-1,Ana\r\nc-2,Ben\r\n');
    const spec = parseCampaign(
      { provider: { kind: 'sandbox', simulate: 'wassist', latencyMs: 0, seed: 7 }, recipient: { conversationId: '{{conversation_id}}' }, message: { type: 'text', text: { body: 'Hi {{name}}' } } },
      providers,
    );
    const service = new CampaignService({ store: new CampaignStore({ dataDir: join(dir, 'data') }), connect: createConnector(systemClock), clock: systemClock });
    const campaign = await service.open({ path: contacts }, { spec, apiKey: '' });
    try {
      const first = await service.start(campaign);
      // The window sees the last status (the engine's `finished`) while the journal is still being closed.
      await new Promise<void>((resolve) => first.onEvent((e) => e.type === 'finished' && resolve()));
      const again = await service.start(campaign);
      expect(again.id).toBe(first.id);
      const ended = await again.done;
      expect('error' in ended ? ended.error : ended.totals).toMatchObject({ sent: 2, pending: 0 });
      expect(again.before).toMatchObject({ sent: 2 });
    } finally {
      await campaign.close();
    }
  });
});
