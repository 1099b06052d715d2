import { describe, expect, it } from 'vitest';
import { columnOf } from './parity-compare';
import { bodiesOf, postsOf, runParity } from './parity-expect';
import type { Scenario } from './parity-harness';

/**
 * Parity of every provider and message kind: the same contacts and campaign through the CLI and
 * through the desktop backend send the same requests and write the same report. The cells are
 * chosen to be awkward on the way to the wire and into the report: placeholders with fallbacks,
 * empty cells, quotes, a comma, a line break inside a cell, non-ASCII, and a formula-looking
 * value (raw on the wire, neutralised in the report).
 */

const throttle = { concurrency: 3, perSecond: 500 };
const retry = { attempts: 3, baseDelayMs: 5, maxDelayMs: 20, timeoutMs: 5_000 };
const people = [
  ['Ana', 'ORD-1', 'Lisboa', 'https://shop.test/p/1'],
  ['', 'ORD-2', 'São Paulo, SP', 'https://shop.test/p/2'],
  ['Ben "B" Okafor', 'ORD-3', 'line one\nline two', 'https://shop.test/p/3'],
  ['=HYPERLINK("https://evil.test")', 'ORD-4', 'Zürich 🇨🇭', 'https://shop.test/p/4'],
];
const header = ['conversation_id', 'first_name', 'order_id', 'city', 'promo_url'];
const ids = people.map((_, i) => `conv-${i + 1}`);
const rows = people.map((p, i) => [ids[i] as string, ...p]);

function wassist(message: object, extra: Partial<Scenario> = {}): Scenario {
  return {
    kind: 'wassist',
    header,
    rows,
    conversations: ids.map((id) => ({ id })),
    campaign: { name: 'Parity', recipient: { conversationId: '{{conversation_id}}' }, message, throttle, retry },
    ...extra,
  };
}

describe('Wassist message kinds: the CLI and the desktop send the same requests and report the same rows', () => {
  it('a template with header, body, buttons and carousel cards', async () => {
    const p = await runParity(
      wassist({
        type: 'template',
        template: {
          name: 'order_update',
          variables: {
            header: '{{first_name|Customer}}',
            body: ['{{first_name|there}}', '{{order_id}}', 'shipped'],
            buttons: ['{{promo_url}}'],
            cards: [
              { header: '{{city}}', body: ['For {{first_name|you}}'], buttons: ['{{promo_url}}?card=1'] },
              { header: 'More', body: ['Order {{order_id}}'], buttons: ['https://shop.test/more'] },
            ],
          },
        },
      }),
    );
    expect(postsOf(p)).toEqual(ids.map((id) => `POST /api/v1/conversations/${id}/messages/`));
    expect(bodiesOf(p)[1]).toMatchObject({ template: { variables: { header: 'Customer', cards: [{ header: 'São Paulo, SP', body: ['For you'] }, {}] } } });
    expect(columnOf(p.report, 'status')).toEqual(['sent', 'sent', 'sent', 'sent']);
    expect(columnOf(p.report, 'city')[2]).toBe('line one\nline two');
  });

  it('a text message, with a formula-looking value raw on the wire and neutralised in the report', async () => {
    const p = await runParity(wassist({ type: 'text', text: { body: 'Hi {{first_name|there}}, order {{order_id}} to {{city}}.' } }));
    expect(bodiesOf(p)).toContainEqual({ type: 'text', text: { body: 'Hi =HYPERLINK("https://evil.test"), order ORD-4 to Zürich 🇨🇭.' } });
    expect(columnOf(p.report, 'first_name')[3]).toBe(`'=HYPERLINK("https://evil.test")`);
    expect(columnOf(p.report, 'message_id')).toEqual(['<message 1>', '<message 2>', '<message 3>', '<message 4>']);
  });

  it('a call to action with an image', async () => {
    const p = await runParity(
      wassist({ type: 'cta', cta: { body: 'Hi {{first_name|there}}, {{order_id}} ships today.', buttonText: 'Track', url: '{{promo_url}}', image: { url: 'https://img.test/{{order_id}}.png' } } }),
    );
    expect(bodiesOf(p)).toHaveLength(4);
    expect(columnOf(p.report, 'http_status')).toEqual(['201', '201', '201', '201']);
  });

  it('a unified message with text, footer, media and both kinds of button', async () => {
    const p = await runParity(
      wassist({
        type: 'unified',
        unified: {
          text: 'Hello {{first_name|friend}} from {{city}}',
          footer: 'Order {{order_id}}',
          media: { url: 'https://img.test/{{order_id}}.jpg' },
          buttons: [
            { type: 'url', text: 'Open', url: '{{promo_url}}' },
            { type: 'quick_reply', text: 'Stop', quickReplyId: 'stop-{{order_id}}' },
          ],
        },
      }),
    );
    expect(bodiesOf(p)).toContainEqual(expect.objectContaining({ unified: expect.objectContaining({ footer: 'Order ORD-2', text: 'Hello friend from São Paulo, SP' }) }));
  });
});

describe('Pingback and the generic API: the same requests and report through both front ends', () => {
  it('Pingback: content and attachments', async () => {
    const uuids = ids.map((_, i) => `00000000-0000-4000-8000-00000000000${i + 1}`);
    const p = await runParity({
      kind: 'pingback',
      header,
      rows: rows.map((r, i) => [uuids[i] as string, ...r.slice(1)]),
      conversations: uuids.map((id) => ({ id })),
      campaign: {
        recipient: { conversationId: '{{conversation_id}}' },
        message: { content: 'Hi {{first_name|there}}, {{order_id}} is on its way to {{city}}.', attachments: [{ type: 'link', url: '{{promo_url}}' }] },
        throttle,
        retry,
      },
    });
    expect(postsOf(p)).toEqual(uuids.map((id) => `POST /api/v1/conversations/${id}/messages`));
    expect(p.wire.every((w) => w.includes('authorization: <the key>'))).toBe(true);
    expect(columnOf(p.report, 'status')).toEqual(['sent', 'sent', 'sent', 'sent']);
  });

  it('generic: rows with a conversation_id post to it, rows without one create a conversation whose id is reported', async () => {
    const p = await runParity({
      kind: 'generic',
      header,
      rows: rows.map((r, i) => (i % 2 === 0 ? r : ['', ...r.slice(1)])),
      conversations: [{ id: 'conv-1' }, { id: 'conv-3' }],
      campaign: {
        recipient: { conversationId: '{{conversation_id}}' },
        message: { sender_id: 'agent-7', sender_type: 'agent', text: 'Hi {{first_name|there}}: {{order_id}}', metadata: { order: '{{order_id}}', city: '{{city}}' }, auto_reply: false },
        throttle,
        retry,
      },
    });
    const bodies = bodiesOf(p) as { conversation_id?: string }[];
    expect(bodies.map((b) => b.conversation_id ?? '(new)').sort()).toEqual(['(new)', '(new)', 'conv-1', 'conv-3']);
    expect(postsOf(p).every((l) => l === 'POST /v1/messages')).toBe(true);
    expect(columnOf(p.report, 'recipient')).toEqual(['conv-1', '<conversation 1>', 'conv-3', '<conversation 2>']);
    expect(columnOf(p.report, 'sent_at').every((t) => t === '<time>')).toBe(true);
  });
});
