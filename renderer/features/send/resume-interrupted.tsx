import type { ReactElement } from 'react';
import { useCallback, useEffect, useState } from 'react';
import type { InterruptedCampaign } from '../../../shared/ipc/contract';
import { plural } from '../../../shared/problem-words';
import { useWorkflow } from '../../app/workflow';
import { Icon } from '../../ui/icons';
import { Banner, errorMessage } from '../../ui/kit';
import { formatCount } from './format';
import './interrupted.css';

/**
 * Resuming a campaign that stopped before it finished (a crash, a quit, a cancel) without importing
 * its contacts or building its message again: main keeps both. On start-up the window says which
 * campaigns were interrupted and offers Resume and Dismiss; the history offers Resume too. What
 * stops a resume (no key, a removed profile, contacts the app never imported) is said plainly, with
 * the one button that fixes it. Main asks its own confirmation, then the live send screen follows.
 */

/** standingWords says how an interrupted campaign stands: "2 of 6 rows sent, 3 not sent yet, 1 in doubt". */
export function standingWords(c: InterruptedCampaign): string {
  const t = c.totals;
  const parts = [`${formatCount(t.sent)} of ${plural(t.total, 'row')} sent`];
  if (t.failed > 0) parts.push(`${formatCount(t.failed)} failed`);
  if (t.skipped > 0) parts.push(`${formatCount(t.skipped)} skipped`);
  parts.push(`${formatCount(t.pending)} not sent yet`);
  const doubt = t.inFlight + t.uncertain;
  if (doubt > 0) parts.push(`${formatCount(doubt)} in doubt`);
  return parts.join(', ');
}

/** useResumeInterrupted resumes an interrupted campaign (importing its contacts first when the app has none) and opens its live screen. */
export function useResumeInterrupted(): { resume(c: InterruptedCampaign): Promise<boolean>; busy: string | null; error: { campaignId: string; message: string } | null } {
  const w = useWorkflow();
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<{ campaignId: string; message: string } | null>(null);
  const resume = useCallback(
    async (c: InterruptedCampaign) => {
      setBusy(c.campaignId);
      setError(null);
      try {
        let datasetId: string | undefined;
        if (c.blocked?.kind === 'contacts') {
          // Main's own open dialog: the person picks the file; main checks it is the one the campaign was sent to.
          const dataset = await window.api.csv.open();
          if (dataset === null) return false;
          datasetId = dataset.datasetId;
        }
        const { campaignId } = await window.api.campaign.resumeInterrupted(datasetId === undefined ? { campaignId: c.campaignId } : { campaignId: c.campaignId, datasetId });
        w.setCampaignId(campaignId);
        w.go('send');
        return true;
      } catch (e) {
        setError({ campaignId: c.campaignId, message: errorMessage(e) });
        return false;
      } finally {
        setBusy(null);
      }
    },
    [w],
  );
  return { resume, busy, error };
}

/** ResumeButton is the action that resumes `c`: Resume, or what must happen first (import its contacts, open Settings). */
export function ResumeButton({ c, busy, onResume, testId, small = false }: { c: InterruptedCampaign; busy: boolean; onResume(): void; testId: string; small?: boolean }): ReactElement {
  const w = useWorkflow();
  const size = small ? ' btn-sm' : '';
  if (c.blocked?.kind === 'profile' || c.blocked?.kind === 'key') {
    return (
      <button type="button" className={`btn btn-secondary${size}`} data-testid={`${testId}-settings`} title={c.blocked.message} onClick={() => w.go('settings')}>
        <Icon name="settings" size={small ? 14 : 16} /> Open Settings
      </button>
    );
  }
  if (c.blocked?.kind === 'settings') return <></>;
  const label = c.blocked?.kind === 'contacts' ? `Import ${c.blocked.fileName ?? 'contacts'} and resume…` : 'Resume';
  return (
    <button type="button" className={`btn btn-primary${size}`} data-testid={testId} disabled={busy} title={c.blocked?.message} onClick={onResume}>
      <Icon name="play" size={small ? 14 : 16} /> {busy ? 'Resuming…' : label}
    </button>
  );
}

/**
 * InterruptedNotice says, once the window opens, which campaigns were interrupted (not dismissed),
 * how far each got, and offers Resume and Dismiss.
 */
export function InterruptedNotice(): ReactElement | null {
  const w = useWorkflow();
  const [found, setList] = useState<InterruptedCampaign[]>([]);
  const [dismissError, setDismissError] = useState<string | null>(null);
  const { resume, busy, error } = useResumeInterrupted();
  useEffect(() => {
    let live = true;
    window.api.campaign
      .interrupted({})
      .then((found) => live && setList(found))
      .catch(() => undefined); // the history says the same, with its own errors
    return () => {
      live = false;
    };
  }, []);
  // A campaign this window resumed (from the history, say) is no longer interrupted.
  const list = found.filter((c) => c.campaignId !== w.campaignId);
  if (list.length === 0) return null;
  const drop = (id: string) => setList((cur) => cur.filter((x) => x.campaignId !== id));
  const dismiss = (c: InterruptedCampaign) => {
    setDismissError(null);
    window.api.campaign
      .dismissInterrupted({ campaignId: c.campaignId })
      .then(() => drop(c.campaignId))
      .catch((e: unknown) => setDismissError(errorMessage(e)));
  };
  return (
    <div className="page interrupted-notices" data-testid="interrupted-notices">
      {list.map((c) => (
        <Banner
          key={c.campaignId}
          tone={c.blocked === undefined ? 'warning' : 'error'}
          title={`“${c.name || 'Untitled'}” was interrupted before it finished`}
          testId="interrupted-notice"
          action={
            <div className="row-gap">
              <ResumeButton c={c} busy={busy === c.campaignId} testId="interrupted-resume" onResume={() => void resume(c).then((done) => done && drop(c.campaignId))} />
              <button type="button" className="btn btn-ghost" data-testid="interrupted-dismiss" onClick={() => dismiss(c)}>
                Dismiss
              </button>
            </div>
          }
        >
          <p data-testid="interrupted-standing">
            {c.csvName}: {standingWords(c)}.
          </p>
          {c.blocked === undefined ? (
            <p className="muted">Resume sends what is left{c.profileName === undefined ? '' : ` through “${c.profileName}”`}; nothing sent before goes out again, and no row in doubt is sent twice.</p>
          ) : (
            <p data-testid="interrupted-blocked">{c.blocked.message}</p>
          )}
          {error?.campaignId === c.campaignId && <p className="text-error" data-testid="interrupted-error">{error.message}</p>}
        </Banner>
      ))}
      {dismissError !== null && <Banner tone="error" title="Could not dismiss">{dismissError}</Banner>}
    </div>
  );
}
