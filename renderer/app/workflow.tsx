import type { ReactElement, ReactNode } from 'react';
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState } from 'react';
import type { AppCommand, DatasetInfo, ProfileView, ValidationReport } from '../../shared/ipc/contract';
import type { JsonObject } from '../../shared/json';
import type { Draft } from '../features/map/draft';
import { draftToSpec, newDraft, wireOf } from '../features/map/draft';
import type { FormProblem } from '../features/map/form-check';
import { formProblems, numberRules } from '../features/map/form-check';
import { remapDraft } from '../features/map/remap';
import { errorMessage } from '../ui/kit';

/**
 * The workflow is the state the steps share: the loaded CSV, the profiles, the campaign being
 * edited, the last validation, and the campaign being sent or reported on. Each step owns its own
 * screen state; what crosses steps lives here.
 */

/** StepId names a screen of the left navigation. */
export type StepId = 'import' | 'map' | 'preview' | 'send' | 'report' | 'settings';

/**
 * StepCommand is a menu command that a step carries out with its own button's code (Open…, Save…,
 * Export delivery report), so the menu and the button show the same notes and errors.
 */
export type StepCommand = Extract<AppCommand, 'open-campaign' | 'save-campaign' | 'export-report'>;

/** PendingCommand is a menu command waiting for its step; `seq` tells two uses of the same menu item apart. */
export interface PendingCommand {
  command: StepCommand;
  seq: number;
}

/** withSafeNumbers puts the form's numbers in range (they shape the sending, not the message), for the live preview. */
function withSafeNumbers(draft: Draft): Draft {
  const fit = (v: unknown, rule: { min: number; max: number }, fallback: number) => (typeof v === 'number' && v > rule.min && v <= rule.max ? v : fallback);
  return {
    ...draft,
    throttle: { perSecond: fit(draft.throttle.perSecond, numberRules.perSecond, 20), concurrency: Math.round(fit(draft.throttle.concurrency, { min: 0, max: 256 }, 4)) },
    retry: { ...draft.retry, attempts: Math.round(fit(draft.retry.attempts, { min: 0, max: 20 }, 5)) },
  };
}

/** stepOfCommand names the step that carries out a menu command. */
export function stepOfCommand(command: StepCommand): StepId {
  return command === 'export-report' ? 'report' : 'map';
}

/** Workflow is what every step reads and changes. */
export interface Workflow {
  step: StepId;
  go(step: StepId): void;
  dataset: DatasetInfo | null;
  setDataset(d: DatasetInfo | null): void;
  profiles: ProfileView[];
  profilesError: string | null;
  reloadProfiles(): Promise<void>;
  profileId: string | null;
  profile: ProfileView | null;
  setProfileId(id: string): void;
  draft: Draft | null;
  setDraft(d: Draft | ((prev: Draft) => Draft)): void;
  /** The campaign JSON for the current draft and profile (null until both exist, and while a number of the form is not one). */
  spec: JsonObject | null;
  /** The campaign JSON the live preview renders: the draft as it is, with the form's numbers in range (they change no message). */
  previewSpec: JsonObject | null;
  /** What must change in the form before the campaign can be previewed (empty when it can). */
  formProblems: FormProblem[];
  /** Columns the last import renamed in the message (old name -> new), to say so once. */
  remapped: ReadonlyMap<string, string>;
  validation: ValidationReport | null;
  setValidation(v: ValidationReport | null): void;
  /** The row the preview shows (1-based). */
  previewRow: number;
  setPreviewRow(row: number): void;
  /** The campaign running or last run in this window. */
  campaignId: string | null;
  setCampaignId(id: string | null): void;
  /** The campaign the report step shows (the current one, or one reopened from history). */
  reportId: string | null;
  setReportId(id: string | null): void;
  /** The menu command waiting for its step to carry it out (see useMenuCommand). */
  pendingCommand: PendingCommand | null;
  /** requestCommand opens the step that carries out `command` and leaves the command for it. */
  requestCommand(command: StepCommand): void;
  /** takeCommand claims a pending command: true once per command, so it runs once even when an effect runs twice. */
  takeCommand(pending: PendingCommand): boolean;
}

const WorkflowContext = createContext<Workflow | null>(null);

/** useWorkflow reads the shared workflow state; it must be under WorkflowProvider. */
export function useWorkflow(): Workflow {
  const w = useContext(WorkflowContext);
  if (w === null) throw new Error('useWorkflow needs a WorkflowProvider');
  return w;
}

/** WorkflowProvider holds the workflow state and loads the profiles once. */
export function WorkflowProvider({ children, initialStep = 'import' }: { children: ReactNode; initialStep?: StepId }): ReactElement {
  const [step, setStep] = useState<StepId>(initialStep);
  const [dataset, setDatasetState] = useState<DatasetInfo | null>(null);
  const [profiles, setProfiles] = useState<ProfileView[]>([]);
  const [profilesError, setProfilesError] = useState<string | null>(null);
  const [profileId, setProfileIdState] = useState<string | null>(null);
  // The draft, with the columns the last import renamed in it (kept together: one update makes both).
  const [draftBox, setDraftBox] = useState<{ draft: Draft | null; remapped: ReadonlyMap<string, string> }>({ draft: null, remapped: new Map() });
  const draftState = draftBox.draft;
  const remapped = draftBox.remapped;
  const [validation, setValidation] = useState<ValidationReport | null>(null);
  const [previewRow, setPreviewRow] = useState(1);
  const [campaignId, setCampaignIdState] = useState<string | null>(null);
  const [reportId, setReportId] = useState<string | null>(null);
  const [pendingCommand, setPendingCommand] = useState<PendingCommand | null>(null);
  const commandSeq = useRef(0);
  const takenSeq = useRef(0);

  const reloadProfiles = useCallback(async () => {
    try {
      const list = await window.api.profiles.list();
      setProfiles(list);
      setProfilesError(null);
      setProfileIdState((cur) => (cur !== null && list.some((p) => p.id === cur) ? cur : (list[0]?.id ?? null)));
    } catch (e) {
      setProfilesError(errorMessage(e));
    }
  }, []);

  useEffect(() => {
    let live = true;
    window.api.profiles
      .list()
      .then((list) => {
        if (!live) return;
        setProfiles(list);
        setProfileIdState((cur) => cur ?? list[0]?.id ?? null);
      })
      .catch((e: unknown) => live && setProfilesError(errorMessage(e)));
    return () => {
      live = false;
    };
  }, []);

  // A window reloaded mid-campaign picks the running campaign up again.
  useEffect(() => {
    let live = true;
    window.api.campaign
      .snapshot({})
      .then((s) => {
        if (live && s !== null && (s.state === 'running' || s.state === 'paused')) {
          setCampaignIdState(s.campaignId);
          setReportId(s.campaignId);
        }
      })
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, []);

  const profile = useMemo(() => profiles.find((p) => p.id === profileId) ?? null, [profiles, profileId]);

  // Another file under a message already built: the message keeps its work, its columns matched by
  // name where that is safe; the map step asks about the rest.
  const setDataset = useCallback((d: DatasetInfo | null) => {
    setDatasetState(d);
    setValidation(null);
    setPreviewRow(1);
    if (d === null) return;
    setDraftBox((prev) => {
      if (prev.draft === null) return prev;
      const r = remapDraft(prev.draft, d.headers);
      return { draft: r.draft, remapped: r.renamed };
    });
  }, []);

  const setProfileId = useCallback((id: string) => {
    setProfileIdState(id);
    setValidation(null);
  }, []);

  // The draft is the one being edited when it fits the profile's wire API; else (first time a CSV
  // and a profile are both there, or a profile of another API) a new one pre-filled from the headers.
  const wire = profile === null ? null : wireOf(profile.provider);
  const effective = useCallback(
    (d: Draft | null): Draft | null => {
      if (dataset === null || wire === null) return d;
      if (d !== null && d.wire === wire) return d;
      return newDraft(wire, dataset.headers, d?.name || dataset.name.replace(/\.[^.]+$/, ''));
    },
    [dataset, wire],
  );
  const draft = useMemo(() => effective(draftState), [effective, draftState]);

  const setDraft = useCallback(
    (d: Draft | ((prev: Draft) => Draft)) => {
      setDraftBox((prev) => {
        const base = effective(prev.draft);
        return typeof d === 'function' ? { draft: base === null ? base : d(base), remapped: prev.remapped } : { draft: d, remapped: new Map() };
      });
      setValidation(null);
    },
    [effective],
  );

  const problems = useMemo(() => (draft === null || dataset === null ? [] : formProblems(draft, dataset.headers)), [draft, dataset]);
  const numbersOk = !problems.some((p) => p.field.startsWith('throttle.') || p.field.startsWith('retry.'));
  const spec = useMemo(() => (draft !== null && profile !== null && numbersOk ? draftToSpec(draft, profile.provider) : null), [draft, profile, numbersOk]);
  const previewSpec = useMemo(() => (draft !== null && profile !== null ? draftToSpec(withSafeNumbers(draft), profile.provider) : null), [draft, profile]);

  const setCampaignId = useCallback((id: string | null) => {
    setCampaignIdState(id);
    if (id !== null) setReportId(id);
  }, []);

  // Moving to another step drops a menu command its step has not taken yet, so it never runs later by surprise.
  const go = useCallback((next: StepId) => {
    setStep(next);
    setPendingCommand(null);
  }, []);

  const requestCommand = useCallback((command: StepCommand) => {
    commandSeq.current += 1;
    setPendingCommand({ command, seq: commandSeq.current });
    setStep(stepOfCommand(command));
  }, []);

  const takeCommand = useCallback((pending: PendingCommand) => {
    if (pending.seq <= takenSeq.current) return false;
    takenSeq.current = pending.seq;
    setPendingCommand((cur) => (cur?.seq === pending.seq ? null : cur));
    return true;
  }, []);

  const value: Workflow = {
    step,
    go,
    dataset,
    setDataset,
    profiles,
    profilesError,
    reloadProfiles,
    profileId,
    profile,
    setProfileId,
    draft,
    setDraft,
    spec,
    previewSpec,
    formProblems: problems,
    remapped,
    validation,
    setValidation,
    previewRow,
    setPreviewRow,
    campaignId,
    setCampaignId,
    reportId,
    setReportId,
    pendingCommand,
    requestCommand,
    takeCommand,
  };
  return <WorkflowContext.Provider value={value}>{children}</WorkflowContext.Provider>;
}
