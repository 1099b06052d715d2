import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { OptOutEntryView } from '../../../shared/ipc/contract';
import { FrequencyCapCard } from './frequency-cap-card';
import { OptOutListCard } from './opt-out-list-card';

/** A list in memory behind a stand-in of window.api's optout and workspace methods. */
function fakeApi() {
  const list: OptOutEntryView[] = [
    { key: 'p:+447911123456', kind: 'phone', value: '+447911123456', optedOutAt: '2026-03-14T09:00:00.000Z', source: 'manual', reason: 'STOP by SMS', origin: '' },
    { key: 'c:conv-9', kind: 'conversation', value: 'conv-9', optedOutAt: '2026-03-13T09:00:00.000Z', source: 'imported', reason: '', origin: 'crm.csv' },
  ];
  const calls: { method: string; request: unknown }[] = [];
  let cap: { messages: number; hours: number } | null = null;
  Object.assign(window, {
    api: {
      optout: {
        list: async (r: { search?: string; offset: number; limit: number }) => {
          calls.push({ method: 'list', request: r });
          const found = list.filter((e) => r.search === undefined || `${e.value} ${e.reason} ${e.origin}`.toLowerCase().includes(r.search.toLowerCase()));
          return { total: found.length, count: list.length, entries: found.slice(r.offset, r.offset + r.limit) };
        },
        add: async (r: { values: string[]; kind: string }) => {
          calls.push({ method: 'add', request: r });
          if (r.values.includes('12')) throw Object.assign(new Error('Please fix the problems listed.'), { problems: [{ row: 0, field: 'value 2', reason: '"12" is too short', severity: 'error' }] });
          return { added: r.values.length, existing: 0 };
        },
        remove: async (r: { keys: string[] }) => {
          calls.push({ method: 'remove', request: r });
          const at = list.findIndex((e) => e.key === r.keys[0]);
          if (at >= 0) list.splice(at, 1);
          return { removed: at >= 0 ? 1 : 0 };
        },
        export: async () => ({ saved: true, fileName: 'list.csv', count: list.length }),
      },
      workspace: {
        settings: async () => ({ frequencyCap: cap, optOutCount: list.length }),
        setFrequencyCap: async (r: { frequencyCap: typeof cap }) => {
          calls.push({ method: 'setFrequencyCap', request: r });
          cap = r.frequencyCap;
          return { frequencyCap: cap, optOutCount: list.length };
        },
      },
    },
  });
  return calls;
}

afterEach(cleanup);

describe('the opt-out list in Settings', () => {
  it('lists, searches and removes entries', async () => {
    const calls = fakeApi();
    render(<OptOutListCard />);
    await waitFor(() => expect(screen.getByTestId('optout-table').textContent).toContain('+447911123456'));
    expect(screen.getByText('Opt-out list (2)')).toBeTruthy();
    fireEvent.change(screen.getByTestId('optout-search'), { target: { value: 'crm' } });
    await waitFor(() => expect(calls.some((c) => c.method === 'list' && (c.request as { search?: string }).search === 'crm')).toBe(true));
    await waitFor(() => expect(screen.getByTestId('optout-table').textContent).not.toContain('+447911123456'));
    fireEvent.click(screen.getByLabelText('Remove conv-9'));
    await waitFor(() => expect(screen.getByText('conv-9 was removed: campaigns may message it again.')).toBeTruthy());
    expect(calls.find((c) => c.method === 'remove')?.request).toEqual({ keys: ['c:conv-9'] });
  });

  it('adds values typed one a line, and names a bad one without adding any', async () => {
    const calls = fakeApi();
    render(<OptOutListCard />);
    fireEvent.click(screen.getByTestId('optout-add'));
    fireEvent.change(screen.getByTestId('optout-add-values'), { target: { value: '+44 7911 123457\n12\n' } });
    fireEvent.click(screen.getByTestId('optout-add-run'));
    await waitFor(() => expect(screen.getByText('campaign, value 2: "12" is too short')).toBeTruthy());
    expect(calls.find((c) => c.method === 'add')?.request).toEqual({ values: ['+44 7911 123457', '12'], kind: 'phone' });
  });
});

describe('the frequency cap in Settings', () => {
  it('is off by default and saves the cap chosen', async () => {
    const calls = fakeApi();
    render(<FrequencyCapCard />);
    await waitFor(() => expect(screen.getByTestId('frequency-cap').textContent).toContain('Off: a recipient may get any number'));
    fireEvent.click(screen.getByTestId('cap-on'));
    fireEvent.change(screen.getByTestId('cap-period'), { target: { value: '168' } });
    fireEvent.click(screen.getByTestId('cap-save'));
    await waitFor(() => expect(screen.getByTestId('cap-note').textContent).toContain('At most 1 campaign message per recipient in any 7 days'));
    expect(calls.find((c) => c.method === 'setFrequencyCap')?.request).toEqual({ frequencyCap: { messages: 1, hours: 168 } });
  });
});
