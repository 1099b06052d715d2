import type { EngagementSettings } from '../../../shared/engagement/settings';
import { replyExcerpt } from '../../../shared/engagement/settings';
import type { MessageStatus } from '../../../shared/providers/wassist-api';
import type { Finding } from '../wassist/conversation-reader';
import type { MessageRecord } from './engagement-store';

/**
 * How one read of a conversation changes a message's record, and when its outcome is settled.
 *
 * What is kept once seen: the first reply and the opt-out (a later read cannot make them earlier,
 * since a conversation only grows), the time a status was first seen. What follows the provider:
 * the status (but never backwards: a message read is not "delivered" again because a listing lags)
 * and the click count. A message read nowhere keeps what was read of it before.
 *
 * Settled (never read again): it failed, or its recipient opted out, or its window closed
 * (`engagement.windowHours` after it was sent, default a week) and this read came after that.
 */

const rank: Readonly<Record<MessageStatus, number>> = { sent: 0, delivered: 1, read: 2, failed: 3 };

/** ReplyOptOut is an opt-out a read found for the first time, for the workspace's opt-out list. */
export interface NewOptOut {
  record: MessageRecord;
  at: number;
  word: string;
  /** The reply, as evidence (its first 200 characters). */
  reply: string;
  replyId: string;
}

/**
 * applyRead is the record after a read at `now` that found `finding` of it (undefined: not listed),
 * and the opt-out it found for the first time, if any.
 */
export function applyRead(rec: MessageRecord, finding: Finding | undefined, scannedTo: number, now: number, settings: EngagementSettings): { next: MessageRecord; optOut?: NewOptOut } {
  const next: MessageRecord = { ...rec, checkedAt: now, problem: null };
  let optOut: NewOptOut | undefined;
  if (finding !== undefined) {
    next.found = true;
    next.cursor = finding.position;
    next.scannedTo = scannedTo;
    if (finding.createdAt !== undefined) next.sentAt = finding.createdAt;
    const status = finding.status ?? 'sent';
    if (next.status === null || (status !== next.status && rank[status] > rank[next.status])) {
      next.status = status;
      next.statusAt = now;
    }
    if (finding.clicks !== undefined) {
      next.clicks = finding.clicks.count;
      next.firstClickAt = finding.clicks.count === 0 ? null : (finding.clicks.firstAt ?? rec.firstClickAt ?? now);
    }
    if (rec.repliedAt === null && finding.reply !== undefined) {
      next.repliedAt = finding.reply.at ?? now;
      next.replyText = settings.keepReplyText ? replyExcerpt(finding.reply.text) : null;
      next.replyId = finding.reply.id;
    }
    if (rec.optedOutAt === null && finding.optOut !== undefined) {
      next.optedOutAt = finding.optOut.at ?? now;
      next.optOutWord = finding.optOut.word;
      optOut = { record: next, at: next.optedOutAt, word: finding.optOut.word, reply: replyExcerpt(finding.optOut.text), replyId: finding.optOut.id };
    }
  }
  next.closed = settledAt(next, now, settings.windowMs);
  return optOut === undefined ? { next } : { next, optOut };
}

/** applyProblem is the record after a read of its conversation failed at `now` with `reason`. */
export function applyProblem(rec: MessageRecord, reason: string, now: number, settings: EngagementSettings): MessageRecord {
  const next: MessageRecord = { ...rec, checkedAt: now, problem: reason };
  next.closed = settledAt(next, now, settings.windowMs);
  return next;
}

/** settledAt tells whether a message's outcome can no longer change after a read at `now`. */
export function settledAt(rec: MessageRecord, now: number, windowMs: number): boolean {
  return rec.status === 'failed' || rec.optedOutAt !== null || now >= rec.sentAt + windowMs;
}
