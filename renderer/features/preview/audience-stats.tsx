import type { ReactElement } from 'react';
import type { ValidationReport } from '../../../shared/ipc/contract';
import { Banner, Stat } from '../../ui/kit';
import { formatCount } from '../send/format';

/** AudienceStats are the validation's opt-out figures: rows skipped for the list or the cap, and rows sent despite the list. */
export function AudienceStats({ validation }: { validation: ValidationReport }): ReactElement {
  return (
    <>
      {validation.optedOutRows !== undefined && <Stat label="opted out (skipped)" value={formatCount(validation.optedOutRows)} tone="skipped" testId="stat-opted-out" />}
      {validation.cappedRows !== undefined && <Stat label="over the frequency cap (skipped)" value={formatCount(validation.cappedRows)} tone="skipped" testId="stat-capped" />}
      {validation.waitingRows !== undefined && <Stat label="wait for their quiet hours" value={formatCount(validation.waitingRows)} tone="pending" testId="stat-waiting" />}
    </>
  );
}

/** OverrideBanner says, before anything is sent, that the campaign ignores the opt-out list and why. */
export function OverrideBanner({ validation }: { validation: ValidationReport }): ReactElement | null {
  if (validation.optOutOverride === undefined) return null;
  const n = validation.overriddenRows ?? 0;
  return (
    <Banner tone="warning" title="This campaign ignores the opt-out list" testId="override-banner">
      {validation.optOutOverride}. {n === 0 ? 'No row of this file is on the list.' : `${formatCount(n)} ${n === 1 ? 'row is' : 'rows are'} on the list and will be sent anyway.`}
    </Banner>
  );
}
