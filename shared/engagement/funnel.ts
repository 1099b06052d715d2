import type { WireKind } from '../providers/types';
import type { FunnelStage, FunnelStageView, FunnelSummary } from './engagement-view';
import { funnelStages } from './engagement-view';

/**
 * The funnel's arithmetic, once for every front end. A stage counts the messages that reached at
 * least that stage, so the funnel never widens: a message that was replied to was read, and one
 * that was read was delivered, even when the provider's status lags (read receipts turned off).
 * Clicked and replied are both measured against read: a reply does not need a click.
 */

/** FunnelCounts are the numbers a funnel is drawn from. */
export interface FunnelCounts {
  sent: number;
  delivered: number;
  read: number;
  clicked: number;
  replied: number;
  optedOut: number;
  failed: number;
  /** Messages whose listing carried click data at all (a button that counts clicks). */
  clickData: number;
}

/** baseOf is the stage each stage's rate is measured against. */
export const baseOf: Readonly<Record<Exclude<FunnelStage, 'sent'>, FunnelStage>> = {
  delivered: 'sent',
  read: 'delivered',
  clicked: 'read',
  replied: 'read',
};

/** stageLabel is a stage in words. */
export const stageLabel: Readonly<Record<FunnelStage, string>> = {
  sent: 'Sent',
  delivered: 'Delivered',
  read: 'Read',
  clicked: 'Clicked',
  replied: 'Replied',
};

/** publishesEngagement tells whether a wire API publishes delivery, read and reply data (only Wassist's documents do). */
export function publishesEngagement(wire: WireKind): boolean {
  return wire === 'wassist';
}

const apiName: Readonly<Record<WireKind, string>> = { wassist: 'Wassist', pingback: 'Pingback', generic: 'The generic messaging API' };

/** unpublishedNote says why a campaign's funnel stops at "sent". */
export function unpublishedNote(wire: WireKind): string {
  const name = apiName[wire];
  return `${wire === 'generic' ? name : `${name}'s API`} publishes no delivery, read, click or reply data, so only what was sent is known.`;
}

function ratio(n: number | null, of: number | null): number | null {
  return n === null || of === null || of === 0 ? null : n / of;
}

/**
 * funnelOf draws the stages from `counts` (undefined: nothing read yet, only `sent` known).
 * `published` false (Pingback, generic) leaves every stage after sent null with the reason.
 */
export function funnelOf(sent: number, counts: FunnelCounts | undefined, published: boolean, wire: WireKind): FunnelStageView[] {
  const value: Record<FunnelStage, number | null> = {
    sent,
    delivered: published && counts !== undefined ? counts.delivered : null,
    read: published && counts !== undefined ? counts.read : null,
    clicked: published && counts !== undefined && counts.clickData > 0 ? counts.clicked : null,
    replied: published && counts !== undefined ? counts.replied : null,
  };
  return funnelStages.map((stage): FunnelStageView => {
    const count = value[stage];
    const out: FunnelStageView = { stage, count, ofSent: stage === 'sent' ? (sent > 0 ? 1 : null) : ratio(count, sent), ofBase: null };
    if (stage !== 'sent') {
      const base = baseOf[stage];
      out.base = base;
      out.ofBase = ratio(count, value[base]);
    }
    if (count === null && stage !== 'sent') {
      if (!published) out.note = `not published by ${apiName[wire]}`;
      else if (counts === undefined) out.note = 'not read yet';
      else if (stage === 'clicked') out.note = 'no click data: only messages with a link button count clicks';
    }
    return out;
  });
}

/** summaryOf is the history's one-line funnel. */
export function summaryOf(sent: number, counts: FunnelCounts | undefined, published: boolean, checkedAt?: string): FunnelSummary {
  const known = published && counts !== undefined;
  const out: FunnelSummary = {
    sent,
    delivered: known ? counts.delivered : null,
    read: known ? counts.read : null,
    clicked: known && counts.clickData > 0 ? counts.clicked : null,
    replied: known ? counts.replied : null,
    optedOut: known ? counts.optedOut : null,
  };
  if (checkedAt !== undefined) out.checkedAt = checkedAt;
  return out;
}

/** ReplyTimeBucket is one bar of the reply-time chart: replies that came before `upToSeconds` (and after the bar before). */
export interface ReplyTimeBucket {
  label: string;
  upToSeconds: number;
}

/** replyTimeBuckets are the reply-time chart's bars, shortest first. */
export const replyTimeBuckets: readonly ReplyTimeBucket[] = [
  { label: '< 1 min', upToSeconds: 60 },
  { label: '1–5 min', upToSeconds: 300 },
  { label: '5–15 min', upToSeconds: 900 },
  { label: '15–60 min', upToSeconds: 3_600 },
  { label: '1–3 h', upToSeconds: 3 * 3_600 },
  { label: '3–12 h', upToSeconds: 12 * 3_600 },
  { label: '12–24 h', upToSeconds: 24 * 3_600 },
  { label: '1–2 days', upToSeconds: 48 * 3_600 },
  { label: '2+ days', upToSeconds: Number.POSITIVE_INFINITY },
];

/** replyBucketOf is the index of the bar a reply `seconds` after our message falls in. */
export function replyBucketOf(seconds: number): number {
  const i = replyTimeBuckets.findIndex((b) => seconds < b.upToSeconds);
  return i === -1 ? replyTimeBuckets.length - 1 : i;
}

/** percent writes a 0..1 ratio as a percentage with one decimal ("42.5%"); "–" when unknown. */
export function percent(r: number | null): string {
  return r === null ? '–' : `${(Math.round(r * 1000) / 10).toFixed(1)}%`;
}
