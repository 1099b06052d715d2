import { describe, expect, it } from 'vitest';
import type { InputError } from '../problems';
import { providers } from '../providers';
import { compilePlan, fallbackRow, PhoneDeduper, planRow, requestFor } from './plan';
import { parseCampaign } from './schema';

const BOT = '6f1c9a2e-1b3d-4c5e-8f70-0a1b2c3d4e5f';
const headers = ['phone', 'name', 'conversation_id'];
const base = {
  provider: { kind: 'wassist' },
  recipient: { phone: '{{phone}}', botId: BOT, defaultCountry: 'GB' },
  message: { type: 'text', text: { body: 'Hi {{name}}' } },
};
const fallback = { template: { name: 'hello', variables: { body: ['{{name}}'] } } };
const plan = (raw: object) => compilePlan(parseCampaign(raw, providers), headers);

describe('compilePlan', () => {
  it('names the field of every unknown column: phone, message and fallback at once', () => {
    const raw = { ...base, recipient: { ...base.recipient, phone: '{{phon}}' }, message: { type: 'text', text: { body: '{{nme}}' } }, fallback: { template: { name: '{{tpl}}' } } };
    let problems;
    try {
      plan(raw);
    } catch (e) {
      problems = (e as InputError).problems;
    }
    expect(problems?.map((p) => [p.field, p.column])).toEqual([
      ['message.text.body', 'nme'],
      ['recipient.phone', 'phon'],
      ['fallback.template.name', 'tpl'],
    ]);
  });

  it('checks the conversation of every free-form Wassist message unless the file opts out', () => {
    expect(plan(base).checksActive).toBe(true);
    expect(plan({ ...base, message: { type: 'template', template: { name: 'x' } } }).checksActive).toBe(false);
    const byId = { ...base, recipient: { conversationId: '{{conversation_id}}' } };
    expect(plan(byId).checksActive).toBe(true);
    expect(plan({ ...byId, checkConversations: false }).checksActive).toBe(false);
    expect(plan({ ...base, checkConversations: false }).checksActive).toBe(false);
    expect(plan({ ...byId, fallback }).checksActive).toBe(true);
    expect(plan({ ...byId, onInactive: 'skip' }).checksActive).toBe(true);
    expect(plan({ ...byId, provider: { kind: 'sandbox' } }).checksActive).toBe(true);
    expect(plan({ ...byId, provider: { kind: 'sandbox', simulate: 'pingback' }, message: { content: 'x' } }).checksActive).toBe(false);
    expect(plan({ ...base, action: 'setCredits', message: { credits: '{{name}}' } }).checksActive).toBe(false);
    expect(plan({ ...base, action: 'trigger', message: { prompt: 'x' } }).checksActive).toBe(true);
    expect(plan({ ...base, fallback }).columns).toEqual(['phone', 'name']);
  });
});

describe('planRow', () => {
  it('normalises the number and builds the body; the conversation comes later', () => {
    const p = plan({ ...base, fallback });
    const r = planRow(p, 1, ['07911 123456', 'Ana', '']);
    expect(r.phone).toBe('+447911123456');
    expect(r.problems).toEqual([]);
    expect(requestFor(r.prepared, 'conv-9', 'message', p)).toEqual({ method: 'POST', path: '/api/v1/conversations/conv-9/messages/', body: { type: 'text', text: { body: 'Hi Ana' } } });
    const fb = fallbackRow(p, 1, ['07911 123456', 'Ana', '']);
    expect(fb && requestFor(fb, 'conv-9', 'fallback', p).body).toEqual({ type: 'template', template: { name: 'hello', variables: { body: ['Ana'] } } });
  });

  it('names row, field, column and reason for a bad or missing number', () => {
    const p = plan(base);
    expect(planRow(p, 2, ['0791', 'Ben', '']).problems).toEqual([{ row: 2, field: 'recipient.phone', column: 'phone', reason: '"0791" is too short', severity: 'error' }]);
    expect(planRow(p, 3, ['', 'Cy', '']).problems[0]).toMatchObject({ field: 'recipient.phone', reason: 'missing value: column "phone" is empty' });
  });

  it('names fallback problems under fallback.…', () => {
    const p = plan({ ...base, fallback });
    expect(fallbackRow(p, 4, ['07911 123456', '', ''])?.problems[0]).toMatchObject({ row: 4, field: 'fallback.template.variables.body[0]', column: 'name' });
  });

  it('builds action requests', () => {
    const p = plan({ ...base, action: 'setCredits', message: { credits: '{{name}}' } });
    const r = planRow(p, 1, ['07911 123456', '12', '']);
    expect(requestFor(r.prepared, 'c', 'message', p)).toEqual({ method: 'POST', path: '/api/v1/conversations/c/credits/', body: { credits: 12 } });
  });
});

describe('PhoneDeduper', () => {
  it('answers the first row of a number already seen', () => {
    const d = new PhoneDeduper();
    expect(d.see(1, '+1')).toBeUndefined();
    expect(d.see(5, '+2')).toBeUndefined();
    expect(d.see(7, '+1')).toBe(1);
  });
});
