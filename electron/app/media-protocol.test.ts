import { describe, expect, it } from 'vitest';
import { mediaUrl } from '../../shared/security/app-origin';
import { Redactor, createLogger } from '../ipc/log';
import type { FetchLike } from './media-protocol';
import { createMediaHandler, remoteImageUrl, sniffImage } from './media-protocol';

const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 1, 2, 3]);
const JPEG = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 1, 2]);
const SVG = new TextEncoder().encode('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>');

/** world is the internet as the handler sees it: URL -> response; every fetch is recorded. */
function world(routes: Record<string, () => Response>, answers: Record<string, boolean> = {}) {
  const fetched: string[] = [];
  const asked: string[] = [];
  const lines: string[] = [];
  const fetch: FetchLike = async (url, init) => {
    fetched.push(url);
    expect(init).toMatchObject({ redirect: 'manual', credentials: 'omit' });
    const route = routes[url];
    return route === undefined ? new Response('nope', { status: 404 }) : route();
  };
  const handle = createMediaHandler({
    fetch,
    askHost: async (host) => {
      asked.push(host);
      return answers[host] ?? true;
    },
    log: createLogger((l) => lines.push(l), new Redactor()),
    maxBytes: 1024,
  });
  const get = (remote: string) => handle(new Request(mediaUrl(remote)));
  return { fetched, asked, lines, handle, get };
}

describe('preview images through app://media', () => {
  it('fetches an https image once the person agreed to its host, and serves it with the sniffed type', async () => {
    const w = world({ 'https://img.example.com/a.png': () => new Response(PNG, { headers: { 'content-type': 'text/html' } }) });
    const res = await w.get('https://img.example.com/a.png');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/png');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(new Uint8Array(await res.arrayBuffer())).toEqual(PNG);
    expect(w.asked).toEqual(['img.example.com']);
  });

  it('never contacts a host the person refused, and asks about each host once', async () => {
    const w = world({ 'https://track.example.net/p.png?u=ana@example.com': () => new Response(PNG) }, { 'track.example.net': false });
    expect((await w.get('https://track.example.net/p.png?u=ana@example.com')).status).toBe(403);
    expect((await w.get('https://track.example.net/p.png?u=ben@example.com')).status).toBe(403);
    await Promise.all([w.get('https://a.example/1.png'), w.get('https://a.example/2.png')]);
    expect(w.asked).toEqual(['track.example.net', 'a.example']);
    expect(w.fetched).toEqual(['https://a.example/1.png', 'https://a.example/2.png']);
  });

  it.each([
    ['http://img.example.com/a.png'],
    ['https://user:pw@img.example.com/a.png'],
    ['file:///etc/passwd'],
    ['data:image/png;base64,AAAA'],
    ['javascript:alert(1)'],
    ['not a url'],
  ])('refuses %s without asking or fetching', async (remote) => {
    const w = world({});
    expect((await w.get(remote)).status).toBe(400);
    expect(w.asked).toEqual([]);
    expect(w.fetched).toEqual([]);
  });

  it('passes on only images: not SVG, HTML or JSON whatever the server says they are', async () => {
    const w = world({
      'https://x.example/s.svg': () => new Response(SVG, { headers: { 'content-type': 'image/svg+xml' } }),
      'https://x.example/h.png': () => new Response('<html>', { headers: { 'content-type': 'image/png' } }),
      'https://x.example/j.jpg': () => new Response(JPEG),
    });
    expect((await w.get('https://x.example/s.svg')).status).toBe(502);
    expect((await w.get('https://x.example/h.png')).status).toBe(502);
    expect((await w.get('https://x.example/j.jpg')).headers.get('content-type')).toBe('image/jpeg');
    expect(w.lines.join('\n')).toContain('preview image from x.example: not an image');
    expect(w.lines.join('\n')).not.toContain('/s.svg'); // hosts only: URLs may carry personal data
  });

  it('stops reading past the size cap, declared or not', async () => {
    const big = new Uint8Array(4096);
    big.set(PNG);
    const w = world({
      'https://x.example/declared.png': () => new Response(big, { headers: { 'content-length': '4096' } }),
      'https://x.example/streamed.png': () =>
        new Response(
          new ReadableStream({
            pull(c) {
              c.enqueue(big.subarray(0, 512));
            },
          }),
        ),
    });
    expect((await w.get('https://x.example/declared.png')).status).toBe(502);
    expect((await w.get('https://x.example/streamed.png')).status).toBe(502);
    expect(w.lines.filter((l) => l.includes('larger than 1024 bytes'))).toHaveLength(2);
  });

  it('follows redirects only to https on a host already agreed to, at most three', async () => {
    const to = (location: string) => () => new Response(null, { status: 302, headers: { location } });
    const w = world(
      {
        'https://a.example/r1': to('/r2'),
        'https://a.example/r2': to('https://a.example/img.png'),
        'https://a.example/img.png': () => new Response(PNG),
        'https://a.example/to-http': to('http://a.example/img.png'),
        'https://a.example/to-other': to('https://elsewhere.example/img.png'),
        'https://a.example/loop': to('https://a.example/loop'),
      },
      {},
    );
    expect((await w.get('https://a.example/r1')).status).toBe(200);
    expect((await w.get('https://a.example/to-http')).status).toBe(502);
    expect((await w.get('https://a.example/to-other')).status).toBe(502);
    expect((await w.get('https://a.example/loop')).status).toBe(502);
    expect(w.fetched.filter((u) => u === 'https://a.example/loop')).toHaveLength(4);
    expect(w.fetched).not.toContain('http://a.example/img.png');
    expect(w.fetched).not.toContain('https://elsewhere.example/img.png');
    expect(w.asked).toEqual(['a.example']);
  });

  it('answers nothing but GET, and nothing for another host', async () => {
    const w = world({});
    expect((await w.handle(new Request(mediaUrl('https://a.example/x.png'), { method: 'POST', body: 'x' }))).status).toBe(405);
    expect(remoteImageUrl('app://bundle/?src=https%3A%2F%2Fa.example%2Fx.png')).toBeUndefined();
  });

  it('sniffImage knows PNG, JPEG, GIF, WebP and AVIF only', () => {
    const enc = (s: string) => new TextEncoder().encode(s);
    expect(sniffImage(PNG)).toBe('image/png');
    expect(sniffImage(enc('GIF89a...'))).toBe('image/gif');
    expect(sniffImage(enc('RIFF\u0000\u0000\u0000\u0000WEBPVP8 '))).toBe('image/webp');
    expect(sniffImage(enc('\u0000\u0000\u0000\u001cftypavif'))).toBe('image/avif');
    expect(sniffImage(SVG)).toBeUndefined();
    expect(sniffImage(new Uint8Array(0))).toBeUndefined();
  });
});
