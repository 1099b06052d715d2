import { UserError } from '../../shared/ipc/user-error';
import type { Logger } from '../ipc/log';
import { externalUrl } from './security';

/**
 * createOpenExternal wraps the system's "open in browser" (Electron's shell.openExternal) so it
 * only ever receives an http(s) URL that the URL parser accepted, normalised; anything else is
 * refused with a message for the user and a line in the log.
 */
export function createOpenExternal(open: (url: string) => Promise<void>, log: Logger): (url: string) => Promise<void> {
  return async (url) => {
    const safe = externalUrl(url);
    if (safe === undefined) {
      log.info(`refused to open a non-web link externally: ${url.slice(0, 200)}`);
      throw new UserError('Only web links (http or https) can be opened.');
    }
    await open(safe);
  };
}
