import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { StrictMode } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import type { DatasetInfo, InterruptedCampaign } from '../../../shared/ipc/contract';
import { App } from '../../app/app';
import { WorkflowProvider } from '../../app/workflow';

/**
 * The start-up notice of interrupted campaigns, over a stand-in for window.api: Dismiss tells main
 * and hides it; a campaign whose contacts the app never imported asks for the file first (main's own
 * dialog) and resumes with it; one without a usable key sends the person to Settings.
 */

const totals = { total: 6, pending: 3, inFlight: 1, sent: 2, failed: 0, skipped: 0, uncertain: 0 };
const stopped = (id: string, extra: Partial<InterruptedCampaign> = {}): InterruptedCampaign => ({
  campaignId: id,
  name: `Campaign ${id}`,
  csvName: 'contacts.csv',
  providerKind: 'wassist',
  updatedAt: '2026-01-01T10:05:00.000Z',
  totals,
  profileName: 'Client A',
  dismissed: false,
  ...extra,
});
const dataset = { datasetId: 'd-1', name: 'contacts.csv' } as DatasetInfo;

function fakeApi(list: InterruptedCampaign[]) {
  const calls: { method: string; request?: unknown }[] = [];
  const record =
    <T,>(method: string, answer: T) =>
    async (request?: unknown): Promise<T> => {
      calls.push(request === undefined ? { method } : { method, request });
      return answer;
    };
  const pending = () => new Promise<never>(() => undefined);
  const known: Record<string, Record<string, unknown>> = {
    profiles: { list: async () => [] },
    csv: { open: record('csv.open', dataset) },
    campaign: {
      snapshot: async () => null,
      interrupted: record('campaign.interrupted', list),
      dismissInterrupted: record('campaign.dismissInterrupted', null),
      resumeInterrupted: async (r: { campaignId: string }) => {
        calls.push({ method: 'campaign.resumeInterrupted', request: r });
        return { campaignId: r.campaignId };
      },
      onEvent: () => () => undefined,
    },
    app: { onCommand: () => () => undefined },
  };
  Object.assign(window, { api: new Proxy(known, { get: (t, d: string) => new Proxy(t[d] ?? {}, { get: (m, n: string) => m[n] ?? pending }) }) });
  return (method: string) => calls.filter((c) => c.method === method).map((c) => c.request);
}

function renderApp() {
  return render(
    <StrictMode>
      <WorkflowProvider>
        <App />
      </WorkflowProvider>
    </StrictMode>,
  );
}

afterEach(cleanup);

describe('the notice of interrupted campaigns', () => {
  it('says how far each got; Dismiss tells main and hides that one', async () => {
    const called = fakeApi([stopped('a'), stopped('b')]);
    renderApp();
    await waitFor(() => expect(screen.getAllByTestId('interrupted-notice')).toHaveLength(2));
    expect(screen.getAllByTestId('interrupted-standing')[0]?.textContent).toBe('contacts.csv: 2 of 6 rows sent, 3 not sent yet, 1 in doubt.');
    fireEvent.click(screen.getAllByTestId('interrupted-dismiss')[0] as HTMLElement);
    await waitFor(() => expect(screen.getAllByTestId('interrupted-notice')).toHaveLength(1));
    expect(called('campaign.dismissInterrupted')).toEqual([{ campaignId: 'a' }]);
    expect(screen.getByTestId('interrupted-notice').textContent).toContain('“Campaign b” was interrupted');
  });

  it('contacts the app never imported: the button imports the file, then resumes with it and opens the live screen', async () => {
    const message = 'Its contacts (contacts.csv) are not in this app. Import contacts.csv to resume it.';
    const called = fakeApi([stopped('cli', { blocked: { kind: 'contacts', fileName: 'contacts.csv', message } })]);
    renderApp();
    await waitFor(() => expect(screen.getByTestId('interrupted-blocked').textContent).toBe(message));
    fireEvent.click(screen.getByTestId('interrupted-resume'));
    await waitFor(() => expect(called('campaign.resumeInterrupted')).toEqual([{ campaignId: 'cli', datasetId: 'd-1' }]));
    expect(called('csv.open')).toHaveLength(1);
    await waitFor(() => expect(screen.queryByTestId('interrupted-notice')).toBeNull());
    expect(screen.getByTestId('nav-send').getAttribute('aria-current')).toBe('step');
  });

  it('no usable key: no Resume, the way to Settings instead', async () => {
    const called = fakeApi([stopped('k', { blocked: { kind: 'key', message: '"Client A" has no API key. Add it in Settings to resume.' } })]);
    renderApp();
    await waitFor(() => expect(screen.getByTestId('interrupted-resume-settings')).toBeTruthy());
    expect(screen.queryByTestId('interrupted-resume')).toBeNull();
    fireEvent.click(screen.getByTestId('interrupted-resume-settings'));
    expect(screen.getByTestId('nav-settings').getAttribute('aria-current')).toBe('page');
    expect(called('campaign.resumeInterrupted')).toEqual([]);
  });
});
