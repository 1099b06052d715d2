import { act, cleanup, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { Snapshot, StatusBatch } from '../../../shared/ipc/contract';
import { WorkflowProvider } from '../../app/workflow';
import { LiveProgress } from './live-progress';

/**
 * The live view of a campaign whose rows wait for their quiet hours, over a stand-in for
 * window.api: the "waiting" line and the ETA follow the status stream, not only the snapshot the
 * view opened with.
 */

const totals = { total: 4, pending: 2, inFlight: 0, sent: 2, failed: 0, skipped: 0, uncertain: 0 };
const until = '2030-01-01T08:00:00.000Z';
const snapshot: Snapshot = { campaignId: 'c1', name: 'Spring', state: 'running', totals, ratePerSecond: 0, etaSeconds: 3_600, profileName: 'Sandbox', waiting: { rows: 2, until } };
const batch = (seq: number, over: Partial<StatusBatch>): StatusBatch => ({ campaignId: 'c1', seq, state: 'running', rows: [], totals, ratePerSecond: 0, etaSeconds: 3_600, notices: [], ...over });

/** fakeApi answers the snapshot and hands back the view's listener of the status stream. */
function fakeApi(): { emit: (b: StatusBatch) => void } {
  const listeners: ((b: StatusBatch) => void)[] = [];
  const pending = () => new Promise<never>(() => undefined);
  const known: Record<string, Record<string, unknown>> = {
    campaign: {
      snapshot: async () => snapshot,
      onEvent: (cb: (b: StatusBatch) => void) => {
        listeners.push(cb);
        return () => listeners.splice(listeners.indexOf(cb), 1);
      },
    },
  };
  Object.assign(window, { api: new Proxy(known, { get: (t, d: string) => new Proxy(t[d] ?? {}, { get: (m, n: string) => m[n] ?? pending }) }) });
  return { emit: (b) => act(() => listeners.forEach((l) => l(b))) };
}

afterEach(cleanup);

describe('the live view while rows wait for their quiet hours', () => {
  it('updates the waiting line and the ETA from each batch, and drops the line once none wait', async () => {
    const { emit } = fakeApi();
    render(
      <WorkflowProvider>
        <LiveProgress campaignId="c1" onNew={() => undefined} />
      </WorkflowProvider>,
    );
    await waitFor(() => expect(screen.getByTestId('waiting').textContent).toMatch(/^\s*2 waiting/));
    expect(screen.getByTestId('eta').textContent).toBe('1 h');

    // Nothing was sent, but time passed: the ETA counts down, the two still wait.
    emit(batch(1, { etaSeconds: 3_540, waiting: { rows: 2, until } }));
    expect(screen.getByTestId('eta').textContent).toBe('59 min');
    expect(screen.getByTestId('waiting').textContent).toMatch(/^\s*2 waiting/);

    // The window opened for one of them.
    emit(batch(2, { etaSeconds: 30, waiting: { rows: 1, until } }));
    expect(screen.getByTestId('waiting').textContent).toMatch(/^\s*1 waiting/);

    // Then none wait: the line goes, though the run goes on.
    emit(batch(3, { etaSeconds: 1, totals: { ...totals, pending: 0, sent: 4 } }));
    expect(screen.queryByTestId('waiting')).toBeNull();
    expect(screen.getByTestId('campaign-state').textContent).toMatch(/Sending/);
  });
});
