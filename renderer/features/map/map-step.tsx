import type { ReactElement } from 'react';
import { useState } from 'react';
import { useMenuCommand } from '../../app/menu-command';
import { useWorkflow } from '../../app/workflow';
import { Icon } from '../../ui/icons';
import { Banner, Card, EmptyState, PageHeader } from '../../ui/kit';
import { LivePreview } from '../preview/live-preview';
import type { MessageFormProps } from './form-parts';
import type { MessageKind } from './message-kinds';
import { defaultMessage, messageKindOf, messageKindsFor } from './message-kinds';
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
            <button type="button" className="btn btn-primary" data-testid="map-continue" disabled={w.spec === null} onClick={() => w.go('preview')}>
              Preview <Icon name="chevronRight" />
            </button>
          </>
        }
      />
      {fileBanner}
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
            {draft !== null && draft.wire === 'wassist' && (
              <ActionPicker
                draft={draft}
                setDraft={setDraft}
                headers={headers}
                onMessageReset={(message) => {
                  if (Object.keys(message).length === 0) setDraft((d) => ({ ...d, message: defaultMessage(kinds[0]?.kind ?? 'template', headers) }));
                  setFormVersion((v) => v + 1);
                }}
              />
            )}
            {kinds.length > 1 && draft !== null && action === undefined && (
              <div className="field">
                <span className="field-label" id="kind-label">Message type</span>
                <div className="kind-grid" role="radiogroup" aria-labelledby="kind-label">
                  {kinds.map((k) => (
                    <button
                      key={k.kind}
                      type="button"
                      role="radio"
                      aria-checked={kind === k.kind}
                      className={`kind-option${kind === k.kind ? ' kind-option-on' : ''}`}
                      data-testid={`kind-${k.kind}`}
                      onClick={() => {
                        if (kind === k.kind) return;
                        setDraft((d) => ({ ...d, message: defaultMessage(k.kind, headers) }));
                        setFormVersion((v) => v + 1);
                      }}
                    >
                      <strong>{k.label}</strong>
                      <span>{k.hint}</span>
                    </button>
                  ))}
                </div>
              </div>
            )}
          </Card>

          {draft !== null && form !== null && kind !== null ? (
            <>
              <RecipientCard key={`recipient-${formVersion}`} draft={draft} setDraft={setDraft} headers={headers} />
              <Card title={action === 'trigger' ? 'Prompt' : action === 'setCredits' ? 'Credits' : 'Message'} testId="message-form">
                {action !== undefined ? <ActionForm key={`${action}-${formVersion}`} action={action} form={form} /> : <MessageForm key={`${kind}-${formVersion}`} kind={kind} form={form} />}
              </Card>
              {sendsFreeForm(draft) && <FallbackCard key={`fallback-${formVersion}`} draft={draft} setDraft={setDraft} headers={headers} />}
              <Card title="Sending speed">
                <div className="form-row form-row-3">
                  <label className="field">
                    <span className="field-label">Messages per second</span>
                    <input className="input" type="number" min={0.1} max={10000} step="any" data-testid="per-second" value={draft.throttle.perSecond} onChange={(e) => setDraft((d) => ({ ...d, throttle: { ...d.throttle, perSecond: Number(e.target.value) } }))} />
                  </label>
                  <label className="field">
                    <span className="field-label">At once</span>
                    <input className="input" type="number" min={1} max={256} data-testid="concurrency" value={draft.throttle.concurrency} onChange={(e) => setDraft((d) => ({ ...d, throttle: { ...d.throttle, concurrency: Number(e.target.value) } }))} />
                  </label>
                  <label className="field">
                    <span className="field-label">Tries per message</span>
                    <input className="input" type="number" min={1} max={20} data-testid="attempts" value={typeof draft.retry.attempts === 'number' ? draft.retry.attempts : 5} onChange={(e) => setDraft((d) => ({ ...d, retry: { ...d.retry, attempts: Number(e.target.value) } }))} />
                  </label>
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
          <LivePreview />
        </aside>
      </div>
    </div>
  );
}
