import type { RowOutcome } from '../../../shared/engine/events';
import type { ExtraColumns } from '../report/write-report';
import type { EngagementStore, MessageRecord } from './engagement-store';

/**
 * The engagement columns of a delivery report, after the input columns (and after the provider's
 * own extras such as Wassist's `variant`), so every reader of DESIGN.md's contract still finds its
 * columns first, where it expects them:
 *   delivery_status     sent · delivered · read · failed, as the provider last reported it
 *   delivery_status_at  when that status was first seen (ISO 8601; no time per status is published)
 *   clicks              clicks on the message's link button (blank: the message counts no clicks)
 *   first_click_at      the first click's time
 *   replied_at          the recipient's first message after ours (ISO 8601)
 *   reply_text          its first 200 characters (blank when `engagement.keepReplyText` is false)
 *   opted_out_at        when the recipient replied with an opt-out word
 *   opt_out_word        the word ("STOP", "BAJA")
 * An input column with one of these names keeps it; the appended one gets ` (engagement)`.
 */

/** ENGAGEMENT_COLUMNS are the appended columns, in order. */
export const ENGAGEMENT_COLUMNS = ['delivery_status', 'delivery_status_at', 'clicks', 'first_click_at', 'replied_at', 'reply_text', 'opted_out_at', 'opt_out_word'] as const;

/** CHUNK rows are read at a time: the report walks rows in order, so memory holds one chunk, whatever the campaign's size. */
const CHUNK = 5_000;

function iso(ms: number | null): string {
  return ms === null ? '' : new Date(ms).toISOString();
}

/** engagementCells are one sent row's cells (blank for a row not sent or not read yet). */
export function engagementCells(m: MessageRecord | undefined): string[] {
  if (m === undefined) return ENGAGEMENT_COLUMNS.map(() => '');
  return [
    m.status ?? '',
    m.status === null ? '' : iso(m.statusAt),
    m.clicks === null ? '' : String(m.clicks),
    iso(m.firstClickAt),
    iso(m.repliedAt),
    m.replyText ?? '',
    iso(m.optedOutAt),
    m.optOutWord ?? '',
  ];
}

/**
 * engagementColumns appends the engagement columns to `before` (the provider's extras, or none),
 * reading the campaign's records from `store` chunk by chunk as the report asks for rows (no
 * store: nothing was read yet, the cells are blank).
 */
export function engagementColumns(store: EngagementStore | undefined, campaignId: string, before?: ExtraColumns): ExtraColumns {
  let chunk = new Map<number, MessageRecord>();
  let from = 1;
  let to = 0;
  const recordOf = (row: number): MessageRecord | undefined => {
    if (store === undefined) return undefined;
    if (row < from || row > to) {
      const rows = store.rowsFrom(campaignId, row, CHUNK);
      chunk = new Map(rows.map((r) => [r.row, r]));
      from = row;
      // A short chunk reaches the last recorded row: no row after it has a record either.
      to = rows.length < CHUNK ? Number.MAX_SAFE_INTEGER : (rows[rows.length - 1] as MessageRecord).row;
    }
    return chunk.get(row);
  };
  return {
    header(base) {
      const head = before === undefined ? [...base] : before.header(base);
      const taken = new Set(head);
      for (const name of ENGAGEMENT_COLUMNS) {
        let n: string = name;
        while (taken.has(n)) n = `${n} (engagement)`;
        taken.add(n);
        head.push(n);
      }
      return head;
    },
    cells(row: number, outcome: RowOutcome | undefined) {
      const own = before === undefined ? [] : before.cells(row, outcome);
      const m = outcome?.status === 'sent' ? recordOf(row) : undefined;
      return [...own, ...engagementCells(m !== undefined && m.messageId === outcome?.messageId ? m : undefined)];
    },
  };
}
