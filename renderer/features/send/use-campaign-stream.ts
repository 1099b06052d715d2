import { useEffect, useRef, useState } from 'react';
import type { Snapshot, StatusBatch } from '../../../shared/ipc/contract';
import type { RowOutcome } from '../../../shared/engine/events';

/** Notice is a campaign event worth telling the user (paused, stopped by the provider, finished…). */
export type Notice = StatusBatch['notices'][number];

/** ThroughputPoint is one sample of the send rate, for the chart. */
export interface ThroughputPoint {
  /** Seconds since the first sample. */
  t: number;
  sent: number;
  failed: number;
  rate: number;
}

/** CampaignLive is what the send screen shows of a running campaign. */
export interface CampaignLive {
  /** The campaign this state belongs to. */
  campaignId: string | null;
  snapshot: Snapshot | null;
  notices: Notice[];
  series: ThroughputPoint[];
  /** Increases with every batch; tells the table that `overlay` changed. */
  version: number;
  error: string | null;
}

function empty(campaignId: string | null): CampaignLive {
  return { campaignId, snapshot: null, notices: [], series: [], version: 0, error: null };
}

/**
 * applyBatch folds a status batch into a snapshot (the totals, rate, ETA, state and waiting rows it
 * carries: a batch without `waiting` means none wait now). A finished run stays finished: nothing
 * that comes after its last batch can make it run again, and no rows of it wait.
 */
export function applyBatch(snapshot: Snapshot | null, batch: StatusBatch): Snapshot | null {
  if (snapshot === null) return null;
  if (snapshot.state === 'finished' && batch.state !== 'finished') return snapshot;
  const { waiting: _before, ...rest } = snapshot;
  const next: Snapshot = { ...rest, state: batch.state, totals: batch.totals, ratePerSecond: batch.ratePerSecond, etaSeconds: batch.etaSeconds };
  if (batch.waiting !== undefined && batch.state !== 'finished') next.waiting = batch.waiting;
  if (batch.finishReason !== undefined) next.finishReason = batch.finishReason;
  else if (batch.state === 'finished' && next.finishReason === undefined) {
    // A main that does not name the reason on the batch still says it in the notice.
    const notice = batch.notices.find((n) => n.type === 'finished')?.message ?? '';
    next.finishReason = /^Cancelled/.test(notice) ? 'cancelled' : /^Stopped/.test(notice) ? 'stopped' : 'completed';
  }
  return next;
}

/**
 * adoptAnswer lays the snapshot an action answered (pause, resume, cancel) over the one shown. The
 * answer was true when main wrote it, but batches may have overtaken it on the way: a late answer
 * never takes a finished run back to running or paused, nor its counts, rate and ETA back in time.
 */
export function adoptAnswer(shown: Snapshot | null, answer: Snapshot): Snapshot {
  if (shown === null) return answer;
  if (shown.state === 'finished') {
    return answer.state === 'finished' ? { ...shown, finishReason: answer.finishReason ?? shown.finishReason, stopReason: answer.stopReason ?? shown.stopReason } : shown;
  }
  const next: Snapshot = { ...shown, state: answer.state };
  if (answer.finishReason !== undefined) next.finishReason = answer.finishReason;
  if (answer.stopReason !== undefined) next.stopReason = answer.stopReason;
  if (answer.state === 'finished') next.totals = answer.totals;
  return next;
}

/**
 * useCampaignStream follows one campaign: its snapshot first, then the batched status stream. Row
 * changes land in `overlay` (latest state per row), which the virtual table lays over the pages it
 * loaded; React re-renders at most once per batch (main sends about ten a second).
 */
export function useCampaignStream(campaignId: string | null): { live: CampaignLive; overlay: Map<number, RowOutcome>; adopt(snapshot: Snapshot): void } {
  const overlayRef = useRef(new Map<number, RowOutcome>());
  const [state, setLive] = useState<CampaignLive>(empty(null));
  const startRef = useRef<number | null>(null);

  useEffect(() => {
    overlayRef.current = new Map();
    startRef.current = null;
    if (campaignId === null) return;
    const mine = (s: CampaignLive): CampaignLive => (s.campaignId === campaignId ? s : empty(campaignId));
    let live = true;
    const pending: StatusBatch[] = [];
    let synced = false;
    const apply = (batch: StatusBatch) => {
      for (const r of batch.rows) overlayRef.current.set(r.row, r);
      const now = performance.now() / 1000;
      if (startRef.current === null) startRef.current = now;
      const t = now - (startRef.current ?? now);
      setLive((prev) => {
        const s = mine(prev);
        return {
        campaignId,
        snapshot: applyBatch(s.snapshot, batch),
        notices: batch.notices.length > 0 ? [...s.notices, ...batch.notices] : s.notices,
        series: batch.state === 'running' || s.series.length === 0 ? [...s.series.slice(-600), { t, sent: batch.totals.sent, failed: batch.totals.failed, rate: batch.ratePerSecond }] : s.series,
        version: s.version + 1,
        error: null,
        };
      });
    };
    let lastSeq = 0;
    const off = window.api.campaign.onEvent((batch) => {
      if (!live || batch.campaignId !== campaignId) return;
      if (batch.seq <= lastSeq) return; // one run's batches come in order; an older one is stale
      lastSeq = batch.seq;
      if (synced) apply(batch);
      else pending.push(batch);
    });
    window.api.campaign
      .snapshot({ campaignId })
      .then((snap) => {
        if (!live) return;
        setLive((s) => ({ ...mine(s), snapshot: snap, error: snap === null ? 'This campaign no longer exists.' : null }));
        synced = true;
        for (const b of pending.splice(0)) apply(b);
      })
      .catch((e: unknown) => {
        if (live) setLive((s) => ({ ...mine(s), error: e instanceof Error ? e.message : 'The campaign could not be loaded.' }));
      });
    return () => {
      live = false;
      off();
    };
  }, [campaignId]);

  const live = state.campaignId === campaignId ? state : empty(campaignId);
  // eslint-disable-next-line react-hooks/refs -- the table reads the overlay on the render each batch causes
  return { live, overlay: overlayRef.current, adopt: (snapshot) => setLive((s) => ({ ...s, snapshot: adoptAnswer(s.snapshot, snapshot) })) };
}
