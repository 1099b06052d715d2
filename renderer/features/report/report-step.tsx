import type { ReactElement } from 'react';
import { useCallback, useEffect, useState } from 'react';
import type { CampaignSummary, InterruptedCampaign, Snapshot } from '../../../shared/ipc/contract';
import type { ReportFormat } from '../../../shared/report/report-format';
import { DEFAULT_EXPORT_FORMAT } from '../../../shared/report/report-format';
import { useMenuCommand } from '../../app/menu-command';
import { useWorkflow } from '../../app/workflow';
import { Icon } from '../../ui/icons';
import { Banner, Card, EmptyState, PageHeader, Spinner, errorMessage } from '../../ui/kit';
import { formatDuration } from '../send/format';
import { useResumeInterrupted } from '../send/resume-interrupted';
import { CompareChart } from './engagement-charts';
import { EngagementSection } from './engagement-section';
import { ExportFormatSelect } from './export-format';
import { hasEngagement, HistoryTable } from './history-table';
import { OutcomeChart, ThroughputChart } from './report-charts';
import { RetryFailed } from './retry-failed';
import type { ThroughputBucket } from './throughput';
import { throughputSeries } from './throughput';
import './report.css';

const SENT_CAP = 200_000;

async function loadSentTimes(campaignId: string): Promise<string[]> {
  const out: string[] = [];
  for (let offset = 0; offset < SENT_CAP; offset += 5000) {
    const page = await window.api.campaign.rows({ campaignId, offset, limit: 5000, status: 'sent' });
    for (const r of page.rows) if (r.sentAt !== undefined) out.push(r.sentAt);
    if (offset + page.rows.length >= page.total || page.rows.length === 0) break;
  }
  return out;
}

/** COMPARED is how many campaigns the comparison puts side by side at most (the shown one and the latest others). */
const COMPARED = 6;

/**
 * ReportStep is step 5: outcomes and throughput of a campaign, what its recipients did (the
 * engagement funnel and reply times), its delivery report, and the history of campaigns with
 * their funnels side by side.
 */
export function ReportStep(): ReactElement {
  const w = useWorkflow();
  const [history, setHistory] = useState<CampaignSummary[] | null>(null);
  const [interrupted, setInterrupted] = useState<ReadonlyMap<string, InterruptedCampaign>>(new Map());
  const resumer = useResumeInterrupted();
  const [historyError, setHistoryError] = useState<string | null>(null);
  // What was loaded, and for which campaign: a different campaign shows as loading until its own data arrives.
  const [loaded, setLoaded] = useState<{ id: string; snapshot?: Snapshot | null; buckets?: ThroughputBucket[]; error?: string } | null>(null);
  const [exportNote, setExportNote] = useState<{ tone: 'success' | 'error'; text: string } | null>(null);
  const [format, setFormat] = useState<ReportFormat>(DEFAULT_EXPORT_FORMAT);
  const id = w.reportId ?? history?.[0]?.campaignId ?? null;

  const reloadHistory = useCallback(() => {
    window.api.campaign
      .history()
      .then((h) => {
        setHistory(h);
        setHistoryError(null);
      })
      .catch((e: unknown) => setHistoryError(errorMessage(e)));
    // Which of them can be resumed, and what stops the others (dismissed notices included: the history offers them all).
    window.api.campaign
      .interrupted({ includeDismissed: true })
      .then((list) => setInterrupted(new Map(list.map((c) => [c.campaignId, c]))))
      .catch(() => setInterrupted(new Map()));
  }, []);
  useEffect(reloadHistory, [reloadHistory]);

  useEffect(() => {
    if (id === null) return;
    let live = true;
    const merge = (part: { snapshot?: Snapshot | null; buckets?: ThroughputBucket[]; error?: string }) => {
      if (live) setLoaded((cur) => ({ ...(cur?.id === id ? cur : {}), ...part, id }));
    };
    window.api.campaign
      .snapshot({ campaignId: id })
      .then((snapshot) => merge({ snapshot }))
      .catch((e: unknown) => merge({ error: errorMessage(e) }));
    loadSentTimes(id)
      .then((times) => merge({ buckets: throughputSeries(times) }))
      .catch(() => merge({ buckets: [] }));
    return () => {
      live = false;
    };
  }, [id]);

  const exportReport = async (campaignId: string) => {
    setExportNote(null);
    try {
      const res = await window.api.campaign.exportReport({ campaignId, format });
      if (res.saved) setExportNote({ tone: 'success', text: `Delivery report saved${res.fileName !== undefined ? ` as ${res.fileName}` : ''}.` });
    } catch (e) {
      setExportNote({ tone: 'error', text: errorMessage(e) });
    }
  };

  // File > Export delivery report: the campaign shown (the current one, else the last in the history),
  // once the history says which that is; with none, the step's empty state or history error says why.
  useMenuCommand('export-report', id !== null || history !== null || historyError !== null, () => {
    if (id !== null) void exportReport(id);
  });

  const current = loaded !== null && loaded.id === id ? loaded : null;
  const snapshot = current?.snapshot ?? null;
  const buckets = current?.buckets ?? null;
  const loadError = current?.error ?? null;
  const summary = history?.find((h) => h.campaignId === id);
  const totals = snapshot?.totals ?? summary?.totals;
  const span = buckets !== null && buckets.length > 0 ? (buckets[buckets.length - 1]?.t ?? 0) + (buckets[1]?.t ?? 1) : 0;
  const engaged = (history ?? []).filter((h) => hasEngagement(h.funnel));
  const compared = [...engaged.filter((h) => h.campaignId === id), ...engaged.filter((h) => h.campaignId !== id)].slice(0, COMPARED);

  return (
    <div className="page">
      <PageHeader
        title="Report"
        subtitle={id === null ? 'Results of your campaigns appear here.' : `${snapshot?.name || summary?.name || 'Campaign'}${summary !== undefined ? ` · ${summary.csvName}` : ''}`}
        actions={
          id !== null ? (
            <div className="export-actions">
              <ExportFormatSelect value={format} onChange={setFormat} />
              <button type="button" className="btn btn-primary" data-testid="export-report" onClick={() => void exportReport(id)}>
                <Icon name="download" /> Export delivery report
              </button>
            </div>
          ) : undefined
        }
      />
      {resumer.error !== null && <Banner tone="error" title="Not resumed" testId="resume-error">{resumer.error.message}</Banner>}
      {exportNote !== null && <Banner tone={exportNote.tone} testId="export-note">{exportNote.text}</Banner>}
      {loadError !== null && <Banner tone="error" title="The campaign could not be loaded">{loadError}</Banner>}
      {id === null && history !== null && (
        <Card>
          <EmptyState icon="chart" title="No campaigns yet" action={<button type="button" className="btn btn-primary" onClick={() => w.go(w.dataset === null ? 'import' : 'send')}>Start a campaign</button>}>
            When you send a campaign, its outcome and delivery report are kept here.
          </EmptyState>
        </Card>
      )}
      {id !== null && (
        <div className="report-grid">
          <Card title="Outcome" testId="outcome-card">
            {totals !== undefined ? <OutcomeChart totals={totals} /> : <Spinner label="Loading…" />}
          </Card>
          <Card title="Throughput" actions={span > 0 ? <span className="muted small">{formatDuration(span)} in all</span> : undefined} testId="throughput-card">
            {buckets === null ? <Spinner label="Loading…" /> : buckets.length === 0 ? <p className="muted">No messages were sent.</p> : <ThroughputChart buckets={buckets} />}
          </Card>
        </div>
      )}
      {id !== null && <RetryFailed campaignId={id} summary={summary} />}
      {id !== null && (
        <EngagementSection
          key={id}
          campaignId={id}
          onRefreshed={reloadHistory}
          beside={
            compared.length >= 2 ? (
              <Card title="Campaigns side by side" actions={<span className="muted small">share of what each sent</span>} testId="compare-card">
                <CompareChart campaigns={compared.map((h) => ({ id: h.campaignId, name: h.name || 'Untitled', funnel: h.funnel as NonNullable<typeof h.funnel> }))} />
              </Card>
            ) : undefined
          }
        />
      )}
      <Card title="History" actions={<button type="button" className="btn btn-ghost btn-sm" onClick={reloadHistory}><Icon name="refresh" size={14} /> Refresh</button>} testId="history">
        {historyError !== null && <p className="text-error">{historyError}</p>}
        {history === null && historyError === null && <Spinner label="Loading history…" />}
        {history !== null && history.length === 0 && <p className="muted">No campaigns yet.</p>}
        {history !== null && history.length > 0 && <HistoryTable history={history} selectedId={id} onOpen={w.setReportId} onExport={(campaignId) => void exportReport(campaignId)} interrupted={interrupted} resuming={resumer.busy} onResume={(c) => void resumer.resume(c)} />}
      </Card>
    </div>
  );
}
