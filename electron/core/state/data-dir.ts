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
