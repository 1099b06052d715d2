import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APP_ENTRY } from '../../shared/security/app-origin';
import { cspHeader } from '../../shared/security/csp';
import { APP_SCHEME_PRIVILEGES, appProtocolHandler, bundleFile, createBundleHandler } from './app-protocol';

/**
 * The renderer is served from app://bundle/ by main, from the build folder only. A real folder on
 * disk, with a secret next to it (and a sibling folder whose name starts like the build folder's),
 * which no request may reach.
 */

let dir: string;
let root: string;
let handle: (r: Request) => Promise<Response>;
const mediaSeen: string[] = [];

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'app-protocol-'));
  root = join(dir, 'renderer');
  mkdirSync(join(root, 'assets'), { recursive: true });
  writeFileSync(join(root, 'index.html'), '<!doctype html><title>app</title>');
  writeFileSync(join(root, 'assets', 'index-abc.js'), 'export const x = 1;');
  writeFileSync(join(root, 'assets', 'style.css'), 'body{}');
  writeFileSync(join(dir, 'secret.txt'), 'SECRET');
  mkdirSync(join(dir, 'renderer-evil'));
  writeFileSync(join(dir, 'renderer-evil', 'x.js'), 'SECRET');
  handle = appProtocolHandler({
    bundle: createBundleHandler(root, cspHeader()),
    media: async (r) => (mediaSeen.push(r.url), new Response('media', { status: 200 })),
  });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const get = (url: string, method = 'GET') => handle(new Request(url, { method }));

describe('the app: scheme', () => {
  it('is registered standard and secure, in one call', () => {
    expect(APP_SCHEME_PRIVILEGES).toEqual([{ scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
    expect(APP_ENTRY).toBe('app://bundle/index.html');
  });

  it('serves the built page and its assets with their types, nosniff and the CSP header', async () => {
    const page = await get(APP_ENTRY);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<title>app</title>');
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('content-security-policy')).toBe(cspHeader());
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    expect((await get('app://bundle/')).status).toBe(200);
    const js = await get('app://bundle/assets/index-abc.js?v=1#x');
    expect([js.status, js.headers.get('content-type'), await js.text()]).toEqual([200, 'text/javascript; charset=utf-8', 'export const x = 1;']);
    expect((await get('app://bundle/assets/style.css')).headers.get('content-type')).toBe('text/css; charset=utf-8');
    const head = await get(APP_ENTRY, 'HEAD');
    expect([head.status, await head.text()]).toEqual([200, '']);
  });

  it.each([
    'app://bundle/../secret.txt',
    'app://bundle/%2e%2e/secret.txt',
    'app://bundle/assets/%2E%2E/%2E%2E/secret.txt',
    'app://bundle/..%2fsecret.txt',
    'app://bundle/assets/..%2F..%2Fsecret.txt',
    'app://bundle/..%5csecret.txt',
    'app://bundle/assets\\..\\..\\secret.txt',
    'app://bundle/%2e%2e%2f%2e%2e%2f%2e%2e%2fetc%2fpasswd',
    'app://bundle//etc/passwd',
    'app://bundle/%2Fetc%2Fpasswd',
    'app://bundle/C:%5CWindows%5Cwin.ini',
    'app://bundle/C:/Windows/win.ini',
    'app://bundle/../renderer-evil/x.js',
    'app://bundle/..%2frenderer-evil%2fx.js',
    'app://bundle/index.html%00.png',
    'app://bundle/%E0%A4%A',
    'app://bundle/assets',
    'app://bundle/assets/',
    'app://bundle/missing.js',
    'app://other/index.html',
    'app://bundle.evil/index.html',
  ])('refuses %s', async (url) => {
    const res = await get(url);
    expect(res.status).toBe(404);
    expect(await res.text()).not.toContain('SECRET');
  });

  it('answers nothing but GET and HEAD', async () => {
    expect((await get(APP_ENTRY, 'POST')).status).toBe(405);
    expect((await get(APP_ENTRY, 'PUT')).status).toBe(405);
  });

  it('sends app://media to the preview-media handler and nothing else there', async () => {
    expect(await (await get('app://media/?src=https%3A%2F%2Fimg.example%2Fa.png')).text()).toBe('media');
    expect(mediaSeen).toEqual(['app://media/?src=https%3A%2F%2Fimg.example%2Fa.png']);
  });

  it('bundleFile keeps every answer inside the folder', () => {
    expect(bundleFile(root, 'app://bundle/assets/index-abc.js')).toBe(join(root, 'assets', 'index-abc.js'));
    expect(bundleFile(root, 'app://bundle/')).toBe(join(root, 'index.html'));
    expect(bundleFile(root, 'file:///etc/passwd')).toBeUndefined();
    expect(bundleFile(root, 'app://media/index.html')).toBeUndefined();
  });
});
