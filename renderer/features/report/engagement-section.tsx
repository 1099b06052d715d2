import type { ReactElement, ReactNode } from 'react';
import type { EngagementView } from '../../../shared/ipc/contract';
import { percent, stageLabel } from '../../../shared/engagement/funnel';
import { Icon } from '../../ui/icons';
import { Banner, Card, ProgressBar, Spinner, Stat } from '../../ui/kit';
import { formatCount, formatDuration } from '../send/format';
import { FunnelChart, ReplyTimeChart } from './engagement-charts';
import { useEngagement } from './use-engagement';

/**
 * EngagementSection is what became of a campaign's messages, as main last read it: the funnel
 * (sent, delivered, read, clicked, replied) with its rates, opt-outs, and when the replies came.
 * "Refresh now" reads again what can still change (main asks the provider at a polite pace; the
 * progress and the time left show meanwhile); the app also refreshes by itself for a while after
 * a campaign, and the section follows. A provider that publishes none of it gets a sentence, not zeros.
 * `beside` sits next to the reply times (the report step's comparison of campaigns).
 */
export function EngagementSection({ campaignId, onRefreshed, beside }: { campaignId: string; onRefreshed?: () => void; beside?: ReactNode }): ReactElement {
  const { view, error, refreshing, refresh } = useEngagement(campaignId, onRefreshed);
  const running = refreshing || view?.refresh.state === 'running';
  return (
    <>
      <Card
        title="Engagement"
        testId="engagement-card"
        actions={
          view?.published === false ? undefined : (
            <button type="button" className="btn btn-secondary btn-sm" data-testid="refresh-engagement" disabled={running || view === null} onClick={refresh}>
              <Icon name="refresh" size={14} /> {running ? 'Reading…' : 'Refresh now'}
            </button>
          )
        }
      >
        {error !== null && <p className="text-error" data-testid="engagement-error">{error}</p>}
        {view === null && error === null && <Spinner label="Loading…" />}
        {view !== null && <Funnel view={view} running={running} />}
      </Card>
      <div className={beside === undefined ? undefined : 'report-grid'}>
        <Card title="Reply time" testId="reply-time-card" actions={view?.medianReplySeconds != null ? <span className="muted small">median {formatDuration(view.medianReplySeconds)}</span> : undefined}>
          {view === null ? (
            <Spinner label="Loading…" />
          ) : !view.published ? (
            <p className="muted">{view.note}</p>
          ) : view.replyTimes.every((b) => b.count === 0) ? (
            <p className="muted" data-testid="no-replies">{view.checkedAt === undefined ? 'Replies show here once the engagement has been read.' : 'No replies yet.'}</p>
          ) : (
            <ReplyTimeChart view={view} />
          )}
        </Card>
        {beside}
      </div>
    </>
  );
}

function Funnel({ view, running }: { view: EngagementView; running: boolean }): ReactElement {
  const r = view.refresh;
  return (
    <>
      {view.note !== undefined && (
        <p className="muted small" data-testid="engagement-note">
          {view.note}
        </p>
      )}
      {running && (
        <div className="refresh-progress" data-testid="refresh-progress">
          <ProgressBar value={r.total > 0 ? r.done / r.total : null} label="Reading conversations" />
          <span className="small muted">
            Reading conversations: {formatCount(r.done)} of {formatCount(r.total)}
            {r.etaSeconds !== null ? ` · about ${formatDuration(r.etaSeconds)} left` : ''}
          </span>
        </div>
      )}
      {r.state === 'interrupted' && !running && (
        <Banner tone="warning" testId="refresh-interrupted">
          The last refresh stopped before the end{r.error !== undefined ? ` (${r.error})` : ''}. The next one continues where it stopped.
        </Banner>
      )}
      <div className="funnel-layout">
        <FunnelChart view={view} />
        <table className="table funnel-table" data-testid="funnel-table">
          <caption className="visually-hidden">Funnel of the campaign</caption>
          <thead>
            <tr>
              <th scope="col">Stage</th>
              <th scope="col" className="num">Messages</th>
              <th scope="col" className="num">Of sent</th>
              <th scope="col" className="num">Step</th>
            </tr>
          </thead>
          <tbody>
            {view.stages.map((s) => (
              <tr key={s.stage} data-testid={`funnel-${s.stage}`}>
                <th scope="row">{stageLabel[s.stage]}</th>
                <td className="num" data-testid={`funnel-count-${s.stage}`} title={s.note}>
                  {s.count === null ? <span className="muted">{s.note ?? '–'}</span> : formatCount(s.count)}
                </td>
                <td className="num">{s.stage === 'sent' || s.count === null ? '' : percent(s.ofSent)}</td>
                <td className="num muted" title={s.base === undefined ? undefined : `of ${s.base}`}>
                  {s.base === undefined || s.base === 'sent' || s.count === null ? '' : `${percent(s.ofBase)} of ${s.base}`}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {view.published && (
        <div className="stats-row stats-compact" data-testid="engagement-stats">
          <Stat label={view.optOutsListed ? 'opted out (added to the opt-out list)' : 'opted out (see the report)'} value={view.optedOut === null ? '–' : formatCount(view.optedOut)} tone={view.optedOut ? 'uncertain' : undefined} testId="engagement-opted-out" />
          <Stat label="failed" value={view.failed === null ? '–' : formatCount(view.failed)} tone={view.failed ? 'failed' : undefined} testId="engagement-failed" />
          <Stat label="still open" value={formatCount(view.open)} testId="engagement-open" />
        </div>
      )}
      <p className="muted small" data-testid="engagement-footer">
        {view.checkedAt !== undefined && `As of ${new Date(view.checkedAt).toLocaleString()}.`}
        {view.schedule !== undefined && ` Refreshed by the app every ${view.schedule.everyMinutes < 1 ? `${Math.round(view.schedule.everyMinutes * 60)} seconds` : `${view.schedule.everyMinutes} minutes`} until ${new Date(view.schedule.until).toLocaleString()}, while it runs.`}
        {view.variants.fallback > 0 && ` ${formatCount(view.variants.fallback)} rows got the fallback template (inactive conversation).`}
        {view.notFound > 0 && ` ${formatCount(view.notFound)} messages were not found in their conversations.`}
        {view.unreadable.length > 0 && ` ${formatCount(view.unreadable.length)} conversations could not be read.`}
      </p>
    </>
  );
}
