import { realpath } from 'node:fs/promises';
import { isAbsolute, join, relative, sep } from 'node:path';
import { filePathProblem, pathSegments } from '../../../shared/attachments/file-path';

/**
 * Where a campaign's files are read from. The campaign names a file by a path inside a folder
 * (shared/attachments/file-path.ts says which paths); a FileRoot turns that path into a file on disk,
 * or says why it cannot. The CLI reads inside the contacts file's folder (folderRoot); the desktop
 * app reads only what the person picked in main's own dialogs (electron/desktop/picked-files.ts).
 */

/** Resolved is a file on disk (its real path), or why the path names none that may be read (a phrase after the path: "is not there ..."). */
export type Resolved = { path: string } | { problem: string };

/** FileRoot resolves the paths a campaign names. */
export interface FileRoot {
  /** Tells roots apart in caches: a root that now grants other files has another key. */
  readonly key: string;
  /** Where files are looked for, in words, for problems ("next to the contacts file", "in the folder you picked"). */
  readonly where: string;
  resolve(path: string): Promise<Resolved>;
}

/** isInside tells whether `path` is `dir` itself or below it (both real, absolute paths). */
function isInside(dir: string, path: string): boolean {
  const rel = relative(dir, path);
  return rel !== '' && !rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel);
}

/**
 * folderRoot reads files inside `dir` (and the folders below it). A path that would leave it is
 * refused before the disk is touched (filePathProblem); the disk's answer is checked too, since a
 * symbolic link inside the folder may lead anywhere: the real path must stay inside, and must not
 * reach a hidden file or folder on the way.
 */
export function folderRoot(dir: string, where: string): FileRoot {
  let real: Promise<string> | undefined;
  return {
    key: `folder:${dir}`,
    where,
    async resolve(path) {
      const unfit = filePathProblem(path);
      if (unfit !== undefined) return { problem: `cannot be attached: the path ${unfit}` };
      let base: string;
      try {
        real ??= realpath(dir);
        base = await real;
      } catch {
        real = undefined;
        return { problem: `cannot be read: the folder ${dir} cannot be read` };
      }
      let found: string;
      try {
        found = await realpath(join(base, ...pathSegments(path)));
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        return { problem: code === 'ENOENT' || code === 'ENOTDIR' ? `is not there (files are read ${where})` : `cannot be read (${code ?? 'unknown error'})` };
      }
      if (!isInside(base, found)) return { problem: 'is a link that leads out of the folder, which is never followed' };
      if (filePathProblem(relative(base, found)) !== undefined) return { problem: 'is a link to a hidden file or folder, which is never attached' };
      return { path: found };
    },
  };
}
