import { readFile, stat } from 'node:fs/promises';
import { extname, isAbsolute, relative, resolve, sep } from 'node:path';
import { APP_HOST, APP_SCHEME, MEDIA_HOST, appHostOf } from '../../shared/security/app-origin';

/**
 * The `app:` scheme (Electron's checklist: a custom protocol instead of file://). main.ts
 * registers it as standard and secure before the app is ready, then answers it with
 * appProtocolHandler: `app://bundle/…` serves the renderer's built files and nothing else,
 * `app://media/…` the preview images (media-protocol.ts). Handlers take and return the Fetch
 * API's Request and Response, as Electron's protocol.handle does, so they are tested under Node.
 */

/**
 * APP_SCHEME_PRIVILEGES is the one registerSchemesAsPrivileged call (Electron honours only one):
 * standard (real origins, relative URLs, ES modules and workers work as on the web) and secure
 * (a secure context, like https). It does not bypass the CSP, and gets no service workers.
 */
export const APP_SCHEME_PRIVILEGES = [{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } }] as const;

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
  '.wasm': 'application/wasm',
  '.txt': 'text/plain; charset=utf-8',
};

/**
 * bundleFile maps an `app://bundle/…` URL to a file inside `root`, or undefined when it does not
 * name one. The URL parser has already resolved `.` and `..` segments (their percent-encoded
 * spellings too); what it leaves is checked after decoding: an encoded slash or backslash, a NUL,
 * or a `..` that decoding produced is refused, and the result must stay inside `root`.
 */
export function bundleFile(root: string, url: string): string | undefined {
  if (appHostOf(url) !== APP_HOST) return undefined;
  const u = new URL(url);
  let path: string;
  try {
    path = decodeURIComponent(u.pathname);
  } catch {
    return undefined;
  }
  if (path === '/' || path === '') path = '/index.html';
  if (path.includes('\0') || path.includes('\\')) return undefined;
  const segments = path.split('/').slice(1);
  if (segments.some((s) => s === '' || s === '.' || s === '..' || /^[a-zA-Z]:/.test(s))) return undefined;
  const base = resolve(root);
  const file = resolve(base, ...segments);
  const inside = relative(base, file);
  if (inside === '' || inside.startsWith(`..${sep}`) || inside === '..' || isAbsolute(inside)) return undefined;
  return file;
}

function plain(status: number): Response {
  return new Response(null, { status, headers: { 'X-Content-Type-Options': 'nosniff' } });
}

/**
 * createBundleHandler serves the files of the renderer's build folder `root` (GET and HEAD only),
 * each with its type, `nosniff`, and the app's CSP as a header (the same policy as the page's meta
 * tag). No directory listing, no file outside `root`, nothing but what the build produced.
 */
export function createBundleHandler(root: string, csp: string): (request: Request) => Promise<Response> {
  return async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return plain(405);
    const file = bundleFile(root, request.url);
    if (file === undefined) return plain(404);
    try {
      if (!(await stat(file)).isFile()) return plain(404);
      const body = request.method === 'HEAD' ? null : await readFile(file);
      return new Response(body, {
        status: 200,
        headers: {
          'Content-Type': TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream',
          'X-Content-Type-Options': 'nosniff',
          'Content-Security-Policy': csp,
          'Cache-Control': 'no-cache',
        },
      });
    } catch {
      return plain(404);
    }
  };
}

/** appProtocolHandler sends `app://bundle` requests to `bundle` and `app://media` ones to `media`; any other host is refused. */
export function appProtocolHandler(handlers: { bundle: (r: Request) => Promise<Response>; media: (r: Request) => Promise<Response> }): (request: Request) => Promise<Response> {
  return async (request) => {
    const host = appHostOf(request.url);
    if (host === APP_HOST) return handlers.bundle(request);
    if (host === MEDIA_HOST) return handlers.media(request);
    return plain(404);
  };
}
