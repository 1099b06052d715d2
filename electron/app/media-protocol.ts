import { MEDIA_HOST, appHostOf } from '../../shared/security/app-origin';
import type { Logger } from '../ipc/log';

/**
 * Preview images, fetched by main. The page's CSP lets images come only from our own files and
 * from `app://media`; this handler answers `app://media/?src=<https URL>` by fetching that image
 * itself, and only from a host the person agreed to, in a dialog main owns (a compromised page
 * can switch its own "load images" toggle on, but cannot answer this question). It fetches https
 * only, without cookies or referrer, follows at most MAX_REDIRECTS redirects to https on agreed
 * hosts, keeps at most MAX_IMAGE_BYTES, and passes on only bytes that are an image (checked by
 * their first bytes, not by the server's word); SVG is not among them.
 */

/** MAX_IMAGE_BYTES caps one preview image (WhatsApp's own image limit is 5 MB). */
export const MAX_IMAGE_BYTES = 5 * 1024 * 1024;
const MAX_REDIRECTS = 3;
const TIMEOUT_MS = 15_000;

/** FetchLike is the part of the Fetch API used (Node's global fetch in the app, a fake or a local server in tests). */
export type FetchLike = (url: string, init: { redirect: 'manual'; signal: AbortSignal; credentials: 'omit'; headers: Record<string, string> }) => Promise<Response>;

export interface MediaDeps {
  fetch: FetchLike;
  /** Asks the person whether the preview may load images from `host` (a native dialog). */
  askHost(host: string): Promise<boolean>;
  log: Logger;
  maxBytes?: number;
  timeoutMs?: number;
}

/** sniffImage names the image type of `bytes` from their first bytes, or undefined when they are not an image we show. */
export function sniffImage(bytes: Uint8Array): string | undefined {
  const at = (i: number, ...v: number[]) => v.every((b, k) => bytes[i + k] === b);
  const ascii = (i: number, s: string) => at(i, ...[...s].map((c) => c.charCodeAt(0)));
  if (at(0, 0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return 'image/png';
  if (at(0, 0xff, 0xd8, 0xff)) return 'image/jpeg';
  if (ascii(0, 'GIF87a') || ascii(0, 'GIF89a')) return 'image/gif';
  if (ascii(0, 'RIFF') && ascii(8, 'WEBP')) return 'image/webp';
  if (ascii(4, 'ftypavif') || ascii(4, 'ftypavis')) return 'image/avif';
  return undefined;
}

/** remoteImageUrl is the https URL an `app://media/?src=` request names, or undefined when it names none we fetch. */
export function remoteImageUrl(requestUrl: string): URL | undefined {
  if (appHostOf(requestUrl) !== MEDIA_HOST) return undefined;
  const src = new URL(requestUrl).searchParams.get('src');
  if (src === null || !URL.canParse(src)) return undefined;
  const u = new URL(src);
  if (u.protocol !== 'https:' || u.hostname === '' || u.username !== '' || u.password !== '') return undefined;
  return u;
}

function refused(status: number): Response {
  return new Response(null, { status, headers: { 'X-Content-Type-Options': 'nosniff', 'Cache-Control': 'no-store' } });
}

/** readCapped reads a body, or undefined when it is longer than `max` bytes (reading stops there). */
async function readCapped(res: Response, max: number): Promise<Uint8Array | undefined> {
  const declared = Number(res.headers.get('content-length') ?? '');
  if (Number.isFinite(declared) && declared > max) {
    await res.body?.cancel().catch(() => undefined);
    return undefined;
  }
  if (res.body === null) return new Uint8Array(0);
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      await reader.cancel().catch(() => undefined);
      return undefined;
    }
    chunks.push(value);
  }
  const out = new Uint8Array(size);
  let offset = 0;
  for (const c of chunks) {
    out.set(c, offset);
    offset += c.byteLength;
  }
  return out;
}

/**
 * createMediaHandler builds the `app://media` handler. Each host is asked about once for as long
 * as the app runs (the answer, yes or no, is kept; concurrent requests share one question).
 */
export function createMediaHandler(d: MediaDeps): (request: Request) => Promise<Response> {
  const maxBytes = d.maxBytes ?? MAX_IMAGE_BYTES;
  const answers = new Map<string, Promise<boolean>>();
  const allowed = (host: string): Promise<boolean> => {
    let answer = answers.get(host);
    if (answer === undefined) {
      answer = d.askHost(host).catch(() => false);
      answers.set(host, answer);
    }
    return answer;
  };
  const decided = (host: string): Promise<boolean> => answers.get(host) ?? Promise.resolve(false);

  return async (request) => {
    if (request.method !== 'GET') return refused(405);
    const first = remoteImageUrl(request.url);
    if (first === undefined) return refused(400);
    let url: URL = first;
    if (!(await allowed(url.hostname))) return refused(403);
    const signal = AbortSignal.timeout(d.timeoutMs ?? TIMEOUT_MS);
    try {
      for (let hop = 0; ; hop++) {
        const res = await d.fetch(url.href, { redirect: 'manual', signal, credentials: 'omit', headers: { Accept: 'image/avif,image/webp,image/png,image/jpeg,image/gif' } });
        if (res.status >= 300 && res.status < 400) {
          await res.body?.cancel().catch(() => undefined);
          const next = res.headers.get('location');
          const target: URL | undefined = next !== null && URL.canParse(next, url.href) ? new URL(next, url.href) : undefined;
          // A redirect may not leave https, nor reach a host the person was not asked about.
          if (hop >= MAX_REDIRECTS || target === undefined || target.protocol !== 'https:' || target.username !== '' || !(await decided(target.hostname))) {
            d.log.info(`preview image from ${url.hostname}: redirect refused`);
            return refused(502);
          }
          url = target;
          continue;
        }
        if (res.status !== 200) {
          await res.body?.cancel().catch(() => undefined);
          return refused(502);
        }
        const bytes = await readCapped(res, maxBytes);
        const type = bytes === undefined ? undefined : sniffImage(bytes);
        if (bytes === undefined || type === undefined) {
          d.log.info(`preview image from ${url.hostname}: ${bytes === undefined ? `larger than ${maxBytes} bytes` : 'not an image'}, not shown`);
          return refused(502);
        }
        return new Response(bytes as Uint8Array<ArrayBuffer>, { status: 200, headers: { 'Content-Type': type, 'X-Content-Type-Options': 'nosniff', 'Cache-Control': 'no-store' } });
      }
    } catch {
      return refused(504);
    }
  };
}
