import type { ReactElement, ReactNode } from 'react';
import { useEffect, useId, useRef } from 'react';
import { problemWords } from '../../shared/problem-words';
import type { Problem } from '../../shared/problems';
import type { IconName } from './icons';
import { Icon } from './icons';

/**
 * The small set of building blocks every screen uses, so spacing, states and wording stay the
 * same from step to step: page headers, cards, empty/loading/error states, banners, progress bars,
 * stats and a modal dialog.
 */

/** PageHeader is the title row of a step: title, one line of help, and the step's main actions. */
export function PageHeader({ title, subtitle, actions }: { title: string; subtitle?: ReactNode; actions?: ReactNode }): ReactElement {
  return (
    <header className="page-header">
      <div>
        <h1>{title}</h1>
        {subtitle !== undefined && <p className="page-subtitle">{subtitle}</p>}
      </div>
      {actions !== undefined && <div className="page-actions">{actions}</div>}
    </header>
  );
}

/** Card is a titled panel. */
export function Card({ title, actions, children, className, testId }: { title?: ReactNode; actions?: ReactNode; children: ReactNode; className?: string; testId?: string }): ReactElement {
  return (
    <section className={`card${className !== undefined ? ` ${className}` : ''}`} data-testid={testId}>
      {(title !== undefined || actions !== undefined) && (
        <div className="card-head">
          {title !== undefined && <h2>{title}</h2>}
          {actions !== undefined && <div className="card-actions">{actions}</div>}
        </div>
      )}
      {children}
    </section>
  );
}

/** EmptyState fills a screen or card that has nothing to show yet, saying what to do next. */
export function EmptyState({ icon, title, children, action }: { icon: IconName; title: string; children?: ReactNode; action?: ReactNode }): ReactElement {
  return (
    <div className="empty-state">
      <div className="empty-icon">
        <Icon name={icon} size={28} />
      </div>
      <h3>{title}</h3>
      {children !== undefined && <p>{children}</p>}
      {action !== undefined && <div className="empty-action">{action}</div>}
    </div>
  );
}

/** Spinner shows that something is loading; `label` is read by screen readers. */
export function Spinner({ label = 'Loading…', inline = false }: { label?: string; inline?: boolean }): ReactElement {
  return (
    <span className={inline ? 'spinner-inline' : 'spinner-block'} role="status">
      <span className="spinner" aria-hidden="true" />
      <span className={inline ? 'spinner-text' : 'spinner-text'}>{label}</span>
    </span>
  );
}

/** Banner is a coloured message: an error, a warning, a success or a note. */
export function Banner({ tone, title, children, action, testId }: { tone: 'error' | 'warning' | 'success' | 'info'; title?: string; children?: ReactNode; action?: ReactNode; testId?: string }): ReactElement {
  const icon: IconName = tone === 'success' ? 'check' : tone === 'info' ? 'info' : 'alert';
  return (
    <div className={`banner banner-${tone}`} role={tone === 'error' ? 'alert' : 'status'} data-testid={testId}>
      <Icon name={icon} />
      <div className="banner-body">
        {title !== undefined && <strong>{title}</strong>}
        {children !== undefined && <div>{children}</div>}
      </div>
      {action !== undefined && <div className="banner-action">{action}</div>}
    </div>
  );
}

/** ProgressBar is a labelled progress bar; `value` in 0..1, or null for indeterminate. */
export function ProgressBar({ value, label, tone = 'accent' }: { value: number | null; label: string; tone?: 'accent' | 'success' | 'warning' }): ReactElement {
  const pct = value === null ? undefined : Math.round(Math.max(0, Math.min(1, value)) * 1000) / 10;
  return (
    <progress className={`progress progress-${tone}${value === null ? ' progress-indeterminate' : ''}`} aria-label={label} max={100} value={pct} />
  );
}

/** Stat is one figure with its label. */
export function Stat({ label, value, tone, testId }: { label: string; value: ReactNode; tone?: 'sent' | 'failed' | 'skipped' | 'uncertain' | 'pending' | 'in-flight'; testId?: string }): ReactElement {
  return (
    <div className={`stat${tone !== undefined ? ` stat-${tone}` : ''}`} data-testid={testId}>
      <span className="stat-value">{value}</span>
      <span className="stat-label">{label}</span>
    </div>
  );
}

/**
 * Modal is a dialog on the native <dialog> element (focus is trapped and Escape closes it, by the
 * browser); `onClose` runs on Escape, the close button or a click on the backdrop.
 */
export function Modal({ open, title, children, footer, onClose, testId }: { open: boolean; title: string; children: ReactNode; footer?: ReactNode; onClose: () => void; testId?: string }): ReactElement {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    const d = ref.current;
    if (d === null) return;
    if (open && !d.open) {
      if (typeof d.showModal === 'function') d.showModal();
      else d.setAttribute('open', '');
    } else if (!open && d.open) {
      if (typeof d.close === 'function') d.close();
      else d.removeAttribute('open');
    }
  }, [open]);
  return (
    <dialog
      ref={ref}
      className="modal"
      aria-labelledby={titleId}
      data-testid={testId}
      onCancel={(e) => {
        e.preventDefault();
        onClose();
      }}
      onClick={(e) => {
        if (e.target === ref.current) onClose();
      }}
    >
      {open && (
        <div className="modal-inner">
          <div className="modal-head">
            <h2 id={titleId}>{title}</h2>
            <button type="button" className="btn btn-ghost btn-icon" aria-label="Close" onClick={onClose}>
              <Icon name="x" />
            </button>
          </div>
          <div className="modal-body">{children}</div>
          {footer !== undefined && <div className="modal-foot">{footer}</div>}
        </div>
      )}
    </dialog>
  );
}

/**
 * errorMessage turns anything thrown into sentences for the user: the problems of an input mistake
 * in words (row, field as the form names it, reason), else the message, which main writes for people.
 */
export function errorMessage(e: unknown): string {
  const problems = (e as { problems?: unknown } | null)?.problems;
  if (Array.isArray(problems) && problems.length > 0) {
    const shown = (problems as Problem[]).slice(0, 5).map((p) => `${p.row > 0 ? `Row ${p.row}, ` : ''}${problemWords(p)}`);
    if (problems.length > shown.length) shown.push(`…and ${problems.length - shown.length} more`);
    return shown.join('\n');
  }
  if (e instanceof Error && e.message !== '') return e.message;
  return 'Something went wrong. Please try again.';
}
