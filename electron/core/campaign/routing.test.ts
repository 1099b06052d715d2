import { describe, expect, it } from 'vitest';
import type { CampaignPlan } from '../../../shared/campaign/plan';
import { compilePlan, planRow } from '../../../shared/campaign/plan';
import { parseCampaign } from '../../../shared/campaign/schema';
import type { CsvRow } from '../../../shared/csv/parse';
import { providers } from '../../../shared/providers/index';
import type { DirectoryEntry } from '../wassist/directory';
import { keepIdentity } from './lookup-cache';
import { validateRoutes } from './routed-validation';
import type { Resolution } from './routing';
import { planJobs, Router } from './routing';
import type { RowSource } from './validation';
import { validatePlan } from './validation';

const BOT = '6f1c9a2e-1b3d-4c5e-8f70-0a1b2c3d4e5f';
const fallback = { template: { name: 'we_miss_you', variables: { body: ['{{name}}'] } } };
const cta = { type: 'cta', cta: { body: 'Hi {{name}}', buttonText: 'Shop', url: '{{link}}' } };

function plan(extra: object, headers = ['id', 'name', 'link']): CampaignPlan {
  return compilePlan(parseCampaign({ provider: { kind: 'wassist' }, recipient: { conversationId: '{{id}}' }, message: cta, ...extra }, providers), headers);
}

/** source streams `rows` in batches of two, from a generator: nothing is kept between passes. */
function source(headers: string[], rows: string[][]): RowSource {
  return {
    headers,
    *batches() {
      for (let i = 0; i < rows.length; i += 2) yield rows.slice(i, i + 2).map((fields, j): CsvRow => ({ row: i + j + 1, line: i + j + 2, fields }));
    },
  };
}

const entry = (id: string, active = true): DirectoryEntry => ({ id, active });
const rows = [
  ['on', 'Ana', 'https://x.test/1'],
  ['off', 'Cat', 'not a link'],
  ['on2', 'Ben', 'https://x.test/2'],
];
const byId: Resolution = { byId: new Map([['on', entry('on')], ['off', entry('off', false)], ['on2', entry('on2')]]) };

describe('validation before and after the lookup', () => {
  it('before: a message error of a checked campaign depends on the conversation and blocks nothing', async () => {
    const v = await validatePlan(plan({ fallback }), source(['id', 'name', 'link'], rows));
    expect(v).toMatchObject({ sendable: 3, errorCount: 0, conditionalRows: 1, routed: false });
    expect(v.problems).toEqual([
      expect.objectContaining({ row: 2, field: 'message.cta.url', severity: 'warning', reason: expect.stringMatching(/^if the conversation is active: .*\(an inactive one gets the fallback template\)$/) }),
    ]);
    const unchecked = await validatePlan(plan({ checkConversations: false }), source(['id', 'name', 'link'], rows));
    expect(unchecked).toMatchObject({ sendable: 2, errorCount: 1, conditionalRows: 0 });
    expect([...unchecked.invalidRows]).toEqual([2]);
  });

  it('after: each row is judged by the body it takes (fallback, message, or nothing)', async () => {
    const withFallback = await validateRoutes(plan({ fallback }), source(['id', 'name', 'link'], rows), byId);
    expect(withFallback.validation).toMatchObject({ sendable: 3, errorCount: 0, warningCount: 0, routed: true });
    expect(withFallback.routes).toMatchObject({ message: 2, fallback: 1, skipped: 0, fallbackRows: [2] });
    const skipping = await validateRoutes(plan({}), source(['id', 'name', 'link'], rows), byId);
    expect(skipping.validation).toMatchObject({ sendable: 3, errorCount: 0 });
    expect(skipping.routes.skips).toEqual([{ row: 2, conversationId: 'off', reason: expect.stringMatching(/^conversation is inactive/) }]);
    const active: Resolution = { byId: new Map([['off', entry('off', true)]]) };
    const blocked = await validateRoutes(plan({ fallback }), source(['id', 'name', 'link'], rows), active);
    expect(blocked.validation).toMatchObject({ sendable: 2, errorCount: 1 });
    expect(blocked.validation.problems).toEqual([expect.objectContaining({ row: 2, field: 'message.cta.url', severity: 'error' })]);
    const badFallback = await validateRoutes(plan({ fallback }), source(['id', 'name', 'link'], [['off', '', 'https://x.test']]), byId);
    expect(badFallback.validation.problems).toEqual([expect.objectContaining({ row: 1, field: 'fallback.template.variables.body[0]', severity: 'error' })]);
  });

  it('the run skips what validation found invalid, with the error of the body it would have taken', async () => {
    const p = plan({ fallback });
    const active: Resolution = { byId: new Map([['off', entry('off', true)], ['on', entry('on')], ['on2', entry('on2')]]) };
    const { validation } = await validateRoutes(p, source(['id', 'name', 'link'], rows), active);
    const jobs = [];
    for await (const j of planJobs(p, source(['id', 'name', 'link'], rows), validation.invalidRows, active)) jobs.push(j);
    expect(jobs.map((j) => ('skip' in j ? `${j.row}: ${j.skip}` : `${j.row} → ${j.recipient}`))).toEqual(['1 → on', expect.stringMatching(/^2: invalid: message\.cta\.url: /), '3 → on2']);
  });
});

describe('numbers read two ways', () => {
  const phonePlan = compilePlan(
    parseCampaign({ provider: { kind: 'wassist' }, recipient: { phone: '{{phone}}', botId: BOT, defaultCountry: 'DE' }, message: { type: 'text', text: { body: 'Hi {{name}}' } } }, providers),
    ['phone', 'name'],
  );
  const route = (text: string, byNumber: Map<string, DirectoryEntry>, router = new Router(phonePlan, { byNumber, byId: new Map() })) =>
    router.route(planRow(phonePlan, 1, [text, 'Ana']), [text, 'Ana']);

  it('takes the reading the agent has a conversation with, and says so', () => {
    expect(route('4915112345678', new Map([['+494915112345678', entry('c-national')]]))).toMatchObject({
      kind: 'send',
      conversationId: 'c-national',
      phone: '+494915112345678',
      note: '"4915112345678" is read as +494915112345678: the agent has a conversation with it, none with +4915112345678 (the number read in DE)',
    });
  });

  it('names both numbers it tried when the agent has both or neither', () => {
    const both = route('4915112345678', new Map([['+4915112345678', entry('a')], ['+494915112345678', entry('b')]]));
    expect(both).toMatchObject({ kind: 'skip', problem: { field: 'recipient.phone', column: 'phone', severity: 'warning' } });
    expect(both.kind === 'skip' && both.reason).toContain('+4915112345678 or as +494915112345678');
    const neither = route('4915112345678', new Map());
    expect(neither.kind === 'skip' && neither.reason).toBe(`no conversation with +4915112345678 or +494915112345678 for agent ${BOT} ("4915112345678" read with its country code and as a number in DE)`);
  });

  it('finds duplicates by the number resolved', () => {
    const byNumber = new Map([['+4915112345678', entry('a')]]);
    const router = new Router(phonePlan, { byNumber, byId: new Map() });
    expect(route('+49 1511 2345678', byNumber, router)).toMatchObject({ kind: 'send', conversationId: 'a' });
    expect(route('4915112345678', byNumber, router)).toMatchObject({ kind: 'skip', duplicateOf: 1 });
  });

  it('keeps a pinned row on the conversation an earlier run tried, with its state now; gone, the row is skipped', () => {
    const byNumber = new Map([['+4915112345678', entry('newer')]]);
    const pinned = new Router(phonePlan, { byNumber, byId: new Map([['tried', entry('tried', false)], ['newer', entry('newer')]]) }, { pins: () => ({ conversationId: 'tried', phone: '+4915112345678' }) });
    expect(route('+4915112345678', byNumber, pinned)).toMatchObject({ kind: 'skip', conversationId: 'tried', reason: expect.stringMatching(/^conversation is inactive/) });
    const gone = new Router(phonePlan, { byNumber, byId: new Map() }, { pins: () => ({ conversationId: 'tried' }) });
    expect(route('+4915112345678', byNumber, gone)).toMatchObject({ kind: 'skip', reason: expect.stringContaining('is no longer listed') });
  });
});

describe('keepIdentity', () => {
  it('keeps each number on the conversation found first while it is listed, with its state now', () => {
    const was = { byNumber: new Map([['+1', entry('a')], ['+2', entry('b')]]) };
    const now = { byNumber: new Map([['+1', entry('a2')], ['+2', entry('b2')]]), byId: new Map([['a', entry('a', false)], ['a2', entry('a2')], ['b2', entry('b2')]]) };
    expect(Object.fromEntries(keepIdentity(was, now).byNumber ?? [])).toEqual({ '+1': entry('a', false), '+2': entry('b2') });
  });
});
