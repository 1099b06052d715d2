import { describe, expect, it } from 'vitest';
import { pdfBytes, pngBytes } from '../attachments/attachment-files';
import { columnOf } from './parity-compare';
import { runParity } from './parity-expect';

/**
 * Parity of a Pingback campaign that attaches files: the CLI reads them in the contacts file's
 * folder, the desktop from what was picked in main's dialog; both must send the same multipart
 * uploads (the form byte for byte, its random boundary aside), each before its row's message, and
 * the same messages referencing their own row's uploads, and write the same report.
 */

const conv = (i: number) => `00000000-0000-4000-8000-00000000010${i}`;
const retry = { attempts: 3, baseDelayMs: 5, maxDelayMs: 20, timeoutMs: 5_000 };
const throttle = { concurrency: 2, perSecond: 200 };
const header = ['conversation_id', 'name', 'doc'];
const rows = [
  [conv(1), 'Ana', 'ana.pdf'],
  [conv(2), 'Ben', 'ben.png'],
  [conv(3), 'Cy', '../ana.pdf'],
];

describe('Pingback attachments: the same uploads, messages and report through both front ends', () => {
  // A file missing on disk is reported "not there" with where each front end looks (the contacts file's
  // folder, the folder picked): worded apart on purpose, so the skipped row here is one both refuse alike.
  it('a file for everyone and a file per row; a row naming a file outside the folder skipped; a refused upload failed', async () => {
    const p = await runParity({
      kind: 'pingback',
      header,
      rows,
      skipInvalid: true,
      conversations: [1, 2, 3].map((i) => ({ id: conv(i) })),
      files: { 'ana.pdf': pdfBytes('ana'), 'ben.png': pngBytes(7), 'terms.pdf': pdfBytes('terms') },
      picks: 'folder',
      faults: () => ({ [`/api/v1/conversations/${conv(2)}/upload`]: [{ status: 503 }, null, { status: 415 }] }),
      campaign: { recipient: { conversationId: '{{conversation_id}}' }, message: { content: 'Hi {{name}}' }, files: ['terms.pdf', '{{doc}}'], throttle, retry },
    });
    const firstLines = p.wire.map((w) => w.slice(0, w.indexOf('\n')));
    expect(firstLines.filter((l) => l.endsWith('/upload')).sort()).toEqual(
      [`POST /api/v1/conversations/${conv(1)}/upload`, `POST /api/v1/conversations/${conv(1)}/upload`, ...Array(3).fill(`POST /api/v1/conversations/${conv(2)}/upload`)].sort(),
    );
    expect(firstLines.filter((l) => l.endsWith('/messages'))).toEqual([`POST /api/v1/conversations/${conv(1)}/messages`]);
    const message = p.wire.find((w) => w.startsWith(`POST /api/v1/conversations/${conv(1)}/messages`)) ?? '';
    expect(JSON.parse(message.slice(message.indexOf('\n\n') + 2))).toEqual({
      content: 'Hi Ana',
      attachments: [
        { url: `<upload of terms.pdf to ${conv(1)}>`, filename: 'terms.pdf', content_type: 'application/pdf', size: pdfBytes('terms').length },
        { url: `<upload of ana.pdf to ${conv(1)}>`, filename: 'ana.pdf', content_type: 'application/pdf', size: pdfBytes('ana').length },
      ],
    });
    expect(p.wire.filter((w) => w.includes('content-type: multipart/form-data; boundary=<boundary>'))).toHaveLength(5);
    expect(columnOf(p.report, 'status')).toEqual(['sent', 'failed', 'skipped']);
    expect(columnOf(p.report, 'error')[1]).toMatch(/^uploading ben\.png: Pingback does not take this type of file \(415\)/);
    expect(columnOf(p.report, 'error')[2]).toMatch(/^invalid: files\[1\]: file path "..\/ana.pdf" contains "..": only files inside the folder can be attached/);
  });
});
