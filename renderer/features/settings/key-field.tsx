import type { ReactElement } from 'react';
import { useId, useState } from 'react';
import type { ProfileView } from '../../../shared/ipc/contract';
import { Icon } from '../../ui/icons';
import { errorMessage } from '../../ui/kit';

/** keyStateText says where a profile's key stands, never showing the key (only main's hint, e.g. "ends with 1234"). */
export function keyStateText(p: Pick<ProfileView, 'keyState' | 'keyHint'>): string {
  switch (p.keyState) {
    case 'configured':
      return `Key saved${p.keyHint !== undefined ? ` · ${p.keyHint}` : ''}`;
    case 'needs-reentry':
      return 'The saved key can no longer be read; enter it again';
    case 'not-needed':
      return 'No key needed';
    case 'none':
      return 'No key yet';
  }
}

/**
 * KeyField is the write-only API key input: it starts empty every time, the typed key goes to main
 * once (`keys:set`) and is cleared from the field; a stored key is never shown, only its state.
 */
export function KeyField({ profile, acceptObfuscation, blocked, onChanged }: { profile: ProfileView; acceptObfuscation: boolean; blocked: string | null; onChanged(p: ProfileView): void }): ReactElement {
  const [key, setKey] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const id = useId();

  const save = async () => {
    setBusy(true);
    setError(null);
    try {
      const req: { profileId: string; key: string; acceptObfuscation?: boolean } = { profileId: profile.id, key: key.trim() };
      if (acceptObfuscation) req.acceptObfuscation = true;
      const updated = await window.api.keys.set(req);
      setKey('');
      onChanged(updated);
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  const clear = async () => {
    setBusy(true);
    setError(null);
    try {
      onChanged(await window.api.keys.clear({ profileId: profile.id }));
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  if (profile.keyState === 'not-needed') return <p className="muted small">The sandbox needs no key.</p>;
  return (
    <div className="key-field">
      <label className="field-label" htmlFor={id}>
        API key
      </label>
      <div className="row-gap">
        <input
          id={id}
          className="input input-key"
          type="password"
          autoComplete="off"
          spellCheck={false}
          value={key}
          placeholder={profile.keyState === 'configured' ? 'Enter a new key to replace the saved one' : 'Paste the API key'}
          data-testid={`key-input-${profile.id}`}
          onChange={(e) => setKey(e.target.value)}
        />
        <button type="button" className="btn btn-primary" disabled={busy || key.trim() === '' || blocked !== null} data-testid={`key-save-${profile.id}`} onClick={() => void save()}>
          <Icon name="key" /> Save key
        </button>
        {profile.keyState === 'configured' && (
          <button type="button" className="btn btn-ghost" disabled={busy} onClick={() => void clear()}>
            Remove key
          </button>
        )}
      </div>
      <p className={`small ${profile.keyState === 'needs-reentry' ? 'text-error' : 'muted'}`} data-testid={`key-state-${profile.id}`}>
        {blocked ?? keyStateText(profile)}
      </p>
      {error !== null && <p className="text-error small" role="alert">{error}</p>}
    </div>
  );
}
