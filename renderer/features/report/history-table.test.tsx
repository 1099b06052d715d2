import { act, cleanup, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { CampaignSummary, DeliveryStatus } from '../../../shared/ipc/contract';
import { HistoryTable } from './history-table';

const summary = (campaignId: string, providerKind: string): CampaignSummary => ({
  campaignId,
  name: `Campaign ${campaignId}`,
  csvName: 'contacts.csv',
  providerKind,
  createdAt: '2026-01-01T10:00:00.000Z',
  updatedAt: '2026-01-01T10:05:00.000Z',
  totals: { total: 10, pending: 0, inFlight: 0, sent: 9, failed: 1, skipped: 0, uncertain: 0 },
  state: 'finished',
});

const checked: DeliveryStatus = {
  campaignId: 'w1',
  counts: { read: 5, delivered: 2, sent: 0, failed: 1 },
  variants: { message: 7, fallback: 2 },
  sentRows: 9,
  checkedAt: '2026-01-01T11:00:00.000Z',
};
const unread: DeliveryStatus = { campaignId: 'w2', counts: { read: 0, delivered: 0, sent: 0, failed: 0 }, variants: { message: 4, fallback: 0 }, sentRows: 4 };

function fakeDelivery(statuses: Record<string, DeliveryStatus | null | Error>) {
  const asked: string[] = [];
  Object.assign(window, {
    api: {
      campaign: {
        deliveryStatus: async ({ campaignId }: { campaignId: string }) => {
          asked.push(campaignId);
          const s = statuses[campaignId] ?? null;
          if (s instanceof Error) throw s;
          return s;
        },
      },
    },
  });
  return asked;
}

function columns(): string[] {
  return screen.getAllByRole('columnheader').map((h) => h.textContent ?? '');
}

afterEach(cleanup);

describe('HistoryTable', () => {
  it('shows a Delivery column with each Wassist campaign’s counts, and a dash for the others', async () => {
    const asked = fakeDelivery({ w1: checked, w2: unread, p1: null });
    const history = [summary('w1', 'wassist'), summary('p1', 'pingback'), summary('w2', 'wassist')];
    render(<HistoryTable history={history} selectedId="w1" onOpen={() => undefined} onExport={() => undefined} />);
    await waitFor(() => expect(columns()).toContain('Delivery'));
    expect(columns()).toEqual(['Campaign', 'Contacts file', 'Provider', 'Started', 'Sent', 'Failed', 'Delivery', 'State', 'Actions']);
    const cells = screen.getAllByTestId('history-delivery');
    expect(cells.map((c) => c.textContent)).toEqual(['5 read · 2 delivered · 1 failed', '—', 'not read yet']);
    expect(cells[0]?.title).toContain('2 got the fallback template');
    expect(asked.sort()).toEqual(['p1', 'w1', 'w2']);
  });

  it('has no Delivery column when no campaign has a delivery status (or reading it fails)', async () => {
    const asked = fakeDelivery({ p1: null, g1: new Error('The campaign store could not be read.') });
    render(<HistoryTable history={[summary('p1', 'pingback'), summary('g1', 'generic')]} selectedId={null} onOpen={() => undefined} onExport={() => undefined} />);
    await waitFor(() => expect(asked.sort()).toEqual(['g1', 'p1']));
    // Flush the answered promises (a macrotask runs after every pending microtask), then look.
    await act(() => new Promise<void>((resolve) => setTimeout(resolve, 0)));
    expect(columns()).toEqual(['Campaign', 'Contacts file', 'Provider', 'Started', 'Sent', 'Failed', 'State', 'Actions']);
    expect(screen.getAllByTestId('history-row')).toHaveLength(2);
    expect(screen.queryByTestId('history-delivery')).toBeNull();
  });
});
