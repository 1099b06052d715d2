import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { JsonFileStore } from '../fakes/electron-store';
import type { FaultRule } from '../mock-server/faults';
import type { MockServer } from '../mock-server/mock-server';
import { columnOf } from './parity-compare';
import { expectParity } from './parity-expect';
import type { Scenario, SideRun } from './parity-harness';
import { cliSide, cliTotals, desktopSide, desktopTotals, nextBatch, startScenarioMock } from './parity-harness';

/**
 * Parity of a resume after the process went down mid-run. The CLI is killed for real (SIGKILL at
 * a crash point, in a child process) and the same command is run again; the desktop is shut down
 * mid-run (what quitting the app does), booted again on the same data dir, and the same CSV and
 * campaign started again. In both, the request in flight when the process went down was delivered
 * but its answer lost (a reset after processing), so the resume must read the conversation back
 * instead of sending again. Both must end with the same requests on the wire (every message once,
 * one read-back) and the same report.
 */

/** ResumeCase is a campaign whose process goes down while its `crashAt`-th message is on the wire. */
interface ResumeCase {
  scenario: Omit<Scenario, 'faults'>;
  /** The path of that message: delivered, its answer lost. */
  inDoubt: string;
  crashAt: number;
  /** What changes at the provider while the process is down. */
  meanwhile?: (mock: MockServer) => void;
}

/** lostAnswer: the first POST to `inDoubt` is delivered, then its connection dropped; `arrived` is told when it arrives. */
function lostAnswer(inDoubt: string, arrived: () => void = () => undefined): FaultRule {
  return (req) => {
    if (req.method !== 'POST' || req.path !== inDoubt || req.pathIndex !== 0) return undefined;
    arrived();
    return { action: 'reset-after' };
  };
}

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function cliCrashAndResume(c: ResumeCase): Promise<SideRun> {
  const s: Scenario = { ...c.scenario, faults: () => lostAnswer(c.inDoubt) };
  const mock = await startScenarioMock(s);
  cleanups.push(() => mock.close());
  const ws = await cliSide(s, mock);
  cleanups.push(() => ws.cleanup());
  const send = ['send', ws.contacts, '--spec', ws.spec, '--report', ws.reportPath];
  const crashed = await ws.crash(send, `request-answered:${c.crashAt}`);
  expect(crashed.signal, crashed.stderr).toBe('SIGKILL');
  expect(mock.requests.filter((r) => r.method === 'POST')).toHaveLength(c.crashAt);
  c.meanwhile?.(mock);

  const resumed = await ws.run(send);
  expect(resumed.stderr).toContain('Resuming campaign');
  // Once more, as a person unsure it worked would: nothing is sent again (a phone campaign looks its numbers up again).
  const posts = () => mock.requests.filter((r) => r.method === 'POST').length;
  const sent = posts();
  expect((await ws.run(send)).stderr).toContain('Resuming campaign');
  expect(posts()).toBe(sent);
  return { side: 'cli', mock, report: await readFile(ws.reportPath, 'utf8'), totals: cliTotals(resumed.stderr), paused: false, said: resumed.stderr };
}

async function desktopShutdownAndResume(c: ResumeCase): Promise<SideRun> {
  let quit: () => void = () => undefined;
  const s: Scenario = { ...c.scenario, faults: () => lostAnswer(c.inDoubt, () => quit()) };
  const mock: MockServer = await startScenarioMock(s);
  cleanups.push(() => mock.close());
  const dir = await mkdtemp(join(tmpdir(), 'parity-desktop-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  // The app's own folders, kept across the two boots (the harness's temp folder goes with each).
  const same = () => ({ dataDir: join(dir, 'data'), settings: new JsonFileStore(join(dir, 'config.json')) });

  const first = await desktopSide(s, mock, same());
  let shutdown: Promise<void> | undefined;
  quit = () => (shutdown = first.desk.shell.backend.shutdown());
  const { campaignId } = await first.desk.api.campaign.start({ datasetId: first.datasetId, spec: first.spec, profileId: first.profileId, skipInvalid: false });
  await first.desk.finished(campaignId);
  expect(shutdown, 'the app was not shut down mid-run').toBeDefined();
  await shutdown;
  await first.desk.close();
  expect(mock.requests.filter((r) => r.method === 'POST')).toHaveLength(c.crashAt);
  c.meanwhile?.(mock);

  // A new boot on the same data dir: the profile and its key are still there; the CSV is imported again.
  const second = await desktopSide(s, mock, same());
  cleanups.push(() => second.desk.close());
  const { api } = second.desk;
  expect((await api.campaign.history()).map((h) => [h.campaignId, h.state])).toEqual([[campaignId, 'interrupted']]);
  const again = await api.campaign.start({ datasetId: second.datasetId, spec: second.spec, profileId: second.profileId, skipInvalid: false });
  expect(again.campaignId).toBe(campaignId);
  const last = await second.desk.finished(campaignId);
  // Once more, right away, as a person unsure it worked would: nothing is sent again (a phone campaign looks its numbers up again).
  const posts = () => mock.requests.filter((r) => r.method === 'POST').length;
  const sent = posts();
  const since = second.desk.events.length;
  await api.campaign.start({ datasetId: second.datasetId, spec: second.spec, profileId: second.profileId, skipInvalid: false });
  await nextBatch(second.desk, api, campaignId, (b) => b.state === 'finished', since);
  expect(posts()).toBe(sent);
  const exported = join(dir, 'report.csv');
  second.desk.dialogs.answer(exported);
  expect(await api.campaign.exportReport({ campaignId })).toMatchObject({ saved: true });
  return { side: 'desktop', mock, report: await readFile(exported, 'utf8'), totals: desktopTotals(last.totals), paused: false, said: '' };
}

/** resumeParity runs a case through both front ends and holds them to parity. */
async function resumeParity(c: ResumeCase) {
  const cli = await cliCrashAndResume(c);
  const desktop = await desktopShutdownAndResume(c);
  const p = expectParity({ ...c.scenario }, cli, desktop);
  // The message in doubt was read back (its conversation's messages listed), not sent again.
  expect(p.wire.filter((w) => w.startsWith(`POST ${c.inDoubt}\n`))).toHaveLength(1);
  expect(p.wire.filter((w) => w.startsWith(`GET ${c.inDoubt}\n`))).toHaveLength(1);
  return p;
}

const text = { type: 'text', text: { body: 'Hi {{name}}' } };
const retry = { attempts: 3, baseDelayMs: 5, maxDelayMs: 20, timeoutMs: 5_000 };
// One at a time, so the process goes down at the same row on both sides.
const throttle = { concurrency: 1, perSecond: 500 };
const messagesOf = (id: string) => `/api/v1/conversations/${id}/messages/`;

describe('resume after the process went down mid-run: the CLI killed and re-run, the desktop shut down and booted again', () => {
  it('conversation ids: every message sent once, the one in doubt read back; the same wire and report', async () => {
    const ids = ['r-1', 'r-2', 'r-3', 'r-4', 'r-5', 'r-6'];
    const p = await resumeParity({
      scenario: {
        kind: 'wassist',
        header: ['conversation_id', 'name'],
        rows: ids.map((id, i) => [id, `Name ${i + 1}`]),
        conversations: ids.map((id) => ({ id })),
        campaign: { name: 'Resume', recipient: { conversationId: '{{conversation_id}}' }, message: text, throttle, retry },
      },
      inDoubt: messagesOf('r-3'),
      crashAt: 3,
    });
    for (const side of [p.cli, p.desktop]) expect(ids.map((id) => side.mock.delivered(id).length)).toEqual([1, 1, 1, 1, 1, 1]);
    expect(p.wire.filter((w) => w.startsWith('GET '))).toHaveLength(1);
    expect(columnOf(p.report, 'status')).toEqual(['sent', 'sent', 'sent', 'sent', 'sent', 'sent']);
    expect(p.desktop.totals).toEqual({ sent: 6, failed: 0, uncertain: 0, skipped: 0, pending: 0 });
  });

  it('phone numbers with a fallback, conversations changing while it is down: sent rows and the row in doubt keep their variant, the rest are routed afresh', async () => {
    const BOT = '6f1c9a2e-1b3d-4c5e-8f70-0a1b2c3d4e5f';
    const people = [
      ['c-ana', '447911123456', true],
      ['c-ben', '447911123457', true],
      ['c-cat', '447911123458', false],
      ['c-dee', '447911123459', true],
      ['c-eve', '447911123460', false],
    ] as const;
    const p = await resumeParity({
      scenario: {
        kind: 'wassist',
        header: ['phone', 'name'],
        rows: people.map(([id, number]) => [`+${number}`, id.slice(2)]),
        conversations: people.map(([id, number, active]) => ({ id, botId: BOT, number, active })),
        wassist: { maxPageSize: 2 },
        campaign: {
          recipient: { phone: '{{phone}}', botId: BOT },
          message: text,
          fallback: { template: { name: 'come_back', variables: { body: ['{{name}}'] } } },
          throttle,
          retry,
        },
      },
      inDoubt: messagesOf('c-cat'),
      crashAt: 3,
      meanwhile: (mock) => {
        const set = (id: string, active: boolean) => ((mock.state.conversations.get(id) as { active: boolean }).active = active);
        set('c-ana', false); // already sent: keeps "message"
        set('c-cat', true); // in doubt (sent the fallback): read back as the fallback, not sent the message too
        set('c-dee', false); // not sent yet: now takes the fallback
        set('c-eve', true); // not sent yet: now takes the message
      },
    });
    expect(columnOf(p.report, 'variant')).toEqual(['message', 'message', 'fallback', 'fallback', 'message']);
    expect(columnOf(p.report, 'status')).toEqual(['sent', 'sent', 'sent', 'sent', 'sent']);
    for (const side of [p.cli, p.desktop]) expect(people.map(([id]) => side.mock.delivered(id).length)).toEqual([1, 1, 1, 1, 1]);
  });
});
