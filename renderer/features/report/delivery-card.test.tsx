import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { DeliveryStatus } from '../../../shared/ipc/contract';
import { DeliveryCard } from './delivery-card';

const before: DeliveryStatus = { campaignId: 'c1', counts: { sent: 0, delivered: 0, read: 0, failed: 0 }, variants: { message: 3, fallback: 1 }, sentRows: 4 };
const after: DeliveryStatus = { ...before, counts: { sent: 1, delivered: 1, read: 1, failed: 1 }, checkedAt: '2026-01-01T10:00:00.000Z', conversations: 4, unreadable: [] };

function fakeApi(first: DeliveryStatus | null, refreshed: DeliveryStatus) {
  const calls: string[] = [];
  Object.assign(window, {
    api: {
      campaign: {
        deliveryStatus: async () => {
          calls.push('deliveryStatus');
          return first;
        },
        refreshStatus: async () => {
          calls.push('refreshStatus');
          return refreshed;
        },
      },
    },
  });
  return calls;
}

afterEach(cleanup);

describe('DeliveryCard', () => {
  it('shows the kept counts, and reads them again on "Refresh delivery status"', async () => {
    const calls = fakeApi(before, after);
    render(<DeliveryCard campaignId="c1" />);
    await waitFor(() => expect(screen.getByTestId('delivery-note').textContent).toContain('has not been read yet'));
    expect(screen.getByTestId('delivery-note').textContent).toContain('1 rows got the fallback template');
    fireEvent.click(screen.getByTestId('refresh-status'));
    await waitFor(() => expect(screen.getByTestId('delivery-read').textContent).toContain('1'));
    expect(screen.getByTestId('delivery-note').textContent).toContain('4 of 4 accepted messages found');
    expect(calls).toEqual(['deliveryStatus', 'refreshStatus']);
  });

  it('shows nothing for a campaign with no delivery status (not Wassist)', async () => {
    const calls = fakeApi(null, after);
    const { container } = render(<DeliveryCard campaignId="c2" />);
    await waitFor(() => expect(calls).toEqual(['deliveryStatus']));
    await waitFor(() => expect(container.querySelector('[data-testid="delivery-card"]')).toBeNull());
  });
});
