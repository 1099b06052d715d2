import { describe, expect, it } from 'vitest';
import { columnOf } from './parity-compare';
import { bodiesOf, postsOf, runParity } from './parity-expect';
import type { Scenario } from './parity-harness';

/**
 * Parity where the two front ends take their input differently: the CLI reads the user's file
 * and flags, the desktop imports the bytes into its workspace (chunked) and reads its copy. Invalid
 * rows skipped on request, a Windows-1252 file with semicolons, a template campaign that checks
 * conversations (the case the two copies of "does the report carry Wassist's columns" once
 * disagreed on), and Wassist's conversation actions instead of a message.
 */

const retry = { attempts: 3, baseDelayMs: 5, maxDelayMs: 20, timeoutMs: 5_000 };
const throttle = { concurrency: 2, perSecond: 500 };

function wassist(header: string[], rows: string[][], campaign: object, extra: Partial<Scenario> = {}): Scenario {
  const ids = [...new Set(rows.map((r) => r[0] as string))].filter((id) => id.startsWith('c-'));
  return {
    kind: 'wassist',
    header,
    rows,
    conversations: ids.map((id) => ({ id })),
    campaign: { recipient: { conversationId: '{{conversation_id}}' }, throttle, retry, ...campaign },
    ...extra,
  };
}

/** cp1252 encodes text as Windows-1252 (what Excel saves as "CSV" on a Western Windows). */
function cp1252(text: string): Uint8Array {
  const special: Record<string, number> = { '€': 0x80, '’': 0x92, '“': 0x93, '”': 0x94, '–': 0x96 };
  return Uint8Array.from([...text].map((ch) => special[ch] ?? (ch.charCodeAt(0) <= 0xff ? ch.charCodeAt(0) : 0x3f)));
}

describe('input the two front ends take in their own way', () => {
  it('invalid rows skipped on request: the same rows sent, the same reasons in the report', async () => {
    const header = ['conversation_id', 'name', 'url'];
    const rows = [
      ['c-1', 'Ana', 'https://shop.test/1'],
      ['', 'No id', 'https://shop.test/2'],
      ['c-3', 'Bad url', 'not a url'],
      ['c-4', 'Dee', 'https://shop.test/4'],
    ];
    const p = await runParity(wassist(header, rows, { message: { type: 'cta', cta: { body: 'Hi {{name}}', buttonText: 'Open', url: '{{url}}' } } }, { skipInvalid: true }));
    expect(postsOf(p)).toEqual(['c-1', 'c-4'].map((id) => `POST /api/v1/conversations/${id}/messages/`));
    expect(columnOf(p.report, 'status')).toEqual(['sent', 'skipped', 'skipped', 'sent']);
    expect(columnOf(p.report, 'error')[2]).toContain('message.cta.url');
  });

  it('a Windows-1252 file with semicolons, a quoted semicolon and a blank line: decoded the same, sent the same', async () => {
    const text = 'conversation_id;name;note\r\nc-1;José;"a; b"\r\nc-2;Zoë;“ok” – 5 €\r\n\r\nc-3;Renée;it’s\r\n';
    const header = ['conversation_id', 'name', 'note'];
    const rows = [
      ['c-1', 'José', 'a; b'],
      ['c-2', 'Zoë', '“ok” – 5 €'],
      ['c-3', 'Renée', 'it’s'],
    ];
    const p = await runParity(wassist(header, rows, { message: { type: 'text', text: { body: '{{name}}: {{note}}' } } }, { bytes: cp1252(text) }));
    expect(bodiesOf(p)).toContainEqual({ type: 'text', text: { body: 'José: a; b' } });
    expect(bodiesOf(p)).toContainEqual({ type: 'text', text: { body: 'Renée: it’s' } });
    expect(columnOf(p.report, 'note')).toEqual(['a; b', '“ok” – 5 €', 'it’s']);
    expect(columnOf(p.report, 'name')).toEqual(['José', 'Zoë', 'Renée']);
  });

  it('a template campaign with onInactive: nothing to check, the same Wassist columns in the report', async () => {
    const header = ['conversation_id', 'name'];
    const rows = [
      ['c-active', 'Ana'],
      ['c-inactive', 'Ben'],
      ['c-gone', 'Cy'],
    ];
    const s = wassist(header, rows, { message: { type: 'template', template: { name: 'hello', variables: { body: ['{{name}}'] } } }, onInactive: 'skip' });
    const p = await runParity({ ...s, conversations: [{ id: 'c-active' }, { id: 'c-inactive', active: false }] });
    // A template may go to an inactive conversation, so nothing is checked first; the API refuses the missing one.
    expect(p.wire.filter((w) => w.startsWith('GET '))).toEqual([]);
    expect(columnOf(p.report, 'status')).toEqual(['sent', 'sent', 'failed']);
    expect(columnOf(p.report, 'variant')).toEqual(['message', 'message', 'message']);
  });

  it('conversation actions: credits set from a column, and the agent triggered with a prompt', async () => {
    const header = ['conversation_id', 'name', 'credits'];
    const rows = [
      ['c-1', 'Ana', '10'],
      ['c-2', 'Ben', '0'],
      ['c-3', 'Cy', 'lots'],
    ];
    const credits = await runParity(wassist(header, rows, { action: 'setCredits', message: { credits: '{{credits}}' } }, { skipInvalid: true }));
    expect(postsOf(credits)).toEqual(['c-1', 'c-2'].map((id) => `POST /api/v1/conversations/${id}/credits/`));
    expect(columnOf(credits.report, 'status')).toEqual(['sent', 'sent', 'skipped']);
    const trigger = await runParity(wassist(header, rows, { action: 'trigger', message: { prompt: 'Say hello to {{name}}' } }));
    expect(postsOf(trigger)).toEqual(['c-1', 'c-2', 'c-3'].map((id) => `POST /api/v1/conversations/${id}/trigger/`));
  });
});
