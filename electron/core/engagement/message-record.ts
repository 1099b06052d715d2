import type { MessageStatus } from '../../../shared/providers/wassist-api';

/** A sent message's engagement as the engagement store keeps it, and how it is read from its row. */

/** MessageRecord is one sent message's engagement, as stored (times in ms since the epoch). */
export interface MessageRecord {
  row: number;
  conversationId: string;
  messageId: string;
  /** When the provider created it (once listed), else when the journal says it was accepted. */
  sentAt: number;
  status: MessageStatus | null;
  /** When this status was first seen (the provider gives no time per status). */
  statusAt: number | null;
  found: boolean;
  /** Where it is listed in its conversation, and how many messages were scanned there. */
  cursor: number | null;
  scannedTo: number | null;
  /** null: its listing carries no click data. */
  clicks: number | null;
  firstClickAt: number | null;
  repliedAt: number | null;
  replyText: string | null;
  replyId: string | null;
  optedOutAt: number | null;
  optOutWord: string | null;
  checkedAt: number | null;
  /** Why the last read of its conversation failed. */
  problem: string | null;
  /** Its outcome can no longer change: it is not read again. */
  closed: boolean;
}

/** MessageRow is a row of the `messages` table as SQLite gives it. */
export interface MessageRow {
  row: number;
  conversation_id: string;
  message_id: string;
  sent_at: number;
  status: string | null;
  status_at: number | null;
  found: number;
  cursor: number | null;
  scanned_to: number | null;
  clicks: number | null;
  first_click_at: number | null;
  replied_at: number | null;
  reply_text: string | null;
  reply_id: string | null;
  opted_out_at: number | null;
  opt_out_word: string | null;
  checked_at: number | null;
  problem: string | null;
  closed: number;
}

/** COLUMNS are the `messages` columns a MessageRecord is read from. */
export const COLUMNS =
  'row, conversation_id, message_id, sent_at, status, status_at, found, cursor, scanned_to, clicks, first_click_at, replied_at, reply_text, reply_id, opted_out_at, opt_out_word, checked_at, problem, closed';

/** recordOf reads a record from its row. */
export function recordOf(r: MessageRow): MessageRecord {
  return {
    row: r.row,
    conversationId: r.conversation_id,
    messageId: r.message_id,
    sentAt: r.sent_at,
    status: r.status as MessageStatus | null,
    statusAt: r.status_at,
    found: r.found === 1,
    cursor: r.cursor,
    scannedTo: r.scanned_to,
    clicks: r.clicks,
    firstClickAt: r.first_click_at,
    repliedAt: r.replied_at,
    replyText: r.reply_text,
    replyId: r.reply_id,
    optedOutAt: r.opted_out_at,
    optOutWord: r.opt_out_word,
    checkedAt: r.checked_at,
    problem: r.problem,
    closed: r.closed === 1,
  };
}
