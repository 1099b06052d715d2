import type { FileHandle } from 'node:fs/promises';
import { open } from 'node:fs/promises';
import { baseNameOf } from '../../../shared/attachments/file-path';
import { contentTypeOf, formatBytes, SNIFF_BYTES, typeProblem } from '../../../shared/attachments/file-types';
import type { AttachedFile } from '../../../shared/providers/types';
import type { UploadFile } from '../engine/types';
import type { OpenedFile } from '../ports';
import { FileReadError } from '../ports';
import type { FileRoot } from './file-root';

/**
 * Checking the files a campaign attaches, before anything is sent: each path is found through the
 * campaign's FileRoot (inside the folder it may read), and the file must be a regular file that can
 * be read, not empty, at most the provider's size limit, and of a kind a campaign may attach (by its
 * extension, checked against its first bytes). The same checks run again when a file is opened for
 * its upload, so a file that changed since is refused then, as a row error, and never sent in part.
 */

/** CheckedFile is a file fit to attach: where it is on disk, and what the preview shows of it. */
export interface CheckedFile extends AttachedFile {
  path: string;
}

/** FileCheck is a checked file, or why the path cannot be attached (in words, naming the path). */
export type FileCheck = { file: CheckedFile } | { problem: string };

/** MEMO_LIMIT bounds how many paths a checker remembers: one file for everyone is checked once, a file per row is not held for a million rows. */
const MEMO_LIMIT = 4_096;

/** NO_ROOT is the problem of a campaign with files and nowhere to read them from. */
const NO_ROOT = 'cannot be read: no folder to read the files from was chosen';

/** FileChecker checks paths through one root, remembering recent answers. */
export class FileChecker {
  readonly #root: FileRoot | undefined;
  readonly #maxBytes: number;
  readonly #memo = new Map<string, Promise<FileCheck>>();

  /** `root` is where the files are read from (none: every file is a problem); `maxBytes` the provider's limit. */
  constructor(root: FileRoot | undefined, maxBytes: number) {
    this.#root = root;
    this.#maxBytes = maxBytes;
  }

  /** key tells checkers apart in caches (the root's key). */
  get key(): string {
    return this.#root?.key ?? '';
  }

  /** check checks the file `path` names (see the file comment). */
  check(path: string): Promise<FileCheck> {
    const had = this.#memo.get(path);
    if (had !== undefined) return had;
    if (this.#memo.size >= MEMO_LIMIT) this.#memo.clear();
    const checked = this.#check(path);
    this.#memo.set(path, checked);
    return checked;
  }

  async #check(path: string): Promise<FileCheck> {
    const shown = JSON.stringify(path.length > 80 ? `${path.slice(0, 80)}…` : path);
    const at = (reason: string): FileCheck => ({ problem: `file ${shown} ${reason}` });
    if (this.#root === undefined) return at(NO_ROOT);
    const found = await this.#root.resolve(path);
    if ('problem' in found) return at(found.problem);
    const name = baseNameOf(path);
    try {
      const opened = await openChecked(found.path, name, this.#maxBytes);
      await opened.close();
      return { file: { path: found.path, name, size: opened.size, type: contentTypeOf(name) ?? 'application/octet-stream' } };
    } catch (e) {
      if (e instanceof FileReadError) return at(e.reason);
      throw e;
    }
  }

  /** forget drops every remembered answer: the next checks look at the disk again. */
  forget(): void {
    this.#memo.clear();
  }

  /** uploadFile is what the engine uploads for a checked file: opened and checked again at every attempt. */
  uploadFile(file: CheckedFile): UploadFile {
    return { name: file.name, type: file.type, size: file.size, open: () => openChecked(file.path, file.name, this.#maxBytes) };
  }
}

/** unreadable is an UploadFile for a path whose check failed after validation (it changed meanwhile): its upload fails the row with the reason. */
export function unreadable(name: string, problem: string): UploadFile {
  return { name, type: contentTypeOf(name) ?? 'application/octet-stream', size: 0, open: () => Promise.reject(new FileReadError(name, problem)) };
}

/**
 * openChecked opens a file for reading and checks it on the open handle (so what is checked is what
 * is read): a regular file, not empty, at most `maxBytes`, its first bytes of the kind its name says.
 * The stream gives exactly the size found now. Rejects with a FileReadError saying why.
 */
export async function openChecked(path: string, name: string, maxBytes: number): Promise<OpenedFile> {
  let fh: FileHandle;
  try {
    fh = await open(path, 'r');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no longer exists' : code === 'EACCES' || code === 'EPERM' ? 'cannot be read (permission denied)' : code === 'EISDIR' ? 'is a folder, not a file' : `cannot be read (${code ?? 'unknown error'})`;
    throw new FileReadError(name, why);
  }
  try {
    const stat = await fh.stat();
    if (!stat.isFile()) throw new FileReadError(name, 'is not a regular file');
    if (stat.size === 0) throw new FileReadError(name, 'is empty (0 bytes)');
    if (stat.size > maxBytes) throw new FileReadError(name, `is larger than the ${formatBytes(maxBytes)} a file may be (${stat.size.toLocaleString('en-US')} bytes)`);
    const head = new Uint8Array(SNIFF_BYTES);
    const { bytesRead } = await fh.read(head, 0, SNIFF_BYTES, 0);
    const wrong = typeProblem(name, head.subarray(0, bytesRead));
    if (wrong !== undefined) throw new FileReadError(name, wrong);
    const size = stat.size;
    return { size, stream: fh.createReadStream({ start: 0, end: size - 1 }), close: () => fh.close().catch(() => undefined) };
  } catch (e) {
    await fh.close().catch(() => undefined);
    if (e instanceof FileReadError) throw e;
    throw new FileReadError(name, `cannot be read (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
  }
}
