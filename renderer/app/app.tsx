import type { ReactElement } from 'react';
import { useEffect } from 'react';
import type { IconName } from '../ui/icons';
import { Icon } from '../ui/icons';
import { ImportStep } from '../features/import/import-step';
import { MapStep } from '../features/map/map-step';
import { PreviewStep } from '../features/preview/preview-step';
import { SendStep } from '../features/send/send-step';
import { InterruptedNotice } from '../features/send/resume-interrupted';
import { ReportStep } from '../features/report/report-step';
import { SettingsStep } from '../features/settings/settings-step';
import { plural } from '../../shared/problem-words';
import { ScheduleNotices } from '../features/send/schedule-notices';
import type { StepId, Workflow } from './workflow';
import { useWorkflow } from './workflow';

/** The steps of the left navigation, in order, with what each needs before it opens. */
const steps: { id: StepId; label: string; icon: IconName; detail: (w: Workflow) => string }[] = [
  { id: 'import', label: 'Import', icon: 'upload', detail: (w) => (w.dataset === null ? 'Load a contact list' : plural(w.dataset.rowCount, 'contact')) },
  { id: 'map', label: 'Message', icon: 'columns', detail: (w) => (w.draft === null ? 'Build the message' : w.profile?.name ?? 'Build the message') },
  { id: 'preview', label: 'Preview', icon: 'phone', detail: (w) => (w.validation === null ? 'Check every row' : w.validation.lookupError !== undefined ? 'Conversations not found' : `${w.validation.sendable.toLocaleString('en-US')} ready`) },
  { id: 'send', label: 'Send', icon: 'send', detail: (w) => (w.campaignId === null ? 'Test, then send' : 'Live progress') },
  { id: 'report', label: 'Report', icon: 'chart', detail: () => 'Results & history' },
];

/** blockedReason says why a step cannot open yet, or null when it can. */
export function blockedReason(id: StepId, w: Pick<Workflow, 'dataset' | 'draft' | 'profile' | 'campaignId'> & Partial<Pick<Workflow, 'formProblems'>>): string | null {
  if (id === 'map' && w.dataset === null) return 'Import a contact list first';
  if (id === 'send' && w.campaignId !== null) return null; // the campaign sending (or sent) in this window is always there to follow
  if ((id === 'preview' || id === 'send') && w.dataset === null) return 'Import a contact list first';
  if ((id === 'preview' || id === 'send') && w.dataset?.rowCount === 0) return 'The contact list has no contacts';
  if ((id === 'preview' || id === 'send') && (w.draft === null || w.profile === null)) return 'Choose a profile and build the message first';
  if ((id === 'preview' || id === 'send') && (w.formProblems?.length ?? 0) > 0) return 'Fix the message form first';
  return null;
}

function StepView({ step }: { step: StepId }): ReactElement {
  switch (step) {
    case 'import':
      return <ImportStep />;
    case 'map':
      return <MapStep />;
    case 'preview':
      return <PreviewStep />;
    case 'send':
      return <SendStep />;
    case 'report':
      return <ReportStep />;
    case 'settings':
      return <SettingsStep />;
  }
}

/** App is the window: the step navigation on the left and the current step on the right. */
export function App(): ReactElement {
  const w = useWorkflow();
  const { go, setDataset, requestCommand } = w;

  // Menu commands from main switch to the step that handles them. Open, Save and Export are left
  // for that step (useMenuCommand), which runs its own button's code and shows its notes and errors.
  useEffect(
    () =>
      window.api.app.onCommand((command) => {
        if (command === 'import-csv') {
          go('import');
          window.api.csv
            .open()
            .then((d) => d !== null && setDataset(d))
            .catch(() => undefined); // the import screen offers the same dialog, with its errors
        } else if (command === 'settings') go('settings');
        else requestCommand(command);
      }),
    [go, setDataset, requestCommand],
  );

  const currentIndex = steps.findIndex((s) => s.id === w.step);
  return (
    <div className="shell">
      <nav className="sidebar" aria-label="Steps">
        <div className="brand">
          <span className="brand-mark" aria-hidden="true">
            <Icon name="send" size={16} />
          </span>
          <span className="brand-name">Campaign Sender</span>
        </div>
        <ol className="step-list">
          {steps.map((s, i) => {
            const blocked = blockedReason(s.id, w);
            const state = s.id === w.step ? 'current' : i < currentIndex || (s.id === 'import' && w.dataset !== null) ? 'done' : 'todo';
            return (
              <li key={s.id}>
                <button
                  type="button"
                  className={`step step-${state}`}
                  aria-current={s.id === w.step ? 'step' : undefined}
                  disabled={blocked !== null}
                  title={blocked ?? undefined}
                  data-testid={`nav-${s.id}`}
                  onClick={() => go(s.id)}
                >
                  <span className="step-index" aria-hidden="true">
                    {state === 'done' ? <Icon name="check" size={14} /> : i + 1}
                  </span>
                  <span className="step-text">
                    <span className="step-label">{s.label}</span>
                    <span className="step-detail">{blocked ?? s.detail(w)}</span>
                  </span>
                </button>
              </li>
            );
          })}
        </ol>
        <div className="sidebar-foot">
          <button
            type="button"
            className={`step step-settings${w.step === 'settings' ? ' step-current' : ''}`}
            aria-current={w.step === 'settings' ? 'page' : undefined}
            data-testid="nav-settings"
            onClick={() => go('settings')}
          >
            <span className="step-index" aria-hidden="true">
              <Icon name="settings" size={15} />
            </span>
            <span className="step-text">
              <span className="step-label">Settings</span>
              <span className="step-detail">Profiles, keys, opt-outs</span>
            </span>
          </button>
        </div>
      </nav>
      <main className="content" id="main">
        <ScheduleNotices />
        <InterruptedNotice />
        <StepView step={w.step} />
      </main>
    </div>
  );
}
