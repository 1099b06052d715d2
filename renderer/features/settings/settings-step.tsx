import type { ReactElement } from 'react';
import { useEffect, useState } from 'react';
import type { Profile, ProfileView } from '../../../shared/ipc/contract';
import { useWorkflow } from '../../app/workflow';
import { Icon } from '../../ui/icons';
import { Banner, Card, EmptyState, Modal, PageHeader, Spinner, errorMessage } from '../../ui/kit';
import { FrequencyCapCard } from './frequency-cap-card';
import { KeyField } from './key-field';
import { OptOutListCard } from './opt-out-list-card';
import { ProfileEditor } from './profile-editor';
import { WorkspaceBackupCard } from './workspace-backup-card';
import './settings.css';

type VaultInfo = Awaited<ReturnType<typeof window.api.vault.info>>;

function providerLine(p: Profile['provider']): string {
  if (p.kind === 'sandbox') return `Sandbox · simulates ${p.simulate} · ${p.latencyMs} ms${p.failureRate > 0 ? ` · ${Math.round(p.failureRate * 100)}% transient failures` : ''}`;
  return `${p.kind === 'wassist' ? 'Wassist' : p.kind === 'pingback' ? 'Pingback' : 'Generic API'} · ${p.baseUrl}`;
}

/** SettingsStep manages provider profiles and their API keys (write-only), and says how keys are protected. */
export function SettingsStep(): ReactElement {
  const w = useWorkflow();
  const [vault, setVault] = useState<VaultInfo | null>(null);
  const [vaultError, setVaultError] = useState<string | null>(null);
  const [accept, setAccept] = useState(false);
  const [editing, setEditing] = useState<Profile | 'new' | null>(null);
  const [removing, setRemoving] = useState<ProfileView | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    window.api.vault
      .info()
      .then((v) => {
        setVault(v);
        setAccept(v.obfuscationAccepted);
      })
      .catch((e: unknown) => setVaultError(errorMessage(e)));
  }, []);

  const blocked = vault?.backend === 'unavailable' ? 'Keys cannot be stored on this system.' : vault?.backend === 'basic_text' && !accept ? 'Agree to the note above to save keys.' : null;
  const reload = () => void w.reloadProfiles();

  const remove = async (p: ProfileView) => {
    setError(null);
    try {
      await window.api.profiles.remove({ id: p.id });
      setRemoving(null);
      reload();
    } catch (e) {
      setError(errorMessage(e));
    }
  };

  return (
    <div className="page">
      <PageHeader
        title="Settings"
        subtitle="Provider profiles say where messages go. API keys stay in the app's protected storage; they are never shown again once saved."
        actions={
          <button type="button" className="btn btn-primary" data-testid="add-profile" onClick={() => setEditing('new')}>
            <Icon name="plus" /> Add profile
          </button>
        }
      />
      {vaultError !== null && <Banner tone="error" title="Key storage unavailable">{vaultError}</Banner>}
      {vault?.backend === 'basic_text' && (
        <Banner tone="warning" title="Keys are not encrypted on this system" testId="vault-warning">
          <p>No system keyring (such as GNOME Keyring or KWallet) was found, so saved keys are only obfuscated, not encrypted: another program running as you could read them.</p>
          <label className="check">
            <input type="checkbox" checked={accept} data-testid="accept-obfuscation" onChange={(e) => setAccept(e.target.checked)} disabled={vault.obfuscationAccepted} />
            <span>I understand; save keys anyway</span>
          </label>
        </Banner>
      )}
      {vault?.backend === 'unavailable' && <Banner tone="error" title="Keys cannot be stored">This system offers no way to protect keys. You can still use the Sandbox profile.</Banner>}
      {vault?.backend === 'os' && (
        <Banner tone="success" title="Keys are encrypted by your system's keychain">
          Keys are saved encrypted and only this app can read them.
        </Banner>
      )}
      {error !== null && <Banner tone="error">{error}</Banner>}
      {w.profilesError !== null && <Banner tone="error" title="Profiles could not be loaded">{w.profilesError}</Banner>}
      {w.profiles.length === 0 && w.profilesError === null && (
        <Card>
          <EmptyState icon="settings" title="No profiles" action={<button type="button" className="btn btn-primary" onClick={() => setEditing('new')}>Add profile</button>}>
            Add a profile for your messaging provider, or a Sandbox to try things out.
          </EmptyState>
        </Card>
      )}
      {vault === null && vaultError === null && <Spinner label="Loading…" />}
      <div className="profile-list">
        {w.profiles.map((p) => (
          <Card
            key={p.id}
            testId={`profile-${p.id}`}
            title={
              <span className="profile-title">
                {p.name}
                {p.id === w.profileId && <span className="badge badge-accent">in use</span>}
              </span>
            }
            actions={
              <>
                <button type="button" className="btn btn-ghost btn-sm" onClick={() => setEditing({ id: p.id, name: p.name, provider: p.provider })}>
                  Edit
                </button>
                <button type="button" className="btn btn-ghost btn-sm" aria-label={`Remove ${p.name}`} onClick={() => setRemoving(p)}>
                  <Icon name="trash" size={14} />
                </button>
              </>
            }
          >
            <p className="muted profile-provider">{providerLine(p.provider)}</p>
            <KeyField profile={p} acceptObfuscation={accept && vault?.backend === 'basic_text'} blocked={blocked} onChanged={reload} />
          </Card>
        ))}
      </div>
      <OptOutListCard />
      <FrequencyCapCard />
      <WorkspaceBackupCard />
      <Modal open={editing !== null} title={editing === 'new' ? 'Add profile' : 'Edit profile'} onClose={() => setEditing(null)}>
        {editing !== null && (
          <ProfileEditor
            initial={editing === 'new' ? null : editing}
            onCancel={() => setEditing(null)}
            onSaved={(saved) => {
              setEditing(null);
              reload();
              if (editing === 'new') w.setProfileId(saved.id);
            }}
          />
        )}
      </Modal>
      <Modal
        open={removing !== null}
        title="Remove profile?"
        onClose={() => setRemoving(null)}
        footer={
          <>
            <button type="button" className="btn btn-secondary" onClick={() => setRemoving(null)}>
              Keep
            </button>
            <button type="button" className="btn btn-danger" onClick={() => removing !== null && void remove(removing)}>
              Remove
            </button>
          </>
        }
      >
        <p>“{removing?.name}” and its saved key will be deleted. Campaign files are not affected.</p>
      </Modal>
    </div>
  );
}
