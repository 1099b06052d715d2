import type { Variant } from '../../../shared/campaign/plan';
import { planRow } from '../../../shared/campaign/plan';
import type { CsvRow } from '../../../shared/csv/parse';
import type { RowOutcome } from '../../../shared/engine/events';
import { UserError } from '../../../shared/ipc/user-error';
import { InputError } from '../../../shared/problems';
import type { SendJob } from '../engine/types';
import { MemoryJournal } from '../ports';
import { checkRowFiles, refusedFiles, uploadFiles } from './attachments';
import type { Campaign } from './campaign';
import { hasKey } from './connection';
import type { Confirm } from './launch';
import type { Lookup } from './recipients';
import { routeOf } from './recipients';
import { Router } from './routing';
import { createEngine } from './run';
import type { ServiceCore } from './service-core';
import { offlineView, withProblems } from './validation';

/**
 * A test send: one row of a campaign sent now, once (no retries), where a run would send it. The
 * campaign's lookup (the one the preview showed, or a new one) decides its conversation and body,
 * so a number goes to the same conversation in the preview, the test and the run; the opt-out list
 * and the cap apply as in a run. A row the run would skip is not sent (its outcome says why); a row
 * whose body has errors is an InputError. A recipient on the opt-out list by what the row itself
 * says is answered skipped before anything is asked, of the person or of the provider (no
 * connection is opened); otherwise `confirm` is asked before any request, lookups included (see
 * StartOptions.confirm). A test message is not recorded as a campaign message: it does not count
 * towards the frequency cap.
 */

/** TestSendOutcome is a test send's outcome, with the number it was resolved by and the body it took. */
export type TestSendOutcome = RowOutcome & { phone?: string; variant?: Variant };

/** sendTest sends row `row` of `campaign` as the file comment says; `rowLookup` is the lookup a row routes by (Campaign.lookUpRow's). */
export async function sendTest(core: ServiceCore, campaign: Campaign, row: number, rowLookup: (rec: CsvRow) => Promise<Lookup>, confirm?: Confirm): Promise<TestSendOutcome> {
  const plan = campaign.plan;
  const rec = await campaign.rowAt(row);
  let planned = planRow(plan, rec.row, rec.fields);
  if (campaign.files !== undefined) {
    campaign.files.forget();
    planned = withProblems(planned, (await checkRowFiles(plan, campaign.files, row, planned.files, refusedFiles(planned.problems))).problems);
  }
  const view = offlineView(plan, rec, planned);
  if (view.invalid) throw new InputError(view.problems.filter((x) => x.severity === 'error'));
  const audience = core.audience(plan, campaign.contacts.headers);
  const listed = audience.judgeOptOut(planned, rec.fields);
  if (listed.kind === 'skip') {
    // As a run records it: no conversation yet for a phone row, whose number is `phone`.
    const phone = planned.phoneReadings === undefined && planned.phone !== undefined ? { phone: planned.phone } : {};
    return { row, status: 'skipped', recipient: plan.phone === undefined ? planned.prepared.recipient : '', attempts: 0, error: listed.reason(), ...phone };
  }
  if (!hasKey(campaign.spec, campaign.input.apiKey)) throw new UserError('Sending needs the API key of the account.');
  const files = await campaign.filesSummary();
  if (confirm !== undefined && !(await confirm({ recipients: 1, test: true, ...(files === undefined ? {} : { files }) }))) throw new UserError('The test was not sent: it was not confirmed.');
  const lookup = campaign.needsLookup ? await rowLookup(rec) : undefined;
  const route = lookup === undefined ? new Router(plan, {}, {}, audience).route(planned, rec.fields) : routeOf(lookup, plan, planned, rec.fields, audience);
  const phone = route.phone === undefined ? {} : { phone: route.phone };
  if (route.kind === 'invalid') throw new InputError(route.problems);
  if (route.kind === 'skip') return { row, status: 'skipped', recipient: route.conversationId, attempts: 0, error: route.reason, ...phone };
  const connection = core.connect(campaign.spec);
  try {
    const engine = createEngine({
      spec: { ...campaign.spec, throttle: { concurrency: 1, perSecond: 1 }, retry: { ...campaign.spec.retry, attempts: 1 } },
      apiKey: campaign.input.apiKey,
      connection,
      journal: new MemoryJournal(),
      clock: core.clock,
      onEvent: () => undefined,
    });
    const job: SendJob = { row, recipient: route.conversationId, request: route.request };
    if (campaign.files !== undefined && planned.files.length > 0) job.files = await uploadFiles(campaign.files, planned.files);
    const summary = await engine.run([job], 1);
    const outcome = (await summary.outcomes()).get(row);
    if (summary.reason === 'stopped' && summary.stopReason !== undefined && outcome?.status !== 'sent') throw new UserError(summary.stopReason);
    return { ...(outcome ?? { row, status: 'pending', recipient: route.conversationId, attempts: 0 }), ...phone, variant: route.variant };
  } finally {
    await connection.close().catch(() => undefined);
  }
}
