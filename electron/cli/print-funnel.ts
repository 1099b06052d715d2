import { wireKindOf } from '../../shared/campaign/provider-config';
import type { CampaignSpec } from '../../shared/campaign/schema';
import type { EngagementView } from '../../shared/engagement/engagement-view';
import { percent, publishesEngagement, stageLabel } from '../../shared/engagement/funnel';
import { hasKey } from '../core/campaign/connection';
import type { CampaignService } from '../core/campaign/service';
import type { RefreshProgress } from '../core/engagement/refresh';
import type { RefreshResult } from '../core/engagement/refresh';
import { systemClock } from '../core/ports';
import type { CliIo } from './io';
import { plural } from './io';
import { formatDuration } from './progress';

/**
 * How the CLI words a campaign's engagement: the very funnel the desktop's Report step draws
 * (EngagementView, built once in the campaign service), as aligned lines.
 */

function when(iso: string): string {
  return `${iso.slice(0, 16).replace('T', ' ')} UTC`;
}

/** funnelLines is the funnel as lines of text: a stage a line with its count and rates, then opt-outs and reply times. */
export function funnelLines(v: EngagementView): string[] {
  const sent = v.stages[0]?.count ?? 0;
  const out = [`Engagement of ${plural(sent, 'sent message')}${v.checkedAt === undefined ? '' : `, as of ${when(v.checkedAt)}`}:`];
  const width = Math.max(...v.stages.map((s) => String(s.count ?? '–').length), 1);
  for (const s of v.stages) {
    const count = String(s.count ?? '–').padStart(width);
    let detail = '';
    if (s.count === null) detail = s.note ?? '';
    else if (s.stage !== 'sent') detail = `${percent(s.ofSent)} of sent${s.base !== undefined && s.base !== 'sent' ? ` · ${percent(s.ofBase)} of ${s.base}` : ''}`;
    out.push(`  ${stageLabel[s.stage].padEnd(10)} ${count}${detail === '' ? '' : `  ${detail}`}`);
  }
  if (v.published && v.optedOut !== null) {
    const where = v.optedOut === 0 ? '' : v.optOutsListed ? "  added to the workspace's opt-out list" : '  (see the opted_out_at column of the report)';
    out.push(`  ${'Opted out'.padEnd(10)} ${String(v.optedOut).padStart(width)}${where}`);
  }
  if (v.failed !== null && v.failed > 0) out.push(`  ${'Failed'.padEnd(10)} ${String(v.failed).padStart(width)}`);
  const replies = v.replyTimes.filter((b) => b.count > 0);
  if (replies.length > 0) {
    const median = v.medianReplySeconds === null ? '' : ` (median ${formatDuration(v.medianReplySeconds)})`;
    out.push(`  Reply time: ${replies.map((b) => `${b.label} ${b.count}`).join(' · ')}${median}`);
  }
  if (v.notFound > 0) out.push(`  ${plural(v.notFound, 'message')} not found in ${v.notFound === 1 ? 'its conversation' : 'their conversations'}`);
  if (v.note !== undefined) out.push(v.note);
  return out;
}

/**
 * readAndPrintFunnel is the funnel part of `campaign status` (by its files or by --campaign): for an
 * API that publishes engagement (Wassist) it reads what can still change first, with progress on
 * stderr, when a key is at hand and no process is sending the campaign; otherwise it prints the
 * funnel as last read (an API that publishes none says so). Answers how many conversations could not be read.
 */
export async function readAndPrintFunnel(io: CliIo, service: CampaignService, id: string, spec: CampaignSpec, apiKey: string, sending = false): Promise<number> {
  let view: EngagementView;
  let unreadable: { conversationId: string; reason: string }[] = [];
  if (!publishesEngagement(wireKindOf(spec.provider)) || sending) {
    view = await service.engagement(id);
  } else if (!hasKey(spec, apiKey)) {
    io.stderr.write('Set CAMPAIGN_API_KEY to read what became of the messages sent (delivered, read, clicked, replied).\n');
    view = await service.engagement(id);
  } else {
    const started = systemClock.now();
    const bar = new RefreshBar(io.stderr, () => systemClock.now());
    const outcome = await service.refreshEngagement(id, { spec, apiKey }, (p) => bar.update(p)).finally(() => bar.finish());
    if (outcome.result !== undefined) {
      io.stderr.write(`${refreshLine(outcome.result, (systemClock.now() - started) / 1000)}\n`);
      unreadable = outcome.result.unreadable;
    }
    view = outcome.view;
  }
  for (const line of funnelLines(view)) io.stdout.write(`${line}\n`);
  for (const u of unreadable.slice(0, 20)) io.stderr.write(`  could not read conversation ${u.conversationId}: ${u.reason}\n`);
  return unreadable.length;
}

/** refreshLine summarises what a refresh read. */
export function refreshLine(r: RefreshResult, seconds: number): string {
  const resumed = r.resumed ? ` (resumed: ${r.done - r.conversations} read before)` : '';
  return `Read ${plural(r.conversations, 'conversation')} in ${plural(r.requests, 'request')} (${formatDuration(seconds)})${resumed}; ${r.total - r.done > 0 ? `${r.total - r.done} left` : 'all that can still change'}.`;
}

/** RefreshBar draws a refresh's progress on stderr: a bar redrawn in place on a terminal, a line every few seconds otherwise. */
export class RefreshBar {
  #last = 0;
  #shown = false;

  constructor(
    private readonly out: { write(text: string): unknown; isTTY?: boolean },
    private readonly now: () => number,
  ) {}

  update(p: RefreshProgress): void {
    const tty = this.out.isTTY === true;
    const t = this.now();
    if (t - this.#last < (tty ? 100 : 5_000) && p.done < p.total) return;
    this.#last = t;
    const pct = p.total === 0 ? 100 : Math.floor((p.done / p.total) * 100);
    const text = `reading conversations ${p.done}/${p.total} ${pct}% · ${plural(p.requests, 'request')} · ETA ${formatDuration(p.etaSeconds)}`;
    if (tty) {
      const filled = Math.round((pct / 100) * 20);
      this.out.write(`\r\x1b[2K[${'#'.repeat(filled)}${'-'.repeat(20 - filled)}] ${text}`);
      this.#shown = true;
    } else {
      this.out.write(`progress: ${text}\n`);
    }
  }

  finish(): void {
    if (this.#shown) this.out.write('\r\x1b[2K');
  }
}
