import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { main } from '../../electron/cli/main';
import type { MockServer } from '../mock-server/mock-server';
import { mockApiKey, startMockServer } from '../mock-server/mock-server';
import type { Workspace } from './cli-harness';
import { csv, readReport, workspace } from './cli-harness';

/**
 * The frequency cap, retrying what failed, and `--at`, through the real CLI against the strict
 * Wassist mock.
 */

const key = { CAMPAIGN_API_KEY: mockApiKey };
const header = ['conversation_id', 'name'];
const rows = [
  ['conv-1', 'Ana'],
  ['conv-2', 'Ben'],
  ['conv-3', 'Cat'],
  ['conv-4', 'Dan'],
];

function spec(baseUrl: string, name: string, extra: object = {}) {
  return {
    name,
    provider: { kind: 'wassist', baseUrl },
    recipient: { conversationId: '{{conversation_id}}' },
    message: { type: 'template', template: { name: 'update', variables: { body: ['{{name}}'] } } },
    throttle: { concurrency: 1, perSecond: 100 },
    retry: { attempts: 2, baseDelayMs: 5, maxDelayMs: 10, timeoutMs: 2_000, pauseAfterFailures: 0 },
    ...extra,
  };
}

let ws: Workspace;
let mock: MockServer;
const posted = () => mock.requests.filter((q) => q.method === 'POST').map((q) => q.path.split('/')[4]);

beforeEach(async () => {
  ws = await workspace();
  mock = await startMockServer({ kind: 'wassist', conversations: ['conv-1', 'conv-2', 'conv-3', 'conv-4', 'conv-5'].map((id) => ({ id })) });
});
afterEach(async () => {
  await mock.close();
  await ws.cleanup();
});

describe('the frequency cap', () => {
  it('is off by default: a second campaign reaches the same recipients', async () => {
    const first = await ws.file('first.csv', csv(header, rows.slice(0, 2)));
    const second = await ws.file('second.csv', csv(header, [['conv-1', 'Ana'], ['conv-5', 'Eve']]));
    await ws.run(['send', first, '--spec', await ws.file('a.campaign.json', spec(mock.url, 'A'))], key);
    await ws.run(['send', second, '--spec', await ws.file('b.campaign.json', spec(mock.url, 'B'))], key);
    expect(posted()).toEqual(['conv-1', 'conv-2', 'conv-1', 'conv-5']);
  });

  it('set to 1 per 24 h, skips a recipient another campaign messaged, with the date of that message; earlier campaigns count too', async () => {
    const first = await ws.file('first.csv', csv(header, rows.slice(0, 2)));
    await ws.run(['send', first, '--spec', await ws.file('a.campaign.json', spec(mock.url, 'A'))], key); // before any cap: counted by the backfill
    const set = await ws.run(['settings', '--frequency-cap', '1/24h']);
    expect(set.stdout).toBe('Frequency cap: 1 message per 24 h per recipient\nOpt-out list: 0 entries\n');
    expect(set.stderr).toBe('Counted 2 earlier messages from 1 campaign of this workspace.\n');
    const second = await ws.file('second.csv', csv(header, [['conv-1', 'Ana'], ['conv-5', 'Eve'], ['conv-5', 'Eve again']]));
    const bSpec = await ws.file('b.campaign.json', spec(mock.url, 'B'));
    const v = await ws.run(['validate', second, '--spec', bSpec]);
    expect(v.stdout).toContain('3 rows: 1 ready to send, 2 over the frequency cap (skipped)');
    const report = `${ws.dir}/b.csv`;
    const r = await ws.run(['send', second, '--spec', bSpec, '--report', report], key);
    expect(r.code).toBe(0);
    expect(posted()).toEqual(['conv-1', 'conv-2', 'conv-5']);
    const out = (await readReport(report)).rows;
    expect(out[0]?.error).toMatch(/^over the frequency cap \(1 message per 24 h\): last messaged on \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC$/);
    expect(out[2]?.error).toBe('over the frequency cap (1 message per 24 h): row 2 of this campaign messages the same recipient');
    // A third campaign: conv-5 was just messaged by B, as the history recorded while B sent.
    const third = await ws.file('third.csv', csv(header, [['conv-5', 'Eve'], ['conv-4', 'Dan']]));
    await ws.run(['send', third, '--spec', await ws.file('c.campaign.json', spec(mock.url, 'C'))], key);
    expect(posted()).toEqual(['conv-1', 'conv-2', 'conv-5', 'conv-4']);
    expect((await ws.run(['settings', '--frequency-cap', 'off'])).stdout).toContain('Frequency cap: off');
  });

  it('a campaign may set the cap aside, with a reason', async () => {
    await ws.run(['settings', '--frequency-cap', '1/7d']);
    const file = await ws.file('c.csv', csv(header, [['conv-1', 'Ana']]));
    await ws.run(['send', file, '--spec', await ws.file('a.campaign.json', spec(mock.url, 'A'))], key);
    const receipt = await ws.file('r.campaign.json', spec(mock.url, 'Receipt', { audience: { ignoreFrequencyCap: 'a receipt of their order' } }));
    const r = await ws.run(['send', file, '--spec', receipt], key);
    expect(r.stderr).toContain('This campaign ignores the frequency cap (audience.ignoreFrequencyCap): a receipt of their order');
    expect(posted()).toEqual(['conv-1', 'conv-1']);
  });
});

describe('send --retry-failed', () => {
  it('sends again exactly the failed rows (optionally some kinds) as linked runs with their own reports; sent rows never; opt-outs apply again', async () => {
    const contacts = await ws.file('contacts.csv', csv(header, rows));
    const file = await ws.file('c.campaign.json', spec(mock.url, 'Retry me'));
    mock.setFaults((q) => (q.method !== 'POST' ? undefined : q.path.includes('/conv-2/') ? { status: 400 } : q.path.includes('/conv-3/') || q.path.includes('/conv-4/') ? { status: 503 } : undefined));
    const first = await ws.run(['send', contacts, '--spec', file], key);
    expect(first.code).toBe(1);
    expect(posted().sort()).toEqual(['conv-1', 'conv-2', 'conv-3', 'conv-3', 'conv-4', 'conv-4']); // a 503 is retried once, a 400 never
    mock.setFaults(undefined);
    mock.requests.length = 0;

    await ws.run(['optout', 'add', 'conv-4', '--kind', 'conversation']);
    const report = `${ws.dir}/retry.csv`;
    const retry = await ws.run(['send', contacts, '--spec', file, '--retry-failed', '--errors', '5xx', '--report', report], key);
    expect(retry.stderr).toMatch(/Retrying 2 failed rows of campaign [0-9a-f]{16} as campaign [0-9a-f]{16}-retry \(rows already sent are never included\)/);
    expect(retry.code).toBe(0);
    expect(posted()).toEqual(['conv-3']); // conv-4 opted out meanwhile; conv-2's 400 was not asked for
    const out = (await readReport(report)).rows;
    expect(out.map((r) => [r.row, r.status])).toEqual([
      ['3', 'sent'],
      ['4', 'skipped'],
    ]);
    expect(out[1]?.error).toMatch(/^opted out on /);

    // The latest run is now the retry, whose rows did not fail: the 400 row failed in the first run only.
    const again = await ws.run(['send', contacts, '--spec', file, '--retry-failed'], key);
    expect(again.stderr).toMatch(/No rows failed in campaign [0-9a-f]{16}-retry: nothing to retry\./);
    expect(posted()).toEqual(['conv-3']);
  });

  it('retries every failed row by default, and says so when the campaign never ran', async () => {
    const contacts = await ws.file('contacts.csv', csv(header, rows));
    const file = await ws.file('c.campaign.json', spec(mock.url, 'Retry all'));
    const never = await ws.run(['send', contacts, '--spec', file, '--retry-failed'], key);
    expect(never.code).toBe(2);
    expect(never.stderr).toContain('this campaign has not run yet in this workspace, so nothing has failed');
    mock.setFaults((q) => (q.method === 'POST' && (q.path.includes('/conv-2/') || q.path.includes('/conv-4/')) ? { status: 404 } : undefined));
    await ws.run(['send', contacts, '--spec', file], key);
    mock.setFaults(undefined);
    mock.requests.length = 0;
    const retry = await ws.run(['send', contacts, '--spec', file, '--retry-failed'], key);
    expect(retry.code).toBe(0);
    expect(posted()).toEqual(['conv-2', 'conv-4']);
    expect(retry.stderr).toContain('Done: sent 2 · failed 0 · uncertain 0 · skipped 0 · pending 0 (of 2 rows)');
  });
});

describe('send --at', () => {
  it('checks the rows at once, waits until its time, then sends', async () => {
    const contacts = await ws.file('contacts.csv', csv(header, rows.slice(0, 1)));
    const file = await ws.file('c.campaign.json', spec(mock.url, 'Later'));
    const at = Date.now() + 1_500;
    const r = await ws.run(['send', contacts, '--spec', file, '--at', new Date(at).toISOString()], key);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/1 row: 1 ready to send\nWaiting to send at .* \(in \ds\)\. Ctrl-C cancels\.\nStarting now\./);
    const post = mock.requests.find((q) => q.method === 'POST');
    expect(post?.time).toBeGreaterThanOrEqual(at);
  });

  it('Ctrl-C cancels the wait: nothing is sent', async () => {
    const contacts = await ws.file('contacts.csv', csv(header, rows.slice(0, 1)));
    const file = await ws.file('c.campaign.json', spec(mock.url, 'Never'));
    let stderr = '';
    let interrupt: (() => void) | undefined;
    const done = main(['send', contacts, '--spec', file, '--at', new Date(Date.now() + 60_000).toISOString(), '--state', ws.stateDir], {
      env: key,
      stdout: { write: () => true },
      stderr: {
        write: (t: string) => {
          stderr += t;
          if (t.startsWith('Waiting to send')) setTimeout(() => interrupt?.(), 10);
          return true;
        },
      },
      onInterrupt: (handler) => {
        interrupt = handler;
        return () => (interrupt = undefined);
      },
    });
    expect(await done).toBe(1);
    expect(stderr).toContain('Cancelled before the start: nothing was sent.');
    expect(mock.requests).toEqual([]);
  });

  it('refuses a time it cannot read', async () => {
    const contacts = await ws.file('contacts.csv', csv(header, rows.slice(0, 1)));
    const file = await ws.file('c.campaign.json', spec(mock.url, 'Bad'));
    const r = await ws.run(['send', contacts, '--spec', file, '--at', 'tomorrow 9am'], key);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--at: must be an ISO 8601 time such as 2026-03-14T09:00');
  });
});
