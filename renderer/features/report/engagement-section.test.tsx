import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { EngagementView } from '../../../shared/ipc/contract';
import { funnelOf } from '../../../shared/engagement/funnel';
import { EngagementSection } from './engagement-section';

const idle = { state: 'idle', done: 0, total: 0, requests: 0, etaSeconds: null } as const;
const base: EngagementView = {
  campaignId: 'c1',
  provider: 'wassist',
  published: true,
  stages: funnelOf(20, undefined, true, 'wassist'),
  optedOut: null,
  optOutsListed: true,
  failed: null,
  notFound: 0,
  unchecked: 20,
  open: 20,
  replyTimes: [
    { label: '< 1 min', count: 0 },
    { label: '1–5 min', count: 0 },
  ],
  medianReplySeconds: null,
  variants: { message: 20, fallback: 0 },
  refresh: idle,
  unreadable: [],
  note: 'Not read yet: refresh to see what became of the messages.',
};
const counts = { sent: 20, delivered: 19, read: 15, clicked: 6, replied: 5, optedOut: 1, failed: 1, clickData: 20 };
const read: EngagementView = {
  ...base,
  stages: funnelOf(20, counts, true, 'wassist'),
  optedOut: 1,
  failed: 1,
  unchecked: 0,
  open: 12,
  replyTimes: [
    { label: '< 1 min', count: 2 },
    { label: '1–5 min', count: 3 },
  ],
  medianReplySeconds: 75,
  checkedAt: '2026-01-01T10:00:00.000Z',
  note: undefined,
} as EngagementView;

function fakeApi(views: EngagementView[], refreshed: Promise<EngagementView>) {
  const calls: string[] = [];
  Object.assign(window, {
    api: {
      campaign: {
        engagement: async () => {
          calls.push('engagement');
          return views.length > 1 ? (views.shift() as EngagementView) : views[0];
        },
        refreshEngagement: async () => {
          calls.push('refreshEngagement');
          return refreshed;
        },
      },
    },
  });
  return calls;
}

const count = (stage: string) => screen.getByTestId(`funnel-count-${stage}`).textContent;

afterEach(cleanup);

describe('EngagementSection', () => {
  it('shows "not read yet", then the funnel with its rates after a refresh, with its progress meanwhile', async () => {
    let answer: (v: EngagementView) => void = () => undefined;
    const running: EngagementView = { ...base, refresh: { state: 'running', done: 8, total: 20, requests: 8, etaSeconds: 1.2 } };
    const calls = fakeApi([base, running], new Promise((resolve) => (answer = resolve)));
    render(<EngagementSection campaignId="c1" />);
    await waitFor(() => expect(count('sent')).toBe('20'));
    expect(count('delivered')).toBe('not read yet');
    // The chart says the same, not that Wassist publishes nothing.
    expect(screen.getByTestId('funnel-chart').getAttribute('aria-label')).toBe('Funnel: Sent 20 (100.0%), Delivered not read yet, Read not read yet, Clicked not read yet, Replied not read yet');
    expect(screen.getByTestId('engagement-note').textContent).toContain('Not read yet');
    fireEvent.click(screen.getByTestId('refresh-engagement'));
    await waitFor(() => expect(screen.getByTestId('refresh-progress').textContent).toContain('8 of 20'), { timeout: 3_000 });
    answer(read);
    await waitFor(() => expect(count('read')).toBe('15'));
    expect(screen.getByTestId('funnel-read').textContent).toContain('75.0%');
    expect(screen.getByTestId('funnel-read').textContent).toContain('78.9% of delivered');
    expect(screen.getByTestId('funnel-replied').textContent).toContain('33.3% of read');
    expect(screen.getByTestId('engagement-opted-out').textContent).toContain('added to the opt-out list');
    expect(screen.queryByTestId('refresh-progress')).toBeNull();
    expect(screen.getByTestId('reply-time-chart').getAttribute('aria-label')).toBe('Reply times: 2 in < 1 min, 3 in 1–5 min');
    expect(calls.filter((c) => c === 'refreshEngagement')).toHaveLength(1);
  });

  it('says a provider publishes no engagement instead of showing zeros, and offers no refresh', async () => {
    const pingback: EngagementView = { ...base, provider: 'pingback', published: false, stages: funnelOf(20, undefined, false, 'pingback'), note: "Pingback's API publishes no delivery, read, click or reply data, so only what was sent is known." };
    fakeApi([pingback], Promise.resolve(pingback));
    render(<EngagementSection campaignId="c1" />);
    await waitFor(() => expect(count('sent')).toBe('20'));
    for (const stage of ['delivered', 'read', 'clicked', 'replied']) expect(count(stage)).toBe('not published by Pingback');
    expect(screen.queryByText('0')).toBeNull();
    expect(screen.queryByTestId('refresh-engagement')).toBeNull();
    expect(screen.getByTestId('reply-time-card').textContent).toContain('publishes no delivery');
  });
});
