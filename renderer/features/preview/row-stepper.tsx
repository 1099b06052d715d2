import type { ReactElement } from 'react';
import { useState } from 'react';
import { Icon } from '../../ui/icons';

/** RowStepper picks the row to preview: previous / next buttons and a number field (1..total). */
export function RowStepper({ row, total, onChange }: { row: number; total: number; onChange(row: number): void }): ReactElement {
  // The typed text while the field is being edited; otherwise the field shows the current row.
  const [editing, setEditing] = useState<string | null>(null);
  const text = editing ?? String(row);
  const commit = () => {
    const n = Math.trunc(Number(text));
    if (Number.isFinite(n) && n >= 1 && n <= total) onChange(n);
    setEditing(null);
  };
  return (
    <div className="stepper" role="group" aria-label="Row to preview">
      <button type="button" className="btn btn-secondary btn-icon btn-sm" aria-label="Previous row" data-testid="row-prev" disabled={row <= 1} onClick={() => onChange(row - 1)}>
        <Icon name="chevronLeft" />
      </button>
      <label className="stepper-label">
        Row
        <input
          className="input input-sm stepper-input"
          inputMode="numeric"
          aria-label="Row number"
          data-testid="row-input"
          value={text}
          onChange={(e) => setEditing(e.target.value)}
          onBlur={commit}
          onKeyDown={(e) => {
            if (e.key === 'Enter') commit();
          }}
        />
        of {total.toLocaleString('en-US')}
      </label>
      <button type="button" className="btn btn-secondary btn-icon btn-sm" aria-label="Next row" data-testid="row-next" disabled={row >= total} onClick={() => onChange(row + 1)}>
        <Icon name="chevronRight" />
      </button>
    </div>
  );
}
