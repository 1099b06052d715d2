import type { ReactElement } from 'react';
import { useState } from 'react';
import { useWorkflow } from '../../app/workflow';
import { Banner } from '../../ui/kit';
import { useSchedules } from './schedule-card';

/**
 * ScheduleNotices says plainly, on every screen, that a scheduled campaign started (or could not)
 * since the window opened, including one main started because its time passed while the app was
 * closed; "Watch progress" opens its live view.
 */
export function ScheduleNotices(): ReactElement | null {
  const w = useWorkflow();
  const { schedules } = useSchedules(10_000);
  // Starts in the last hour count as news: the window may have opened just after main started one.
  const [since] = useState(() => Date.now() - 60 * 60_000);
  const [dismissed, setDismissed] = useState<ReadonlySet<string>>(new Set());
  const news = schedules.filter((s) => (s.state === 'started' || s.state === 'failed') && s.startedAt !== undefined && Date.parse(s.startedAt) >= since && !dismissed.has(s.id));
  if (news.length === 0) return null;
  return (
    <div className="schedule-notices" data-testid="schedule-notices">
      {news.map((s) => (
        <Banner
          key={s.id}
          tone={s.state === 'started' ? 'info' : 'error'}
          title={s.state === 'started' ? `Scheduled campaign “${s.name}” started at ${new Date(s.startedAt ?? s.dueAt).toLocaleTimeString()}` : `Scheduled campaign “${s.name}” did not start`}
          action={
            <span className="row-gap">
              {s.state === 'started' && s.campaignId !== undefined && (
                <button
                  type="button"
                  className="btn btn-secondary btn-sm"
                  onClick={() => {
                    w.setCampaignId(s.campaignId ?? null);
                    w.go('send');
                  }}
                >
                  Watch progress
                </button>
              )}
              <button type="button" className="btn btn-ghost btn-sm" onClick={() => setDismissed(new Set([...dismissed, s.id]))}>
                Dismiss
              </button>
            </span>
          }
        >
          {s.note}
        </Banner>
      ))}
    </div>
  );
}
