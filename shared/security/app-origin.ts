/**
 * Where the app's own page and its preview images come from. The renderer is served by main from
 * a custom scheme registered as standard and secure (Electron's checklist: not file://), so the
 * page has a real origin, `app://bundle`; preview images come from a second host of the same
 * scheme, `app://media`, which main answers by fetching the remote image only when the person
 * agreed (see electron/app/media-protocol.ts). Shared by main, the renderer and the build.
 */

/** APP_SCHEME is the custom scheme of the page and of preview media. */
export const APP_SCHEME = 'app';
/** APP_HOST is the host of the renderer's built files, MEDIA_HOST the host of preview images. */
export const APP_HOST = 'bundle';
export const MEDIA_HOST = 'media';
/** APP_ORIGIN serves the renderer's built files. */
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
/** APP_ENTRY is the URL the window loads in a packaged (or built) app. */
export const APP_ENTRY = `${APP_ORIGIN}/index.html`;
/** MEDIA_ORIGIN serves remote preview images fetched by main. */
export const MEDIA_ORIGIN = `${APP_SCHEME}://${MEDIA_HOST}`;

/**
 * appHostOf is the host of an `app:` URL ('bundle', 'media'), or undefined for anything else. (The
 * WHATWG parser gives custom schemes an opaque origin, so the scheme and host are compared.)
 */
export function appHostOf(url: string): string | undefined {
  if (!URL.canParse(url)) return undefined;
  const u = new URL(url);
  return u.protocol === `${APP_SCHEME}:` ? u.host.toLowerCase() : undefined;
}

/** mediaUrl is the address under which the preview asks main for the remote image `remote`. */
export function mediaUrl(remote: string): string {
  return `${MEDIA_ORIGIN}/?src=${encodeURIComponent(remote)}`;
}
