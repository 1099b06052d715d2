import { defineConfig } from 'vite';
import type { Plugin } from 'vite';
import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';
import { cspMetaContent } from './shared/security/csp.ts';

/**
 * cspMetaTag writes THE Content-Security-Policy (shared/security/csp.ts, the same one main sends
 * as a header) into index.html as the first tag of <head>, so no script or style comes before it.
 * The dev server gets the dev variant (inline React refresh and styles, its websocket).
 */
export function cspMetaTag(): Plugin {
  return {
    name: 'campaign-csp-meta',
    transformIndexHtml: {
      order: 'pre',
      handler(html, ctx) {
        const dev = ctx.server?.resolvedUrls?.local[0];
        return { html, tags: [{ tag: 'meta', attrs: { 'http-equiv': 'Content-Security-Policy', content: cspMetaContent(dev) }, injectTo: 'head-prepend' }] };
      },
    },
  };
}

/**
 * Vite builds the renderer only (main and preload are built by scripts/build-electron.mjs).
 * `base: './'` makes every asset URL relative, so the built page loads from main's app://bundle/
 * (and from any folder a test serves it from); workers are ES modules so the CSV worker can import
 * the shared parser like any module.
 */
export default defineConfig({
  root: fileURLToPath(new URL('./renderer', import.meta.url)),
  base: './',
  plugins: [cspMetaTag(), react()],
  build: {
    outDir: fileURLToPath(new URL('./dist/renderer', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    chunkSizeWarningLimit: 1500,
  },
  worker: { format: 'es' },
  server: { host: '127.0.0.1', port: 5173, strictPort: true },
});
