import type { z } from 'zod';
import type { RowOutcome } from '../../../shared/engine/events';
import type { campaignRowSchema } from '../../../shared/ipc/contract';
import type { WassistSidecar } from './sidecar';

/** CampaignRow is a row of the status table: its outcome plus, for Wassist, its variant and engagement. */
export type CampaignRow = z.input<typeof campaignRowSchema>;

/** withVariant adds a row's number (phone campaigns) and variant (the message or the fallback template) when its campaign has a sidecar. */
export function withVariant(o: RowOutcome, sidecar: WassistSidecar | undefined): CampaignRow {
  if (sidecar === undefined) return o;
  const row: CampaignRow = { ...o };
  const phone = sidecar.phones.get(o.row);
  if (phone !== undefined) row.phone = phone;
  const variant = sidecar.variants.get(o.row);
  if (variant !== undefined) row.variant = variant;
  else if (o.attempts > 0) row.variant = 'message';
  return row;
}
