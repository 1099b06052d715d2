/**
 * How a campaign names a file to attach: a path relative to a folder the person chose (the CLI: the
 * contacts file's folder; the desktop app: a folder picked in main's own dialog), or the name of a
 * file picked in that dialog. A cell of a CSV exported from someone else's system may name any
 * path, so only what stays inside that folder is accepted: no absolute paths, no `..`, no hidden
 * files or folders (`.ssh`, `.env`), no drive letters or alternate streams (`C:`, `a.pdf:x`), no
 * control characters. Symbolic links that lead out of the folder are refused where the disk is read.
 */

/** SEPARATOR matches both separators: a Windows CSV writes `docs\a.pdf`, and `\` is never part of a name we accept. */
const SEPARATOR = /[\\/]/;

/** hasControl finds C0/C1 control characters and the bidirectional overrides that disguise a name. */
function hasControl(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || (c >= 0x7f && c <= 0x9f) || (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069)) return true;
  }
  return false;
}

/** filePathProblem says why `path` cannot name a file inside the chosen folder, or undefined when it can. */
export function filePathProblem(path: string): string | undefined {
  if (path.trim() === '') return 'is empty';
  if (path !== path.trim()) return 'starts or ends with a space';
  if (hasControl(path)) return 'contains a control character';
  if (path.startsWith('/') || path.startsWith('\\')) return 'is an absolute path; name a file inside the folder instead';
  if (path.includes(':')) return 'contains ":" (a drive letter or a stream), which a file inside the folder never needs';
  for (const segment of path.split(SEPARATOR)) {
    if (segment === '') return 'has an empty part (two separators in a row, or one at the end)';
    if (segment === '.' || segment === '..') return `contains "${segment}": only files inside the folder can be attached`;
    if (segment.startsWith('.')) return `names a hidden file or folder ("${segment}"), which is never attached`;
  }
  return undefined;
}

/** pathSegments splits an accepted path into its parts (either separator). */
export function pathSegments(path: string): string[] {
  return path.split(SEPARATOR);
}

/** baseNameOf is the last part of a path: the name the file is uploaded under. */
export function baseNameOf(path: string): string {
  const parts = pathSegments(path);
  return parts[parts.length - 1] ?? path;
}
