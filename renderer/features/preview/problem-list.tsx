import type { ReactElement } from 'react';
import type { ValidationReport } from '../../../shared/ipc/contract';
import { fieldWords, reasonWords } from '../../../shared/problem-words';
import './problems.css';

type Problem = ValidationReport['problems'][number];

/**
 * ProblemList lists problems by row and field, in words ("Card 1 header: the column bild_url is
 * empty in row 5"); a row's problems are buttons that jump the preview to that row; campaign-wide
 * ones (row 0) point to the message step instead.
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
            <span className="problem-row">{p.row > 0 ? `Row ${p.row}` : p.field.startsWith('csv') ? 'File' : 'Message'}</span>
            <span className="problem-field">
              {fieldWords(p.field)}
              <span className="visually-hidden">: </span>
            </span>
            <span className="problem-reason">{reasonWords(p)}</span>
            <span className={`badge badge-${p.severity}`}>{p.severity}</span>
          </button>
        </li>
      ))}
    </ul>
  );
}
