import type { RowOutcome } from '../../../shared/engine/events';
import type { MessageStatus, WassistListedMessage } from '../../../shared/providers/wassist-api';
import { deliveryStatusOf, messageSchema, parsePage, wassistPaths } from '../../../shared/providers/wassist-api';
import type { Clock } from '../ports';
import type { WassistClient } from './client';
import { WassistApiError } from './client';
import type { WassistSidecar } from './sidecar';

/**
 * Delivery status: after a campaign, and whenever asked later, read the messages of every
 * conversation a message was sent into (one GET per conversation, at WassistClient's polite pace),
 * find our messages by id and record their status (sent, delivered, read, failed) in the campaign's
 * sidecar. Wassist gives a message's status but not when it changed, so the time recorded is when
 * this status was first seen.
 */

/** StatusRefresh counts what a refresh found. */
export interface StatusRefresh {
  /** Sent rows with a message id, whose status was looked for. */
  rows: number;
  conversations: number;
  /** Rows whose message was found in its conversation. */
  found: number;
  /** Rows per status after the refresh (found ones only). */
  byStatus: Record<MessageStatus, number>;
  /** Conversations that could not be read (404 and the like), with the reason. */
  unreadable: { conversationId: string; reason: string }[];
}

const BATCH = 64;

/** readMessages reads all of a conversation's messages: one answer, or DRF pages when the API pages them. */
export async function readMessages(client: WassistClient, conversationId: string): Promise<WassistListedMessage[]> {
  const base = wassistPaths.messages(conversationId);
  const what = `reading the messages of conversation ${conversationId}`;
  const out: WassistListedMessage[] = [];
  let path = base;
  for (let offset = 0; ; ) {
    const page = parseOrThrow(await client.getJson(path, what), what);
    out.push(...page.items);
    const got = page.items.length + page.invalid;
    if (page.shape === 'array' || got === 0 || page.hasNext !== true) break;
    offset += got;
    if (page.count !== undefined && offset >= page.count) break;
    path = `${base}?offset=${offset}&limit=${got}`;
  }
  return out;
}

function parseOrThrow(json: unknown, what: string) {
  try {
    return parsePage(json, messageSchema);
  } catch (e) {
    throw new WassistApiError(`${what}: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/**
 * refreshDeliveryStatus updates `sidecar.delivery` for every sent row of `outcomes` (rows with a
 * message id and a conversation). A refused key stops it (WassistStopError); a conversation that
 * cannot be read is listed in `unreadable` and the others go on. The caller saves the sidecar.
 */
export async function refreshDeliveryStatus(
  client: WassistClient,
  outcomes: Iterable<RowOutcome>,
  sidecar: WassistSidecar,
  clock: Clock,
  onProgress?: (conversationsDone: number, conversations: number) => void,
): Promise<StatusRefresh> {
  const byConversation = new Map<string, Map<string, number>>();
  let rows = 0;
  for (const o of outcomes) {
    if (o.status !== 'sent' || o.messageId === undefined || o.messageId === '' || o.recipient === '') continue;
    rows++;
    let ours = byConversation.get(o.recipient);
    if (ours === undefined) byConversation.set(o.recipient, (ours = new Map()));
    ours.set(o.messageId, o.row);
  }
  const result: StatusRefresh = { rows, conversations: byConversation.size, found: 0, byStatus: { sent: 0, delivered: 0, read: 0, failed: 0 }, unreadable: [] };
  const now = new Date(clock.now()).toISOString();
  const entries = [...byConversation.entries()];
  let done = 0;
  for (let i = 0; i < entries.length; i += BATCH) {
    await Promise.all(
      entries.slice(i, i + BATCH).map(async ([conversationId, ours]) => {
        let messages: WassistListedMessage[];
        try {
          messages = await readMessages(client, conversationId);
        } catch (e) {
          if (e instanceof WassistApiError && e.name !== 'WassistStopError') {
            result.unreadable.push({ conversationId, reason: e.message });
            return;
          }
          throw e;
        } finally {
          done++;
          onProgress?.(done, entries.length);
        }
        for (const m of messages) {
          const row = ours.get(m.id);
          if (row === undefined) continue;
          const status = deliveryStatusOf(m.status) ?? 'sent';
          const had = sidecar.delivery.get(row);
          sidecar.delivery.set(row, { messageId: m.id, status, at: had !== undefined && had.status === status && had.messageId === m.id ? had.at : now });
        }
      }),
    );
  }
  for (const ours of byConversation.values()) {
    for (const row of ours.values()) {
      const d = sidecar.delivery.get(row);
      if (d === undefined) continue;
      result.found++;
      result.byStatus[d.status]++;
    }
  }
  sidecar.checkedAt = now;
  return result;
}
