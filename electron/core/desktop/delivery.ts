import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import type { RowOutcome } from '../../../shared/engine/events';
import type { DeliveryStatus } from '../../../shared/ipc/contract';
import type { campaignRowSchema } from '../../../shared/ipc/contract';
import { atomicWriteFile } from '../state/atomic-write';
import type { StatusRefresh } from '../wassist/delivery-status';
import { WassistSidecar } from '../wassist/sidecar';

/**
 * What the desktop app keeps with a Wassist campaign besides its journal: the sidecar of the
 * headless runner (which body each row took, each message's delivery status) and which profile
 * sent it, so "Refresh delivery status" later asks the same account without the renderer naming it.
 */

/** CampaignRow is a row of the status table: its outcome plus its variant and delivery status. */
export type CampaignRow = z.input<typeof campaignRowSchema>;

/** RUN_FILE is the desktop's own record in the campaign folder (never a key: only the profile's id). */
export const RUN_FILE = 'desktop-run.json';
const runSchema = z.object({ profileId: z.string().min(1) });

/** recordRun notes which profile a campaign was sent with. */
export async function recordRun(dir: string, profileId: string): Promise<void> {
  await atomicWriteFile(join(dir, RUN_FILE), `${JSON.stringify({ profileId })}\n`);
}

/** profileOfRun reads the profile a campaign was last sent with; undefined when unknown (sent by the CLI, or before this record existed). */
export async function profileOfRun(dir: string): Promise<string | undefined> {
  try {
    const parsed = runSchema.safeParse(JSON.parse(await readFile(join(dir, RUN_FILE), 'utf8')));
    return parsed.success ? parsed.data.profileId : undefined;
  } catch {
    return undefined;
  }
}

/** SidecarCache holds the sidecars this process has read or written, one load per campaign. */
export class SidecarCache {
  readonly #loaded = new Map<string, Promise<WassistSidecar>>();

  /** get loads a campaign's sidecar once (an empty one when it has none yet). */
  get(id: string, dir: string): Promise<WassistSidecar> {
    let s = this.#loaded.get(id);
    if (s === undefined) {
      s = WassistSidecar.load(dir);
      this.#loaded.set(id, s);
      s.catch(() => this.#loaded.delete(id));
    }
    return s;
  }
}

const settled = (o: RowOutcome): boolean => o.status !== 'pending' && o.status !== 'uncertain' && o.status !== 'in-flight';

/**
 * recordVariants notes, before sending, which rows about to be sent take the fallback template;
 * rows already settled by an earlier run keep what they were sent.
 */
export async function recordVariants(sidecar: WassistSidecar, fallbackRows: Iterable<number>, journalRows: Iterable<RowOutcome>): Promise<void> {
  const done = new Set<number>();
  for (const o of journalRows) if (settled(o)) done.add(o.row);
  for (const [row, variant] of sidecar.variants) if (variant === 'fallback' && !done.has(row)) sidecar.variants.delete(row);
  for (const row of fallbackRows) if (!done.has(row)) sidecar.variants.set(row, 'fallback');
  await sidecar.save();
}

/** deliveryView counts what a sidecar knows of a campaign's rows (and what a refresh just read). */
export function deliveryView(campaignId: string, sidecar: WassistSidecar, outcomes: Iterable<RowOutcome>, refresh?: StatusRefresh): DeliveryStatus {
  const view: DeliveryStatus = {
    campaignId,
    counts: { sent: 0, delivered: 0, read: 0, failed: 0 },
    variants: { message: 0, fallback: 0 },
    sentRows: 0,
  };
  for (const o of outcomes) {
    if (o.attempts > 0) view.variants[sidecar.variants.get(o.row) ?? 'message']++;
    if (o.status !== 'sent' || o.messageId === undefined || o.messageId === '') continue;
    view.sentRows++;
    const d = sidecar.delivery.get(o.row);
    if (d !== undefined) view.counts[d.status]++;
  }
  if (sidecar.checkedAt !== undefined) view.checkedAt = sidecar.checkedAt;
  if (refresh !== undefined) {
    view.conversations = refresh.conversations;
    view.unreadable = refresh.unreadable.slice(0, 100);
  }
  return view;
}

/** withDelivery adds a row's variant and delivery status (when its campaign has a sidecar). */
export function withDelivery(o: RowOutcome, sidecar: WassistSidecar | undefined): CampaignRow {
  if (sidecar === undefined) return o;
  const row: CampaignRow = { ...o };
  const variant = sidecar.variants.get(o.row);
  if (variant !== undefined) row.variant = variant;
  else if (o.attempts > 0) row.variant = 'message';
  const d = o.status === 'sent' ? sidecar.delivery.get(o.row) : undefined;
  if (d !== undefined) {
    row.deliveryStatus = d.status;
    row.deliveryStatusAt = d.at;
  }
  return row;
}
