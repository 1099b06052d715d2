import { realpath } from 'node:fs/promises';
import { basename } from 'node:path';
import { randomUUID } from 'node:crypto';
import { contentTypeOf, formatBytes } from '../../shared/attachments/file-types';
import type { FilePicks } from '../../shared/ipc/contract';
import { UserError } from '../../shared/ipc/user-error';
import { providers } from '../../shared/providers/index';
import { openChecked } from '../core/attachments/file-check';
import type { FileRoot } from '../core/attachments/file-root';
import { folderRoot } from '../core/attachments/file-root';
import { FileReadError } from '../core/ports';

/**
 * The files a person picked in main's own dialogs, the only files the desktop app attaches. The
 * window never names a path main reads: a campaign's `files` name a picked file by its name, or a
 * file inside the picked folder (a column of file names, one per row). So a page that has been
 * taken over can attach nothing the person did not pick, it can only choose among what they did
 * (and nothing goes out before main's own send confirmation, which says what is attached, to whom).
 * Inside the folder the CLI's rules apply (file-root.ts): no way out, no hidden files, no links out.
 * Picks live in memory: a restart forgets them, and a reopened campaign asks for them again.
 */

/** MAX_UPLOAD is the largest file any provider takes: a pick larger than that is refused at once. */
const MAX_UPLOAD = Math.max(0, ...Object.values(providers).map((p) => p.uploads?.maxBytes ?? 0));

interface Picked {
  path: string;
  name: string;
  size: number;
  type: string;
}

/** PickedFiles holds one window's picks. */
export class PickedFiles {
  readonly #files = new Map<string, Picked>();
  #folder: { path: string; name: string } | undefined;
  /** Changes with every pick, so validations cached for other picks are not reused. */
  #version = randomUUID();

  /**
   * addFile adds a file picked in main's dialog (its absolute path comes from the dialog, never
   * from the window). A file that cannot be attached is refused with the reason; a file of the same
   * name picked before is replaced (a campaign names picked files by name).
   */
  async addFile(path: string): Promise<void> {
    const name = basename(path);
    let opened: Awaited<ReturnType<typeof openChecked>>;
    try {
      opened = await openChecked(path, name, MAX_UPLOAD);
    } catch (e) {
      if (e instanceof FileReadError) throw new UserError(`${name} cannot be attached: it ${e.reason}.`);
      throw e;
    }
    await opened.close();
    this.#files.set(name, { path: await realpath(path), name, size: opened.size, type: contentTypeOf(name) ?? 'application/octet-stream' });
    this.#version = randomUUID();
  }

  /** setFolder makes `path` (picked in main's dialog) the folder a column's file names are found in. */
  async setFolder(path: string): Promise<void> {
    this.#folder = { path: await realpath(path), name: basename(path) };
    this.#version = randomUUID();
  }

  /** clear forgets every pick. */
  clear(): void {
    this.#files.clear();
    this.#folder = undefined;
    this.#version = randomUUID();
  }

  /** view is what the window may see of the picks: names, sizes, types, the folder's name. */
  view(): FilePicks {
    return {
      files: [...this.#files.values()].map((f) => ({ name: f.name, size: f.size, type: f.type, sizeText: formatBytes(f.size) })),
      folder: this.#folder === undefined ? null : { name: this.#folder.name },
    };
  }

  /** root is where a campaign's files are read from now: a picked file by its name, else a file in the picked folder. */
  root(): FileRoot {
    const files = new Map(this.#files);
    const folder = this.#folder === undefined ? undefined : folderRoot(this.#folder.path, `in the folder "${this.#folder.name}" you picked`);
    return {
      key: `picked:${this.#version}`,
      where: folder?.where ?? 'among the files you picked',
      async resolve(path) {
        const picked = files.get(path);
        if (picked !== undefined) return { path: picked.path };
        if (folder !== undefined) return folder.resolve(path);
        const what = files.size === 0 ? 'no file or folder is picked yet' : 'it is not one of the files you picked';
        return { problem: `cannot be read: ${what}; pick it (or the folder it is in) with Attach files in the Message step` };
      },
    };
  }
}
