import type { ReactElement } from 'react';
import { useState } from 'react';
import { useMenuCommand } from '../../app/menu-command';
import { useWorkflow } from '../../app/workflow';
import { Icon } from '../../ui/icons';
import { Banner, Card, EmptyState, PageHeader } from '../../ui/kit';
import { LivePreview, useLivePreview } from '../preview/live-preview';
import type { MessageFormProps } from './form-parts';
import { NumberField } from './form-parts';
import { RadioCards } from '../../ui/radio-cards';
import { newDraft, switchKind } from './draft';
import { numberProblem, numberRules, rateNote } from './form-check';
import { FormSummary, RemapCard } from './form-notes';
import type { MessageKind } from './message-kinds';
import { messageKindOf, messageKindsFor } from './message-kinds';
import { AttachFilesCard } from './attach-files';
import { GenericForm, PingbackForm } from './other-forms';
import { useCampaignFile } from './use-campaign-file';
import { ActionForm, ActionPicker, FallbackCard, RecipientCard, sendsFreeForm } from './wassist-extras';
import { CtaForm, TemplateForm, TextForm, UnifiedForm } from './wassist-forms';
import './map.css';

function MessageForm({ kind, form }: { kind: MessageKind; form: MessageFormProps }): ReactElement {
  switch (kind) {
    case 'template':
      return <TemplateForm form={form} />;
    case 'text':
      return <TextForm form={form} />;
    case 'cta':
      return <CtaForm form={form} />;
    case 'unified':
      return <UnifiedForm form={form} />;
    case 'pingback':
      return <PingbackForm form={form} />;
    case 'generic':
      return <GenericForm form={form} />;
  }
}

function keyBadge(state: string): string {
  return state === 'configured' ? 'key set' : state === 'not-needed' ? 'no key needed' : state === 'needs-reentry' ? 'key must be re-entered' : 'no key yet';
}

/** MapStep is step 2: choose the profile and the message type, and fill every slot from the CSV. */
export function MapStep(): ReactElement {
  const w = useWorkflow();
  const { dataset, draft, profile, setDraft } = w;
  const [formVersion, setFormVersion] = useState(0);
  const { note: fileNote, openFile, saveFile } = useCampaignFile(() => setFormVersion((v) => v + 1));
  useMenuCommand('open-campaign', true, () => void openFile());
  useMenuCommand('save-campaign', true, () => void saveFile());
  const live = useLivePreview();
  const lookupError = live.status === 'ready' ? live.preview.lookupError : undefined;
  const fileBanner = fileNote !== null && <Banner tone={fileNote.tone} testId="file-note">{fileNote.text}</Banner>;

  if (dataset === null) {
    return (
      <div className="page">
        <PageHeader title="Build the message" />
        {fileBanner}
        <EmptyState icon="upload" title="No contacts yet" action={<button type="button" className="btn btn-primary" onClick={() => w.go('import')}>Import a CSV</button>}>
          The message is built from the columns of your contact list.
        </EmptyState>
      </div>
    );
  }

  const headers = dataset.headers;
  const kinds = draft === null ? [] : messageKindsFor(draft.wire);
  const action = draft?.wire === 'wassist' ? draft.action : undefined;
  const kind = draft === null ? null : messageKindOf(draft.wire, draft.message);
  const attempts = draft !== null && typeof draft.retry.attempts === 'number' ? draft.retry.attempts : 5;
  const form: MessageFormProps | null =
    draft === null
      ? null
      : {
          message: draft.message,
          headers,
          onChange: (update) => setDraft((d) => ({ ...d, message: update(d.message) })),
        };

  return (
    <div className="page page-wide">
      <PageHeader
        title="Build the message"
        subtitle="Fill each part of the message from a column, fixed text, or both. What you see on the right is exactly what the first contact receives."
        actions={
          <>
            <button type="button" className="btn btn-secondary" data-testid="open-campaign" onClick={() => void openFile()}>
              <Icon name="folder" /> Open…
            </button>
            <button type="button" className="btn btn-secondary" data-testid="save-campaign" disabled={w.spec === null} onClick={() => void saveFile()}>
              <Icon name="save" /> Save…
            </button>
            <button type="button" className="btn btn-primary" data-testid="map-continue" disabled={w.spec === null || w.formProblems.length > 0} aria-describedby={w.formProblems.length > 0 ? 'form-problems' : undefined} onClick={() => w.go('preview')}>
              Preview <Icon name="chevronRight" />
            </button>
          </>
        }
      />
      {fileBanner}
      <div id="form-problems">
        <FormSummary problems={w.formProblems} />
      </div>
      {draft !== null && (
        <RemapCard
          key={dataset.datasetId}
          draft={draft}
          headers={headers}
          renamed={w.remapped}
          setDraft={setDraft}
          onStartOver={() => {
            setDraft((d) => ({ ...newDraft(d.wire, headers, d.name), throttle: d.throttle, retry: d.retry }));
            setFormVersion((v) => v + 1);
          }}
        />
      )}
      {w.profilesError !== null && <Banner tone="error" title="Profiles could not be loaded">{w.profilesError}</Banner>}
      <div className="split">
        <div className="split-main">
          <Card title="Send through">
            <div className="form-row">
              <label className="field">
                <span className="field-label">Profile</span>
                <select className="input" data-testid="profile-select" value={w.profileId ?? ''} onChange={(e) => w.setProfileId(e.target.value)}>
                  {w.profiles.length === 0 && <option value="">No profiles</option>}
                  {w.profiles.map((p) => (
                    <option key={p.id} value={p.id}>
                      {p.name}
                    </option>
                  ))}
                </select>
                {profile !== null && (
                  <span className="muted small" data-testid="profile-facts">
                    {profile.provider.kind === 'sandbox' ? `Sandbox, simulating ${profile.provider.simulate}` : `${profile.provider.kind === 'wassist' ? 'Wassist' : profile.provider.kind === 'pingback' ? 'Pingback' : 'Generic API'} · ${profile.provider.baseUrl}`} · {keyBadge(profile.keyState)}
                  </span>
                )}
              </label>
              <label className="field">
                <span className="field-label">Campaign name</span>
                <input className="input" data-testid="campaign-name" value={draft?.name ?? ''} onChange={(e) => setDraft((d) => ({ ...d, name: e.target.value }))} placeholder="e.g. Spring promo" />
              </label>
            </div>
            {profile !== null && (profile.keyState === 'none' || profile.keyState === 'needs-reentry') && (
              <Banner tone="warning" title="This profile has no usable API key" action={<button type="button" className="btn btn-secondary btn-sm" onClick={() => w.go('settings')}>Open settings</button>}>
                You can build and preview the message, but sending needs a key.
              </Banner>
            )}
            {draft !== null && draft.wire === 'wassist' && <ActionPicker draft={draft} setDraft={setDraft} headers={headers} onSwitched={() => setFormVersion((v) => v + 1)} />}
            {kinds.length > 1 && draft !== null && action === undefined && (
              <RadioCards
                label="Message type"
                options={kinds.map((k) => ({ value: k.kind, label: k.label, hint: k.hint }))}
                value={kind}
                testIdPrefix="kind"
                onChange={(next) => {
                  if (next === kind) return;
                  setDraft((d) => switchKind(d, next, headers));
                  setFormVersion((v) => v + 1);
                }}
              />
            )}
          </Card>

          {draft !== null && form !== null && kind !== null ? (
            <>
              <RecipientCard key={`recipient-${formVersion}`} draft={draft} setDraft={setDraft} headers={headers} lookupError={lookupError} />
              <Card title={action === 'trigger' ? 'Prompt' : action === 'setCredits' ? 'Credits' : 'Message'} testId="message-form">
                {action !== undefined ? <ActionForm key={`${action}-${formVersion}`} action={action} form={form} /> : <MessageForm key={`${kind}-${formVersion}`} kind={kind} form={form} />}
              </Card>
              {sendsFreeForm(draft) && <FallbackCard key={`fallback-${formVersion}`} draft={draft} setDraft={setDraft} headers={headers} />}
              {draft.wire === 'pingback' && <AttachFilesCard draft={draft} setDraft={setDraft} headers={headers} />}
              <Card title="Sending speed">
                <div className="form-row form-row-3">
                  <NumberField
                    label="Messages per second"
                    testId="per-second"
                    value={draft.throttle.perSecond}
                    problem={numberProblem(draft.throttle.perSecond, numberRules.perSecond)}
                    note={rateNote(draft.throttle.perSecond)}
                    onChange={(v) => setDraft((d) => ({ ...d, throttle: { ...d.throttle, perSecond: v } }))}
                  />
                  <NumberField label="Messages at once" testId="concurrency" value={draft.throttle.concurrency} problem={numberProblem(draft.throttle.concurrency, numberRules.concurrency)} onChange={(v) => setDraft((d) => ({ ...d, throttle: { ...d.throttle, concurrency: v } }))} />
                  <NumberField label="Tries per message" testId="attempts" value={attempts} problem={numberProblem(attempts, numberRules.attempts)} onChange={(v) => setDraft((d) => ({ ...d, retry: { ...d.retry, attempts: v } }))} />
                </div>
                <p className="muted small">Transient errors (rate limits, server errors) are retried with back-off; refusals are not.</p>
              </Card>
            </>
          ) : (
            <Card>
              <EmptyState icon="settings" title="Choose a profile" action={<button type="button" className="btn btn-primary" onClick={() => w.go('settings')}>Open settings</button>}>
                A profile says which provider sends the messages.
              </EmptyState>
            </Card>
          )}
        </div>
        <aside className="split-side">
          <LivePreview state={live} />
        </aside>
      </div>
    </div>
  );
}
