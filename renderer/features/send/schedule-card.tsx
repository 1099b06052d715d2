import type { ReactElement } from 'react';
import { useCallback, useEffect, useState } from 'react';
import type { ScheduleView } from '../../../shared/ipc/contract';
import { useWorkflow } from '../../app/workflow';
import { Icon } from '../../ui/icons';
import { Banner, Card, errorMessage } from '../../ui/kit';
import './schedule.css';

/** isoWithZone turns a datetime-local value (`2026-03-14T09:00`, this computer's time) into ISO 8601 with its offset. */
export function isoWithZone(local: string): string {
  const d = new Date(local);
  const offset = -d.getTimezoneOffset();
  const sign = offset >= 0 ? '+' : '-';
  const pad = (n: number) => String(Math.floor(Math.abs(n))).padStart(2, '0');
  return `${local.length === 16 ? `${local}:00` : local}${sign}${pad(offset / 60)}:${pad(offset % 60)}`;
}

/** localInput is an ISO time as a datetime-local value, in this computer's time. */
export function localInput(iso: string): string {
  const d = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** useSchedules lists the workspace's schedules and looks again every few seconds while mounted. */
export function useSchedules(everyMs = 5_000): { schedules: ScheduleView[]; reload: () => void; error: string | null } {
  const [schedules, setSchedules] = useState<ScheduleView[]>([]);
  const [error, setError] = useState<string | null>(null);
  const reload = useCallback(() => {
    window.api.schedule
      .list()
      .then((s) => {
        setSchedules(s);
        setError(null);
      })
      .catch((e: unknown) => setError(errorMessage(e)));
  }, []);
  useEffect(() => {
    reload();
    const t = setInterval(reload, everyMs);
    return () => clearInterval(t);
  }, [reload, everyMs]);
  return { schedules, reload, error };
}

/**
 * ScheduleCard schedules the send for later instead of now. Main keeps the schedule in the
 * workspace and starts it at its time if the app is running, or as soon as the app runs after
 * that time, and says so; a waiting schedule can be moved or cancelled here.
 */
export function ScheduleCard({ skipInvalid, disabled }: { skipInvalid: boolean; disabled: boolean }): ReactElement {
  const w = useWorkflow();
  const { schedules, reload, error: listError } = useSchedules();
  const [at, setAt] = useState(() => localInput(new Date(Date.now() + 60 * 60_000).toISOString()));
  const [changing, setChanging] = useState<{ id: string; at: string } | null>(null);
  const [error, setError] = useState<string | null>(null);

  const act = async (work: () => Promise<unknown>) => {
    setError(null);
    try {
      await work();
      reload();
    } catch (e) {
      setError(errorMessage(e));
    }
  };
  const create = () =>
    act(async () => {
      if (w.dataset === null || w.spec === null || w.profileId === null) return;
      await window.api.schedule.create({ datasetId: w.dataset.datasetId, spec: w.spec, profileId: w.profileId, skipInvalid, at: isoWithZone(at) });
    });

  const waiting = schedules.filter((s) => s.state === 'waiting' || s.state === 'starting');
  const recent = schedules.filter((s) => s.state !== 'waiting' && s.state !== 'starting').slice(0, 5);
  return (
    <Card title="3 · Or send later" testId="schedule-card">
      <p className="muted small">Pick a date and time. The campaign starts then if the app is open, or as soon as you open it after that time. You can change or cancel it until it starts.</p>
      <div className="row-gap">
        <input className="input input-sm" type="datetime-local" aria-label="Send at" value={at} data-testid="schedule-at" onChange={(e) => setAt(e.target.value)} />
        <button type="button" className="btn btn-secondary" disabled={disabled || at === ''} data-testid="schedule-create" onClick={() => void create()}>
          <Icon name="history" size={16} /> Schedule
        </button>
      </div>
      {(error ?? listError) !== null && <Banner tone="error">{error ?? listError}</Banner>}
      {waiting.length > 0 && (
        <ul className="schedule-list" data-testid="schedules-waiting">
          {waiting.map((s) => (
            <li key={s.id}>
              <strong>{s.name}</strong> · {s.csvName} · {s.state === 'starting' ? 'starting now…' : `starts ${new Date(s.dueAt).toLocaleString()}`}
              {changing?.id === s.id ? (
                <span className="row-gap">
                  <input className="input input-sm" type="datetime-local" aria-label="New time" value={changing.at} onChange={(e) => setChanging({ id: s.id, at: e.target.value })} />
                  <button type="button" className="btn btn-primary btn-sm" onClick={() => void act(() => window.api.schedule.change({ id: s.id, at: isoWithZone(changing.at) })).then(() => setChanging(null))}>
                    Save
                  </button>
                </span>
              ) : (
                s.state === 'waiting' && (
                  <span className="row-gap">
                    <button type="button" className="btn btn-ghost btn-sm" onClick={() => setChanging({ id: s.id, at: localInput(s.dueAt) })}>
                      Change
                    </button>
                    <button type="button" className="btn btn-ghost btn-sm" data-testid={`schedule-cancel-${s.id}`} onClick={() => void act(() => window.api.schedule.cancel({ id: s.id }))}>
                      Cancel
                    </button>
                  </span>
                )
              )}
            </li>
          ))}
        </ul>
      )}
      {recent.length > 0 && (
        <ul className="schedule-list muted small">
          {recent.map((s) => (
            <li key={s.id}>
              {s.name}: {s.state === 'started' ? `started ${new Date(s.startedAt ?? s.dueAt).toLocaleString()}` : s.state}. {s.note}
              {s.state === 'started' && s.campaignId !== undefined && (
                <button type="button" className="link" onClick={() => w.setCampaignId(s.campaignId ?? null)}>
                  progress
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
    </Card>
  );
}
