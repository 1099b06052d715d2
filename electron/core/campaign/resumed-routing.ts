import type { Variant } from '../../../shared/campaign/plan';
import type { RowOutcome } from '../../../shared/engine/events';
import { resumePlan } from '../engine/resume';
import type { RowOutcomes } from '../ports';
import type { WassistSidecar } from '../wassist/sidecar';
import { keptBy } from './earlier-run';
import type { Lookup } from './recipients';
import type { Pins } from './routing';

/**
 * How a resumed Wassist campaign keeps the routing of its earlier runs, in its sidecar
 * (wassist-rows.json): which rows took the fallback template, the number each phone row was
 * resolved by, and the conversation each row was already tried in. A start records them before
 * sending (launch.ts) and routes rows an earlier run left in doubt or tried by them (see Router).
 */

/** inDoubt are the rows an earlier run left in flight or uncertain, as recorded (the only ones heldVariants keeps). */
export function* inDoubt(journal: RowOutcomes): Generator<RowOutcome> {
  for (const row of journal.rows(['in-flight', 'uncertain'])) yield journal.get(row) as RowOutcome;
}

/**
 * recordRouting notes, before sending, what the lookup decided for the rows about to be sent: which
 * take the fallback template, and (phone campaigns) the number each was resolved by. A row the
 * journal already has keeps what was recorded for it: the campaign keeps one resolution across its
 * runs (see pinsOf), and a row the engine will not send again keeps what it was sent.
 */
export async function recordRouting(sidecar: WassistSidecar, lookup: Lookup | undefined, journal: RowOutcomes, resendUncertain: boolean): Promise<void> {
  const kept = keptBy(journal, resendUncertain);
  const fallbackRows = lookup?.fallbackRows ?? new Set<number>();
  for (const [row, variant] of sidecar.variants) if (variant === 'fallback' && !kept(row)) sidecar.variants.delete(row);
  for (const row of fallbackRows) if (!kept(row)) sidecar.variants.set(row, 'fallback');
  for (const row of sidecar.phones.keys()) if (!journal.has(row)) sidecar.phones.delete(row);
  for (const [row, phone] of lookup?.phones ?? []) if (!journal.has(row) || !sidecar.phones.has(row)) sidecar.phones.set(row, phone);
  await sidecar.save();
}

/**
 * heldVariants are the rows an earlier run left in doubt (in flight or uncertain, and not to be
 * sent again blindly) with the body each was sent: the engine reads their conversation back and
 * must look for that body, whatever the conversation's state is now (see Router).
 */
export function heldVariants(sidecar: WassistSidecar, journalRows: Iterable<RowOutcome>, resendUncertain: boolean): Map<number, Variant> {
  const held = new Map<number, Variant>();
  for (const o of journalRows) if (resumePlan(o, resendUncertain).kind === 'uncertain') held.set(o.row, sidecar.variants.get(o.row) ?? 'message');
  return held;
}

/**
 * pinsOf keeps a resumed phone campaign on the conversations its earlier runs routed rows to: a row
 * the engine sends again (pending after a retry wait, or uncertain and resent on request) goes to the
 * conversation it was already tried in, with the number recorded for it, whatever a new lookup says
 * (so an uncertain message is never sent again into a second conversation of the same person).
 */
export function pinsOf(journal: Pick<RowOutcomes, 'recipientOf' | 'statusOf' | 'attemptsOf'>, sidecar: WassistSidecar): Pins {
  return (row) => {
    const recipient = journal.recipientOf(row);
    // A row never tried (one waiting for its quiet hours is recorded pending) is routed afresh.
    if (recipient === undefined || recipient === '' || (journal.statusOf(row) === 'pending' && journal.attemptsOf(row) === 0)) return undefined;
    const phone = sidecar.phones.get(row);
    return phone === undefined ? { conversationId: recipient } : { conversationId: recipient, phone };
  };
}
