import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { main } from '../../electron/cli/main';
import { mockApiKey, startMockServer } from '../mock-server/mock-server';
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

describe('campaign send with every row waiting for its quiet hours', () => {
  it('says the ETA is until the window opens, not "--"; Ctrl-C cancels, and list and status say "cancelled"', async () => {
    const hour = 3_600_000;
    const opens = Math.ceil((Date.now() + 2 * hour) / 60_000) * 60_000;
    const mock = await startMockServer({ kind: 'wassist', conversations: [{ id: 'conv-1' }, { id: 'conv-2' }] });
    try {
      const contacts = await ws.file('c.csv', csv(['conversation_id', 'name'], [['conv-1', 'Ana'], ['conv-2', 'Ben']]));
      const spec = await ws.file('c.campaign.json', {
        name: 'Night owls',
        provider: { kind: 'wassist', baseUrl: mock.url },
        recipient: { conversationId: '{{conversation_id}}' },
        checkConversations: false,
        message: { type: 'text', text: { body: 'Hi {{name}}' } },
        audience: { quietHours: { allowed: `${hhmm(opens)}-${hhmm(opens + hour)}`, timeZone: 'UTC' } },
      });
      let stderr = '';
      let interrupt: (() => void) | undefined;
      // The in-process CLI on the real clock: a person at a terminal reads the progress line, then presses Ctrl-C.
      const code = await main(['send', contacts, '--spec', spec, '--state', ws.stateDir], {
        env: { CAMPAIGN_API_KEY: mockApiKey },
        stdout: { write: () => true },
        stderr: {
          write: (t: string) => {
            stderr += t;
            if (t.startsWith('progress:') && t.includes('waiting until')) setTimeout(() => interrupt?.(), 10);
            return true;
          },
        },
        onInterrupt: (handler) => {
          interrupt = handler;
          return () => (interrupt = undefined);
        },
      });
      expect(code, stderr).not.toBe(2);
      const progress = stderr.split('\n').find((l) => l.startsWith('progress:') && l.includes('waiting until')) ?? '';
      expect(progress).toContain(`2 waiting until ${new Date(opens).toISOString().slice(0, 16).replace('T', ' ')} UTC`);
      // No row has gone, so no rate yet: at least until the window opens, about two hours.
      expect(progress).toMatch(/ETA (1h59m|2h00m)$/);
      expect(mock.requests.filter((q) => q.method === 'POST')).toEqual([]);
      // The last line of a run that will not send its rows gives them no time left, not "0s".
      expect(stderr.split('\n').filter((l) => l.startsWith('progress:')).at(-1)).toMatch(/ETA --$/);

      const list = await ws.run(['list']);
      const line = list.stdout.split('\n').find((l) => l.includes('Night owls')) ?? '';
      expect(line).toMatch(/^\S+\s+cancelled\s+0\s+0\s+2\s/);
      const id = line.split(/\s+/)[0] as string;
      // The run's own last words say it was cancelled, and how to go on.
      expect(stderr).toContain(`Cancelled: 2 rows not sent, left pending; re-run the same command to send them (\`campaign status --campaign ${id}\` says how it stands).`);
      const status = await ws.run(['status', '--campaign', id]);
      expect(status.stdout).toContain('State: cancelled: 2 rows left, not sent: you cancelled them.');
      expect(status.stdout).toContain(`Resume it with:\n  campaign resume ${id} --contacts ${contacts}`);
    } finally {
      await mock.close();
    }
  });
});
