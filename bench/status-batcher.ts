import { pathToFileURL } from 'node:url';
import { ManualTimer } from '../electron/desktop/batch-timer';
import { StatusBatcher } from '../electron/desktop/status-batcher';
import type { StatusBatch } from '../shared/ipc/contract';
import type { EngineEvent, RowOutcome, Totals } from '../shared/engine/events';

/**
 * Bench of the status batcher: a simulated campaign at `perSecond` messages a second (queued,
 * sending, sent, with some 429 retries and some refusals) produces `events` engine events in
 * simulated time; we count the messages the renderer would get per simulated second, check that
 * replaying the batches rebuilds every row's final state (nothing lost), that the last totals
 * equal the journal's exactly, and time the batcher itself on the wall clock.
 */

export interface BatcherFigures {
  events: number;
  rows: number;
  simulatedSeconds: number;
  messages: number;
  /** Most messages that started in one calendar second of simulated time. */
  maxMessagesPerSecond: number;
  /** Most messages in any sliding 1-second window (the final flush on `finished` may add one). */
  maxMessagesInAnyWindow: number;
  maxRowsPerMessage: number;
  /** Rows whose state the renderer would not know after replaying every batch. */
  rowsLost: number;
  totalsExact: boolean;
  finalTotals: Totals;
  wallMs: number;
  eventsPerWallSecond: number;
}

interface Step {
  at: number;
  order: number;
  event: EngineEvent;
  outcome?: RowOutcome;
}

/** simulateCampaign lists the events (with the journal record each implies) of a campaign that produces `events` events. */
export function simulateCampaign(events: number, perSecond: number, seed = 42): { steps: Step[]; rows: number } {
  let s = seed >>> 0;
  const random = () => ((s = (Math.imul(s, 1_664_525) + 1_013_904_223) >>> 0) / 2 ** 32);
  const steps: Step[] = [];
  let order = 0;
  const add = (at: number, event: EngineEvent, outcome?: RowOutcome) => steps.push({ at, order: order++, event, ...(outcome ? { outcome } : {}) });
  let row = 0;
  while (steps.length < events - 1) {
    row++;
    const start = Math.floor(((row - 1) * 1000) / perSecond);
    const recipient = `conv-${row}`;
    add(0, { type: 'queued', row, at: 0 }, { row, status: 'pending', recipient, attempts: 0 });
    add(start, { type: 'sending', row, attempt: 1, at: start }, { row, status: 'in-flight', recipient, attempts: 1 });
    const r = random();
    let t = start + 40;
    let attempt = 1;
    if (r < 0.02) {
      add(t, { type: 'retrying', row, attempt, delayMs: 200, reason: 'HTTP 429', httpStatus: 429, at: t }, { row, status: 'pending', recipient, attempts: 1, httpStatus: 429 });
      t += 200;
      attempt = 2;
      add(t, { type: 'sending', row, attempt, at: t }, { row, status: 'in-flight', recipient, attempts: 2 });
      t += 40;
    }
    if (r > 0.99) {
      add(t, { type: 'failed', row, attempt, error: 'HTTP 422: conversation inactive', httpStatus: 422, at: t }, { row, status: 'failed', recipient, attempts: attempt, httpStatus: 422, error: 'HTTP 422: conversation inactive' });
    } else {
      const sentAt = new Date(t).toISOString();
      add(t, { type: 'sent', row, attempt, messageId: `m-${row}`, recipient, httpStatus: 201, at: t }, { row, status: 'sent', recipient, attempts: attempt, messageId: `m-${row}`, httpStatus: 201, sentAt });
    }
  }
  steps.sort((a, b) => a.at - b.at || a.order - b.order);
  const end = (steps[steps.length - 1]?.at ?? 0) + 1;
  add(end, { type: 'finished', reason: 'completed', totals: { total: row, pending: 0, inFlight: 0, sent: 0, failed: 0, skipped: 0, uncertain: 0 }, at: end });
  return { steps, rows: row };
}

/** benchStatusBatcher runs the simulation through a StatusBatcher and returns the figures. */
export function benchStatusBatcher(events = 100_000, perSecond = 1_000, intervalMs = 100): BatcherFigures {
  const { steps, rows } = simulateCampaign(events, perSecond);
  const journal = new Map<number, RowOutcome>();
  const timer = new ManualTimer(0);
  const batches: { at: number; batch: StatusBatch }[] = [];
  const batcher = new StatusBatcher({
    campaignId: 'bench',
    total: rows,
    outcomeOf: (row) => journal.get(row) ?? { row, status: 'pending', recipient: '', attempts: 0 },
    send: (batch) => batches.push({ at: timer.now(), batch }),
    timer,
    intervalMs,
  });
  const t0 = performance.now();
  for (const step of steps) {
    timer.advanceTo(step.at);
    if (step.outcome) journal.set(step.outcome.row, step.outcome);
    batcher.push(step.event);
  }
  timer.runAll();
  const wallMs = performance.now() - t0;

  const seen = new Map<number, RowOutcome>();
  let maxRows = 0;
  const perSecondCount = new Map<number, number>();
  for (const { at, batch } of batches) {
    for (const r of batch.rows) seen.set(r.row, r);
    maxRows = Math.max(maxRows, batch.rows.length);
    const sec = Math.floor(at / 1000);
    perSecondCount.set(sec, (perSecondCount.get(sec) ?? 0) + 1);
  }
  let maxWindow = 0;
  for (let i = 0, j = 0; i < batches.length; i++) {
    while ((batches[i]?.at ?? 0) - (batches[j]?.at ?? 0) >= 1000) j++;
    maxWindow = Math.max(maxWindow, i - j + 1);
  }
  let rowsLost = 0;
  const truth: Totals = { total: rows, pending: 0, inFlight: 0, sent: 0, failed: 0, skipped: 0, uncertain: 0 };
  for (const [row, o] of journal) {
    if (JSON.stringify(seen.get(row)) !== JSON.stringify(o)) rowsLost++;
    if (o.status === 'in-flight') truth.inFlight++;
    else truth[o.status]++;
  }
  const finalTotals = batches[batches.length - 1]?.batch.totals ?? truth;
  return {
    events: steps.length,
    rows,
    simulatedSeconds: Math.round(timer.now()) / 1000,
    messages: batches.length,
    maxMessagesPerSecond: Math.max(...perSecondCount.values()),
    maxMessagesInAnyWindow: maxWindow,
    maxRowsPerMessage: maxRows,
    rowsLost,
    totalsExact: JSON.stringify(finalTotals) === JSON.stringify(truth),
    finalTotals,
    wallMs: Math.round(wallMs),
    eventsPerWallSecond: Math.round(steps.length / (wallMs / 1000)),
  };
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  console.log(JSON.stringify(benchStatusBatcher(), null, 2));
}
