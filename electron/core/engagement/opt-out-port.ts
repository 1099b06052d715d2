/**
 * The port through which a refresh puts a recipient who replied with an opt-out word on the
 * workspace's opt-out list. The list itself belongs to the workspace (electron/core/workspace/,
 * the audience-safety work); the campaign service wires this port to it (ServiceDeps.optOuts, by
 * default workspaceOptOuts over the workspace's list) so the refresh does not depend on how the list
 * is kept. Opt-outs are also written to the report's `opted_out_at` and `opt_out_word` columns.
 */

/** ReplyOptOut is one recipient who asked to stop, with the reply as evidence. */
export interface ReplyOptOut {
  conversationId: string;
  /** The recipient's number (E.164) when the campaign knows it (phone campaigns). */
  phone?: string;
  /** When the reply was sent (ms since the epoch). */
  at: number;
  /** The opt-out word the reply used, as listed ("STOP", "BAJA"). */
  word: string;
  /** The reply's first 200 characters. */
  reply: string;
  campaignId: string;
  campaignName: string;
  row: number;
  /** The reply's message id. */
  replyId: string;
}

/** OptOutRecorder adds opt-outs to the workspace's list; adding one already there changes nothing. */
export interface OptOutRecorder {
  add(entries: readonly ReplyOptOut[]): void | Promise<void>;
}

/**
 * WorkspaceOptOutList is the part of the workspace's OptOutList (electron/core/workspace/opt-out-list.ts)
 * this adapter uses: `add(values, {source, reason, origin, at})`, where a
 * value is a recipient key with its kind (shared/campaign/recipient-keys.ts: `p:` + E.164 for a
 * number, `c:` + id for a conversation), and a key already on the list keeps its first entry.
 */
export interface WorkspaceOptOutList {
  add(values: readonly { key: string; kind: 'phone' | 'conversation'; value: string }[], from: { source: 'reply'; reason?: string; origin?: string; at?: number }): unknown;
}

/** RecipientKeys makes the list's keys (recipient-keys.ts: phoneKey, conversationKey). */
export interface RecipientKeys {
  phoneKey(e164: string): string;
  conversationKey(id: string): string;
}

/**
 * workspaceOptOuts adapts the workspace's list to the port: each opt-out goes on the list by its
 * number when the campaign knows it, and always by its conversation (a later campaign may address
 * either), with source `reply`, the reply as the reason and where it came from as the origin.
 */
export function workspaceOptOuts(list: WorkspaceOptOutList, keys: RecipientKeys): OptOutRecorder {
  return {
    add(entries) {
      for (const e of entries) {
        const values: { key: string; kind: 'phone' | 'conversation'; value: string }[] = [];
        if (e.phone !== undefined) values.push({ key: keys.phoneKey(e.phone), kind: 'phone', value: e.phone });
        values.push({ key: keys.conversationKey(e.conversationId), kind: 'conversation', value: e.conversationId });
        list.add(values, {
          source: 'reply',
          reason: `replied "${e.reply}" (${e.word})`,
          origin: `campaign "${e.campaignName}" row ${e.row}, conversation ${e.conversationId}, message ${e.replyId}`,
          at: e.at,
        });
      }
    },
  };
}
