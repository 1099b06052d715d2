import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkCsp, metaCsp, parseCsp } from '../../electron/app/csp-check';
import { cspHeader, cspMetaContent } from '../../shared/security/csp';
import { buildRenderer, launchChromium, serveStatic } from './harness';

/**
 * The policy of the page as `vite build` writes it, in real Chromium: the same policy main sends
 * as a header, and it stops a page (or injected code) from loading an image from the web, while
 * main's app://media address stays allowed.
 */

let browser: Browser;
let server: { url: string; close(): Promise<void> };
let work: string;
let html: string;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'campaign-e2e-csp-'));
  await buildRenderer(join(work, 'renderer'));
  html = await readFile(join(work, 'renderer', 'index.html'), 'utf8');
  server = await serveStatic(join(work, 'renderer'));
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await rm(work, { recursive: true, force: true });
});

describe('the built page CSP', () => {
  it('is the header policy, less what a meta tag cannot carry, and is the first tag of <head>', () => {
    const policy = metaCsp(html);
    expect(policy).toBe(cspMetaContent());
    const header = parseCsp(cspHeader());
    header.delete('frame-ancestors');
    expect(parseCsp(policy ?? '')).toEqual(header);
    expect(checkCsp(policy ?? '')).toEqual([]);
    expect(html.search(/<meta http-equiv="Content-Security-Policy"/)).toBeLessThan(html.search(/<script/));
  });

  it('in Chromium: images from the web are refused, main\'s app://media is not', async () => {
    // (Plain Chromium cannot load app:// at all; what matters here is that the policy lets it through.)
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${server.url}/index.html`);
    const violated = await page.evaluate(async () => {
      interface El {
        src: string;
      }
      interface Doc {
        addEventListener(type: string, listener: (e: { effectiveDirective: string; blockedURI: string }) => void): void;
        createElement(tag: string): El;
        body: { append(el: El): void };
      }
      const d = (globalThis as unknown as { document: Doc }).document;
      const blocked: string[] = [];
      d.addEventListener('securitypolicyviolation', (e) => blocked.push(`${e.effectiveDirective} ${e.blockedURI}`));
      const urls = ['https://tracker.example/p.png?u=ana', 'http://127.0.0.1:9/x.png', 'app://media/?src=https%3A%2F%2Fimg.example%2Fa.png'];
      for (const src of urls) {
        const img = d.createElement('img');
        img.src = src;
        d.body.append(img);
      }
      await new Promise((r) => setTimeout(r, 500));
      return blocked;
    });
    await context.close();
    expect(violated.sort()).toEqual(['img-src http://127.0.0.1:9/x.png', 'img-src https://tracker.example/p.png?u=ana']);
  });
});
