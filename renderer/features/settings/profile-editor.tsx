import type { ReactElement } from 'react';
import { useState } from 'react';
import { baseUrlProblem } from '../../../shared/campaign/base-url';
import type { Profile } from '../../../shared/ipc/contract';
import { Banner, errorMessage } from '../../ui/kit';

type Kind = Profile['provider']['kind'];

const defaults: Record<Exclude<Kind, 'sandbox'>, string> = {
  wassist: 'https://backend.wassist.app',
  pingback: 'https://api.pingback.live',
  generic: '',
};

/** providerFor builds the provider config the profile saves from the editor's fields. */
export function providerFor(kind: Kind, baseUrl: string, sandbox: { simulate: 'wassist' | 'pingback' | 'generic'; latencyMs: number; failureRate: number }): Profile['provider'] {
  if (kind === 'sandbox') return { kind, simulate: sandbox.simulate, latencyMs: sandbox.latencyMs, failureRate: sandbox.failureRate };
  return { kind, baseUrl: baseUrl.trim() };
}

/** ProfileEditor adds or edits a profile's name and provider (the key is set separately, write-only). */
export function ProfileEditor({ initial, onSaved, onCancel }: { initial: Profile | null; onSaved(p: Profile): void; onCancel(): void }): ReactElement {
  const p = initial?.provider;
  const [name, setName] = useState(initial?.name ?? '');
  const [kind, setKind] = useState<Kind>(p?.kind ?? 'wassist');
  const [baseUrl, setBaseUrl] = useState(p !== undefined && p.kind !== 'sandbox' ? p.baseUrl : defaults.wassist);
  const [simulate, setSimulate] = useState<'wassist' | 'pingback' | 'generic'>(p?.kind === 'sandbox' ? p.simulate : 'wassist');
  const [latencyMs, setLatency] = useState(p?.kind === 'sandbox' ? p.latencyMs : 60);
  const [failurePct, setFailurePct] = useState(p?.kind === 'sandbox' ? Math.round(p.failureRate * 100) : 0);
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);

  const save = async () => {
    setSaving(true);
    setError(null);
    try {
      // Main refuses the same URLs (the profile schema); saying so here names the field in words.
      const urlProblem = kind === 'sandbox' ? undefined : baseUrlProblem(baseUrl.trim());
      if (urlProblem !== undefined) {
        setError(`Base URL ${urlProblem}.`);
        return;
      }
      const profile: Profile = { id: initial?.id ?? crypto.randomUUID(), name: name.trim(), provider: providerFor(kind, baseUrl, { simulate, latencyMs, failureRate: failurePct / 100 }) };
      const saved = await window.api.profiles.save(profile);
      onSaved(saved);
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setSaving(false);
    }
  };

  return (
    <form
      className="form-stack profile-editor"
      data-testid="profile-editor"
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      <div className="form-row">
        <label className="field">
          <span className="field-label">Name</span>
          <input className="input" required maxLength={100} value={name} data-testid="profile-name" onChange={(e) => setName(e.target.value)} placeholder="e.g. Wassist – production" />
        </label>
        <label className="field">
          <span className="field-label">Provider</span>
          <select
            className="input"
            value={kind}
            data-testid="profile-kind"
            onChange={(e) => {
              const k = e.target.value as Kind;
              setKind(k);
              if (k !== 'sandbox') setBaseUrl(defaults[k]);
            }}
          >
            <option value="wassist">Wassist (WhatsApp)</option>
            <option value="pingback">Pingback</option>
            <option value="generic">Generic messages API</option>
            <option value="sandbox">Sandbox (simulated, no account)</option>
          </select>
        </label>
      </div>
      {kind !== 'sandbox' ? (
        <label className="field">
          <span className="field-label">API base URL</span>
          <input className="input" type="url" required value={baseUrl} data-testid="profile-base-url" onChange={(e) => setBaseUrl(e.target.value)} placeholder="https://…" />
        </label>
      ) : (
        <div className="form-row form-row-3">
          <label className="field">
            <span className="field-label">Simulates</span>
            <select className="input" value={simulate} onChange={(e) => setSimulate(e.target.value as typeof simulate)}>
              <option value="wassist">Wassist</option>
              <option value="pingback">Pingback</option>
              <option value="generic">Generic API</option>
            </select>
          </label>
          <label className="field">
            <span className="field-label">Latency (ms)</span>
            <input className="input" type="number" min={0} max={60000} value={latencyMs} onChange={(e) => setLatency(Number(e.target.value))} />
          </label>
          <label className="field">
            <span className="field-label">Transient failures (%)</span>
            <input className="input" type="number" min={0} max={100} value={failurePct} onChange={(e) => setFailurePct(Number(e.target.value))} />
          </label>
        </div>
      )}
      {error !== null && <Banner tone="error" title="Not saved">{error}</Banner>}
      <div className="row-gap row-end">
        <button type="button" className="btn btn-secondary" onClick={onCancel}>
          Cancel
        </button>
        <button type="submit" className="btn btn-primary" disabled={saving || name.trim() === ''} data-testid="profile-save">
          {saving ? 'Saving…' : 'Save profile'}
        </button>
      </div>
    </form>
  );
}
