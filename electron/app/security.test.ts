import { readFileSync } from 'node:fs';
import type { HtmlTagDescriptor } from 'vite';
import { describe, expect, it } from 'vitest';
import { cspMetaTag } from '../../vite.config';
import { APP_ENTRY, APP_SCHEME, MEDIA_ORIGIN } from '../../shared/security/app-origin';
import { eventFrom, fakeTrustedWindow } from '../../test/fakes/electron-ipc';
import { createSenderCheck } from '../ipc/sender-check';
import { checkCsp, metaCsp, parseCsp } from './csp-check';
import { allowPermission, cspHeader, externalUrl, cspMetaContent, isAllowedExternalUrl, navigationDecision, shouldAllowNavigation, windowOpenDecision, windowOptions, withCsp } from './security';

const ENTRY = 'file:///Applications/Campaign%20Sender.app/Contents/Resources/app.asar/dist/index.html';

/** buildIndexHtml runs vite.config.ts's own CSP plugin over index.html, as `vite build` (or the dev server at `devUrl`) does. */
function buildIndexHtml(html: string, devUrl?: string): string {
  const hook = cspMetaTag().transformIndexHtml as { handler: (html: string, ctx: unknown) => { html: string; tags: HtmlTagDescriptor[] } };
  const ctx = devUrl === undefined ? {} : { server: { resolvedUrls: { local: [devUrl] } } };
  const { html: out, tags } = hook.handler(html, ctx);
  const rendered = tags.map((t) => `<${t.tag} ${Object.entries(t.attrs ?? {}).map(([k, v]) => `${k}="${String(v)}"`).join(' ')}>`).join('');
  return out.replace(/<head>/, `<head>${rendered}`);
}

describe('windowOptions', () => {
  it('isolates, sandboxes and strips Node from the renderer', () => {
    const o = windowOptions('/app/dist-electron/preload.cjs', { width: 1200, height: 800 });
    expect(o.webPreferences).toMatchObject({
      preload: '/app/dist-electron/preload.cjs',
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
    });
    expect(o.webPreferences).not.toHaveProperty('enableBlinkFeatures');
    expect(o.webPreferences).not.toHaveProperty('additionalArguments');
    expect(o.show).toBe(false);
  });
});

describe('Content-Security-Policy', () => {
  it('the production header: self only, no inline script, no eval, no plugins or frames', () => {
    const csp = cspHeader();
    expect(checkCsp(csp)).toEqual([]);
    const d = parseCsp(csp);
    expect(d.get('script-src')).toEqual(["'self'"]);
    expect(d.get('object-src')).toEqual(["'none'"]);
    expect(d.get('frame-ancestors')).toEqual(["'none'"]);
    expect(csp).not.toMatch(/unsafe-eval/);
  });

  it('the dev-server header never allows eval, and only adds the dev origin', () => {
    const csp = cspHeader('http://localhost:5173/');
    expect(csp).not.toMatch(/unsafe-eval/);
    expect(parseCsp(csp).get('connect-src')).toEqual(["'self'", 'http://localhost:5173', 'ws://localhost:5173']);
  });

  it('the meta tag content is the header without the header-only directive', () => {
    expect(checkCsp(cspMetaContent())).toEqual([]);
    expect(cspMetaContent()).not.toContain('frame-ancestors');
  });

  it('images only from our files, data:/blob: and main\'s app: scheme (app://media), never straight from the web', () => {
    expect(parseCsp(cspHeader()).get('img-src')).toEqual(["'self'", 'data:', 'blob:', `${APP_SCHEME}:`]);
    expect(MEDIA_ORIGIN.startsWith(`${APP_SCHEME}://`)).toBe(true);
    for (const dev of [undefined, 'http://localhost:5173/']) {
      const img = parseCsp(cspHeader(dev)).get('img-src') ?? [];
      expect(img.some((v) => v === '*' || v === 'https:' || v === 'http:' || /^https?:\/\//.test(v))).toBe(false);
    }
  });

  it('ONE policy: the meta tag the build writes into index.html is the header, less what a meta tag cannot carry', () => {
    const source = readFileSync(new URL('../../renderer/index.html', import.meta.url), 'utf8');
    // The source page carries no policy of its own to drift from the header.
    expect(metaCsp(source)).toBeUndefined();
    const built = buildIndexHtml(source);
    const meta = parseCsp(metaCsp(built) ?? '');
    const header = parseCsp(cspHeader());
    header.delete('frame-ancestors');
    expect(meta).toEqual(header);
    expect(checkCsp(metaCsp(built) ?? '')).toEqual([]);
    // First in <head>: nothing loads before the policy applies.
    expect(built.indexOf('Content-Security-Policy')).toBeLessThan(built.indexOf('<link'));
    expect(built).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/i);
    // The dev server's page gets the dev header's policy, the same way.
    const dev = parseCsp(metaCsp(buildIndexHtml(source, 'http://127.0.0.1:5173/')) ?? '');
    const devHeader = parseCsp(cspHeader('http://127.0.0.1:5173/'));
    devHeader.delete('frame-ancestors');
    expect(dev).toEqual(devHeader);
  });

  it('checkCsp catches weak policies', () => {
    expect(checkCsp("default-src 'self'; script-src 'self' 'unsafe-inline'")).toEqual(["script-src allows 'unsafe-inline'"]);
    expect(checkCsp("default-src 'self' 'unsafe-eval'")).toContain("script-src allows 'unsafe-eval'");
    expect(checkCsp("script-src 'self'")).toHaveLength(1);
    expect(checkCsp("default-src 'self'; script-src 'self' https://cdn.example")).toEqual(['script-src allows https://cdn.example']);
  });

  it('withCsp replaces any policy a response brought', () => {
    expect(withCsp({ 'content-security-policy': ['default-src *'], 'X-Other': 'a' }, "default-src 'self'")).toEqual({
      'X-Other': ['a'],
      'Content-Security-Policy': ["default-src 'self'"],
    });
  });
});

describe('external links', () => {
  it.each([
    ['https://docs.wassist.app/api', true],
    ['http://example.com/a?b=c#d', true],
    ['HTTPS://EXAMPLE.COM', true],
    ['file:///etc/passwd', false],
    ['javascript:alert(1)', false],
    ['data:text/html,<script>alert(1)</script>', false],
    ['ms-msdt:/id PCWDiagnostic', false],
    ['smb://attacker/share', false],
    ['https://user:pass@example.com', false],
    ['http://', false],
    ['not a url', false],
    [' https://example.com', true],
    ['https:example.com', true],
  ])('%s -> %s', (url, ok) => {
    expect(isAllowedExternalUrl(url)).toBe(ok);
  });

  it('hands the browser the parsed URL, not the raw text', () => {
    expect(externalUrl(' https://example.com/a b')).toBe('https://example.com/a%20b');
    expect(externalUrl('file:///x')).toBeUndefined();
  });
});

describe('navigation and new windows', () => {
  it('allows only our own page; sends http(s) links out; refuses the rest', () => {
    expect(navigationDecision(ENTRY, ENTRY)).toBe('allow');
    expect(navigationDecision(`${ENTRY}#/send`, ENTRY)).toBe('allow');
    expect(navigationDecision('file:///tmp/evil.html', ENTRY)).toBe('deny');
    expect(navigationDecision('https://evil.example/', ENTRY)).toBe('open-external');
    expect(navigationDecision('javascript:alert(1)', ENTRY)).toBe('deny');
    expect(shouldAllowNavigation('https://evil.example/', ENTRY)).toBe(false);
    expect(shouldAllowNavigation('http://localhost:5173/x', 'http://localhost:5173/')).toBe(true);
    expect(shouldAllowNavigation('http://localhost:5174/', 'http://localhost:5173/')).toBe(false);
  });

  it('with the app:// entry: only that page; not the preview-media host, not file://', () => {
    expect(navigationDecision(APP_ENTRY, APP_ENTRY)).toBe('allow');
    expect(navigationDecision(`${APP_ENTRY}?x=1#/send`, APP_ENTRY)).toBe('allow');
    for (const url of ['app://media/?src=https%3A%2F%2Fevil.example', 'app://bundle/assets/evil.html', 'app://evil/index.html', 'file:///opt/app/dist/renderer/index.html']) {
      expect(navigationDecision(url, APP_ENTRY), url).toBe('deny');
    }
  });

  it('the sender check accepts the app:// page\'s main frame only', () => {
    const win = fakeTrustedWindow(APP_ENTRY);
    const check = createSenderCheck(() => win, APP_ENTRY);
    expect(check(eventFrom(win))).toBe(true);
    const main = win.webContents.mainFrame;
    for (const url of ['app://media/?src=x', 'app://bundle/other.html', 'file:///index.html', 'https://evil.example/']) {
      expect(check({ sender: { id: win.webContents.id }, senderFrame: { ...main, url } }), url).toBe(false);
    }
  });

  it('never opens a window', () => {
    expect(windowOpenDecision('https://example.com')).toEqual({ action: 'deny', openExternal: true });
    expect(windowOpenDecision(ENTRY)).toEqual({ action: 'deny', openExternal: false });
    expect(windowOpenDecision('about:blank')).toEqual({ action: 'deny', openExternal: false });
  });

  it('grants no permission', () => {
    for (const p of ['media', 'geolocation', 'notifications', 'clipboard-read', 'openExternal', 'fullscreen', 'unknown']) expect(allowPermission(p)).toBe(false);
  });
});
