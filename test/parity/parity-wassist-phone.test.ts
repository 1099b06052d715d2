import { describe, expect, it } from 'vitest';
import type { ConversationSeed } from '../../electron/core/sandbox/simulator';
import { setMessageStatus } from '../../electron/core/sandbox/simulator';
import type { MockServer } from '../mock-server/mock-server';
import { BOT } from '../wassist/wassist-harness';
import { columnOf } from './parity-compare';
import { postsOf, runParity } from './parity-expect';
import type { Scenario } from './parity-harness';

/**
 * Parity of Wassist campaigns addressed by phone number: both front ends list the agent's
 * conversations (in pages), find each number's conversation, skip numbers without one and
 * duplicates, send the fallback template to inactive conversations, check conversations by id
 * when the file asks for the fallback, and read the delivery status afterwards; the same requests
 * and the same report, Wassist's extra columns included.
 */

const OTHER_BOT = '0b9d8c7e-6f5a-4b3c-9d2e-1f0a9b8c7d6e';

const conversations: ConversationSeed[] = [
  { id: 'c-ana', botId: BOT, number: '447911123456' },
  { id: 'c-ben', botId: BOT, number: '+447911123457' },
  { id: 'c-cat', botId: BOT, number: '447911123458', active: false },
  { id: 'c-us', botId: BOT, number: '14155550123' },
  { id: 'c-eve', botId: BOT, number: '447911123460', active: false },
  { id: 'c-dan-other-bot', botId: OTHER_BOT, number: '447911123459' },
  ...Array.from({ length: 5 }, (_, i) => ({ id: `c-filler-${i}`, botId: BOT, number: `4479111230${10 + i}` })),
];

const header = ['phone', 'name', 'credits'];
const rows = [
  ['07911 123456', 'Ana', '10'],
  ['+44 7911 123457', 'Ben', '20'],
  ['0044 7911 123458', 'Cat', '30'],
  ['+1 (415) 555-0123', 'Uma', '40'],
  ['07911 123459', 'Dan', '50'],
  ['+44 (7911) 123-456', 'Ana again', '60'],
  ['07911 123460', 'Eve', '70'],
];

const retry = { attempts: 3, baseDelayMs: 5, maxDelayMs: 20, timeoutMs: 5_000 };
const fallback = { template: { name: 'order_update', variables: { body: ['{{name}}', 'later'] } } };

/** readAndFail moves the messages on the way phones would: Ana's read, Cat's (the fallback) failed. */
function readAndFail(mock: MockServer): void {
  const first = (id: string) => mock.delivered(id)[0]?.id ?? '';
  setMessageStatus(mock.state, first('c-ana'), 'read');
  setMessageStatus(mock.state, first('c-cat'), 'failed');
  setMessageStatus(mock.state, first('c-us'), 'delivered');
}

function phoneScenario(campaign: object): Scenario {
  return {
    kind: 'wassist',
    header,
    rows,
    conversations,
    wassist: { maxPageSize: 4 },
    between: readAndFail,
    deliveryStatus: 'after',
    campaign: {
      name: 'Order update',
      recipient: { phone: '{{phone}}', botId: BOT, defaultCountry: 'GB' },
      message: { type: 'text', text: { body: 'Hi {{name}}, your order shipped.' } },
      throttle: { concurrency: 2, perSecond: 500 },
      retry,
      ...campaign,
    },
  };
}

describe('Wassist phone recipients: the same lookup, routes, sends, delivery status and report', () => {
  it('with a fallback template: inactive conversations get it, unknown numbers and duplicates are skipped', async () => {
    const p = await runParity(phoneScenario({ fallback }));
    // Each side listed the agent's conversations twice (validate, then the fresh lookup of the start), in pages of 4.
    expect(p.wire.filter((w) => w.startsWith(`GET /api/v1/conversations/?botId=${BOT}`))).toHaveLength(2 * 3);
    expect(postsOf(p)).toEqual(['c-ana', 'c-ben', 'c-cat', 'c-eve', 'c-us'].map((id) => `POST /api/v1/conversations/${id}/messages/`));
    expect(columnOf(p.report, 'status')).toEqual(['sent', 'sent', 'sent', 'sent', 'skipped', 'skipped', 'sent']);
    expect(columnOf(p.report, 'variant')).toEqual(['message', 'message', 'fallback', 'message', '', '', 'fallback']);
    expect(columnOf(p.report, 'delivery_status')).toEqual(['read', 'sent', 'failed', 'delivered', '', '', 'sent']);
    expect(columnOf(p.report, 'error')[4]).toContain('no conversation with +447911123459');
  });

  it('without a fallback: inactive conversations are skipped', async () => {
    const { between: _between, deliveryStatus: _status, ...withoutStatus } = phoneScenario({});
    const p = await runParity(withoutStatus);
    expect(postsOf(p)).toHaveLength(3);
    expect(columnOf(p.report, 'status')).toEqual(['sent', 'sent', 'skipped', 'sent', 'skipped', 'skipped', 'skipped']);
  });

  it('delivery status read as the send ends (CLI send --delivery-status): the same reads and statuses', async () => {
    const { between: _between, ...s } = phoneScenario({ fallback });
    const p = await runParity({ ...s, deliveryStatus: 'with-send', wassist: { maxPageSize: 4, statusTimeline: { deliveredAfterMs: 0 } } });
    expect(p.wire.filter((w) => /^GET \/api\/v1\/conversations\/c-[a-z]+\/messages\/\?limit=100&offset=0\n/.test(w))).toHaveLength(5);
    expect(columnOf(p.report, 'delivery_status')).toEqual(['delivered', 'delivered', 'delivered', 'delivered', '', '', 'delivered']);
    expect(columnOf(p.report, 'delivery_status_at').filter((t) => t === '<time>')).toHaveLength(5);
  });

  it('conversation ids with a fallback: each conversation is checked (listed, or read by id), inactive ones get the template', async () => {
    const byId = [
      ['c-ana', 'Ana', '10'],
      ['c-cat', 'Cat', '30'],
      ['c-gone', 'Gone', '0'],
      ['c-eve', 'Eve', '70'],
    ];
    const p = await runParity({
      ...phoneScenario({ recipient: { conversationId: '{{conversation_id}}' }, fallback, onInactive: 'fallback' }),
      header: ['conversation_id', 'name', 'credits'],
      rows: byId,
    });
    // Each side checks cheaply: the first conversation read tells the agent, whose active and inactive
    // conversations are listed; the one not listed (c-gone) is read by id and found missing.
    const list = (active: boolean) => `GET /api/v1/conversations/?botId=${BOT}&active=${active}&offset=0&limit=100`;
    const checks = p.wire.filter((w) => w.startsWith('GET ') && !w.includes('/messages/')).map((w) => w.split('\n')[0]);
    expect(checks).toEqual([list(false), list(false), list(true), list(true), ...['c-ana', 'c-ana', 'c-gone', 'c-gone'].map((id) => `GET /api/v1/conversations/${id}/`)]);
    expect(columnOf(p.report, 'variant')).toEqual(['message', 'fallback', '', 'fallback']);
    expect(columnOf(p.report, 'status')).toEqual(['sent', 'sent', 'skipped', 'sent']);
  });
});
