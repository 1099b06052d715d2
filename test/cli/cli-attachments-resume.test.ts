import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Papa from 'papaparse';
import { afterEach, describe, expect, it } from 'vitest';
import { crashTestBundle, freshBundle } from '../../scripts/build-cli.mjs';
import { answerOf, pdfBytes, stepsOf, uploadsTo, writeFiles } from '../attachments/attachment-files';
import type { MockServer } from '../mock-server/mock-server';
import { mockApiKey, startMockServer } from '../mock-server/mock-server';
import { readReport } from './cli-harness';

/**
 * A crash between a row's upload and its message, for real: the CLI (the crash-test bundle) is
 * killed with SIGKILL at a crash point, then the same command runs again. What the journal kept
 * decides what the resume does: an upload whose answer was recorded is referenced, not made again;
 * one whose answer was lost is made again (the provider keeps a file nobody references, the customer
 * sees one); a message in doubt is uncertain, and sent again only on request, with the same files.
 */

const conv = (i: number) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
const root = join(import.meta.dirname, '..', '..');

interface World {
  mock: MockServer;
  dir: string;
  report: string;
  send(crashAt?: string, extra?: string[]): Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>;
  /** Runs `campaign <args> --state <workspace>` (the same bundle, no crash). */
  cli(args: string[]): Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>;
}

let cleanup: (() => Promise<void>) | undefined;
afterEach(async () => {
  await cleanup?.();
  cleanup = undefined;
});

async function world(rows: number): Promise<World> {
  const entry = await freshBundle(crashTestBundle);
  const dir = await mkdtemp(join(tmpdir(), 'campaign-attach-crash-'));
  const mock = await startMockServer({ kind: 'pingback', conversations: Array.from({ length: rows }, (_, i) => ({ id: conv(i + 1) })) });
  cleanup = async () => {
    await mock.close();
    await rm(dir, { recursive: true, force: true });
  };
  await writeFiles(dir, { 'brochure.pdf': pdfBytes('brochure') });
  const contacts = join(dir, 'contacts.csv');
  await writeFile(contacts, Papa.unparse([['conversation_id', 'name'], ...Array.from({ length: rows }, (_, i) => [conv(i + 1), `N${i + 1}`])], { newline: '\r\n' }));
  const spec = join(dir, 'c.campaign.json');
  await writeFile(
    spec,
    JSON.stringify({
      provider: { kind: 'pingback', baseUrl: mock.url },
      recipient: { conversationId: '{{conversation_id}}' },
      message: { content: 'Hi {{name}}' },
      files: ['brochure.pdf'],
      throttle: { concurrency: 1, perSecond: 200 },
      retry: { attempts: 3, baseDelayMs: 10, maxDelayMs: 50, timeoutMs: 2_000 },
    }),
  );
  const report = join(dir, 'report.csv');
  const cli = (args: string[], crashAt?: string) => {
    const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: dir, CAMPAIGN_API_KEY: mockApiKey };
    if (crashAt !== undefined) env.CAMPAIGN_CRASH_AT = crashAt;
    const child = spawn(process.execPath, [entry, ...args, '--state', join(dir, 'state')], { cwd: root, env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    return new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>((resolve) => child.on('close', (code, signal) => resolve({ code, signal, stderr })));
  };
  return {
    mock,
    dir,
    report,
    send: (crashAt, extra = []) => cli(['send', contacts, '--spec', spec, '--report', report, ...extra], crashAt),
    cli: (args) => cli(args),
  };
}

describe('resume after a crash between a row’s upload and its message', () => {
  it('the upload’s answer was recorded: the resume references it and uploads nothing again', async () => {
    // One row, so nothing else is on its way when the process dies (concurrency frees the slot before recording).
    const w = await world(1);
    const crashed = await w.send('upload-recorded:1');
    expect(crashed.signal).toBe('SIGKILL');
    // The file is uploaded and its answer recorded; the message never started.
    expect(stepsOf(w.mock, conv(1)).map((s) => s.kind)).toEqual(['upload']);

    const resumed = await w.send();
    expect(resumed.code).toBe(0);
    expect(stepsOf(w.mock, conv(1)).map((s) => s.kind)).toEqual(['upload', 'message']);
    const [upload] = uploadsTo(w.mock, conv(1));
    expect(w.mock.delivered(conv(1))).toHaveLength(1);
    expect(w.mock.delivered(conv(1))[0]?.request.attachments).toEqual([answerOf(upload as NonNullable<typeof upload>)]);
    // The upload made before the crash counts: two requests in all.
    expect((await readReport(w.report)).rows.map((r) => [r.status, r.attempts])).toEqual([['sent', '2']]);
  });

  it('the upload’s answer was lost in the crash: the resume uploads that file again and references the new one (the customer sees one)', async () => {
    const w = await world(2);
    expect((await w.send('upload-answered:1')).signal).toBe('SIGKILL');
    expect(stepsOf(w.mock, conv(1)).map((s) => s.kind)).toEqual(['upload']);

    expect((await w.send()).code).toBe(0);
    expect(stepsOf(w.mock, conv(1)).map((s) => s.kind)).toEqual(['upload', 'upload', 'message']);
    const uploads = uploadsTo(w.mock, conv(1));
    expect(w.mock.delivered(conv(1))).toHaveLength(1);
    expect(w.mock.delivered(conv(1))[0]?.request.attachments).toEqual([answerOf(uploads[1] as NonNullable<(typeof uploads)[1]>)]);
  });

  it('the message was on the wire: the row is uncertain and not resent; --resend-uncertain sends it with the file already uploaded', async () => {
    const w = await world(2);
    expect((await w.send('request-answered:1')).signal).toBe('SIGKILL');
    expect(w.mock.delivered(conv(1))).toHaveLength(1);

    const resumed = await w.send();
    expect(resumed.code).toBe(1);
    expect((await readReport(w.report)).rows.map((r) => r.status)).toEqual(['uncertain', 'sent']);
    expect(stepsOf(w.mock, conv(1)).map((s) => s.kind)).toEqual(['upload', 'message']);

    const resent = await w.send(undefined, ['--resend-uncertain']);
    expect(resent.code).toBe(0);
    expect(stepsOf(w.mock, conv(1)).map((s) => s.kind)).toEqual(['upload', 'message', 'message']);
    const [upload] = uploadsTo(w.mock, conv(1));
    expect(w.mock.delivered(conv(1)).map((m) => m.request.attachments)).toEqual([[answerOf(upload as NonNullable<typeof upload>)], [answerOf(upload as NonNullable<typeof upload>)]]);
  });

  it('`campaign resume <id>` reads the files in the contacts file’s folder again and references the upload already recorded', async () => {
    const w = await world(1);
    const crashed = await w.send('upload-recorded:1');
    expect(crashed.signal).toBe('SIGKILL');
    const id = /Campaign ([0-9a-f-]+)/.exec(crashed.stderr)?.[1];
    expect(id, crashed.stderr).toBeDefined();
    const resumed = await w.cli(['resume', id as string, '--report', w.report]);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(stepsOf(w.mock, conv(1)).map((s) => s.kind)).toEqual(['upload', 'message']);
    expect(w.mock.delivered(conv(1))[0]?.request.attachments).toEqual(uploadsTo(w.mock, conv(1)).map(answerOf));
  });
});
