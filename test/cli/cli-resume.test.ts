import { spawn } from 'node:child_process';
import { rename } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { MockServer } from '../mock-server/mock-server';
import { mockApiKey, startMockServer } from '../mock-server/mock-server';
import type { Workspace } from './cli-harness';
import { csv, readReport, runCampaign, workspace } from './cli-harness';

/**
 * Issue 14, item 14, at the terminal: a `campaign send` killed mid-run (SIGKILL while a message is
 * on the wire, its answer received but not yet recorded) leaves an interrupted campaign. `campaign
 * list` shows it, `campaign status` says how it stands and prints the exact command that resumes
 * it, and that command, run as printed (no campaign file), finishes it: the strict mock sees every
 * row exactly once, the one in doubt read back (Wassist) or left uncertain (Pingback).
 */

const root = join(import.meta.dirname, '..', '..');
const key = { CAMPAIGN_API_KEY: mockApiKey };
const ids = ['r-1', 'r-2', 'r-3', 'r-4', 'r-5', 'r-6'];
// Pingback's conversation ids are UUIDs.
const uuids = ids.map((_, i) => `00000000-0000-4000-8000-00000000000${i + 1}`);
const rowsOf = (conversations: string[]) => conversations.map((id, i) => [id, `Name ${i + 1}`]);
const retry = { attempts: 3, baseDelayMs: 5, maxDelayMs: 20, timeoutMs: 5_000 };
// One at a time, so the process goes down at a known row.
const throttle = { concurrency: 1, perSecond: 500 };

let ws: Workspace;
let mock: MockServer;

afterEach(async () => {
  await mock?.close();
  await ws?.cleanup();
});

/** crashSend runs the real CLI (test/crash/crash-cli.ts) and kills it with SIGKILL once the third message's answer has arrived. */
function crashSend(args: string[]): Promise<NodeJS.Signals | null> {
  const entry = join(root, 'test', 'crash', 'crash-cli.ts');
  const env = { PATH: process.env.PATH, HOME: ws.dir, ...key, CAMPAIGN_CRASH_AT: 'request-answered:3' };
  const child = spawn(process.execPath, ['--import', 'tsx', entry, ...args, '--state', ws.stateDir], { cwd: root, env, stdio: 'ignore' });
  return new Promise((resolve) => child.on('close', (_code, signal) => resolve(signal)));
}

/** printedCommand is the command `campaign status` printed under "Resume it with:", as argv. */
function printedCommand(stdout: string): string[] {
  const lines = stdout.split('\n');
  const at = lines.findIndex((l) => /^Resume it with:|name that file to resume it:$/.test(l));
  expect(at, stdout).toBeGreaterThanOrEqual(0);
  return (lines[at + 1] ?? '').trim().split(' ');
}

const posts = () => mock.requests.filter((q) => q.method === 'POST').map((q) => q.path);

/** interrupt sends the campaign with the CLI and kills it mid-run; answers its id, as `campaign list` shows it. */
async function interrupt(spec: object, conversations: string[]): Promise<{ contacts: string; id: string }> {
  const contacts = await ws.file('contacts.csv', csv(['conversation_id', 'name'], rowsOf(conversations)));
  const specPath = await ws.file('c.campaign.json', spec);
  expect(await crashSend(['send', contacts, '--spec', specPath])).toBe('SIGKILL');
  expect(posts()).toHaveLength(3);
  const list = await ws.run(['list']);
  expect(list.code).toBe(0);
  const line = list.stdout.split('\n').find((l) => l.includes('interrupted'));
  expect(line, list.stdout).toContain('contacts.csv');
  return { contacts, id: (line ?? '').split(/\s+/)[0] as string };
}

describe('campaign status prints the command that resumes an interrupted campaign, and it finishes it', () => {
  it('Wassist: killed mid-run, resumed as printed; every message once, the one in doubt read back', async () => {
    ws = await workspace();
    mock = await startMockServer({ kind: 'wassist', conversations: ids.map((id) => ({ id })) });
    const { contacts, id } = await interrupt({
      name: 'Resume me',
      provider: { kind: 'wassist', baseUrl: mock.url },
      recipient: { conversationId: '{{conversation_id}}' },
      message: { type: 'text', text: { body: 'Hi {{name}}' } },
      throttle,
      retry,
    }, ids);
    const status = await ws.run(['status', '--campaign', id]);
    expect(status.code).toBe(0);
    expect(status.stdout).toContain(`Campaign ${id}: "Resume me" (contacts.csv, wassist)`);
    expect(status.stdout).toContain('State: interrupted: 4 rows left');
    expect(status.stdout).toContain('1 row was in flight when it stopped');
    const command = printedCommand(status.stdout);
    expect(command).toEqual(['campaign', 'resume', id, '--contacts', contacts, '--state', ws.stateDir]);

    const report = join(ws.dir, 'report.csv');
    const resumed = await runCampaign([...command.slice(1), '--report', report], ws.dir, key);
    expect(resumed.stderr).toContain(`Resuming campaign ${id}`);
    expect(resumed.stderr).toContain('Done: sent 6 · failed 0 · uncertain 0 · skipped 0 · pending 0 (of 6 rows)');
    expect(resumed.code).toBe(0);
    expect(ids.map((c) => mock.delivered(c).length)).toEqual([1, 1, 1, 1, 1, 1]);
    expect(posts().filter((p) => p.includes('/r-3/'))).toHaveLength(1);
    // The message in doubt was looked for in its conversation, once (the other reads check conversations).
    expect(mock.requests.filter((q) => q.method === 'GET' && q.path.endsWith('/messages/')).map((q) => q.path)).toEqual(['/api/v1/conversations/r-3/messages/']);
    expect((await readReport(report)).rows.map((r) => r.status)).toEqual(['sent', 'sent', 'sent', 'sent', 'sent', 'sent']);

    const after = await ws.run(['status', '--campaign', id]);
    expect(after.stdout).toContain('State: finished: nothing is left to send.');
    expect(after.stdout).not.toContain('campaign resume');
  });

  it('Pingback, contacts moved: status asks for the file, another file is refused, the moved one finishes it', async () => {
    ws = await workspace();
    mock = await startMockServer({ kind: 'pingback', conversations: uuids.map((id) => ({ id })) });
    const specFile = {
      provider: { kind: 'pingback', baseUrl: mock.url },
      recipient: { conversationId: '{{conversation_id}}' },
      message: { content: 'Hi {{name}}' },
      throttle,
      retry,
    };
    const { contacts, id } = await interrupt(specFile, uuids);
    // The file-and-spec form says the same, for any provider.
    const byFiles = await ws.run(['status', contacts, '--spec', join(ws.dir, 'c.campaign.json')], key);
    expect(byFiles.code).toBe(0);
    expect(byFiles.stdout).toContain('State: interrupted: 4 rows left');

    const moved = join(ws.dir, 'moved.csv');
    await rename(contacts, moved);
    const status = await ws.run(['status', '--campaign', id]);
    expect(status.stdout).toContain(`Its contacts (contacts.csv) are neither in the workspace nor at ${contacts}; name that file to resume it:`);
    expect(printedCommand(status.stdout)).toEqual(['campaign', 'resume', id, '--contacts', "'<contacts.csv>'", '--state', ws.stateDir]);

    const without = await ws.run(['resume', id], key);
    expect(without.code).toBe(2);
    expect(without.stderr).toContain('Name contacts.csv with --contacts <file>.');
    const other = await ws.file('other.csv', csv(['conversation_id', 'name'], rowsOf(uuids).slice(0, 5)));
    const wrong = await ws.run(['resume', id, '--contacts', other], key);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain('other.csv has other content than the contacts.csv this campaign was sent to.');
    expect(posts()).toHaveLength(3);

    const resumed = await ws.run(['resume', id, '--contacts', moved], key);
    expect(resumed.stderr).toContain(`Resuming campaign ${id}`);
    // Pingback cannot be asked whether the message in doubt arrived: it stays uncertain, never sent twice.
    expect(resumed.stderr).toContain('Done: sent 5 · failed 0 · uncertain 1 · skipped 0 · pending 0 (of 6 rows)');
    expect(resumed.code).toBe(1);
    const sent = posts();
    expect(sent).toHaveLength(6);
    expect(new Set(sent).size).toBe(6);
  });
});
