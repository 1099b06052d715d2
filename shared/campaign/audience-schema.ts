import { z } from 'zod';
import { isKnownZone, parseWindow } from './quiet-hours';

/**
 * A campaign file's `audience` block: how the campaign treats the workspace's opt-out list and
 * frequency cap, and the hours of the day it may message people in.
 */

/**
 * quietHoursSchema: the hours of the recipient's local day a campaign may message them in
 * (`allowed`, `HH:MM-HH:MM`, may cross midnight), in the zone of the number's country; `timeZone`
 * (IANA) is the local time of recipients without a number, and of countries whose zones share no
 * allowed hour. Rows outside their window wait, pending, and go out when it opens.
 */
export const quietHoursSchema = z.strictObject({
  allowed: z.string().superRefine((text, ctx) => {
    const w = parseWindow(text);
    if ('reason' in w) ctx.addIssue({ code: 'custom', message: w.reason });
  }),
  timeZone: z.string().superRefine((zone, ctx) => {
    if (!isKnownZone(zone)) ctx.addIssue({ code: 'custom', message: `unknown time zone "${zone}": use an IANA name such as "Europe/Berlin" or "America/New_York"` });
  }),
});
export type QuietHoursSpec = z.infer<typeof quietHoursSchema>;

/**
 * audienceSchema is how a campaign treats the workspace's opt-out list and frequency cap. Both
 * apply to every campaign; a campaign can only set them aside in the open, with a reason that the
 * preview, the start and the report show.
 */
export const audienceSchema = z.strictObject({
  /** Columns whose values (an e-mail, a customer id) are checked against the list's other keys too. */
  optOutColumns: z.array(z.string().trim().min(1, 'must not be empty')).min(1).max(10).optional(),
  /** Send to recipients on the opt-out list anyway, for this reason (a receipt they asked for, say). */
  ignoreOptOuts: z.string().trim().min(3, 'give the reason the campaign ignores the opt-out list').max(300).optional(),
  /** Send regardless of the workspace's frequency cap, for this reason. */
  ignoreFrequencyCap: z.string().trim().min(3, 'give the reason the campaign ignores the frequency cap').max(300).optional(),
  /** Send only inside these hours of the recipient's local day (see quietHoursSchema). */
  quietHours: quietHoursSchema.optional(),
});
export type AudienceSpec = z.infer<typeof audienceSchema>;
