import { afterEach, describe, expect, it } from 'vitest';
import { workspace } from '../cli/cli-harness';
import { textUnder } from '../helpers/files';
import type { Desktop } from './desktop-harness';
import { bootDesktop, csvBytes, filesUnder, importCsv } from './desktop-harness';
import { existsSync, readFileSync } from 'node:fs';

/**
 * Base URLs: https only (plain http only to 127.0.0.1, ::1 or localhost, for tests against a
 * mock), and never with a user name or password in them, which would be stored in the campaign
 * folder's meta.json and printed by `preview`. Profiles and campaign files both refuse them.
 */

let desk: Desktop | undefined;
afterEach(async () => {
  await desk?.close();
  desk = undefined;
});

const spec = (baseUrl: string) => ({
  provider: { kind: 'generic', baseUrl },
  recipient: { conversationId: '{{id}}' },
  message: { sender_id: 's', sender_type: 'agent', text: 'hi' },
});

describe('base URLs', () => {
  it('a profile with http to another machine or a user name is refused, naming the field', async () => {
    desk = bootDesktop();
    for (const baseUrl of ['http://api.example.com', 'https://s3cret@api.example.com/']) {
      await expect(desk.api.profiles.save({ id: 'g', name: 'G', provider: { kind: 'generic', baseUrl } })).rejects.toThrow(/provider\.baseUrl/);
    }
    expect((await desk.api.profiles.list()).map((p) => p.id)).toEqual(['sandbox']);
    await desk.api.profiles.save({ id: 'g', name: 'G', provider: { kind: 'generic', baseUrl: 'http://127.0.0.1:9/v1' } });
    expect((await desk.api.profiles.list()).map((p) => p.id)).toEqual(['sandbox', 'g']);
  });

  it('a campaign whose base URL holds a secret is refused, and the secret is stored nowhere', async () => {
    desk = bootDesktop();
    const data = await importCsv(desk.api, { name: 'c.csv', bytes: csvBytes(['id'], [['c-1']]) });
    const err = await desk.api.campaign.validate({ datasetId: data.datasetId, spec: spec('https://s3cret@api.example.com'), profileId: 'sandbox' }).catch((e: unknown) => e);
    expect(JSON.stringify((err as { problems?: unknown }).problems)).toMatch(/provider\.baseUrl.*must not contain a user name or password/);
    for (const file of filesUnder(desk.dir)) expect(readFileSync(file, 'utf8')).not.toContain('s3cret');
  });

  it('the CLI refuses it before printing anything', async () => {
    const ws = await workspace();
    try {
      const contacts = await ws.file('c.csv', 'id\r\nc-1\r\n');
      const file = await ws.file('c.campaign.json', spec('https://s3cret@api.example.com'));
      const r = await ws.run(['preview', contacts, '--spec', file], { CAMPAIGN_API_KEY: 'k-123456' });
      expect(r.code).not.toBe(0);
      expect(r.stderr).toContain('provider.baseUrl');
      expect(r.stdout + r.stderr).not.toContain('s3cret');
      expect(existsSync(ws.stateDir) ? textUnder(ws.stateDir) : '').not.toContain('s3cret');
    } finally {
      await ws.cleanup();
    }
  });
});
