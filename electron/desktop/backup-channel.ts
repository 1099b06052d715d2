import { UserError } from '../../shared/ipc/user-error';
import { InputError } from '../../shared/problems';
import type { DesktopBackend } from '../ipc/backend';
import type { DesktopDeps } from './ports';

/**
 * The desktop's workspace backup: main asks for a folder in its own dialog (the renderer never
 * names a path) and the campaign service copies the workspace there, exactly as `campaign backup`
 * does (electron/core/campaign/workspace-backup.ts says what is copied and why keys are not).
 */

/** backupChannel builds the `workspace:backup` channel. */
export function backupChannel(deps: Pick<DesktopDeps, 'dialogs' | 'service'>): Pick<DesktopBackend, 'workspace:backup'> {
  return {
    'workspace:backup': async () => {
      const folder = await deps.dialogs.chooseOpenPath('backup-folder');
      if (folder === null) return null;
      try {
        return { folder, ...(await deps.service.audience.backup(folder)) };
      } catch (e) {
        throw backupRefusal(e, folder);
      }
    },
  };
}

/** Why a folder could not take the copy, by the file system's error code, in words. */
const FOLDER_CODES: Record<string, string> = {
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EROFS: 'the disk is read-only',
  ENOSPC: 'the disk is full',
  EDQUOT: 'the disk quota is used up',
  ENOTDIR: 'part of that path is a file, not a folder',
  EEXIST: 'a file of that name is in the way',
};

/**
 * backupRefusal turns what a person can fix into a UserError the window shows as it is: a folder
 * inside the workspace (the service's InputError, whose "campaign, folder:" wording is the CLI's)
 * and a folder the copy cannot be written to. Anything else stays unexpected (logged, generic).
 */
function backupRefusal(e: unknown, folder: string): unknown {
  if (e instanceof InputError) return new UserError(`Choose another folder: ${e.problems.map((p) => p.reason).join('; ')}.`);
  const code = typeof e === 'object' && e !== null && 'code' in e ? String(e.code) : '';
  const why = FOLDER_CODES[code];
  return why === undefined ? e : new UserError(`The workspace could not be copied into ${folder}: ${why}. Choose another folder.`);
}
