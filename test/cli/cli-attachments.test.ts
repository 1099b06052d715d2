import { symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { UPLOAD_MAX_BYTES } from '../../shared/providers/pingback-upload';
import { answerOf, pdfBytes, pngBytes, sha256, stepsOf, uploadsTo, writeFiles, writeLargeFile } from '../attachments/attachment-files';
import type { MockServer } from '../mock-server/mock-server';
import { mockApiKey, startMockServer } from '../mock-server/mock-server';
import type { Workspace } from './cli-harness';
import { csv, readReport, workspace } from './cli-harness';

/**
 * `campaign send` of a Pingback campaign that attaches files, against the strict mock: each file is
 * uploaded (multipart, field `file`) into the row's conversation before its message, and the message
 * references what the upload answered. Files are read inside the contacts file's folder only.
 */

const conv = (i: number) => `c3d4e5f6-a7b8-4012-8def-${String(i).padStart(12, '0')}`;
const key = { CAMPAIGN_API_KEY: mockApiKey };

function spec(baseUrl: string, files: string[], extra: object = {}) {
  return {
    provider: { kind: 'pingback', baseUrl },
    recipient: { conversationId: '{{conversation_id}}' },
    message: { content: 'Hi {{name}}, your documents are attached.' },
    files,
    throttle: { concurrency: 2, perSecond: 50 },
    retry: { attempts: 3, baseDelayMs: 10, maxDelayMs: 50, timeoutMs: 2_000 },
    ...extra,
  };
}

let ws: Workspace;
let mock: MockServer;

beforeEach(async () => {
  ws = await workspace();
  mock = await startMockServer({ kind: 'pingback', conversations: [1, 2, 3].map((i) => ({ id: conv(i) })) });
});

afterEach(async () => {
  await mock.close();
  await ws.cleanup();
});

describe('campaign send with files (Pingback)', () => {
  it('one file for everyone: uploaded into each conversation before its message, which references what the upload answered', async () => {
    const brochure = pdfBytes('brochure');
    await writeFiles(ws.dir, { 'brochure.pdf': brochure });
    const contacts = await ws.file('contacts.csv', csv(['conversation_id', 'name'], [[conv(1), 'Ana'], [conv(2), 'Ben'], [conv(3), 'Cy']]));
    const campaign = await ws.file('c.campaign.json', spec(mock.url, ['brochure.pdf']));
    const report = join(ws.dir, 'report.csv');
    const r = await ws.run(['send', contacts, '--spec', campaign, '--report', report], key);
    expect(r.stderr).toContain('Done: sent 3');
    expect(r.code).toBe(0);
    for (const i of [1, 2, 3]) {
      const steps = stepsOf(mock, conv(i));
      expect(steps.map((s) => s.kind)).toEqual(['upload', 'message']);
      expect(steps[0]).toMatchObject({ file: { filename: 'brochure.pdf', type: 'application/pdf', size: brochure.length, sha256: sha256(brochure) } });
      const [upload] = uploadsTo(mock, conv(i));
      expect(steps[1]).toMatchObject({ attachments: [answerOf(upload as NonNullable<typeof upload>)] });
      expect(mock.delivered(conv(i))).toHaveLength(1);
    }
    const uploads = mock.requests.filter((q) => q.path.endsWith('/upload'));
    expect(uploads.every((q) => q.headers.authorization === `Bearer ${mockApiKey}` && /^multipart\/form-data; boundary=/.test(q.headers['content-type'] ?? ''))).toBe(true);
    expect(uploads.every((q) => Number(q.headers['content-length']) === q.bytes.length)).toBe(true);
    const { rows } = await readReport(report);
    // Two requests each: the upload and the message.
    expect(rows.map((o) => [o.status, o.attempts])).toEqual([['sent', '2'], ['sent', '2'], ['sent', '2']]);
  });

  it('a file per row from a column, in subfolders of the CSV folder, next to a file for everyone', async () => {
    const files = { 'docs/ana.pdf': pdfBytes('ana'), 'docs/ben.png': pngBytes(2), 'terms.pdf': pdfBytes('terms') };
    await writeFiles(ws.dir, files);
    const contacts = await ws.file('contacts.csv', csv(['conversation_id', 'name', 'doc'], [[conv(1), 'Ana', 'docs/ana.pdf'], [conv(2), 'Ben', 'docs\\ben.png']]));
    const campaign = await ws.file('c.campaign.json', spec(mock.url, ['{{doc}}', 'terms.pdf']));
    const preview = await ws.run(['preview', contacts, '--spec', campaign, '--row', '2']);
    expect(preview.code).toBe(0);
    expect(preview.stdout).toContain(`POST ${mock.url}/api/v1/conversations/${conv(2)}/upload  (multipart, file: ben.png)`);
    expect(preview.stdout).toMatch(/\[file\] ben\.png \(308 B, image\/png\)/);
    const json = await ws.run(['preview', contacts, '--spec', campaign, '--row', '2', '--json']);
    expect(JSON.parse(json.stdout).attachments).toEqual([{ url: '<url of upload 1: ben.png>' }, { url: '<url of upload 2: terms.pdf>' }]);
    expect(mock.requests).toHaveLength(0);

    const r = await ws.run(['send', contacts, '--spec', campaign], key);
    expect(r.code).toBe(0);
    const uploaded = (i: number) => stepsOf(mock, conv(i)).flatMap((s) => (s.kind === 'upload' ? [[s.file.filename, s.file.type, s.file.sha256]] : []));
    expect(uploaded(1)).toEqual([['ana.pdf', 'application/pdf', sha256(files['docs/ana.pdf'])], ['terms.pdf', 'application/pdf', sha256(files['terms.pdf'])]]);
    expect(uploaded(2)).toEqual([['ben.png', 'image/png', sha256(files['docs/ben.png'])], ['terms.pdf', 'application/pdf', sha256(files['terms.pdf'])]]);
    for (const i of [1, 2]) {
      const steps = stepsOf(mock, conv(i));
      expect(steps.map((s) => s.kind)).toEqual(['upload', 'upload', 'message']);
      expect(steps[2]).toMatchObject({ attachments: uploadsTo(mock, conv(i)).map(answerOf) });
    }
  });

  it('checks every row’s file before anything is sent, naming row, field, column and reason (exit 2)', async () => {
    await writeFiles(ws.dir, {
      'ok.pdf': pdfBytes('ok'),
      'fake.pdf': Buffer.from('this is not a PDF at all'),
      'tool.exe': Buffer.from('MZ...'),
      'empty.pdf': Buffer.alloc(0),
      '.env': Buffer.from('SECRET=1'),
    });
    await writeLargeFile(join(ws.dir, 'huge.pdf'), UPLOAD_MAX_BYTES + 1);
    await writeFile(join(ws.dir, '..', `outside-${process.pid}.pdf`), pdfBytes('outside'));
    await symlink(join(ws.dir, '..', `outside-${process.pid}.pdf`), join(ws.dir, 'link.pdf'));
    const cells = ['ok.pdf', 'missing.pdf', 'fake.pdf', 'tool.exe', 'empty.pdf', 'huge.pdf', '../outside.pdf', '/etc/hostname', '.env', 'link.pdf', ''];
    const contacts = await ws.file('contacts.csv', csv(['conversation_id', 'name', 'doc'], cells.map((c, i) => [conv(1), `N${i}`, c])));
    const campaign = await ws.file('c.campaign.json', spec(mock.url, ['{{doc}}']));
    const r = await ws.run(['send', contacts, '--spec', campaign], key);
    expect(r.code).toBe(2);
    const line = (row: number) => r.stderr.split('\n').find((l) => l.startsWith(`row ${row}, files[0] (column "doc"): `)) ?? `(no problem printed for row ${row})`;
    expect(r.stderr).not.toMatch(/^row 1,/m);
    expect(line(2)).toMatch(/file "missing.pdf" is not there \(files are read in the contacts file's folder\)/);
    expect(line(3)).toMatch(/"fake.pdf" is named .pdf but is not a PDF/);
    expect(line(4)).toMatch(/"tool.exe" is a .exe file; a campaign may attach .pdf, .png/);
    expect(line(5)).toMatch(/"empty.pdf" is empty/);
    expect(line(6)).toContain('"huge.pdf" is larger than the 25 MB a file may be (26,214,401 bytes)');
    expect(line(7)).toMatch(/contains "\.\.": only files inside the folder can be attached/);
    expect(line(8)).toMatch(/is an absolute path/);
    expect(line(9)).toMatch(/names a hidden file or folder \("\.env"\)/);
    expect(line(10)).toMatch(/"link.pdf" is a link that leads out of the folder/);
    expect(line(11)).toMatch(/missing value: column "doc" is empty, so there is no file to attach/);
    expect(r.stderr).toContain('Nothing was sent');
    expect(mock.requests).toHaveLength(0);
  });

  it('an upload refused with a 4xx fails its row with the reason and sends no message; a 5xx is retried', async () => {
    await writeFiles(ws.dir, { 'brochure.pdf': pdfBytes('brochure') });
    const contacts = await ws.file('contacts.csv', csv(['conversation_id', 'name'], [[conv(1), 'Ana'], [conv(2), 'Ben'], [conv(3), 'Cy']]));
    const campaign = await ws.file('c.campaign.json', spec(mock.url, ['brochure.pdf']));
    mock.setFaults({
      [`/api/v1/conversations/${conv(2)}/upload`]: [{ status: 415, body: JSON.stringify({ detail: 'Unsupported file type' }) }],
      [`/api/v1/conversations/${conv(3)}/upload`]: [{ status: 503 }, { status: 502 }],
    });
    const report = join(ws.dir, 'report.csv');
    const r = await ws.run(['send', contacts, '--spec', campaign, '--report', report], key);
    expect(r.code).toBe(1);
    expect(stepsOf(mock, conv(2)).map((s) => s.kind)).toEqual(['upload']);
    expect(mock.delivered(conv(2))).toHaveLength(0);
    expect(stepsOf(mock, conv(3)).map((s) => s.kind)).toEqual(['upload', 'upload', 'upload', 'message']);
    const { rows } = await readReport(report);
    expect(rows[1]).toMatchObject({ status: 'failed', http_status: '415', attempts: '1' });
    expect(rows[1]?.error).toBe('uploading brochure.pdf: Pingback does not take this type of file (415): Unsupported file type');
    expect(rows[2]).toMatchObject({ status: 'sent', attempts: '4' });
    expect(r.stderr).toMatch(/Failed rows[\s\S]*row 2[\s\S]*uploading brochure.pdf/);
  });

  it('an upload refused as too large (413) fails its row without retrying, and nothing is sent for it', async () => {
    await writeFiles(ws.dir, { 'a.pdf': pdfBytes('a') });
    const contacts = await ws.file('contacts.csv', csv(['conversation_id', 'name', 'doc'], [[conv(1), 'Ana', 'a.pdf']]));
    const campaign = await ws.file('c.campaign.json', spec(mock.url, ['{{doc}}']));
    // The file passes our checks, but the server's own limit is lower: refused for good, no message goes without it.
    mock.setFaults({ [`/api/v1/conversations/${conv(1)}/upload`]: [{ status: 413 }] });
    const report = join(ws.dir, 'report.csv');
    expect((await ws.run(['send', contacts, '--spec', campaign, '--report', report], key)).code).toBe(1);
    const { rows } = await readReport(report);
    expect(rows[0]).toMatchObject({ status: 'failed', http_status: '413', attempts: '1' });
    expect(rows[0]?.error).toMatch(/^uploading a.pdf: the file is larger than Pingback takes \(413\)/);
    expect(mock.delivered(conv(1))).toHaveLength(0);
  });

  it('refuses files in a campaign that does not speak Pingback', async () => {
    const contacts = await ws.file('contacts.csv', csv(['conversation_id', 'name'], [['conv-1', 'Ana']]));
    const campaign = await ws.file('c.campaign.json', { ...spec(mock.url, ['a.pdf']), provider: { kind: 'wassist', baseUrl: mock.url }, message: { type: 'text', text: { body: 'Hi' } } });
    const r = await ws.run(['validate', contacts, '--spec', campaign]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/files: only Pingback campaigns can attach files \(this campaign speaks the wassist API/);
  });
});
