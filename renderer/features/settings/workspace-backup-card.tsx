import type { ReactElement } from 'react';
import { useState } from 'react';
import type { WorkspaceBackup } from '../../../shared/ipc/contract';
import { Icon } from '../../ui/icons';
import { Banner, Card, errorMessage } from '../../ui/kit';

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;
}

/** listed joins parts as a sentence does: "a, b and c". */
function listed(parts: string[]): string {
  return parts.length < 2 ? (parts[0] ?? '') : `${parts.slice(0, -1).join(', ')} and ${parts.at(-1) ?? ''}`;
}

/** backupText says what a backup copied ("3 campaigns, 2 contacts files and the engagement data"), without the folder. */
export function backupText(b: Omit<WorkspaceBackup, 'folder'>): string {
  const parts = [plural(b.campaigns, 'campaign'), plural(b.contactsFiles, 'contacts file')];
  if (b.sandboxWorlds > 0) parts.push(plural(b.sandboxWorlds, 'simulated Sandbox account'));
  if (b.engagement) parts.push('the engagement data');
  return `Backed up ${listed(parts)}`;
}

/**
 * WorkspaceBackupCard copies the workspace into a folder main asks for, as `campaign backup` does:
 * what a restored workspace needs, never the API keys. It says how to restore, since that is when
 * a person reads it, and what was copied or why not.
 */
export function WorkspaceBackupCard(): ReactElement {
  const [running, setRunning] = useState(false);
  const [done, setDone] = useState<WorkspaceBackup | null>(null);
  const [error, setError] = useState<string | null>(null);

  const backUp = async () => {
    setRunning(true);
    setError(null);
    try {
      const b = await window.api.workspace.backup();
      // Cancelling the folder dialog keeps what the card showed before.
      if (b !== null) setDone(b);
    } catch (e) {
      setDone(null);
      setError(errorMessage(e));
    } finally {
      setRunning(false);
    }
  };

  return (
    <Card title="Workspace backup" testId="workspace-backup">
      <p className="muted small">
        Copies everything your campaigns need into a folder you choose: the opt-out list, send history, schedules and settings; every campaign with its delivery log and engagement (delivered, read, clicked, replied); the imported contacts files; and the Sandbox&apos;s simulated accounts.
      </p>
      <p className="muted small">
        <strong>API keys and profiles are not copied:</strong> keys are protected for this computer only. Add them again after a restore.
      </p>
      <p className="muted small">
        To restore, use the folder as the workspace of the command line (<code className="mono">campaign … --state &lt;folder&gt;</code>), or copy its contents back into the app&apos;s data folder while the app is closed.
      </p>
      <div className="row-gap">
        <button type="button" className="btn btn-secondary btn-sm" disabled={running} data-testid="backup-workspace" onClick={() => void backUp()}>
          <Icon name="save" size={14} /> {running ? 'Backing up…' : 'Back up workspace…'}
        </button>
      </div>
      {done !== null && (
        <Banner tone="success" testId="backup-note">
          {backupText(done)} to <span className="backup-folder">{done.folder}</span>.
        </Banner>
      )}
      {error !== null && (
        <Banner tone="error" testId="backup-error">
          {error}
        </Banner>
      )}
    </Card>
  );
}
