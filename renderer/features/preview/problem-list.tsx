import type { ReactElement } from 'react';
import type { ValidationReport } from '../../../shared/ipc/contract';
import './problems.css';

type Problem = ValidationReport['problems'][number];

/** fieldLabel turns a field path into words: `message.template.variables.body[1]` -> `template › body {{2}}`. */
export function fieldLabel(field: string): string {
  if (field === 'recipient.conversationId') return 'recipient';
  return field
    .replace(/^message\./, '')
    .replace(/\.variables\./, '.')
    .replace(/body\[(\d+)\]/g, (_, n: string) => `body {{${Number(n) + 1}}}`)
    .replace(/\[(\d+)\]/g, (_, n: string) => ` ${Number(n) + 1}`)
    .replace(/\./g, ' › ');
}

/**
 * ProblemList lists problems by row and field; a row's problems are buttons that jump the preview
 * to that row; campaign-wide ones (row 0) point to the message step instead.
 */
export function ProblemList({ problems, activeRow, onRow, onFix }: { problems: readonly Problem[]; activeRow?: number; onRow(row: number): void; onFix?: () => void }): ReactElement {
  return (
    <ul className="problem-list" data-testid="problem-list">
      {problems.map((p, i) => (
        <li key={i}>
          <button
            type="button"
            className={`problem problem-button problem-${p.severity}${p.row === activeRow ? ' problem-active' : ''}`}
            data-testid="problem"
            data-row={p.row}
            onClick={() => (p.row > 0 ? onRow(p.row) : onFix?.())}
          >
            <span className="problem-row">{p.row > 0 ? `Row ${p.row}` : 'Campaign'}</span>
            <span className="problem-field">{fieldLabel(p.field)}{p.column !== undefined ? ` · ${p.column}` : ''}</span>
            <span className="problem-reason">{p.reason}</span>
            <span className={`badge badge-${p.severity}`}>{p.severity}</span>
          </button>
        </li>
      ))}
    </ul>
  );
}
