import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { StrictMode } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import type { AppCommand, CampaignSummary, DatasetInfo, ProfileView } from '../../shared/ipc/contract';
import { App } from './app';
import { WorkflowProvider } from './workflow';

const dataset: DatasetInfo = {
  datasetId: 'd1',
  name: 'contacts.csv',
  headers: ['conversation_id', 'first_name'],
  rowCount: 2,
  delimiter: ',',
  encoding: 'utf-8',
  warnings: [],
  problems: [],
  sample: [['conv-1', 'Ana']],
};

const profiles: ProfileView[] = [
  { id: 'p-wassist', name: 'Wassist live', provider: { kind: 'wassist', baseUrl: 'https://backend.wassist.app' }, keyState: 'configured' },
  { id: 'p-pingback', name: 'Pingback live', provider: { kind: 'pingback', baseUrl: 'https://api.pingback.live' }, keyState: 'configured' },
];

const pingbackFile = {
  name: 'Spring promo',
  provider: { kind: 'pingback', baseUrl: 'https://api.pingback.live' },
  recipient: { conversationId: '{{conversation_id}}' },
  message: { text: 'Hi {{first_name}}' },
  throttle: { concurrency: 2, perSecond: 5 },
  retry: { attempts: 3 },
};

const summary = (campaignId: string, name: string): CampaignSummary => ({
  campaignId,
  name,
  csvName: 'contacts.csv',
  providerKind: 'wassist',
  createdAt: '2026-01-01T10:00:00.000Z',
  updatedAt: '2026-01-01T10:05:00.000Z',
  totals: { total: 2, pending: 0, inFlight: 0, sent: 2, failed: 0, skipped: 0, uncertain: 0 },
  state: 'finished',
});

/**
 * fakeApi stands in for the preload's window.api: the calls these tests are about answer as main
 * would and are recorded; anything else the screens ask for stays pending (a loading state).
 */
function fakeApi(opts: { history?: CampaignSummary[] } = {}) {
  const calls: { method: string; request?: unknown }[] = [];
  let menu: ((command: AppCommand) => void) | null = null;
  const record =
    <T,>(method: string, answer: (request: unknown) => T) =>
    async (request?: unknown): Promise<T> => {
      calls.push(request === undefined ? { method } : { method, request });
      return answer(request);
    };
  const pending = () => new Promise<never>(() => undefined);
  const known: Record<string, Record<string, unknown>> = {
    profiles: { list: async () => profiles },
    csv: { open: record('csv.open', () => dataset) },
    campaign: {
      snapshot: async () => null,
      history: async () => opts.history ?? [],
      openFile: record('campaign.openFile', () => ({ fileName: 'spring.campaign.json', spec: pingbackFile })),
      saveFile: record('campaign.saveFile', () => ({ saved: true, fileName: 'Spring promo.campaign.json' })),
      exportReport: record('campaign.exportReport', () => ({ saved: true, fileName: 'report.csv' })),
      rows: async () => ({ total: 0, rows: [] }),
      onEvent: () => () => undefined,
    },
    app: {
      onCommand: (listener: (command: AppCommand) => void) => {
        menu = listener;
        return () => {
          if (menu === listener) menu = null;
        };
      },
    },
  };
  const api = new Proxy(known, {
    get: (target, domain: string) => new Proxy(target[domain] ?? {}, { get: (methods, name: string) => methods[name] ?? pending }),
  });
  Object.assign(window, { api });
  const send = async (command: AppCommand) => {
    await waitFor(() => expect(menu).not.toBeNull());
    await act(async () => menu?.(command));
  };
  return { calls, send, called: (method: string) => calls.filter((c) => c.method === method) };
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

describe('application menu commands', () => {
  it('File > Open campaign loads the file into the message step, as the Open… button does, once per use', async () => {
    const api = fakeApi();
    renderApp();
    await api.send('import-csv');
    await waitFor(() => expect(screen.getByTestId('nav-map').hasAttribute('disabled')).toBe(false));
    await api.send('open-campaign');
    await waitFor(() => expect(screen.getByTestId('file-note').textContent).toBe('Opened spring.campaign.json; sending through “Pingback live”.'));
    expect((screen.getByTestId('campaign-name') as HTMLInputElement).value).toBe('Spring promo');
    expect((screen.getByTestId('profile-select') as HTMLSelectElement).value).toBe('p-pingback');
    expect(screen.getByTestId('nav-map').getAttribute('aria-current')).toBe('step');
    expect(api.called('campaign.openFile')).toHaveLength(1); // not twice, although StrictMode runs effects twice

    await api.send('open-campaign');
    await waitFor(() => expect(api.called('campaign.openFile')).toHaveLength(2));
  });

  it('File > Save campaign saves the campaign being edited, as the Save… button does', async () => {
    const api = fakeApi();
    renderApp();
    await api.send('import-csv');
    await api.send('open-campaign');
    await waitFor(() => expect(screen.getByTestId('file-note').textContent).toContain('Opened'));
    await api.send('save-campaign');
    await waitFor(() => expect(screen.getByTestId('file-note').textContent).toBe('Saved Spring promo.campaign.json.'));
    const [save] = api.called('campaign.saveFile');
    expect(save?.request).toMatchObject({ suggestedName: 'Spring promo.campaign.json', spec: { name: 'Spring promo', provider: pingbackFile.provider, message: pingbackFile.message } });
    expect(api.called('campaign.saveFile')).toHaveLength(1);
  });

  it('File > Save campaign with nothing built yet says so instead of saving', async () => {
    const api = fakeApi();
    renderApp();
    await api.send('save-campaign');
    await waitFor(() => expect(screen.getByTestId('file-note').textContent).toContain('There is no message to save yet'));
    expect(screen.getByText('No contacts yet')).toBeTruthy();
    expect(api.called('campaign.saveFile')).toHaveLength(0);
  });

  it('File > Export delivery report exports the last campaign of the history when none is open', async () => {
    const api = fakeApi({ history: [summary('c2', 'Newest'), summary('c1', 'Older')] });
    renderApp();
    await api.send('export-report');
    await waitFor(() => expect(screen.getByTestId('export-note').textContent).toBe('Delivery report saved as report.csv.'));
    expect(api.called('campaign.exportReport')).toEqual([{ method: 'campaign.exportReport', request: { campaignId: 'c2', format: 'xlsx' } }]);
  });

  it('File > Export delivery report exports in the format chosen beside the Export button', async () => {
    const api = fakeApi({ history: [summary('c2', 'Newest')] });
    renderApp();
    await api.send('export-report');
    await waitFor(() => expect(screen.getByTestId('export-note')).toBeTruthy());
    const select = screen.getByTestId('export-format') as HTMLSelectElement;
    expect([...select.options].map((o) => [o.value, o.text])).toEqual([
      ['xlsx', 'Excel workbook (.xlsx)'],
      ['csv-excel', 'CSV for Excel (.csv)'],
      ['csv', 'Plain CSV (.csv)'],
    ]);
    fireEvent.change(select, { target: { value: 'csv-excel' } });
    await api.send('export-report');
    await waitFor(() => expect(api.called('campaign.exportReport')).toHaveLength(2));
    expect(api.called('campaign.exportReport')[1]).toEqual({ method: 'campaign.exportReport', request: { campaignId: 'c2', format: 'csv-excel' } });
  });

  it('File > Export delivery report with no campaign yet shows the report step’s empty state and exports nothing', async () => {
    const api = fakeApi({ history: [] });
    renderApp();
    await api.send('export-report');
    await waitFor(() => expect(screen.getByText('No campaigns yet', { selector: 'h3' })).toBeTruthy());
    expect(screen.getByTestId('nav-report').getAttribute('aria-current')).toBe('step');
    expect(screen.queryByTestId('export-note')).toBeNull();
    expect(api.called('campaign.exportReport')).toHaveLength(0);
  });
});
