import type { EngagementView } from '../../../shared/engagement/engagement-view';
import type { EngagementSettings } from '../../../shared/engagement/settings';
import type { Clock } from '../ports';
import type { ConversationRead, ReadTarget } from '../wassist/conversation-reader';
import type { NewOptOut } from './apply-read';
import { applyProblem, applyRead } from './apply-read';
import type { EngagementStore, MessageRecord, PassState } from './engagement-store';
import type { ReplyOptOut } from './opt-out-port';

/**
 * One refresh of a campaign's engagement: read again only the conversations whose outcome can
 * still change (apply-read.ts), at the reader's polite pace, and save what was read every few
 * conversations in one transaction. A refresh that stops (a crash, a quit, a refused key) is
 * resumed by the next one within RESUME_WITHIN_MS: what it saved is not read again.
 */

/** RESUME_WITHIN_MS: an unfinished refresh younger than this is continued rather than started over. */
export const RESUME_WITHIN_MS = 60 * 60_000;

/** How many conversations are read at once (the reader's own queue paces the requests) and saved together. */
const IN_FLIGHT = 8;
const SAVE_EVERY = 32;
const SAVE_AFTER_MS = 1_000;
const PAGE = 256;
/** The funnel is counted again while a refresh runs at most this often (a count walks the campaign's rows). */
const RECOUNT_EVERY_MS = 5_000;

/** RefreshProgress is how far a refresh is, for a progress bar. */
export interface RefreshProgress {
  done: number;
  total: number;
  requests: number;
  startedAt: number;
  /** Seconds left, estimated from the pace so far (or, at first, from `perSecond`); null when unknown. */
  etaSeconds: number | null;
}

/** RefreshResult is what a refresh did. */
export interface RefreshResult {
  /** Conversations read by this call (not counting those a resumed refresh had read). */
  conversations: number;
  /** Conversations the whole refresh read, of how many. */
  done: number;
  total: number;
  /** Requests this call made, retries included. */
  requests: number;
  resumed: boolean;
  unreadable: PassState['unreadable'];
  optedOut: number;
}

/** RefreshOutcome is what a refresh did (undefined: the provider publishes nothing to read) and the funnel after it. */
export interface RefreshOutcome {
  result: RefreshResult | undefined;
  view: EngagementView;
}

/** RefreshDeps: the campaign's store and settings, and the provider's reader of one conversation. */
export interface RefreshDeps {
  campaignId: string;
  campaignName: string;
  store: EngagementStore;
  settings: EngagementSettings;
  clock: Clock;
  /** Reads one conversation (the provider's reader, paced and retried); throws to say it could not. */
  read(conversationId: string, targets: readonly ReadTarget[]): Promise<ConversationRead>;
  /** Whether an error stops the whole refresh (a refused key) rather than one conversation. */
  stops(e: unknown): boolean;
  /** An error in words, with no key in it. */
  describe(e: unknown): string;
  /** Requests made by the reader so far (retries included). */
  requests(): number;
  /** The reader's pace now, for the first estimate of the time left. */
  perSecond(): number;
  /** Puts new opt-outs on the workspace's list (ServiceDeps.optOuts); absent: the report's column only. */
  recordOptOuts?(entries: readonly ReplyOptOut[]): void | Promise<void>;
  /** The recipient's number of a row, when the campaign knows it. */
  phoneOf?(row: number): string | undefined;
  onProgress?(p: RefreshProgress): void;
}

type Done = { records: MessageRecord[]; optOuts: NewOptOut[]; unreadable?: { conversationId: string; reason: string } };

/** refreshEngagement runs (or resumes) one refresh of a campaign; see the file comment. */
export async function refreshEngagement(d: RefreshDeps): Promise<RefreshResult> {
  const { store, campaignId, clock } = d;
  const pass = store.beginPass(campaignId, clock.now(), RESUME_WITHIN_MS);
  const since = pass.startedAt as number;
  const startedAt = clock.now();
  const doneBefore = pass.resumed ? pass.done : 0;
  const requestsBefore = pass.resumed ? pass.requests : 0;
  const requests0 = d.requests();
  const total = doneBefore + store.openConversations(campaignId, since);
  const unreadable = pass.resumed ? [...pass.unreadable] : [];
  let done = doneBefore;
  let saved = doneBefore;
  let optedOut = 0;
  let pending: Done[] = [];
  let savedAt = clock.now();
  let countedAt = clock.now();

  const progress = (): RefreshProgress => {
    const read = done - doneBefore;
    const left = total - done;
    const elapsed = (clock.now() - startedAt) / 1000;
    const eta = left === 0 ? 0 : read >= 3 && elapsed > 0 ? (left * elapsed) / read : d.perSecond() > 0 ? left / d.perSecond() : null;
    return { done, total, requests: requestsBefore + d.requests() - requests0, startedAt: since, etaSeconds: eta };
  };
  const save = async () => {
    if (pending.length === 0) return;
    const batch = pending;
    pending = [];
    const optOuts = batch.flatMap((b) => b.optOuts);
    // The list first: a crash between the two reads these conversations again and adds nothing twice.
    if (optOuts.length > 0 && d.recordOptOuts !== undefined) await d.recordOptOuts(optOuts.map((o) => optOutEntry(d, o)));
    optedOut += optOuts.length;
    for (const b of batch) if (b.unreadable !== undefined) unreadable.push(b.unreadable);
    saved += batch.length;
    store.save(
      campaignId,
      batch.flatMap((b) => b.records),
      { done: saved, total, requests: progress().requests, checkedAt: clock.now(), unreadable },
    );
    savedAt = clock.now();
    if (savedAt - countedAt >= RECOUNT_EVERY_MS) {
      store.recount(campaignId);
      countedAt = savedAt;
    }
    d.onProgress?.(progress());
  };

  const readOne = async (conversationId: string, records: MessageRecord[]): Promise<Done> => {
    const targets = records.map((r): ReadTarget => {
      const t: ReadTarget = { row: r.row, messageId: r.messageId, windowEnd: r.sentAt + d.settings.windowMs };
      if (r.cursor !== null) t.cursor = r.cursor;
      if (r.scannedTo !== null) t.scannedTo = r.scannedTo;
      return t;
    });
    try {
      const read = await d.read(conversationId, targets);
      const now = clock.now();
      const out: Done = { records: [], optOuts: [] };
      for (const r of records) {
        const { next, optOut } = applyRead(r, read.found.get(r.row), read.scannedTo, now, d.settings);
        out.records.push(next);
        if (optOut !== undefined) out.optOuts.push(optOut);
      }
      return out;
    } catch (e) {
      if (d.stops(e)) throw e;
      const reason = d.describe(e);
      const now = clock.now();
      return { records: records.map((r) => applyProblem(r, reason, now, d.settings)), optOuts: [], unreadable: { conversationId, reason } };
    }
  };

  d.onProgress?.(progress());
  let after = '';
  let failure: unknown;
  for (;;) {
    const page = store.nextConversations(campaignId, since, after, PAGE);
    if (page.size === 0) break;
    const queue = [...page.entries()];
    after = queue[queue.length - 1]?.[0] ?? after;
    const workers = Array.from({ length: Math.min(IN_FLIGHT, queue.length) }, async () => {
      for (let next = queue.shift(); next !== undefined && failure === undefined; next = queue.shift()) {
        let result: Done;
        try {
          // Read first, then push: `pending` is replaced by each save meanwhile.
          result = await readOne(next[0], next[1]);
        } catch (e) {
          failure ??= e;
          return;
        }
        pending.push(result);
        done++;
        if (pending.length >= SAVE_EVERY || clock.now() - savedAt >= SAVE_AFTER_MS) await save();
      }
    });
    await Promise.all(workers);
    if (failure !== undefined) break;
  }
  await save();
  if (failure !== undefined) {
    // Left unfinished: the next refresh (with a key that works) resumes it.
    store.failPass(campaignId, d.describe(failure));
    throw failure;
  }
  store.endPass(campaignId, clock.now());
  store.recount(campaignId);
  const p = progress();
  return { conversations: done - doneBefore, done, total, requests: p.requests - requestsBefore, resumed: pass.resumed, unreadable, optedOut };
}

function optOutEntry(d: RefreshDeps, o: NewOptOut): ReplyOptOut {
  const e: ReplyOptOut = {
    conversationId: o.record.conversationId,
    at: o.at,
    word: o.word,
    reply: o.reply,
    campaignId: d.campaignId,
    campaignName: d.campaignName,
    row: o.record.row,
    replyId: o.replyId,
  };
  const phone = d.phoneOf?.(o.record.row);
  if (phone !== undefined) e.phone = phone;
  return e;
}
