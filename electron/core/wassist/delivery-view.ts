import type { z } from 'zod';
import type { RowOutcome } from '../../../shared/engine/events';
import type { campaignRowSchema, DeliveryStatus } from '../../../shared/ipc/contract';
import type { StatusRefresh } from './delivery-status';
import type { WassistSidecar } from './sidecar';

/** How a Wassist campaign's sidecar reads to people: counts of delivery statuses and rows with their status. */

/** CampaignRow is a row of the status table: its outcome plus its variant and delivery status. */
export type CampaignRow = z.input<typeof campaignRowSchema>;

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

/** withDelivery adds a row's number (phone campaigns), variant and delivery status (when its campaign has a sidecar). */
export function withDelivery(o: RowOutcome, sidecar: WassistSidecar | undefined): CampaignRow {
  if (sidecar === undefined) return o;
  const row: CampaignRow = { ...o };
  const phone = sidecar.phones.get(o.row);
  if (phone !== undefined) row.phone = phone;
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
