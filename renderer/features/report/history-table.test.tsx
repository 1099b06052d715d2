import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { CampaignSummary, FunnelSummary, InterruptedCampaign } from '../../../shared/ipc/contract';
import { WorkflowProvider } from '../../app/workflow';
import { HistoryTable } from './history-table';

const summary = (campaignId: string, providerKind: string, funnel?: FunnelSummary): CampaignSummary => ({
  campaignId,
  name: `Campaign ${campaignId}`,
  csvName: 'contacts.csv',
  providerKind,
  createdAt: '2026-01-01T10:00:00.000Z',
  updatedAt: '2026-01-01T10:05:00.000Z',
  totals: { total: 10, pending: 0, inFlight: 0, sent: 8, failed: 2, skipped: 0, uncertain: 0 },
  state: 'finished',
  ...(funnel === undefined ? {} : { funnel }),
});

const read: FunnelSummary = { sent: 8, delivered: 8, read: 6, clicked: 2, replied: 1, optedOut: 1, checkedAt: '2026-01-01T11:00:00.000Z' };
const textOnly: FunnelSummary = { ...read, clicked: null, optedOut: 0 };
const unread: FunnelSummary = { sent: 8, delivered: null, read: null, clicked: null, replied: null, optedOut: null };
const pingback: FunnelSummary = { sent: 8, delivered: null, read: null, clicked: null, replied: null, optedOut: null };

function columns(): string[] {
  return screen.getAllByRole('columnheader').map((h) => h.textContent ?? '');
}

afterEach(cleanup);

describe('HistoryTable', () => {
  it('puts each campaign’s funnel side by side as shares of what it sent, and says why one has none', () => {
    const history = [summary('w1', 'wassist', read), summary('p1', 'pingback', pingback), summary('w2', 'wassist', textOnly), summary('w3', 'wassist', { ...unread, checkedAt: undefined } as FunnelSummary)];
    render(<HistoryTable history={history} selectedId="w1" onOpen={() => undefined} onExport={() => undefined} />);
    expect(columns()).toEqual(['Campaign', 'Sent', 'Failed', 'Delivered', 'Read', 'Clicked', 'Replied', 'Opted out', 'State', 'Actions']);
    const col = (key: string) => screen.getAllByTestId(`history-${key}`).map((c) => c.textContent);
    expect(col('delivered')).toEqual(['100%', 'n/a', '100%', 'n/a']);
    expect(col('read')).toEqual(['75%', 'n/a', '75%', 'n/a']);
    expect(col('clicked')).toEqual(['25%', 'n/a', '–', 'n/a']);
    expect(col('replied')).toEqual(['13%', 'n/a', '13%', 'n/a']);
    expect(col('opted-out')).toEqual(['1', '–', '0', '–']);
    expect(screen.getAllByTestId('history-delivered')[1]?.title).toBe('pingback publishes no engagement data');
    expect(screen.getAllByTestId('history-read')[0]?.title).toContain('6 of 8 sent');
    // The provider and start time move under the name, so the state and actions stay in view.
    expect(screen.getAllByTestId('history-sub').map((c) => c.textContent?.split(' · ')[0])).toEqual(['wassist', 'pingback', 'wassist', 'wassist']);
  });

  it('has no funnel columns until some campaign’s engagement has been read', () => {
    render(<HistoryTable history={[summary('p1', 'pingback', pingback), summary('w1', 'wassist', unread)]} selectedId={null} onOpen={() => undefined} onExport={() => undefined} />);
    expect(columns()).toEqual(['Campaign', 'Provider', 'Started', 'Sent', 'Failed', 'State', 'Actions']);
    expect(screen.getAllByTestId('history-row')).toHaveLength(2);
    expect(screen.queryByTestId('history-delivered')).toBeNull();
  });

  it('says "cancelled" for a campaign the person cancelled and "interrupted" for one that crashed or quit, with Resume for both', () => {
    // The workflow around the Resume buttons asks main for its profiles and the live campaign: nothing here.
    const never = () => new Promise<never>(() => undefined);
    Object.assign(window, { api: new Proxy({}, { get: () => new Proxy({}, { get: () => never }) }) });
    const left = { total: 10, pending: 6, inFlight: 0, sent: 4, failed: 0, skipped: 0, uncertain: 0 };
    const history: CampaignSummary[] = [
      { ...summary('c1', 'wassist'), totals: left, state: 'cancelled' },
      { ...summary('i1', 'wassist'), totals: { ...left, pending: 5, inFlight: 1 }, state: 'interrupted' },
      summary('f1', 'wassist'),
    ];
    const resumable = (h: CampaignSummary): InterruptedCampaign => ({ ...h, dismissed: h.state === 'cancelled' });
    const interrupted = new Map(history.slice(0, 2).map((h) => [h.campaignId, resumable(h)]));
    const resumed: string[] = [];
    render(
      <WorkflowProvider>
        <HistoryTable history={history} selectedId={null} onOpen={() => undefined} onExport={() => undefined} interrupted={interrupted} onResume={(c) => resumed.push(c.campaignId)} />
      </WorkflowProvider>,
    );
    const states = screen.getAllByTestId('history-state');
    expect(states.map((s) => s.textContent)).toEqual(['cancelled', 'interrupted', 'finished']);
    expect(states[0]?.title).toBe('You cancelled it: 6 rows were not sent.');
    expect(states[1]?.title).toContain('the app quit or crashed');
    expect(states[2]?.title).toBe('');
    const resume = screen.getAllByTestId('history-resume');
    expect(resume).toHaveLength(2);
    fireEvent.click(resume[0] as HTMLElement);
    expect(resumed).toEqual(['c1']);
  });
});
