import { cleanup, render, screen, waitFor, within } from '@testing-library/react';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { RowOutcome } from '../../../shared/engine/events';
import type { CampaignRow } from './status-table';
import { StatusTable } from './status-table';

// jsdom lays nothing out: give the table's scroll box a height so the virtual list renders rows
// (an own property of HTMLElement.prototype over Element's, removed again after these tests).
beforeAll(() => {
  Object.defineProperty(HTMLElement.prototype, 'clientHeight', { configurable: true, get: () => 360 });
});
afterAll(() => {
  delete (HTMLElement.prototype as { clientHeight?: number }).clientHeight;
});
afterEach(cleanup);

function fakeRows(rows: CampaignRow[]) {
  Object.assign(window, { api: { campaign: { rows: async () => ({ total: rows.length, rows }) } } });
}

const sent = (row: number, extra: Partial<CampaignRow> = {}): CampaignRow => ({ row, status: 'sent', recipient: `conv-${row}`, attempts: 1, messageId: `m-${row}`, ...extra });

function headers(): string[] {
  return within(screen.getByTestId('status-table'))
    .getAllByRole('columnheader')
    .map((h) => h.textContent ?? '');
}

describe('StatusTable', () => {
  it('has no Delivery column when no row has a delivery status or the fallback (plain, or Wassist not read yet)', async () => {
    fakeRows([sent(1), sent(2, { variant: 'message' })]);
    render(<StatusTable campaignId="c1" total={2} overlay={new Map()} version={0} filter="all" running={false} />);
    await waitFor(() => expect(screen.getAllByTestId('status-row')[0]?.textContent).toContain('conv-1'));
    expect(headers()).toEqual(['Row', 'Recipient', 'Status', 'Tries', 'Details']);
    expect(screen.queryByTestId('delivery-cell')).toBeNull();
  });

  it('adds a Delivery column with each row’s delivery status and the fallback template once a row has them', async () => {
    fakeRows([
      sent(1, { variant: 'message', deliveryStatus: 'read', deliveryStatusAt: '2026-01-01T10:00:00.000Z' }),
      sent(2, { variant: 'fallback', deliveryStatus: 'delivered', deliveryStatusAt: '2026-01-01T10:01:00.000Z' }),
      sent(3, { variant: 'message' }),
    ]);
    render(<StatusTable campaignId="c1" total={3} overlay={new Map()} version={0} filter="all" running={false} />);
    await waitFor(() => expect(headers()).toEqual(['Row', 'Recipient', 'Status', 'Tries', 'Delivery', 'Details']));
    const cells = screen.getAllByTestId('delivery-cell').map((c) => c.textContent);
    expect(cells).toEqual(['read', 'deliveredfallback', '']);
    expect(screen.getAllByTestId('delivery-cell')[0]?.title).toContain('read since');
  });

  it('keeps a row’s delivery status under the live update of the same row', async () => {
    fakeRows([sent(1, { variant: 'fallback', deliveryStatus: 'failed' })]);
    const live: RowOutcome = { row: 1, status: 'sent', recipient: 'conv-1', attempts: 2, messageId: 'm-1' };
    render(<StatusTable campaignId="c1" total={1} overlay={new Map([[1, live]])} version={1} filter="all" running={true} />);
    await waitFor(() => expect(screen.getByTestId('delivery-cell').textContent).toBe('failedfallback'));
    expect(screen.getByTestId('status-row').textContent).toContain('2'); // the live attempts count
  });

  it('shows a phone campaign’s number in the Recipient column (the conversation in its title), under live updates too', async () => {
    fakeRows([sent(1, { phone: '+447911123456', recipient: 'c-ana' }), { row: 2, status: 'pending', recipient: '', attempts: 0, phone: '+447911123457' }]);
    const live: RowOutcome = { row: 2, status: 'sent', recipient: 'c-ben', attempts: 1, messageId: 'm-2' };
    render(<StatusTable campaignId="c1" total={2} overlay={new Map([[2, live]])} version={1} filter="all" running={true} />);
    await waitFor(() => expect(screen.getAllByTestId('status-row')[0]?.textContent).toContain('+447911123456'));
    const [ana, ben] = screen.getAllByTestId('status-row').map((r) => within(r).getAllByRole('cell')[1]);
    expect(ben?.textContent).toBe('+447911123457');
    expect(ben?.title).toBe('+447911123457 · conversation c-ben');
    expect(ana?.title).toBe('+447911123456 · conversation c-ana');
  });
});
