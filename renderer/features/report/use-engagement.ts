import { useCallback, useEffect, useRef, useState } from 'react';
import type { EngagementView } from '../../../shared/ipc/contract';
import { errorMessage } from '../../ui/kit';

/** How often the card asks main again: while a refresh runs (its progress), and while the automatic refresh lasts. */
const WHILE_RUNNING_MS = 1_000;
const WHILE_SCHEDULED_MS = 15_000;

/** EngagementState is a campaign's engagement as the card shows it, and what the card can do. */
export interface EngagementState {
  view: EngagementView | null;
  error: string | null;
  /** A refresh this window asked for is running. */
  refreshing: boolean;
  refresh(): void;
}

/**
 * useEngagement keeps a campaign's engagement view: read once, then again every second while a
 * refresh runs (this window's, or the app's automatic one) and every 15 s while the automatic
 * refresh lasts, so the funnel fills in without a click. Reading it is a local call: no request
 * reaches the provider unless "Refresh" is clicked (or the schedule says so, in main).
 */
export function useEngagement(campaignId: string, onRefreshed?: () => void): EngagementState {
  const [loaded, setLoaded] = useState<{ id: string; view: EngagementView } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [refreshing, setRefreshing] = useState(false);
  const live = useRef(true);
  const changed = useRef(onRefreshed);
  useEffect(() => {
    changed.current = onRefreshed;
  }, [onRefreshed]);

  const load = useCallback(() => {
    window.api.campaign
      .engagement({ campaignId })
      .then((view) => {
        if (live.current) setLoaded({ id: campaignId, view });
      })
      .catch((e: unknown) => {
        if (live.current) setError(errorMessage(e));
      });
  }, [campaignId]);

  useEffect(() => {
    live.current = true;
    load();
    return () => {
      live.current = false;
    };
  }, [load]);

  const view = loaded?.id === campaignId ? loaded.view : null;
  const running = refreshing || view?.refresh.state === 'running';
  const every = running ? WHILE_RUNNING_MS : view?.schedule !== undefined ? WHILE_SCHEDULED_MS : undefined;
  useEffect(() => {
    if (every === undefined) return;
    const t = setInterval(load, every);
    return () => clearInterval(t);
  }, [every, load]);

  const refresh = useCallback(() => {
    setRefreshing(true);
    setError(null);
    window.api.campaign
      .refreshEngagement({ campaignId })
      .then((v) => {
        if (!live.current) return;
        setLoaded({ id: campaignId, view: v });
        changed.current?.();
      })
      .catch((e: unknown) => {
        if (live.current) setError(errorMessage(e));
      })
      .finally(() => {
        if (live.current) setRefreshing(false);
      });
  }, [campaignId]);

  return { view, error, refreshing, refresh };
}
