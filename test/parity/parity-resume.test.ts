import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { JsonFileStore } from '../fakes/electron-store';
import type { FaultRule } from '../mock-server/faults';
import type { MockServer } from '../mock-server/mock-server';
import { BOT } from '../wassist/wassist-harness';
import { columnOf } from './parity-compare';
import { expectParity } from './parity-expect';
import type { Scenario, SideRun } from './parity-harness';
import type { CliSide } from './parity-harness';
import { bootDesktop } from '../desktop/desktop-harness';
import { cliSide, cliTotals, desktopSide, desktopTotals, nextBatch, startScenarioMock } from './parity-harness';

/**
 * Parity of a resume after the process went down mid-run. The CLI is killed for real (SIGKILL at
 * a crash point, in a child process) and the same command is run again; the desktop is shut down
 * mid-run (what quitting the app does), booted again on the same data dir, and the same CSV and
 * campaign started again; and crossed, each front end resuming in the workspace the other left.
 * Each time the request in flight when the process went down was delivered but its answer lost (a
 * reset after processing), so the resume must read the conversation back instead of sending again.
 * All must end with the same requests on the wire (every message once, one read-back) and the same
 * report.
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

/**
 * Place is where one run of a case happens: its own mock server and one workspace, which is the
 * CLI's `--state` and the desktop's data dir alike (the design has both front ends share it, so a
 * campaign started in one is found by the other).
 */
interface Place {
  c: ResumeCase;
  mock: MockServer;
  ws: CliSide;
  /** Called when the message in doubt reaches the server (the desktop quits there). */
  arrived: () => void;
}

async function place(c: ResumeCase): Promise<Place> {
  const p = { c, arrived: () => undefined } as Place;
  const s: Scenario = { ...c.scenario, faults: () => lostAnswer(c.inDoubt, () => p.arrived()) };
  p.mock = await startScenarioMock(s);
  cleanups.push(() => p.mock.close());
  p.ws = await cliSide(s, p.mock);
  cleanups.push(() => p.ws.cleanup());
  return p;
}

const sendArgs = (p: Place) => ['send', p.ws.contacts, '--spec', p.ws.spec, '--report', p.ws.reportPath];
const postCount = (p: Place) => p.mock.requests.filter((r) => r.method === 'POST').length;

/** bootOn boots a desktop on the place's workspace, with its profile, key and the contacts imported. */
async function bootOn(p: Place) {
  const overrides = { dataDir: p.ws.stateDir, settings: new JsonFileStore(join(p.ws.dir, 'config.json')) };
  return desktopSide({ ...p.c.scenario }, p.mock, overrides);
}

/** cliGoesDown runs `campaign send` in a child process that is killed (SIGKILL) once the message in doubt is answered. */
async function cliGoesDown(p: Place): Promise<void> {
  const crashed = await p.ws.crash(sendArgs(p), `request-answered:${p.c.crashAt}`);
  expect(crashed.signal, crashed.stderr).toBe('SIGKILL');
  expect(postCount(p)).toBe(p.c.crashAt);
  p.c.meanwhile?.(p.mock);
}

/** desktopGoesDown starts the campaign in the app and quits it (the backend's shutdown) while the message in doubt is on the wire. */
async function desktopGoesDown(p: Place): Promise<void> {
  const { desk, datasetId, spec, profileId } = await bootOn(p);
  let shutdown: Promise<void> | undefined;
  p.arrived = () => (shutdown = desk.shell.backend.shutdown());
  const { campaignId } = await desk.api.campaign.start({ datasetId, spec, profileId, skipInvalid: false });
  await desk.finished(campaignId);
  expect(shutdown, 'the app was not shut down mid-run').toBeDefined();
  await shutdown;
  await desk.close();
  expect(postCount(p)).toBe(p.c.crashAt);
  p.c.meanwhile?.(p.mock);
}

/** cliResumes runs the same `campaign send` again, then once more (nothing more may be sent), and answers its report. */
async function cliResumes(p: Place): Promise<SideRun> {
  const resumed = await p.ws.run(sendArgs(p));
  expect(resumed.stderr).toContain('Resuming campaign');
  // Once more, as a person unsure it worked would: nothing is sent again (a phone campaign looks its numbers up again).
  const sent = postCount(p);
  expect((await p.ws.run(sendArgs(p))).stderr).toContain('Resuming campaign');
  expect(postCount(p)).toBe(sent);
  return { side: 'cli', mock: p.mock, report: await readFile(p.ws.reportPath, 'utf8'), totals: cliTotals(resumed.stderr), paused: false, said: resumed.stderr };
}

/** desktopResumes boots the app on the workspace, imports the same CSV, starts the same campaign (twice) and exports the report. */
async function desktopResumes(p: Place): Promise<SideRun> {
  const { desk, datasetId, spec, profileId } = await bootOn(p);
  cleanups.push(() => desk.close());
  const { api } = desk;
  const [earlier] = await api.campaign.history();
  expect(earlier?.state).toBe('interrupted');
  const request = { datasetId, spec, profileId, skipInvalid: false };
  const { campaignId } = await api.campaign.start(request);
  expect(campaignId).toBe(earlier?.campaignId);
  const last = await desk.finished(campaignId);
  // Once more, right away, as a person unsure it worked would: nothing is sent again.
  const sent = postCount(p);
  const since = desk.events.length;
  await api.campaign.start(request);
  await nextBatch(desk, api, campaignId, (b) => b.state === 'finished', since);
  expect(postCount(p)).toBe(sent);
  const exported = join(p.ws.dir, 'exported.csv');
  desk.dialogs.answer(exported);
  expect(await api.campaign.exportReport({ campaignId, format: 'csv' })).toMatchObject({ saved: true });
  return { side: 'desktop', mock: p.mock, report: await readFile(exported, 'utf8'), totals: desktopTotals(last.totals), paused: false, said: '' };
}

/**
 * cliResumesById resumes without the files, as `campaign status` tells: the command it prints
 * (`campaign resume <id> --contacts <file>`) is run as printed, with the report asked for.
 */
async function cliResumesById(p: Place): Promise<SideRun> {
  const id = (await p.ws.run(['list'])).stdout.split('\n').find((l) => l.includes('interrupted'))?.split(/\s+/)[0] ?? '';
  // Without the key: status would otherwise also read the engagement of the messages sent before
  // the crash (requests, and columns in the report, the app's Resume does not make); the command it
  // prints is the same either way.
  const status = await p.ws.run(['status', '--campaign', id], {});
  expect(status.stderr).toContain('Set CAMPAIGN_API_KEY to read what became of the messages sent');
  const lines = status.stdout.split('\n');
  const printed = (lines[lines.indexOf('Resume it with:') + 1] ?? '').trim().split(' ');
  expect(printed).toEqual(['campaign', 'resume', id, '--contacts', p.ws.contacts, '--state', p.ws.stateDir]);
  const resumed = await p.ws.run([...printed.slice(1, -2), '--report', p.ws.reportPath]);
  expect(resumed.stderr).toContain(`Resuming campaign ${id}`);
  return { side: 'cli', mock: p.mock, report: await readFile(p.ws.reportPath, 'utf8'), totals: cliTotals(resumed.stderr), paused: false, said: resumed.stderr };
}

/** desktopResumesById boots the app on the workspace again and presses Resume: nothing imported, no campaign given. */
async function desktopResumesById(p: Place): Promise<SideRun> {
  const desk = bootDesktop({ dataDir: p.ws.stateDir, settings: new JsonFileStore(join(p.ws.dir, 'config.json')) });
  cleanups.push(() => desk.close());
  const [interrupted] = await desk.api.campaign.interrupted({});
  expect(interrupted?.blocked).toBeUndefined();
  const { campaignId } = await desk.api.campaign.resumeInterrupted({ campaignId: interrupted?.campaignId ?? '' });
  const last = await desk.finished(campaignId);
  const exported = join(p.ws.dir, 'exported.csv');
  desk.dialogs.answer(exported);
  expect(await desk.api.campaign.exportReport({ campaignId, format: 'csv' })).toMatchObject({ saved: true });
  return { side: 'desktop', mock: p.mock, report: await readFile(exported, 'utf8'), totals: desktopTotals(last.totals), paused: false, said: '' };
}

/** holdToParity compares two resumed runs of `c`; the message in doubt was read back (its conversation listed), not sent again. */
function holdToParity(c: ResumeCase, a: SideRun, b: SideRun) {
  const p = expectParity({ ...c.scenario }, a, b);
  expect(p.wire.filter((w) => w.startsWith(`POST ${c.inDoubt}\n`))).toHaveLength(1);
  expect(p.wire.filter((w) => w.startsWith(`GET ${c.inDoubt}\n`))).toHaveLength(1);
  return p;
}

/** resumeParity: the CLI killed and re-run against the desktop quit and booted again. */
async function resumeParity(c: ResumeCase) {
  const cli = await place(c);
  await cliGoesDown(cli);
  const cliRun = await cliResumes(cli);
  const desk = await place(c);
  await desktopGoesDown(desk);
  return holdToParity(c, cliRun, await desktopResumes(desk));
}

const text = { type: 'text', text: { body: 'Hi {{name}}' } };
const retry = { attempts: 3, baseDelayMs: 5, maxDelayMs: 20, timeoutMs: 5_000 };
// One at a time, so the process goes down at the same row on both sides.
const throttle = { concurrency: 1, perSecond: 500 };
const messagesOf = (id: string) => `/api/v1/conversations/${id}/messages/`;

const ids = ['r-1', 'r-2', 'r-3', 'r-4', 'r-5', 'r-6'];
const byId: ResumeCase = {
  scenario: {
    kind: 'wassist',
    header: ['conversation_id', 'name'],
    rows: ids.map((id, i) => [id, `Name ${i + 1}`]),
    conversations: ids.map((id) => ({ id })),
    campaign: { name: 'Resume', recipient: { conversationId: '{{conversation_id}}' }, message: text, throttle, retry },
  },
  inDoubt: messagesOf('r-3'),
  crashAt: 3,
};

describe('resume after the process went down mid-run: the CLI killed and re-run, the desktop shut down and booted again', () => {
  it('conversation ids: every message sent once, the one in doubt read back; the same wire and report', async () => {
    const p = await resumeParity(byId);
    for (const side of [p.cli, p.desktop]) expect(ids.map((id) => side.mock.delivered(id).length)).toEqual([1, 1, 1, 1, 1, 1]);
    // One conversation read back (the row in doubt); the other GETs check conversations before sending.
    expect(p.wire.filter((w) => w.startsWith('GET ') && w.split('\n')[0]?.includes('/messages/'))).toHaveLength(1);
    expect(columnOf(p.report, 'status')).toEqual(['sent', 'sent', 'sent', 'sent', 'sent', 'sent']);
    expect(p.desktop.totals).toEqual({ sent: 6, failed: 0, uncertain: 0, skipped: 0, pending: 0 });
  });

  it('one workspace, crossed: the desktop resumes what the killed CLI left, the CLI what the quit desktop left; the same wire and report', async () => {
    const a = await place(byId);
    await cliGoesDown(a);
    const desktopAfterCli = await desktopResumes(a);
    const b = await place(byId);
    await desktopGoesDown(b);
    const cliAfterDesktop = await cliResumes(b);
    const p = holdToParity(byId, cliAfterDesktop, desktopAfterCli);
    for (const side of [p.cli, p.desktop]) expect(ids.map((id) => side.mock.delivered(id).length)).toEqual([1, 1, 1, 1, 1, 1]);
    expect(columnOf(p.report, 'status')).toEqual(['sent', 'sent', 'sent', 'sent', 'sent', 'sent']);
  });

  it('without its files: the command campaign status prints and the app\'s Resume (nothing imported) end the same', async () => {
    const cli = await place(byId);
    await cliGoesDown(cli);
    const cliRun = await cliResumesById(cli);
    const desk = await place(byId);
    await desktopGoesDown(desk);
    const p = holdToParity(byId, cliRun, await desktopResumesById(desk));
    for (const side of [p.cli, p.desktop]) expect(ids.map((id) => side.mock.delivered(id).length)).toEqual([1, 1, 1, 1, 1, 1]);
    expect(columnOf(p.report, 'status')).toEqual(['sent', 'sent', 'sent', 'sent', 'sent', 'sent']);
  });

  it('phone numbers with a fallback, conversations changing while it is down: sent rows and the row in doubt keep their variant, the rest are routed afresh', async () => {
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
