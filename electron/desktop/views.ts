import type { RouteSummaryView, ValidationReport } from '../../shared/ipc/contract';
import type { RouteSummary } from '../core/campaign/routing';
import type { Validation } from '../core/campaign/validation';

/** The service's answers as the contract carries them to the window (lists capped). */

const LISTED = 1_000;

/**
 * validationReport is a validation as `campaign:validate` answers it, with at most `limit` problems,
 * and the opt-out list's part (rows skipped for it or the cap; the campaign's override, when it has one).
 */
export function validationReport(v: Validation, byPhone: boolean, limit: number, optOutOverride?: string): ValidationReport {
  const report: ValidationReport = {
    rowCount: v.rowCount,
    sendable: v.sendable,
    invalidRows: v.invalidRows.size,
    errorCount: v.errorCount,
    warningCount: v.warningCount,
    problems: v.problems.slice(0, limit),
    truncated: v.truncated || v.problems.length > limit,
    usedColumns: v.usedColumns,
  };
  if (byPhone) report.duplicateRows = v.duplicateRows;
  if (v.conditionalRows > 0) report.conditionalRows = v.conditionalRows;
  if (v.optedOutRows > 0) report.optedOutRows = v.optedOutRows;
  if (v.cappedRows > 0) report.cappedRows = v.cappedRows;
  if (v.overriddenRows > 0) report.overriddenRows = v.overriddenRows;
  if (optOutOverride !== undefined) report.optOutOverride = optOutOverride;
  if (v.waitingRows > 0) {
    report.waitingRows = v.waitingRows;
    report.waits = v.waits.slice(0, LISTED);
  }
  return report;
}

/** routeView is where the rows go, as the validation report carries it (lists capped). */
export function routeView(r: RouteSummary): RouteSummaryView {
  return { message: r.message, fallback: r.fallback, skipped: r.skipped, fallbackRows: r.fallbackRows.slice(0, LISTED), skips: r.skips.slice(0, LISTED).map(({ row, conversationId, reason }) => ({ row, conversationId, reason })) };
}
