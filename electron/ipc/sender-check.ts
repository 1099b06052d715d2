/**
 * Who may talk to main. Every IPC message is checked against the one window we trust: it must
 * come from that window's main frame (not an iframe, not another window) and from a page of our
 * own app (the built renderer's index.html, or the dev server in development). Shapes are minimal
 * so Electron's real objects and the test fakes both fit.
 */

/** FrameLike is the part of Electron's WebFrameMain the check reads. */
export interface FrameLike {
  readonly url: string;
  readonly processId: number;
  readonly routingId: number;
  readonly parent?: FrameLike | null;
}

/** IpcEventLike is the part of Electron's IpcMainInvokeEvent the check reads. */
export interface IpcEventLike {
  readonly sender: { readonly id: number };
  readonly senderFrame: FrameLike | null;
}

/** TrustedWindow is the main window as the check sees it. */
export interface TrustedWindow {
  isDestroyed(): boolean;
  readonly webContents: { readonly id: number; readonly mainFrame: FrameLike };
}

/** SenderCheck tells whether a message may be handled. */
export type SenderCheck = (event: IpcEventLike) => boolean;

function parse(url: string): URL | undefined {
  return URL.canParse(url) ? new URL(url) : undefined;
}

/**
 * isAppUrl tells whether `url` is a page of our app, given the URL the window loads (`entry`):
 * for the app's own scheme (`app://bundle/index.html`) or a `file:` entry, the same page (any
 * query or hash; not another host of the scheme, such as the preview-media one); for the dev
 * server, the same origin. Anything that does not parse is not ours.
 */
export function isAppUrl(url: string, entry: string): boolean {
  const u = parse(url);
  const e = parse(entry);
  if (u === undefined || e === undefined) return false;
  if (e.protocol === 'app:' || e.protocol === 'file:') return u.protocol === e.protocol && u.host === e.host && u.pathname === e.pathname;
  if (e.protocol !== 'http:' && e.protocol !== 'https:') return false;
  return u.origin === e.origin;
}

/**
 * createSenderCheck accepts a message only from the main frame of the current main window,
 * showing a page of our app. `getWindow` returns the window (null before it exists or after it closed).
 */
export function createSenderCheck(getWindow: () => TrustedWindow | null, entry: string): SenderCheck {
  return (event) => {
    const win = getWindow();
    const frame = event.senderFrame;
    if (win === null || win.isDestroyed() || frame === null) return false;
    const main = win.webContents.mainFrame;
    if (event.sender.id !== win.webContents.id) return false;
    if (frame.processId !== main.processId || frame.routingId !== main.routingId) return false;
    if (frame.parent !== undefined && frame.parent !== null) return false;
    return isAppUrl(frame.url, entry);
  };
}
