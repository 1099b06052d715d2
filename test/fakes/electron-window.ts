import { EventEmitter } from 'node:events';
import type { App, BrowserWindow, BrowserWindowConstructorOptions, Session, WebContents } from 'electron';
import type { BrowserWindowCtor } from '../../electron/app/window';

/**
 * Recording fakes of Electron's app, BrowserWindow, WebContents and Session: they keep what the
 * composition root gave them (options, handlers, listeners) and let a test fire the events a
 * page would cause (a navigation, window.open, a permission request) to see what was decided.
 */

let nextId = 100;

/** FakeWebContents records listeners and the window-open handler. */
export class FakeWebContents extends EventEmitter {
  readonly id = nextId++;
  windowOpenHandler: ((details: { url: string }) => { action: 'allow' | 'deny' }) | undefined;
  readonly sent: { channel: string; payload: unknown }[] = [];
  readonly mainFrame = { url: '', processId: 1, routingId: nextId++, parent: null };

  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'allow' | 'deny' }): void {
    this.windowOpenHandler = handler;
  }

  send(channel: string, payload: unknown): void {
    this.sent.push({ channel, payload: structuredClone(payload) });
  }

  isDestroyed(): boolean {
    return false;
  }

  /** attempt fires a navigation-like event and tells whether the page was stopped. */
  attempt(event: 'will-navigate' | 'will-frame-navigate' | 'will-redirect' | 'will-attach-webview', url = ''): boolean {
    let prevented = false;
    this.emit(event, { url, preventDefault: () => (prevented = true) });
    return prevented;
  }

  /** open calls the window-open handler the way window.open() would. */
  open(url: string): { action: 'allow' | 'deny' } {
    if (this.windowOpenHandler === undefined) return { action: 'allow' };
    return this.windowOpenHandler({ url });
  }
}

/** FakeApp is an EventEmitter standing in for Electron's app. */
export class FakeApp extends EventEmitter {}

/** fakeBrowserWindowClass returns a BrowserWindow class that records each window it creates and announces its web contents on `app`. */
export function fakeBrowserWindowClass(app: FakeApp) {
  const created: FakeBrowserWindow[] = [];
  class FakeBrowserWindow extends EventEmitter {
    readonly options: BrowserWindowConstructorOptions;
    readonly webContents = new FakeWebContents();
    loadedUrl: string | undefined;
    shown = false;
    maximized = false;
    destroyed = false;
    bounds = { x: 10, y: 20, width: 1000, height: 700 };
    constructor(options: BrowserWindowConstructorOptions) {
      super();
      this.options = options;
      created.push(this);
      app.emit('web-contents-created', {}, this.webContents);
    }
    async loadURL(url: string): Promise<void> {
      this.loadedUrl = url;
      this.webContents.mainFrame.url = url;
    }
    show(): void {
      this.shown = true;
    }
    maximize(): void {
      this.maximized = true;
    }
    isMaximized(): boolean {
      return this.maximized;
    }
    getNormalBounds() {
      return this.bounds;
    }
    isDestroyed(): boolean {
      return this.destroyed;
    }
  }
  return { BrowserWindow: FakeBrowserWindow as unknown as BrowserWindowCtor, created };
}

export type FakeBrowserWindow = ReturnType<typeof fakeBrowserWindowClass>['created'][number];

/** asElectron views a fake as the Electron type a function expects (fakes implement only what is used). */
export function asWebContents(f: FakeWebContents): WebContents {
  return f as unknown as WebContents;
}
export function asApp(f: FakeApp): App {
  return f as unknown as App;
}
export function asWindow(f: FakeBrowserWindow): BrowserWindow {
  return f as unknown as BrowserWindow;
}

type HeadersListener = (details: { responseHeaders?: Record<string, string[]> }, callback: (r: { responseHeaders?: Record<string, string[]> }) => void) => void;

/** FakeSession records the header listener and the permission handlers. */
export class FakeSession {
  headersListener: HeadersListener | undefined;
  permissionRequest: ((contents: unknown, permission: string, callback: (granted: boolean) => void, details: unknown) => void) | undefined;
  permissionCheck: ((contents: unknown, permission: string) => boolean) | undefined;
  readonly webRequest = {
    onHeadersReceived: (listener: HeadersListener) => {
      this.headersListener = listener;
    },
  };
  setPermissionRequestHandler(h: FakeSession['permissionRequest']): void {
    this.permissionRequest = h;
  }
  setPermissionCheckHandler(h: FakeSession['permissionCheck']): void {
    this.permissionCheck = h;
  }
  /** respond runs a response's headers through the listener. */
  respond(headers: Record<string, string[]>): Record<string, string[]> | undefined {
    let out: Record<string, string[]> | undefined;
    this.headersListener?.({ responseHeaders: headers }, (r) => (out = r.responseHeaders));
    return out;
  }
  /** request asks for a permission and returns what the handler answered. */
  request(permission: string): boolean | undefined {
    let granted: boolean | undefined;
    this.permissionRequest?.({}, permission, (g) => (granted = g), {});
    return granted;
  }
  asSession(): Session {
    return this as unknown as Session;
  }
}
