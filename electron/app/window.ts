import type { App, BrowserWindow, BrowserWindowConstructorOptions, Session, WebContents } from 'electron';
import type { Logger } from '../ipc/log';
import { allowPermission, navigationDecision, windowOpenDecision, windowOptions, withCsp } from './security';
import type { WindowState } from './window-state';

/**
 * The few lines that hand the decisions of security.ts to Electron. They take Electron's objects
 * as arguments (the composition root passes the real ones, tests pass recording fakes), so the
 * wiring itself is tested, not only the decisions.
 */

/** hardenSession sets the CSP header on every response and refuses every permission request and check. */
export function hardenSession(session: Session, csp: string, log: Logger): void {
  session.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: withCsp(details.responseHeaders, csp) });
  });
  session.setPermissionRequestHandler((_contents, permission, callback) => {
    const granted = allowPermission(permission);
    if (!granted) log.info(`denied permission request: ${permission}`);
    callback(granted);
  });
  session.setPermissionCheckHandler((_contents, permission) => allowPermission(permission));
}

/**
 * hardenWebContents stops a page from leaving our app: navigations and redirects to anything but
 * our page are cancelled (an http(s) link the user clicked opens in the system browser), no page
 * may open a window, and no <webview> may be attached.
 */
export function hardenWebContents(contents: WebContents, entry: string, openExternal: (url: string) => void, log: Logger): void {
  const guard = (event: { preventDefault(): void }, url: string, what: string) => {
    const decision = navigationDecision(url, entry);
    if (decision === 'allow') return;
    event.preventDefault();
    if (decision === 'open-external') openExternal(url);
    else log.info(`blocked ${what} to ${url}`);
  };
  contents.on('will-navigate', (event) => guard(event, event.url, 'navigation'));
  contents.on('will-frame-navigate', (event) => guard(event, event.url, 'frame navigation'));
  contents.on('will-redirect', (event) => guard(event, event.url, 'redirect'));
  contents.on('will-attach-webview', (event) => {
    event.preventDefault();
    log.info('blocked a <webview>');
  });
  contents.setWindowOpenHandler(({ url }) => {
    const d = windowOpenDecision(url);
    if (d.openExternal) openExternal(url);
    else log.info(`blocked a new window for ${url}`);
    return { action: d.action };
  });
}

/**
 * hardenAllWebContents applies hardenWebContents to every web contents the app ever creates (the
 * main window's, and any a bug or an attack might create), as soon as it exists.
 */
export function hardenAllWebContents(app: App, entry: string, openExternal: (url: string) => void, log: Logger): void {
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents, entry, openExternal, log));
}

/** BrowserWindowCtor is Electron's BrowserWindow class (or a fake of it). */
export type BrowserWindowCtor = new (options: BrowserWindowConstructorOptions) => BrowserWindow;

export interface MainWindowOptions {
  BrowserWindow: BrowserWindowCtor;
  entry: string;
  preloadPath: string;
  state: WindowState;
  /** Called with the window state when the window closes, to remember it. */
  saveState: (win: BrowserWindow) => void;
  /** Whether developer tools can be opened: `!app.isPackaged`, never in a packaged app. */
  devTools: boolean;
  log: Logger;
}

/**
 * createMainWindow opens the one app window with the options of windowOptions and loads our page.
 * Its web contents are hardened by hardenAllWebContents the moment they are created.
 */
export function createMainWindow(o: MainWindowOptions): BrowserWindow {
  const win = new o.BrowserWindow(windowOptions(o.preloadPath, o.state.bounds, { devTools: o.devTools }));
  if (o.state.maximized) win.maximize();
  win.once('ready-to-show', () => win.show());
  win.on('close', () => o.saveState(win));
  win.loadURL(o.entry).catch((e: unknown) => o.log.error(`could not load ${o.entry}`, e));
  return win;
}
