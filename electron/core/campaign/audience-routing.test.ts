import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CampaignPlan } from '../../../shared/campaign/plan';
import { compilePlan } from '../../../shared/campaign/plan';
import { conversationKey, phoneKey } from '../../../shared/campaign/recipient-keys';
import { parseCampaign } from '../../../shared/campaign/schema';
import type { CsvRow } from '../../../shared/csv/parse';
import { providers } from '../../../shared/providers/index';
import { optOutColumn } from '../report/opt-out-column';
import { combineColumns } from '../report/write-report';
import type { DirectoryEntry } from '../wassist/directory';
import { WassistSidecar } from '../wassist/sidecar';
import { wassistColumns } from '../wassist/wassist-report';
import { Workspace } from '../workspace/workspace';
import { AudienceCheck } from './audience';
import { validateRoutes } from './routed-validation';
import type { Resolution } from './routing';
import { planJobs } from './routing';
import type { RowSource } from './validation';
import { validatePlan } from './validation';

/**
 * The audience check where the two designs meet: the opt-out list and the frequency cap judged in
 * the offline validation, after a lookup (by the number's reading the agent has, and by the
 * conversation found for it), on the run's own routing (rows an earlier run settled are not asked
 * about), and the report's `opt_out` column after the provider's columns.
 */

const BOT = '6f1c9a2e-1b3d-4c5e-8f70-0a1b2c3d4e5f';
const now = Date.UTC(2026, 2, 14, 9, 0);
let dir: string;
let ws: Workspace;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'audience-routing-'));
  ws = Workspace.open(dir, () => now);
});
afterEach(() => {
  ws.close();
  rmSync(dir, { recursive: true, force: true });
});

const headers = ['phone', 'name'];
function phonePlan(extra: object = {}): CampaignPlan {
  const spec = parseCampaign({ provider: { kind: 'wassist' }, recipient: { phone: '{{phone}}', botId: BOT, defaultCountry: 'DE' }, message: { type: 'text', text: { body: 'Hi {{name}}' } }, ...extra }, providers);
  return compilePlan(spec, headers);
}
function source(rows: string[][]): RowSource {
  return { headers, batches: () => [rows.map((fields, i): CsvRow => ({ row: i + 1, line: i + 2, fields }))] };
}
const entry = (id: string, active = true): DirectoryEntry => ({ id, active });
const optOut = (key: string, value: string, kind: 'phone' | 'conversation') => ws.optOuts.add([{ key, kind, value }], { source: 'manual' });
const check = (plan: CampaignPlan) => new AudienceCheck(ws, plan, headers, now);

// Row 1 is written without its country code, row 2 can be read two ways, row 3 is plain.
const rows = [
  ['01511 2345678', 'Ana'],
  ['4915112345679', 'Ben'],
  ['+49 1511 2345670', 'Cat'],
];
const resolution: Resolution = {
  byNumber: new Map([
    ['+4915112345678', entry('c-ana')],
    ['+494915112345679', entry('c-ben')],
    ['+4915112345670', entry('c-cat')],
  ]),
  byId: new Map([['c-ana', entry('c-ana')], ['c-ben', entry('c-ben')], ['c-cat', entry('c-cat')]]),
};

describe('the opt-out list, before and after the lookup', () => {
  it('offline, a listed number is skipped; a number read two ways waits for the lookup to say which reading is the person', async () => {
    optOut(phoneKey('+4915112345678'), '+4915112345678', 'phone');
    optOut(phoneKey('+494915112345679'), '+494915112345679', 'phone');
    const plan = phonePlan();
    const v = await validatePlan(plan, source(rows), Infinity, check(plan));
    expect(v).toMatchObject({ rowCount: 3, sendable: 2, optedOutRows: 1 });
    expect(v.problems.find((p) => p.row === 1)).toMatchObject({ field: 'recipient', severity: 'warning', reason: 'opted out on 2026-03-14 (added by hand): not sent' });

    const after = await validateRoutes(plan, source(rows), resolution, Infinity, { audience: check(plan) });
    expect(after.validation).toMatchObject({ sendable: 1, optedOutRows: 2, routed: true });
    expect(after.routes).toMatchObject({ message: 1, skipped: 2 });
    expect(after.routes.skips.map((s) => [s.row, s.audience])).toEqual([[1, 'opted-out'], [2, 'opted-out']]);
    expect(after.phones.get(2)).toBe('+494915112345679');
  });

  it('after the lookup, a conversation on the list is skipped, found by its number', async () => {
    optOut(conversationKey('c-cat'), 'c-cat', 'conversation');
    const plan = phonePlan();
    expect((await validatePlan(plan, source(rows), Infinity, check(plan))).optedOutRows).toBe(0);
    const after = await validateRoutes(plan, source(rows), resolution, Infinity, { audience: check(plan) });
    expect(after.routes.skips).toEqual([{ row: 3, conversationId: 'c-cat', reason: 'opted out on 2026-03-14 (added by hand)', audience: 'opted-out' }]);
  });

  it('a campaign that ignores the list sends the row and keeps the note the report shows', async () => {
    optOut(conversationKey('c-ana'), 'c-ana', 'conversation');
    const plan = phonePlan({ audience: { ignoreOptOuts: 'receipts' } });
    const after = await validateRoutes(plan, source(rows), resolution, Infinity, { audience: check(plan) });
    expect(after.validation).toMatchObject({ sendable: 3, overriddenRows: 1, optedOutRows: 0 });
    expect(after.routes.notes.get(1)).toContain('sent anyway: the campaign ignores the opt-out list (receipts)');
  });
});

describe('the run routes every row through the list and the cap', () => {
  it('hears each row sent with every key it has; a row an earlier run settled is not asked about', async () => {
    ws.setFrequencyCap({ messages: 1, hours: 24 });
    ws.history.record([{ campaignId: 'earlier', row: 1, keys: [phoneKey('+4915112345678')], at: now - 3_600_000 }]);
    const plan = phonePlan();
    const heard: [number, readonly string[]][] = [];
    const jobs = [];
    for await (const j of planJobs(plan, source(rows), new Set(), resolution, {}, check(plan), (row, keys) => heard.push([row, keys]))) jobs.push(j);
    expect(jobs.map((j) => ('skip' in j ? `${j.row} skip: ${j.skip.slice(0, 22)}` : `${j.row} to ${j.recipient}`))).toEqual(['1 skip: over the frequency cap', '2 to c-ben', '3 to c-cat']);
    expect(heard).toEqual([
      [2, [phoneKey('+494915112345679'), conversationKey('c-ben')]],
      [3, [phoneKey('+4915112345670'), conversationKey('c-cat')]],
    ]);
    // Resumed: row 1 was settled by the run before, so the cap (which its own message now fills) does not skip it.
    const resumed = [];
    for await (const j of planJobs(plan, source(rows), new Set(), resolution, { settled: (row) => row === 1 }, check(plan))) resumed.push(j);
    expect(resumed[0]).toMatchObject({ row: 1, recipient: 'c-ana' });
    expect('skip' in (resumed[0] ?? {})).toBe(false);
  });
});

describe("the report's opt_out column", () => {
  it("comes after the provider's columns, each picking a name the others do not have", () => {
    const sidecar = WassistSidecar.inMemory();
    sidecar.phones.set(1, '+4915112345678');
    const extra = combineColumns([wassistColumns(sidecar), undefined, optOutColumn(new Map([[1, 'sent anyway']]))]);
    // The provider's own columns (delivery and engagement come from the engagement columns, which wrap these).
    expect(extra?.header(['row', 'status', 'opt_out'])).toEqual(['row', 'status', 'opt_out', 'phone', 'variant', 'opt_out (audience)']);
    expect(extra?.cells(1, undefined)).toEqual(['+4915112345678', '', 'sent anyway']);
    expect(extra?.cells(2, undefined)).toEqual(['', '', '']);
    expect(combineColumns([undefined])).toBeUndefined();
  });
});
