import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { conversationKey, normalizeOptOutValue, phoneKey } from '../../../shared/campaign/recipient-keys';
import { InputError } from '../../../shared/problems';
import { exportOptOuts, importOptOuts } from './opt-out-csv';
import type { KeyedValue } from './opt-out-list';
import { Workspace } from './workspace';

let dir: string;
let now = Date.UTC(2026, 2, 14, 9, 0);
const clock = () => now;
let ws: Workspace;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'workspace-'));
  ws = Workspace.open(dir, clock);
});
afterEach(() => {
  ws.close();
  rmSync(dir, { recursive: true, force: true });
});

function phone(text: string): KeyedValue {
  const v = normalizeOptOutValue('phone', text, 'GB');
  if (!v.ok) throw new Error(v.reason);
  return { key: v.key, kind: 'phone', value: v.value };
}

describe('the opt-out list', () => {
  it('keeps an entry with when, why and where from; a number written two ways is one entry', () => {
    expect(ws.optOuts.add([phone('07911 123456')], { source: 'manual', reason: 'asked on the phone' })).toEqual({ added: 1, existing: 0 });
    now += 60_000;
    expect(ws.optOuts.add([phone('+44 7911 123456')], { source: 'imported', origin: 'crm.csv' })).toEqual({ added: 0, existing: 1 });
    expect(ws.optOuts.find(phoneKey('+447911123456'))).toEqual({
      key: 'p:+447911123456',
      kind: 'phone',
      value: '+447911123456',
      createdAt: Date.UTC(2026, 2, 14, 9, 0),
      source: 'manual',
      reason: 'asked on the phone',
      origin: '',
    });
  });

  it('the matcher finds every entry and nothing else, also after removals and across a rebuild of its filter', () => {
    const values = Array.from({ length: 3_000 }, (_, i) => ({ key: conversationKey(`conv-${i}`), kind: 'conversation' as const, value: `conv-${i}` }));
    ws.optOuts.add(values, { source: 'imported' });
    const m = ws.optOuts.matcher();
    for (let i = 0; i < 3_000; i++) expect(m.match(conversationKey(`conv-${i}`))?.value).toBe(`conv-${i}`);
    for (let i = 3_000; i < 13_000; i++) expect(m.match(conversationKey(`conv-${i}`))).toBeUndefined();
    ws.optOuts.remove(values.slice(0, 2_000).map((v) => v.key)); // more than a quarter: the filter is rebuilt
    const after = ws.optOuts.matcher();
    expect(after.match(conversationKey('conv-5'))).toBeUndefined();
    expect(after.match(conversationKey('conv-2500'))?.value).toBe('conv-2500');
    expect(ws.optOuts.count()).toBe(1_000);
  });

  it('finds long keys (UUIDs) whichever way it is asked: whole keys, parts, or a run of values at once', () => {
    const ids = Array.from({ length: 500 }, (_, i) => `3c90c3cc-0d44-4b50-8888-${String(i * 7).padStart(12, '0')}`);
    ws.optOuts.add(ids.map((id) => ({ key: conversationKey(id), kind: 'conversation' as const, value: id })), { source: 'imported' });
    const m = ws.optOuts.matcher();
    const others = ids.map((id) => `${id.slice(0, -1)}x`);
    for (const id of ids) {
      expect(m.match(conversationKey(id))?.value).toBe(id);
      expect(m.has('c:', id)).toBe(true);
    }
    for (const id of others) expect(m.has('c:', id)).toBe(false);
    expect([...m.screen('c:', [...ids.slice(0, 100), ...others.slice(0, 100)])]).toEqual([...Array(100).fill(1), ...Array(100).fill(0)]);
    // More than a run's worth of values at once is answered too (key by key).
    expect([...m.screen('c:', [...others.slice(0, 200), ...ids.slice(0, 200)])]).toEqual([...Array(200).fill(0), ...Array(200).fill(1)]);
    expect(m.has('p:', ids[0] as string)).toBe(false); // the same text as another kind of key is another key
  });

  it('a matcher in use sees an entry another process added, within a second', () => {
    const m = ws.optOuts.matcher();
    expect(m.match(phoneKey('+447911123456'))).toBeUndefined();
    const other = Workspace.open(dir, clock);
    other.optOuts.add([phone('+447911123456')], { source: 'reply', origin: 'conversation c-1' });
    other.close();
    now += 1_000;
    let found;
    for (let i = 0; i < 256 && found === undefined; i++) found = m.match(phoneKey('+447911123456'));
    expect(found?.source).toBe('reply');
  });

  it('pages newest first and searches value, reason and origin', () => {
    ws.optOuts.add([phone('+447911123456')], { source: 'manual', reason: 'STOP by SMS' });
    now += 1_000;
    ws.optOuts.add([phone('+447911123457')], { source: 'imported', origin: 'old list.csv' });
    expect(ws.optOuts.page(0, 10).entries.map((e) => e.value)).toEqual(['+447911123457', '+447911123456']);
    expect(ws.optOuts.page(0, 10, 'stop').entries.map((e) => e.value)).toEqual(['+447911123456']);
    expect(ws.optOuts.page(0, 10, 'OLD LIST')).toMatchObject({ total: 1 });
    expect(ws.optOuts.page(0, 10, '123457').total).toBe(1);
    expect(ws.optOuts.page(0, 10, '%').total).toBe(0);
  });
});

describe('importing and exporting the list as CSV', () => {
  it('refuses a file with a bad number, naming the row, and imports nothing; --skip-invalid imports the rest', async () => {
    const file = join(dir, 'unsubscribed.csv');
    writeFileSync(file, 'name,Mobile\nAna,07911 123456\nBen,12\nCat,\nDan,+1 415 555 0123\n');
    const refused = await importOptOuts(ws.optOuts, { path: file, column: 'Mobile', defaultCountry: 'GB' }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(InputError);
    expect((refused as InputError).problems).toEqual([{ row: 2, field: 'Mobile', column: 'Mobile', reason: '"12" is too short: not imported', severity: 'error' }]);
    expect(ws.optOuts.count()).toBe(0);
    const done = await importOptOuts(ws.optOuts, { path: file, column: 'Mobile', defaultCountry: 'GB', skipInvalid: true, reason: 'unsubscribed in the CRM' });
    expect(done).toMatchObject({ added: 2, existing: 0, empty: 1, invalid: 1 });
    expect(ws.optOuts.find(phoneKey('+14155550123'))).toMatchObject({ source: 'imported', origin: 'unsubscribed.csv', reason: 'unsubscribed in the CRM' });
  });

  it('names a missing column and suggests the closest one', async () => {
    const file = join(dir, 'list.csv');
    writeFileSync(file, 'phone_number\n+447911123456\n');
    const e = (await importOptOuts(ws.optOuts, { path: file, column: 'phone_numbr' }).catch((x: unknown) => x)) as InputError;
    expect(e.problems[0]?.reason).toBe('list.csv has no column "phone_numbr": did you mean "phone_number"?');
  });

  it('an export imports back into another workspace with its dates, sources and reasons', async () => {
    ws.optOuts.add([phone('+447911123456')], { source: 'manual', reason: '=HYPERLINK("x")' });
    ws.optOuts.add([{ key: conversationKey('c-9'), kind: 'conversation', value: 'c-9' }], { source: 'reply', origin: 'message m-1', at: Date.UTC(2026, 0, 2) });
    const out = join(dir, 'export.csv');
    expect(await exportOptOuts(ws.optOuts, out)).toBe(2);
    expect(readFileSync(out, 'utf8').split('\r\n')[0]).toBe('value,kind,opted_out_at,source,reason,origin');
    const other = Workspace.open(join(dir, 'other'), clock);
    try {
      const r = await importOptOuts(other.optOuts, { path: out, column: 'value' });
      expect(r).toMatchObject({ added: 2, invalid: 0 });
      expect(other.optOuts.find(conversationKey('c-9'))).toMatchObject({ createdAt: Date.UTC(2026, 0, 2), source: 'reply', origin: 'message m-1' });
      expect(other.optOuts.find(phoneKey('+447911123456'))).toMatchObject({ source: 'manual' });
    } finally {
      other.close();
    }
  });
});

describe('the message history', () => {
  it('counts messages per recipient in a window, once per message however many keys it has', () => {
    const keys = [phoneKey('+447911123456'), conversationKey('c-1')];
    ws.history.record([{ campaignId: 'a', row: 1, keys, at: now - 3_600_000 }]);
    ws.history.record([{ campaignId: 'a', row: 1, keys, at: now - 3_600_000 }]); // replayed after a crash: no double
    ws.history.record([{ campaignId: 'b', row: 4, keys: [conversationKey('c-1')], at: now - 60_000 }]);
    expect(ws.history.recent(keys, now - 24 * 3_600_000)).toEqual({ count: 2, lastAt: now - 60_000 });
    expect(ws.history.recent([phoneKey('+447911123456')], now - 24 * 3_600_000)).toEqual({ count: 1, lastAt: now - 3_600_000 });
    expect(ws.history.recent(keys, now - 30 * 60_000)).toEqual({ count: 1, lastAt: now - 60_000 });
    expect(ws.history.recent([conversationKey('c-2')], 0)).toBeUndefined();
  });
});

describe('scheduled starts', () => {
  it('move from waiting to started, can be changed or cancelled only while waiting, and survive reopening', () => {
    const a = ws.schedules.create('Spring sale', now + 3_600_000, { datasetHash: 'h' });
    const b = ws.schedules.create('Newsletter', now + 60_000, {});
    expect(ws.schedules.nextWaiting()?.id).toBe(b.id);
    expect(ws.schedules.change(a.id, now + 30_000)).toBe(true);
    expect(ws.schedules.cancel(b.id)).toBe(true);
    expect(ws.schedules.change(b.id, now)).toBe(false);
    expect(ws.schedules.claim(a.id)).toBe(true);
    ws.close();
    ws = Workspace.open(dir, clock);
    expect(ws.schedules.recover()).toBe(1);
    expect(ws.schedules.nextWaiting()).toMatchObject({ id: a.id, name: 'Spring sale', dueAt: now + 30_000, request: { datasetHash: 'h' } });
    ws.schedules.claim(a.id);
    ws.schedules.started(a.id, 'abc', 'Started on time.');
    expect(ws.schedules.get(a.id)).toMatchObject({ state: 'started', campaignId: 'abc', startedAt: now });
  });
});

describe('settings', () => {
  it('the frequency cap is off by default and kept once set', () => {
    expect(ws.frequencyCap()).toBeNull();
    const before = ws.version();
    ws.setFrequencyCap({ messages: 1, hours: 24 });
    expect(ws.version()).not.toBe(before);
    ws.close();
    ws = Workspace.open(dir, clock);
    expect(ws.frequencyCap()).toEqual({ messages: 1, hours: 24 });
  });
});
