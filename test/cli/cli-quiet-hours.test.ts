import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Workspace } from './cli-harness';
import { csv, workspace } from './cli-harness';

/**
 * Quiet hours through the real CLI: `validate` and `preview` say when rows outside their window go.
 * The window is set a few hours after the real time now (UTC, the campaign's zone for recipients
 * without a number), so every row waits and the opening is known. The waiting itself, and sending
 * when the window opens, are tested at the service level with a manual clock (quiet-hours-run.test.ts):
 * a window is whole minutes, too long for a test on the real clock.
 */

let ws: Workspace;
beforeEach(async () => {
  ws = await workspace();
});
afterEach(() => ws.cleanup());

const hhmm = (t: number): string => new Date(t).toISOString().slice(11, 16);

describe('campaign validate and preview with quiet hours', () => {
  it('say how many rows wait and until when, without calling it an error or a skip', async () => {
    const hour = 3_600_000;
    // Two hours from now, to the minute, for an hour: never open now, whatever the time of day.
    const opens = Math.ceil((Date.now() + 2 * hour) / 60_000) * 60_000;
    const allowed = `${hhmm(opens)}-${hhmm(opens + hour)}`;
    const contacts = await ws.file('c.csv', csv(['conversation_id', 'name'], [['conv-1', 'Ana'], ['conv-2', 'Ben']]));
    const spec = await ws.file('c.campaign.json', {
      provider: { kind: 'wassist', baseUrl: 'https://backend.wassist.app' },
      recipient: { conversationId: '{{conversation_id}}' },
      checkConversations: false,
      message: { type: 'template', template: { name: 'spring_sale', variables: { body: ['{{name}}'] } } },
      audience: { quietHours: { allowed, timeZone: 'UTC' } },
    });
    const when = `waits until ${hhmm(opens)} local (UTC), ${new Date(opens).toISOString().slice(0, 16).replace('T', ' ')} UTC`;

    const v = await ws.run(['validate', contacts, '--spec', spec]);
    expect(v.code).toBe(0);
    expect(v.stdout).toContain('2 rows: 2 ready to send, 2 outside their quiet hours now (they wait, then go)');
    expect(v.stderr).toContain(`2 rows ${when} (row 1 first)`);

    const p = await ws.run(['preview', contacts, '--spec', spec, '--row', '2']);
    expect(p.code).toBe(0);
    expect(p.stdout).toContain(`Outside its quiet hours: ${when}.`);

    const bad = await ws.file('bad.campaign.json', {
      provider: { kind: 'wassist', baseUrl: 'https://backend.wassist.app' },
      recipient: { conversationId: '{{conversation_id}}' },
      message: { type: 'template', template: { name: 'spring_sale' } },
      audience: { quietHours: { allowed: '25:00-06:00', timeZone: 'Mars/Olympus' } },
    });
    const refused = await ws.run(['validate', contacts, '--spec', bad]);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('audience.quietHours.allowed: "25:00" is not a time of day (00:00 to 24:00)');
    expect(refused.stderr).toContain('audience.quietHours.timeZone: unknown time zone "Mars/Olympus"');
  });
});
