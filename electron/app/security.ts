import type { BrowserWindowConstructorOptions } from 'electron';
import { isAppUrl } from '../ipc/sender-check';

/**
 * Every security decision of the shell, as pure functions: the window's webPreferences, the
 * Content-Security-Policy, which navigations and links are allowed, and which permissions are
 * granted (none). The code that hands them to Electron (window.ts) stays a few lines, and these
 * are tested under plain Node.
 */

/** Bounds is a window rectangle. */
export interface Bounds {
  x?: number;
  y?: number;
  width: number;
  height: number;
}

/**
 * windowOptions: the renderer is untrusted display code. Context isolation and the sandbox keep
 * it away from Node and from the preload's scope; no Node integration anywhere (workers, frames);
 * web security on, no insecure content, no <webview>, no experimental or Blink features, no
 * navigating by dropping a file. Developer tools only when asked for (unpackaged builds): in a
 * packaged app they would let anyone at the keyboard run code in the page. The window shows once
 * painted, to avoid a white flash.
 */
export function windowOptions(preloadPath: string, bounds: Bounds, options: { devTools: boolean } = { devTools: false }): BrowserWindowConstructorOptions {
  return {
    ...bounds,
    minWidth: 900,
    minHeight: 600,
    show: false,
    title: 'Campaign Sender',
    backgroundColor: '#ffffff',
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      safeDialogs: true,
      spellcheck: false,
      devTools: options.devTools,
    },
  };
}

/** The one Content-Security-Policy (shared/security/csp.ts): the header here, the meta tag in the built index.html. */
export { cspHeader, cspMetaContent } from '../../shared/security/csp';

/** withCsp adds our CSP to a response's headers, replacing any the response brought. */
export function withCsp(headers: Record<string, string[] | string> | undefined, csp: string): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (name.toLowerCase() === 'content-security-policy') continue;
    out[name] = Array.isArray(value) ? value : [value];
  }
  out['Content-Security-Policy'] = [csp];
  return out;
}

/**
 * isAllowedExternalUrl: only plain http(s) links with a host and no credentials go to the system
 * browser; `file:`, `javascript:`, custom schemes (which could start other programs) never do.
 * Checked with the URL parser, not by looking at the text.
 */
export function isAllowedExternalUrl(url: string): boolean {
  return externalUrl(url) !== undefined;
}

/** externalUrl is the normalised URL to hand the system browser, or undefined when the link is not allowed. */
export function externalUrl(url: string): string | undefined {
  if (!URL.canParse(url)) return undefined;
  const u = new URL(url);
  const ok = (u.protocol === 'http:' || u.protocol === 'https:') && u.hostname !== '' && u.username === '' && u.password === '';
  return ok ? u.href : undefined;
}

/** NavigationDecision is what to do with a navigation the page attempts. */
export type NavigationDecision = 'allow' | 'open-external' | 'deny';

/**
 * navigationDecision: the window only ever shows our own page. Another page of the app (a reload
 * of the entry) is allowed; an http(s) link the user clicked opens in the system browser instead;
 * anything else is refused.
 */
export function navigationDecision(url: string, entry: string): NavigationDecision {
  if (isAppUrl(url, entry)) return 'allow';
  return isAllowedExternalUrl(url) ? 'open-external' : 'deny';
}

/** shouldAllowNavigation tells whether the window itself may go to `url`. */
export function shouldAllowNavigation(url: string, entry: string): boolean {
  return navigationDecision(url, entry) === 'allow';
}

/** windowOpenDecision: no page may open a window; an http(s) target opens in the system browser. */
export function windowOpenDecision(url: string): { action: 'deny'; openExternal: boolean } {
  return { action: 'deny', openExternal: isAllowedExternalUrl(url) };
}

/** allowPermission: the app needs no camera, microphone, location, notification or any other permission. */
export function allowPermission(_permission: string): boolean {
  return false;
}
