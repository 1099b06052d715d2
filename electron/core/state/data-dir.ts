import { chmod, mkdir } from 'node:fs/promises';
import { homedir } from 'node:os';
import { posix, win32 } from 'node:path';

/** DataDirInput is everything the data directory depends on, so the choice is a pure, testable function. */
export interface DataDirInput {
  platform: NodeJS.Platform;
  env: Readonly<Record<string, string | undefined>>;
  homedir: string;
  /** An explicit directory (`--state DIR`); wins over everything else. */
  override?: string | undefined;
  /** Base for a relative override (the working directory); without it the override is kept as given. */
  cwd?: string;
}

/** Folder name on Linux and other Unixes (XDG style: lower case, no spaces). */
const UNIX_NAME = 'campaign-sender';
/** Folder name on macOS and Windows, where application folders carry the product name. */
const PRODUCT_NAME = 'Campaign Sender';

/**
 * dataDir is where campaigns (journals, meta, locks) live: the platform's conventional place for
 * application state, the same one the desktop app and the CLI use, so a campaign started in one
 * is found by the other.
 *   Linux:   $XDG_STATE_HOME/campaign-sender, else $XDG_DATA_HOME/campaign-sender, else ~/.local/state/campaign-sender
 *   macOS:   ~/Library/Application Support/Campaign Sender
 *   Windows: %APPDATA%\Campaign Sender
 * XDG variables that are empty or relative are ignored, as the XDG spec says.
 */
export function dataDir(input: DataDirInput): string {
  const path = input.platform === 'win32' ? win32 : posix;
  if (input.override !== undefined && input.override !== '') {
    return input.cwd !== undefined ? path.resolve(input.cwd, input.override) : path.normalize(input.override);
  }
  const home = input.homedir;
  switch (input.platform) {
    case 'darwin':
      return path.join(home, 'Library', 'Application Support', PRODUCT_NAME);
    case 'win32': {
      const appData = input.env.APPDATA;
      const base = appData !== undefined && appData !== '' ? appData : path.join(home, 'AppData', 'Roaming');
      return path.join(base, PRODUCT_NAME);
    }
    default: {
      for (const name of ['XDG_STATE_HOME', 'XDG_DATA_HOME']) {
        const dir = input.env[name];
        if (dir !== undefined && path.isAbsolute(dir)) return path.join(dir, UNIX_NAME);
      }
      return path.join(home, '.local', 'state', UNIX_NAME);
    }
  }
}

/** defaultDataDir is dataDir for this process (its platform, environment, home and working directory). */
export function defaultDataDir(override?: string): string {
  return dataDir({ platform: process.platform, env: process.env, homedir: homedir(), override, cwd: process.cwd() });
}

/**
 * Files at rest are the user's alone: campaign folders hold recipient ids, message ids and the
 * providers' error texts, and the settings file the keys' ciphertext. Folders are 0700 and files
 * 0600 (Windows ignores these modes; its profile folders are private already).
 */
export const PRIVATE_DIR_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;

/**
 * makePrivateDir creates `dir` and any missing parents as PRIVATE_DIR_MODE, and makes an existing
 * `dir` (one an older version created 0755) private too. Returns the first folder it created, as
 * mkdir does (undefined when `dir` existed).
 */
export async function makePrivateDir(dir: string): Promise<string | undefined> {
  const created = await mkdir(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  if (process.platform !== 'win32') await chmod(dir, PRIVATE_DIR_MODE);
  return created;
}
