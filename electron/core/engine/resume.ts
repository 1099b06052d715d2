import type { RowOutcome, RowStatus } from '../../../shared/engine/events';

/**
 * ResumePlan is what to do with a row that an earlier run of the same campaign already recorded:
 * `done` count it as it is and send nothing; `uncertain` count it uncertain and send nothing
 * (`settle` when the journal still says in-flight and must now say uncertain); `send` send it
 * (its attempts keep counting from the recorded number).
 */
export type ResumePlan =
  | { kind: 'done'; status: RowStatus }
  | { kind: 'uncertain'; settle: boolean }
  | { kind: 'send' };

/** interruptedReason is the error recorded for a row an earlier run left in flight. */
export const interruptedReason =
  'the previous run ended while this request was in flight; the message may have been delivered';

/**
 * resumePlan decides a row's fate from its last recorded outcome. Sent, failed and skipped rows are
 * never sent again. A row left in flight may have reached the provider, so it becomes uncertain
 * and is only resent when the user asked for it (`resendUncertain`): sending twice is worse than
 * asking. Pending rows (never answered, or waiting for a retry) are sent.
 */
export function resumePlan(previous: RowOutcome | undefined, resendUncertain: boolean): ResumePlan {
  if (previous === undefined) return { kind: 'send' };
  switch (previous.status) {
    case 'sent':
    case 'failed':
    case 'skipped':
      return { kind: 'done', status: previous.status };
    case 'in-flight':
    case 'uncertain':
      if (!resendUncertain) return { kind: 'uncertain', settle: previous.status === 'in-flight' };
      return { kind: 'send' };
    case 'pending':
      return { kind: 'send' };
  }
}
