/**
 * THE Content-Security-Policy, in one place: main sends it as a header with every page it serves
 * (electron/app/security.ts, app-protocol.ts) and the build writes it into index.html's meta tag
 * (vite.config.ts), so the two cannot drift apart (a test compares them).
 *
 * Our own files only; no inline script, no eval, no plugins, frames, form posts or <base>. Images
 * come from our files, data:/blob: URLs, and the app's own `app:` scheme, whose only hosts are
 * main's: app://bundle (the build) and app://media, which main answers only for hosts the person
 * agreed to load preview images from. No remote host is reachable from the page directly, so
 * injected code cannot send data out through an image request. (`app:` as a scheme source, not
 * `app://media`: Chromium matches a host source only for schemes it parses hosts of, which a
 * custom scheme is only once registered; the scheme source holds either way.)
 *
 * This module imports nothing, so vite.config.ts can load it as it is (`app` is app-origin.ts's
 * APP_SCHEME; a test keeps the two equal).
 */
export const CSP_DIRECTIVES: readonly string[] = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob: app:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "worker-src 'self' blob:",
  "object-src 'none'",
  "frame-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
];

/** HEADER_ONLY are the directives a meta tag cannot carry (browsers ignore them there). */
export const HEADER_ONLY: readonly string[] = ['frame-ancestors', 'report-uri', 'sandbox'];

/**
 * cspDirectives is the policy as directives. With `devServerUrl` (Vite's dev server, never a
 * packaged app) scripts and styles may be inline (React refresh, injected CSS) and the page may
 * talk back to the server and its websocket; eval is never allowed, not even then.
 */
export function cspDirectives(devServerUrl?: string): string[] {
  if (devServerUrl === undefined) return [...CSP_DIRECTIVES];
  const origin = new URL(devServerUrl).origin;
  const ws = origin.replace(/^http/, 'ws');
  return CSP_DIRECTIVES.map((d) => {
    if (d.startsWith('script-src ') || d.startsWith('style-src ')) return `${d} 'unsafe-inline'`;
    if (d.startsWith('connect-src ')) return `${d} ${origin} ${ws}`;
    return d;
  });
}

/** cspHeader is the policy as a response header value. */
export function cspHeader(devServerUrl?: string): string {
  return cspDirectives(devServerUrl).join('; ');
}

/** cspMetaContent is the same policy for the page's meta tag: the header less what a meta tag cannot carry. */
export function cspMetaContent(devServerUrl?: string): string {
  return cspDirectives(devServerUrl)
    .filter((d) => !HEADER_ONLY.includes(d.split(' ')[0] ?? ''))
    .join('; ');
}
