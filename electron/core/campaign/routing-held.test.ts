import { describe, expect, it } from 'vitest';
import { compilePlan, planRow } from '../../../shared/campaign/plan';
import { parseCampaign } from '../../../shared/campaign/schema';
import type { RowOutcome } from '../../../shared/engine/events';
import { providers } from '../../../shared/providers/index';
import { WassistSidecar } from '../wassist/sidecar';
import { heldVariants } from './resumed-routing';
import { Router } from './routing';

const BOT = '6f1c9a2e-1b3d-4c5e-8f70-0a1b2c3d4e5f';
const plan = compilePlan(
  parseCampaign(
    {
      provider: { kind: 'wassist' },
      recipient: { phone: '{{phone}}', botId: BOT },
      message: { type: 'text', text: { body: 'Hi {{name}}' } },
      fallback: { template: { name: 'come_back', variables: { body: ['{{name}}'] } } },
    },
    providers,
  ),
  ['phone', 'name'],
);
const fields = ['+447911123458', 'Cat'];
const textBody = { type: 'text', text: { body: 'Hi Cat' } };
const templateBody = { type: 'template', template: { name: 'come_back', variables: { body: ['Cat'] } } };

function route(active: boolean, held?: Map<number, 'message' | 'fallback'>) {
  const byNumber = new Map([['+447911123458', { id: 'c-cat', active }]]);
  return new Router(plan, { byNumber }, held === undefined ? {} : { held }).route(planRow(plan, 3, fields), fields);
}

describe('Router: a row an earlier run left in doubt keeps the body it was sent', () => {
  it('routes by the conversation as it is now when nothing is held', () => {
    expect(route(false)).toMatchObject({ kind: 'send', variant: 'fallback', request: { body: templateBody } });
    expect(route(true)).toMatchObject({ kind: 'send', variant: 'message', request: { body: textBody } });
  });

  it('sent the fallback, now active: still the fallback, so the read-back looks for the template it may have delivered', () => {
    expect(route(true, new Map([[3, 'fallback']]))).toMatchObject({ kind: 'send', conversationId: 'c-cat', variant: 'fallback', request: { body: templateBody } });
  });

  it('sent the message, now inactive: still the message (not the fallback as well)', () => {
    expect(route(false, new Map([[3, 'message']]))).toMatchObject({ kind: 'send', conversationId: 'c-cat', variant: 'message', request: { body: textBody } });
  });
});

describe('heldVariants', () => {
  const outcome = (row: number, status: RowOutcome['status']): RowOutcome => ({ row, status, recipient: `c-${row}`, attempts: 1 });

  it('holds the rows in doubt (in flight or uncertain) with their recorded variant, and no others', () => {
    const sidecar = WassistSidecar.inMemory();
    sidecar.variants.set(2, 'fallback');
    sidecar.variants.set(4, 'fallback');
    const rows = [outcome(1, 'sent'), outcome(2, 'in-flight'), outcome(3, 'uncertain'), outcome(4, 'sent'), outcome(5, 'pending'), outcome(6, 'failed')];
    expect([...heldVariants(sidecar, rows, false)]).toEqual([
      [2, 'fallback'],
      [3, 'message'],
    ]);
  });

  it('holds nothing when the user asked to send rows in doubt again (they are routed afresh)', () => {
    expect(heldVariants(WassistSidecar.inMemory(), [outcome(2, 'in-flight'), outcome(3, 'uncertain')], true).size).toBe(0);
  });
});
