import { describe, expect, it } from 'vitest';
import { FakeApp, FakeSession, asApp, fakeBrowserWindowClass } from '../../test/fakes/electron-window';
import { Redactor, createLogger } from '../ipc/log';
import { APP_ENTRY } from '../../shared/security/app-origin';
import { createOpenExternal } from './external';
import { checkCsp } from './csp-check';
import { cspHeader, windowOptions } from './security';
import { createMainWindow, hardenAllWebContents, hardenSession } from './window';
import { captureWindowState, restoreWindowState } from './window-state';

const ENTRY = APP_ENTRY;

function boot(devTools = false) {
  const lines: string[] = [];
  const log = createLogger((l) => lines.push(l), new Redactor());
  const opened: string[] = [];
  const openExternal = createOpenExternal(async (url) => void opened.push(url), log);
  const fire = (url: string) => void openExternal(url).catch(() => undefined);
  const app = new FakeApp();
  hardenAllWebContents(asApp(app), ENTRY, fire, log);
  const { BrowserWindow, created } = fakeBrowserWindowClass(app);
  const saved: unknown[] = [];
  const win = createMainWindow({
    BrowserWindow,
    entry: ENTRY,
    preloadPath: '/opt/campaign-sender/resources/app.asar/dist-electron/preload.cjs',
    state: restoreWindowState({ x: 40, y: 50, width: 1100, height: 700, maximized: true }, [{ x: 0, y: 0, width: 1920, height: 1080 }]),
    saveState: (w) => saved.push(captureWindowState(w)),
    devTools,
    log,
  });
  const fake = created[0];
  if (fake === undefined) throw new Error('no window created');
  return { app, win, fake, created, opened, lines, saved, BrowserWindow, fire, log };
}

describe('the main window as the composition root creates it', () => {
  it('gets the hardened options, the preload, its remembered bounds, and loads our page', () => {
    const { fake } = boot();
    expect(fake.options.webPreferences).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true, webviewTag: false });
    expect(fake.options.webPreferences?.preload).toMatch(/preload\.cjs$/);
    expect(fake.options).toMatchObject({ x: 40, y: 50, width: 1100, height: 700, show: false });
    expect(fake.maximized).toBe(true);
    expect(fake.loadedUrl).toBe(ENTRY);
    expect(fake.shown).toBe(false);
    fake.emit('ready-to-show');
    expect(fake.shown).toBe(true);
  });

  it('has developer tools only when not packaged', () => {
    expect(boot(false).fake.options.webPreferences?.devTools).toBe(false);
    expect(boot(true).fake.options.webPreferences?.devTools).toBe(true);
    // Whoever forgets to say gets none.
    expect(windowOptions('/p.cjs', { width: 1, height: 1 }).webPreferences?.devTools).toBe(false);
  });

  it('remembers its bounds when it closes', () => {
    const { fake, saved } = boot();
    fake.emit('close');
    expect(saved).toEqual([{ x: 10, y: 20, width: 1000, height: 700, maximized: true }]);
  });

  it('cannot navigate away; clicked web links open in the browser, other schemes nowhere', () => {
    const { fake, opened } = boot();
    const wc = fake.webContents;
    expect(wc.attempt('will-navigate', `${ENTRY}#/reports`)).toBe(false);
    expect(wc.attempt('will-navigate', 'app://media/?src=https%3A%2F%2Fevil.example%2F')).toBe(true);
    expect(wc.attempt('will-navigate', 'app://bundle/assets/other.html')).toBe(true);
    expect(wc.attempt('will-navigate', 'file:///opt/campaign-sender/resources/app.asar/dist/renderer/index.html')).toBe(true);
    expect(wc.attempt('will-navigate', 'https://evil.example/phish')).toBe(true);
    expect(wc.attempt('will-redirect', 'file:///etc/passwd')).toBe(true);
    expect(wc.attempt('will-frame-navigate', 'javascript:alert(1)')).toBe(true);
    expect(wc.attempt('will-attach-webview')).toBe(true);
    expect(opened).toEqual(['https://evil.example/phish']);
  });

  it('opens no window; window.open of a web link goes to the browser', async () => {
    const { fake, opened } = boot();
    expect(fake.webContents.open('https://docs.example.com/')).toEqual({ action: 'deny' });
    expect(fake.webContents.open('file:///tmp/x.html')).toEqual({ action: 'deny' });
    expect(fake.webContents.open('about:blank')).toEqual({ action: 'deny' });
    await Promise.resolve();
    expect(opened).toEqual(['https://docs.example.com/']);
  });

  it('hardens any other web contents the app creates as well', () => {
    const { BrowserWindow: WindowClass, created } = boot();
    new WindowClass(windowOptions('/elsewhere/preload.cjs', { width: 400, height: 300 }));
    const second = created[1];
    expect(second?.webContents.attempt('will-navigate', 'https://evil.example/')).toBe(true);
    expect(second?.webContents.open('https://evil.example/')).toEqual({ action: 'deny' });
  });

  it('refuses to open non-web links through the API', async () => {
    const { log } = boot();
    const opened: string[] = [];
    const open = createOpenExternal(async (url) => void opened.push(url), log);
    await expect(open('file:///etc/passwd')).rejects.toThrow('Only web links');
    await open('https://example.com/a b');
    expect(opened).toEqual(['https://example.com/a%20b']);
  });
});

describe('the session', () => {
  it('puts the CSP on every response and denies every permission', () => {
    const session = new FakeSession();
    const { log } = boot();
    hardenSession(session.asSession(), cspHeader(), log);
    const headers = session.respond({ 'Content-Type': ['text/html'], 'content-security-policy': ["default-src *"] });
    expect(headers?.['Content-Security-Policy']).toEqual([cspHeader()]);
    expect(headers?.['content-security-policy']).toBeUndefined();
    expect(checkCsp(headers?.['Content-Security-Policy']?.[0] ?? '')).toEqual([]);
    for (const p of ['media', 'geolocation', 'notifications', 'openExternal', 'clipboard-read']) expect(session.request(p)).toBe(false);
    expect(session.permissionCheck?.({}, 'media')).toBe(false);
  });
});

describe('window state', () => {
  const screen = [{ x: 0, y: 0, width: 1440, height: 900 }];
  it('falls back to a centred default on a first run or damaged data', () => {
    expect(restoreWindowState(undefined, screen)).toEqual({ bounds: { width: 1280, height: 820 }, maximized: false });
    expect(restoreWindowState({ width: 'x' }, screen)).toEqual({ bounds: { width: 1280, height: 820 }, maximized: false });
  });
  it('drops a position that is no longer on any display and shrinks to fit', () => {
    expect(restoreWindowState({ x: 3000, y: 100, width: 2000, height: 1200 }, screen)).toEqual({ bounds: { width: 1440, height: 900 }, maximized: false });
    expect(restoreWindowState({ x: 2000, y: 100, width: 800, height: 600 }, [...screen, { x: 1440, y: 0, width: 1920, height: 1080 }]).bounds).toEqual({ x: 2000, y: 100, width: 800, height: 600 });
  });
});
